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

/// Classifies a tile by evaluating `isAllowed` on every pair; for masks
/// without a closed form. Stops as soon as the tile is known to be partial.
TileKind classifyByEnumeration(MaskAttrInterface mask, int64_t q0, int64_t q1,
                               int64_t k0, int64_t k1);

} // namespace mlir::tessera

#endif // TESSERA_DIALECT_TESSERA_IR_TESSERAINTERFACES_H
