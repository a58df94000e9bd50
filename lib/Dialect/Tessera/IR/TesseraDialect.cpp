//===- TesseraDialect.cpp - Tessera dialect ---------------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/IR/TesseraDialect.h"
#include "tessera/Dialect/Tessera/IR/TesseraOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::tessera;

#include "tessera/Dialect/Tessera/IR/TesseraOpsDialect.cpp.inc"
#include "tessera/Dialect/Tessera/IR/TesseraEnums.cpp.inc"
#define GET_ATTRDEF_CLASSES
#include "tessera/Dialect/Tessera/IR/TesseraAttrs.cpp.inc"

void TesseraDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "tessera/Dialect/Tessera/IR/TesseraOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "tessera/Dialect/Tessera/IR/TesseraAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Tensor names
//===----------------------------------------------------------------------===//

bool mlir::tessera::isValidTensorName(StringRef name) {
  if (name.empty() || name.size() > kMaxTensorNameLength)
    return false;
  if (!llvm::isAlpha(name.front()) && name.front() != '_')
    return false;
  return llvm::all_of(name, [](char c) {
    return llvm::isAlnum(c) || c == '_' || c == '.' || c == '-';
  });
}

std::string mlir::tessera::quoteForDiagnostic(StringRef name) {
  std::string out;
  llvm::raw_string_ostream os(out);
  os.write_escaped(name.take_front(64), /*UseHexEscapes=*/true);
  if (name.size() > 64)
    os << "...";
  return out;
}

/// The `tessera.name` of argument (`isResult` false) or result `index` of
/// `func`, if it has one.
static StringAttr nameAt(FunctionOpInterface func, bool isResult,
                         unsigned index) {
  DictionaryAttr attrs =
      isResult ? func.getResultAttrDict(index) : func.getArgAttrDict(index);
  return attrs ? attrs.getAs<StringAttr>(kTensorNameAttrName) : StringAttr();
}

/// Verifies a `tessera.*` attribute on argument or result `index` of `op`.
/// A name is checked against every name before it (arguments first, then
/// results), so a duplicate is reported once, at its second use.
static LogicalResult verifyNameAttr(Operation *op, bool isResult,
                                    unsigned index, NamedAttribute attr) {
  StringRef what = isResult ? "result" : "argument";
  if (attr.getName() != kTensorNameAttrName)
    return op->emitError() << "unknown " << what << " attribute '"
                           << attr.getName().getValue() << "'";
  auto name = dyn_cast<StringAttr>(attr.getValue());
  if (!name)
    return op->emitError() << "'" << kTensorNameAttrName << "' of " << what
                           << " #" << index << " must be a string";
  if (!isValidTensorName(name.getValue()))
    return op->emitError() << "invalid tensor name \""
                           << quoteForDiagnostic(name.getValue()) << "\" on "
                           << what << " #" << index
                           << ": expected [A-Za-z_][A-Za-z0-9_.-]*, 1 to "
                           << kMaxTensorNameLength << " bytes";
  auto func = dyn_cast<FunctionOpInterface>(op);
  if (!func)
    return success();
  auto clash = [&](bool otherIsResult, unsigned other) {
    StringAttr n = nameAt(func, otherIsResult, other);
    return n && n == name;
  };
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i) {
    if (!isResult && i == index)
      break;
    if (clash(false, i))
      return op->emitError() << "tensor name \"" << name.getValue()
                             << "\" on " << what << " #" << index
                             << " is already used by argument #" << i;
  }
  for (unsigned i = 0; isResult && i < index; ++i)
    if (clash(true, i))
      return op->emitError() << "tensor name \"" << name.getValue()
                             << "\" on result #" << index
                             << " is already used by result #" << i;
  return success();
}

LogicalResult TesseraDialect::verifyRegionArgAttribute(Operation *op,
                                                       unsigned regionIndex,
                                                       unsigned argIndex,
                                                       NamedAttribute attr) {
  if (attr.getName() == kValidRangeAttrName) {
    auto range = dyn_cast<DenseI64ArrayAttr>(attr.getValue());
    if (!range || range.size() != 2 || range[0] >= range[1])
      return op->emitError() << "'" << kValidRangeAttrName << "' of argument #"
                             << argIndex
                             << " must be array<i64: lo, hi> with lo < hi";
    auto func = dyn_cast<FunctionOpInterface>(op);
    auto tensor =
        func ? dyn_cast<RankedTensorType>(func.getArgumentTypes()[argIndex])
             : RankedTensorType();
    if (!tensor || !tensor.getElementType().isSignlessInteger() ||
        tensor.getElementType().getIntOrFloatBitWidth() < 8)
      return op->emitError() << "'" << kValidRangeAttrName << "' of argument #"
                             << argIndex << " needs an integer tensor argument";
    return success();
  }
  return verifyNameAttr(op, /*isResult=*/false, argIndex, attr);
}

