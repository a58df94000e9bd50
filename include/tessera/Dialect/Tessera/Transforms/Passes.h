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

} // namespace mlir::tessera

#endif // TESSERA_DIALECT_TESSERA_TRANSFORMS_PASSES_H
