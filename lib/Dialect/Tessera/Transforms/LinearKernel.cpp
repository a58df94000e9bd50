//===- LinearKernel.cpp - Tiled linear layers -------------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Schedules tessera.linear (y = x·Wᵀ + b) in the tile-level form:
//
//   W is transposed once into column tiles [N/C, K, C] (contiguous, unit
//   stride along the output columns);
//   scf.parallel (row tile, column tile)             -> OpenMP
//     for each chunk of K:
//       tessera.tile_matmul x[rows, chunk], Wᵀ[chunk, cols] into y[rows, cols]
//         (bias on the first chunk, accumulate on the others)
//
// The tile shapes do not depend on the target (C a multiple of 16, row
// tiles of 64, K chunks of `tile-k` so that a chunk of Wᵀ stays in cache
// across the row blocks); tessera-lower-tiles makes each product a
// register-blocked microkernel for the module's CPU. y is computed padded
// to whole tiles and sliced.
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/IR/TesseraOps.h"
#include "tessera/Dialect/Tessera/Transforms/KernelBuilder.h"
#include "tessera/Dialect/Tessera/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::tessera {
#define GEN_PASS_DEF_TESSERATILELINEARPASS
#include "tessera/Dialect/Tessera/Transforms/Passes.h.inc"
} // namespace mlir::tessera

using namespace mlir;
using namespace mlir::tessera;
using namespace mlir::tessera::kernel;

