//===- TileMMA.h - Tile products on tensor cores ----------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_CONVERSION_TESSERATOGPU_TILEMMA_H
#define TESSERA_CONVERSION_TESSERATOGPU_TILEMMA_H

#include "tessera/Dialect/Tessera/IR/TesseraOps.h"

namespace mlir::tessera {

/// Whether `op` can be computed by mma.sync: its operands are exact in an
/// operand_type and it does not skip masked entries.
bool isTensorCoreMatmul(TileMatmulOp op);

/// Replaces `op`, executed alike by the 32 lanes of a warp (`lane`, an
/// index, is the executing lane), by m16n8k16 mma.sync instructions with
/// f32 accumulation. Given `fragments` (the buffers
/// allocateEmulatedFragments made), it computes the products of the whole
/// warp instead, lane by lane, for the one thread that emulates the warp:
/// the same fragment loads and stores, around a host implementation of the
/// instruction.
void lowerTileMatmulToMMA(TileMatmulOp op, Value lane, ValueRange fragments);

/// The per-warp buffers of the emulation, built at `b`.
SmallVector<Value> allocateEmulatedFragments(OpBuilder &b, Location loc);

} // namespace mlir::tessera

#endif // TESSERA_CONVERSION_TESSERATOGPU_TILEMMA_H
