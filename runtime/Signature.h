//===- Signature.h - Model signature parsing --------------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Parses the `tessera_signature` text emitted by the compiler:
//
//   entry main
//   input x f32 2,256,384
//   input s f32
//   input task i64 2 range=0,3
//   output result0 f32 2,256,384
//   scratch_bytes 4194304
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_SIGNATURE_H
#define TESSERA_RUNTIME_SIGNATURE_H

#include "Support.h"
#include "tessera-c/Model.h"

namespace tessera::runtime {

/// A named tensor argument or result of the model.
struct TensorSpec {
  std::string name;
  TensorType type;
  /// Integer inputs only: every element must lie in [first, second).
  std::optional<std::pair<int64_t, int64_t>> range;
};

/// The inputs and outputs of the compiled entry function.
struct Signature {
  std::string entry;
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
  /// Bytes of intermediate buffers planned at compile time (one arena per
  /// call), when the signature says.
  std::optional<uint64_t> scratchBytes;
  /// Where the kernels run: "cpu" (no `target` line) or "cuda".
  std::string target = "cpu";

  /// Returns the index of the input called `name`, if any.
  std::optional<size_t> findInput(std::string_view name) const;
};

/// Longest tensor name accepted (the compiler's verifier has the same
/// limit).
constexpr size_t maxTensorNameLength = 200;

/// Returns true if `name` is a valid tensor name: `[A-Za-z_][A-Za-z0-9_.-]*`,
/// 1 to maxTensorNameLength bytes. Such a name is a safe file name.
bool isValidTensorName(std::string_view name);

/// Parses signature `text`. Unknown line kinds are ignored; blank lines,
/// '\r' and extra whitespace are tolerated. Rejects invalid tensor names,
/// names used twice (among all inputs and outputs), more than one `entry`
/// line and shapes whose byte size overflows. Errors read
/// "malformed embedded signature: line N: problem".
Error parseSignature(std::string_view text, Signature &signature);

/// Parses a compiled model's signature and checks it against the sizes the
/// model table declares (include/tessera-c/Model.h): signature_size must
/// equal strlen(signature) (a NUL inside the text would otherwise cut it
/// short) and the parsed signature must have exactly num_inputs inputs and
/// num_outputs outputs. Errors read "malformed embedded signature: ...".
Error parseModelSignature(const TesseraModel &model, Signature &signature);

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_SIGNATURE_H
