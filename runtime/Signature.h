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
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_SIGNATURE_H
#define TESSERA_RUNTIME_SIGNATURE_H

#include "Support.h"

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

  /// Returns the index of the input called `name`, if any.
  std::optional<size_t> findInput(std::string_view name) const;
};

/// Parses signature `text`. Unknown line kinds are ignored; blank lines,
/// '\r' and extra whitespace are tolerated.
Error parseSignature(std::string_view text, Signature &signature);

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_SIGNATURE_H
