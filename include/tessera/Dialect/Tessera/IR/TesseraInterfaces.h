//===- TesseraInterfaces.h - Tessera interfaces -----------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECT_TESSERA_IR_TESSERAINTERFACES_H
#define TESSERA_DIALECT_TESSERA_IR_TESSERAINTERFACES_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/Builders.h"

namespace mlir::tessera {

/// How a (query tile, key tile) pair meets a mask.
enum class TileKind { Empty, Partial, Full };

} // namespace mlir::tessera

#include "tessera/Dialect/Tessera/IR/TesseraAttrInterfaces.h.inc"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/PatternMatch.h"
#include "tessera/Dialect/Tessera/IR/TesseraOpInterfaces.h.inc"

namespace mlir::tessera {

/// Composite masks (`all_of`, `any_of`) nest at most this many levels.
constexpr int64_t kMaxMaskDepth = 32;
/// A mask holds at most this many masks in all, counting every use of a
/// repeated one (so the emitted predicate and tile classification stay
/// small).
constexpr int64_t kMaxMaskNodes = 256;

/// The number of masks in `mask` counting repeats (1 for a simple mask),
/// saturated at kMaxMaskNodes + 1.
int64_t getMaskSize(Attribute mask);

} // namespace mlir::tessera

#endif // TESSERA_DIALECT_TESSERA_IR_TESSERAINTERFACES_H