namespace {

/// Rows and columns per parallel task (fewer for a smaller layer, see
/// rowTile and kTileLanes).
constexpr int64_t kTileRows = 64;
constexpr int64_t kTileCols = 64;

LogicalResult lowerLinear(LinearOp op, int64_t tileK) {
  auto xType = cast<RankedTensorType>(op.getInput().getType());
  auto wType = cast<RankedTensorType>(op.getWeight().getType());
  auto outType = cast<RankedTensorType>(op.getResult().getType());
  if (!xType.hasStaticShape() || !wType.hasStaticShape() ||
      !xType.getElementType().isF32())
    return success(); // convert-tessera-to-linalg reports these.
  int64_t k = xType.getShape().back(), n = wType.getShape()[0];
  int64_t m = xType.getNumElements() / std::max<int64_t>(k, 1);
  if (k == 0 || n == 0 || m == 0)
    return success();
  int64_t tm = std::min(kTileRows, rowTile(m));
  int64_t tn = std::min(kTileCols, roundUp(n, kTileLanes));
  int64_t kc = std::min(tileK, k);
  int64_t mp = roundUp(m, tm), np = roundUp(n, tn);
  int64_t nt = np / tn;

  ImplicitLocOpBuilder b(op.getLoc(), op);
  Type et = b.getF32Type();
  // x as [Mp, K].
  Value x = op.getInput();
  SmallVector<ReassociationIndices> rows = {{}, {}};
  for (int64_t i = 0; i + 1 < xType.getRank(); ++i)
    rows[0].push_back(i);
  rows[1].push_back(xType.getRank() - 1);
  if (xType.getRank() == 1)
    x = tensor::ExpandShapeOp::create(b, RankedTensorType::get({1, k}, et), x,
                                      SmallVector<ReassociationIndices>{{0, 1}});
  else if (xType.getRank() > 2)
    x = tensor::CollapseShapeOp::create(b, x, rows);
  x = padded(b, x, {mp, k});
  // Wᵀ in column tiles [NT, K, C].
  Value w = padded(b, op.getWeight(), {np, k});
  Value wTiles = tensor::ExpandShapeOp::create(
      b, RankedTensorType::get({nt, tn, k}, et), w,
      SmallVector<ReassociationIndices>{{0, 1}, {2}});
  Value wtInit = tensor::EmptyOp::create(b, ArrayRef<int64_t>{nt, k, tn}, et);
  Value wt = linalg::TransposeOp::create(b, wTiles, wtInit,
                                         ArrayRef<int64_t>{0, 2, 1})
                 .getResult()[0];
  Value bias = op.getBias() ? padded(b, op.getBias(), {np}) : Value();
  // x and W both exact in one storage type: a target may multiply in it.
  Type storage = widenedFrom(op.getInput());
  TypeAttr operandType = storage && storage == widenedFrom(op.getWeight())
                             ? TypeAttr::get(storage)
                             : TypeAttr();

  Value xBuf = toBuffer(b, x), wtBuf = toBuffer(b, wt), biasBuf = toBuffer(b, bias);
  Value outBuf = memref::AllocOp::create(b, MemRefType::get({mp, np}, et),
                                         IntegerAttr::get(b.getI64Type(), 64));

  // One task per (row tile, column tile).
  parallelFor(
      b, {idx(b, mp / tm), idx(b, nt)},
      [&](ImplicitLocOpBuilder &b, ValueRange ivs) {
        auto i = [&](int64_t v) -> OpFoldResult { return b.getIndexAttr(v); };
        Value row0 = arith::MulIOp::create(b, ivs[0], idx(b, tm));
        Value col0 = arith::MulIOp::create(b, ivs[1], idx(b, tn));
        Value yTile = tileView(b, outBuf, {row0, col0}, {i(tm), i(tn)});
        Value biasRow =
            biasBuf ? tileView(b, biasBuf, {col0}, {i(tn)}) : Value();
        // y += x[:, k0 : k0 + size] · Wᵀ[k0 : k0 + size, :]; the first chunk
        // starts from the bias instead.
        auto chunk = [&](ImplicitLocOpBuilder &b, Value k0, int64_t size,
                         bool first) {
          Value xTile = tileView(b, xBuf, {row0, k0}, {i(tm), i(size)});
          Value wTile =
              tileView(b, wtBuf, {ivs[1], k0, i(0)}, {i(size), i(tn)});
          TileMatmulOp::create(b, xTile, wTile, yTile,
                               first ? biasRow : Value(), /*accumulate=*/!first,
                               /*skip_masked=*/false, FloatAttr(), operandType);
        };
        int64_t full = k / kc;
        chunk(b, idx(b, 0), kc, /*first=*/true);
        if (full > 1)
          forLoop(b, idx(b, kc), idx(b, full * kc), kc,
                  [&](ImplicitLocOpBuilder &b, Value k0) {
                    chunk(b, k0, kc, /*first=*/false);
                  });
        if (full * kc < k)
          chunk(b, idx(b, full * kc), k - full * kc, /*first=*/false);
      });
  Value result = bufferization::ToTensorOp::create(
      b, RankedTensorType::get({mp, np}, et), outBuf, /*restrict=*/true,
      /*writable=*/true);
  if (mp != m || np != n)
    result = tensor::ExtractSliceOp::create(
        b, RankedTensorType::get({m, n}, et), result, ValueRange{},
        ValueRange{}, ValueRange{}, ArrayRef<int64_t>{0, 0},
        ArrayRef<int64_t>{m, n}, ArrayRef<int64_t>{1, 1});
  if (outType.getRank() == 1)
    result = tensor::CollapseShapeOp::create(
        b, outType, result, SmallVector<ReassociationIndices>{{0, 1}});
  else if (outType.getRank() > 2)
    result = tensor::ExpandShapeOp::create(b, outType, result, rows);
  op.getResult().replaceAllUsesWith(result);
  op.erase();
  return success();
}

struct TesseraTileLinearPass
    : tessera::impl::TesseraTileLinearPassBase<TesseraTileLinearPass> {
  using Base::Base;

  void runOnOperation() override {
    if (tileK <= 0) {
      getOperation().emitError()
          << "tessera-tile-linear: tile-k must be positive";
      return signalPassFailure();
    }
    SmallVector<LinearOp> ops;
    getOperation()->walk([&](LinearOp op) { ops.push_back(op); });
    for (LinearOp op : ops)
      if (failed(lowerLinear(op, tileK)))
        return signalPassFailure();
  }
};

} // namespace
