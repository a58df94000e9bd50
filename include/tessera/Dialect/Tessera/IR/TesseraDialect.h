//===- TesseraDialect.h - Tessera dialect -----------------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECT_TESSERA_IR_TESSERADIALECT_H
#define TESSERA_DIALECT_TESSERA_IR_TESSERADIALECT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"

#include <optional>
#include <string>

#include "tessera/Dialect/Tessera/IR/TesseraOpsDialect.h.inc"

namespace mlir::tessera {

/// The argument/result attribute naming an entry tensor.
inline constexpr llvm::StringLiteral kTensorNameAttrName = "tessera.name";
/// The argument attribute `tessera.valid_range = array<i64: lo, hi>` on an
/// integer entry tensor: every element must lie in [lo, hi). The runtime
/// checks it with the other inputs, before any compute (exit status 2).
inline constexpr llvm::StringLiteral kValidRangeAttrName =
    "tessera.valid_range";
/// `name` as a diagnostic shows untrusted text: printable ASCII as is,
/// anything else as `\xx`, cut after 64 characters.
std::string quoteForDiagnostic(llvm::StringRef name);

/// The module attribute holding the `#tessera.cpu_target` the kernels are
/// built for.
inline constexpr llvm::StringLiteral kTargetAttrName = "tessera.target";
/// The module attribute in which tessera-export-entry records the exported
/// models for tessera-emit-entry-wrapper:
/// `{prefix = "P", models = [{function = "F", signature = "...",
/// inputs = N, outputs = M}, ...]}`.
inline constexpr llvm::StringLiteral kExportsAttrName = "tessera.exports";
/// The function attribute in which tessera-plan-buffers records the bytes
/// of its planned arena (a non-negative i64).
inline constexpr llvm::StringLiteral kScratchBytesAttrName =
    "tessera.scratch_bytes";

/// Appends a line to the signature of every exported model (recorded in
/// `module`'s kExportsAttrName): `line(function, signature)` returns the
/// line without its newline, or "" for none. Passes that change what the
/// runtime must know about a model (its planned scratch, its target) say
/// it this way; the runtime ignores line kinds it does not know.
void appendSignatureLines(
    mlir::ModuleOp module,
    llvm::function_ref<std::string(llvm::StringRef function,
                                   llvm::StringRef signature)>
        line);

/// Declares that `value`, if it is an argument of a function's entry block,
/// must lie in [lo, hi): sets (or tightens) its kValidRangeAttrName, so the
/// executable rejects other values before any compute. Other values are
/// left alone (the op using them handles any value).
void declareValidRange(mlir::Value value, int64_t lo, int64_t hi);
/// Longest tensor (and entry function) name, in bytes; with `.npy` appended
/// it still fits a file name.
inline constexpr size_t kMaxTensorNameLength = 200;

/// Whether `name` may name an entry tensor or the entry function:
/// `[A-Za-z_][A-Za-z0-9_.-]*`, 1 to kMaxTensorNameLength bytes. Such names
/// are safe as file names, as command-line words and in the runtime's
/// signature text, so they are never escaped.
bool isValidTensorName(llvm::StringRef name);

/// Largest byte size of a tensor in the dialect.
inline constexpr int64_t kMaxTensorBytes = int64_t(1) << 62;

/// The byte size of `type` if it is a statically shaped tensor of at most
/// kMaxTensorBytes; std::nullopt if it is larger (or its size overflows),
/// and 0 for other types.
std::optional<int64_t> getBoundedByteSize(Type type);

namespace trait {
/// Verifies that every statically shaped tensor operand and result has a
/// byte size of at most kMaxTensorBytes.
template <typename ConcreteType>
class BoundedTensorSizes
    : public ::mlir::OpTrait::TraitBase<ConcreteType, BoundedTensorSizes> {
public:
  static LogicalResult verifyTrait(Operation *op);
};
LogicalResult verifyBoundedTensorSizes(Operation *op);
template <typename ConcreteType>
LogicalResult BoundedTensorSizes<ConcreteType>::verifyTrait(Operation *op) {
  return verifyBoundedTensorSizes(op);
}
} // namespace trait

} // namespace mlir::tessera

#endif // TESSERA_DIALECT_TESSERA_IR_TESSERADIALECT_H