/// Checks the shape of a `tessera.exports` attribute (see kExportsAttrName).
static LogicalResult verifyExports(Operation *op, Attribute value) {
  auto fail = [&](const Twine &what) {
    return op->emitError() << "'" << kExportsAttrName << "' " << what;
  };
  auto dict = dyn_cast<DictionaryAttr>(value);
  if (!dict || !dict.getAs<StringAttr>("prefix"))
    return fail("must be a dictionary with a string 'prefix'");
  auto models = dict.getAs<ArrayAttr>("models");
  if (!models || models.empty())
    return fail("must list at least one model in 'models'");
  for (Attribute model : models) {
    auto m = dyn_cast<DictionaryAttr>(model);
    if (!m || !m.getAs<StringAttr>("function") ||
        !m.getAs<StringAttr>("signature") || !m.getAs<IntegerAttr>("inputs") ||
        !m.getAs<IntegerAttr>("outputs"))
      return fail("models must be dictionaries with 'function', 'signature', "
                  "'inputs' and 'outputs'");
  }
  return success();
}

LogicalResult TesseraDialect::verifyOperationAttribute(Operation *op,
                                                       NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  if (name == kScratchBytesAttrName) {
    auto bytes = dyn_cast<IntegerAttr>(attr.getValue());
    if (!isa<FunctionOpInterface>(op) || !bytes ||
        !bytes.getType().isInteger(64) || bytes.getInt() < 0)
      return op->emitError()
             << "'" << name << "' must be a non-negative i64 on a function";
    return success();
  }
  if (name != kTargetAttrName && name != kExportsAttrName)
    return op->emitError() << "unknown attribute '" << name << "'";
  if (!isa<ModuleOp>(op))
    return op->emitError() << "'" << name << "' is a module attribute";
  if (name == kExportsAttrName)
    return verifyExports(op, attr.getValue());
  if (!isa<CPUTargetAttr>(attr.getValue()))
    return op->emitError() << "'" << kTargetAttrName
                           << "' must be a #tessera.cpu_target";
  return success();
}

LogicalResult TesseraDialect::verifyRegionResultAttribute(
    Operation *op, unsigned regionIndex, unsigned resultIndex,
    NamedAttribute attr) {
  return verifyNameAttr(op, /*isResult=*/true, resultIndex, attr);
}

//===----------------------------------------------------------------------===//
// Tensor sizes
//===----------------------------------------------------------------------===//

std::optional<int64_t> mlir::tessera::getBoundedByteSize(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return 0;
  Type element = tensor.getElementType();
  int64_t bytes = element.isIntOrFloat()
                      ? int64_t((element.getIntOrFloatBitWidth() + 7) / 8)
                      : 8;
  for (int64_t d : tensor.getShape()) {
    std::optional<int64_t> next = llvm::checkedMul(bytes, d);
    if (!next || *next > kMaxTensorBytes)
      return std::nullopt;
    bytes = *next;
  }
  return bytes;
}

LogicalResult mlir::tessera::trait::verifyBoundedTensorSizes(Operation *op) {
  for (Type t : llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes()))
    if (!getBoundedByteSize(t))
      return op->emitOpError("expects tensors of at most 2^62 bytes, got ")
             << t;
  return success();
}

void mlir::tessera::declareValidRange(Value value, int64_t lo, int64_t hi) {
  auto arg = dyn_cast_if_present<BlockArgument>(value);
  if (!arg)
    return;
  auto func = dyn_cast<FunctionOpInterface>(arg.getOwner()->getParentOp());
  if (!func || arg.getOwner() != &func.getFunctionBody().front())
    return;
  if (auto old = func.getArgAttrOfType<DenseI64ArrayAttr>(
          arg.getArgNumber(), kValidRangeAttrName)) {
    lo = std::max(lo, old[0]);
    hi = std::min(hi, old[1]);
    if (lo >= hi) // Two ops disagree on every value: keep the tighter check.
      hi = lo + 1;
  }
  func.setArgAttr(arg.getArgNumber(), kValidRangeAttrName,
                  DenseI64ArrayAttr::get(func->getContext(), {lo, hi}));
}

void mlir::tessera::appendSignatureLines(
    ModuleOp module,
    function_ref<std::string(StringRef function, StringRef signature)> line) {
  MLIRContext *ctx = module.getContext();
  auto exports = module->getAttrOfType<DictionaryAttr>(kExportsAttrName);
  auto models = exports ? exports.getAs<ArrayAttr>("models") : ArrayAttr();
  if (!models)
    return;
  SmallVector<Attribute> updated;
  for (Attribute model : models) {
    auto dict = cast<DictionaryAttr>(model);
    auto function = dict.getAs<StringAttr>("function");
    auto signature = dict.getAs<StringAttr>("signature");
    std::string text =
        function && signature ? line(function, signature) : std::string();
    if (text.empty()) {
      updated.push_back(model);
      continue;
    }
    NamedAttrList attrs(dict);
    attrs.set("signature",
              StringAttr::get(ctx, signature.getValue() + text + "\n"));
    updated.push_back(attrs.getDictionary(ctx));
  }
  NamedAttrList attrs(exports);
  attrs.set("models", ArrayAttr::get(ctx, updated));
  module->setAttr(kExportsAttrName, attrs.getDictionary(ctx));
}
