//===- Passes.h - Tessera transformation passes -----------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECT_TESSERA_TRANSFORMS_PASSES_H
#define TESSERA_DIALECT_TESSERA_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir::tessera {

#define GEN_PASS_DECL
#include "tessera/Dialect/Tessera/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tessera/Dialect/Tessera/Transforms/Passes.h.inc"

/// Clones the tessera op `op` onto f32 tensors between one exact widening
/// per f16/bf16 operand and one rounding per f16/bf16 result (what
/// tessera-widen-storage does to every op) and erases it. Returns the f32
/// op, `op` itself if it has no such tensor, or failure (with a diagnostic)
/// if the op does not verify on f32.
FailureOr<Operation *> widenStorage(Operation *op);

} // namespace mlir::tessera

#endif // TESSERA_DIALECT_TESSERA_TRANSFORMS_PASSES_H
