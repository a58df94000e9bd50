//===- LinearKernel.cpp - Register-blocked linear layers --------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Lowers tessera.linear (y = x·Wᵀ + b) to a tiled, register-blocked kernel:
//
//   W is transposed once into column tiles [N/C, K, C] (contiguous, unit
//   stride along the output columns), C = V vectors;
//   scf.parallel (row tile, column tile)             -> OpenMP
//     for R-row blocks:  R × V vector accumulators, initialised with the
//       bias, for k: V loads of Wᵀ, R broadcasts of x, R·V FMAs; stored
//       with a masked tail when N is not a multiple of the vector width.
//
// The vector width, R and V come from the target (getKernelConfig): the
// largest block whose accumulators, loads and broadcast fit the vector
// registers, so the k loop never spills.
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

/// Rows per parallel task (rounded up to a multiple of the block's rows).
constexpr int64_t kTileRows = 64;

LogicalResult lowerLinear(LinearOp op, const KernelConfig &config,
                          RegisterBlock block) {
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
  const int64_t lanes = config.lanes(), kRowBlock = block.rows,
                nvec = block.vectors, kColTile = nvec * lanes;
  int64_t tm = roundUp(std::min<int64_t>(kTileRows, m), kRowBlock);
  int64_t mp = roundUp(m, tm), np = roundUp(n, kColTile);
  int64_t nt = np / kColTile;

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
  // Wᵀ in column tiles [NT, K, 64].
  Value w = padded(b, op.getWeight(), {np, k});
  Value wTiles = tensor::ExpandShapeOp::create(
      b, RankedTensorType::get({nt, kColTile, k}, et), w,
      SmallVector<ReassociationIndices>{{0, 1}, {2}});
  Value wtInit = tensor::EmptyOp::create(b, ArrayRef<int64_t>{nt, k, kColTile}, et);
  Value wt = linalg::TransposeOp::create(b, wTiles, wtInit,
                                         ArrayRef<int64_t>{0, 2, 1})
                 .getResult()[0];
  Value bias = op.getBias() ? padded(b, op.getBias(), {np}) : Value();

  Value xBuf = toBuffer(b, x), wtBuf = toBuffer(b, wt), biasBuf = toBuffer(b, bias);
  auto out2Type = MemRefType::get({m, n}, et);
  Value outBuf = memref::AllocOp::create(b, out2Type,
                                         IntegerAttr::get(b.getI64Type(), 64));

  // One task per (row tile, column tile).
  Value zero = idx(b, 0), one = idx(b, 1);
  auto par = scf::ParallelOp::create(b, ValueRange{zero, zero},
                                     ValueRange{idx(b, mp / tm), idx(b, nt)},
                                     ValueRange{one, one});
  {
    ImplicitLocOpBuilder pb = ImplicitLocOpBuilder::atBlockBegin(
        op.getLoc(), par.getBody());
    pb.setInsertionPoint(par.getBody()->getTerminator());
    Value mt = par.getInductionVars()[0], ct = par.getInductionVars()[1];
    Value row0 = arith::MulIOp::create(pb, mt, idx(pb, tm));
    Value col0 = arith::MulIOp::create(pb, ct, idx(pb, kColTile));
    forLoop(pb, idx(pb, 0), idx(pb, tm), kRowBlock, [&](ImplicitLocOpBuilder &b, Value rb) {
      SmallVector<Value> rowIdx;
      for (int64_t r = 0; r < kRowBlock; ++r)
        rowIdx.push_back(arith::AddIOp::create(
            b, row0, arith::AddIOp::create(b, rb, idx(b, r))));
      SmallVector<Value> init;
      for (int64_t r = 0; r < kRowBlock; ++r)
        for (int64_t j = 0; j < nvec; ++j)
          init.push_back(
              biasBuf ? vector::LoadOp::create(b, vec(et, lanes), biasBuf,
                                               ValueRange{arith::AddIOp::create(
                                                   b, col0, idx(b, j * lanes))})
                            .getResult()
                      : splat(b, f32(b, 0.0), lanes));
      SmallVector<Value> acc = outerProductBlock(
          b, config, k, init, kRowBlock,
          [&](ImplicitLocOpBuilder &ib, Value kk) {
            SmallVector<Value> wv;
            for (int64_t j = 0; j < nvec; ++j)
              wv.push_back(vector::LoadOp::create(
                  ib, vec(et, lanes), wtBuf,
                  ValueRange{ct, kk, idx(ib, j * lanes)}));
            return wv;
          },
          [&](ImplicitLocOpBuilder &ib, Value kk, int64_t r) -> Value {
            return memref::LoadOp::create(ib, xBuf, ValueRange{rowIdx[r], kk});
          });
      // Store the rows that exist; the last column vector may be partial.
      for (int64_t r = 0; r < kRowBlock; ++r) {
        Value inRange = arith::CmpIOp::create(b, arith::CmpIPredicate::ult,
                                              rowIdx[r], idx(b, m));
        auto ifOp = scf::IfOp::create(b, inRange, /*withElse=*/false);
        ImplicitLocOpBuilder ib = ImplicitLocOpBuilder::atBlockBegin(
            b.getLoc(), ifOp.thenBlock());
        ib.setInsertionPoint(ifOp.thenBlock()->getTerminator());
        for (int64_t j = 0; j < nvec; ++j) {
          Value col = arith::AddIOp::create(ib, col0, idx(ib, j * lanes));
          Value left = arith::SubIOp::create(ib, idx(ib, n), col);
          Value full = arith::CmpIOp::create(ib, arith::CmpIPredicate::sge,
                                             left, idx(ib, lanes));
          Value v = acc[r * nvec + j];
          SmallVector<Value> at = {rowIdx[r], col};
          if (n % lanes == 0) {
            // Whole vectors; only tiles past N are skipped.
            auto store = scf::IfOp::create(ib, full, /*withElse=*/false);
            OpBuilder sb = OpBuilder::atBlockBegin(store.thenBlock());
            sb.setInsertionPoint(store.thenBlock()->getTerminator());
            vector::StoreOp::create(sb, ib.getLoc(), v, outBuf, at);
            continue;
          }
          // Masked store of the first min(left, lanes) lanes (none if
          // left <= 0).
          Value count = arith::MaxSIOp::create(
              ib, idx(ib, 0), arith::MinSIOp::create(ib, left, idx(ib, lanes)));
          Value mask = vector::CreateMaskOp::create(
              ib, VectorType::get({lanes}, ib.getI1Type()), ValueRange{count});
          vector::MaskedStoreOp::create(ib, outBuf, at, mask, v);
        }
      }
    });
  }
  Value out2 = bufferization::ToTensorOp::create(
      b, RankedTensorType::get({m, n}, et), outBuf, /*restrict=*/true,
      /*writable=*/true);
  Value result = out2;
  if (outType.getRank() == 1)
    result = tensor::CollapseShapeOp::create(b, outType, out2,
                                             SmallVector<ReassociationIndices>{{0, 1}});
  else if (outType.getRank() > 2)
    result = tensor::ExpandShapeOp::create(b, outType, out2, rows);
  op.getResult().replaceAllUsesWith(result);
  op.erase();
  return success();
}

struct TesseraTileLinearPass
    : tessera::impl::TesseraTileLinearPassBase<TesseraTileLinearPass> {
  using Base::Base;

  void runOnOperation() override {
    KernelConfig config = getKernelConfig(getOperation());
    if (blockRows < 0 || blockRows > 16 || blockVectors < 0 ||
        blockVectors > 8) {
      getOperation().emitError() << "tessera-tile-linear: block-rows must be "
                                    "in [0, 16] and block-vectors in [0, 8]";
      return signalPassFailure();
    }
    SmallVector<LinearOp> ops;
    getOperation()->walk([&](LinearOp op) { ops.push_back(op); });
    for (LinearOp op : ops) {
      BlockLimits limits;
      limits.maxVectors = 4;
      limits.vectors = blockVectors;
      // A row block past the rows computes padding only.
      int64_t k = cast<ShapedType>(op.getInput().getType()).getShape().back();
      int64_t m =
          k > 0 ? cast<ShapedType>(op.getInput().getType()).getNumElements() / k
                : 1;
      limits.maxRows = std::clamp<int64_t>(m, 1, 8);
      limits.rows = blockRows;
      RegisterBlock block = chooseRegisterBlock(config.registers, limits);
      if (failed(lowerLinear(op, config, block)))
        return signalPassFailure();
    }
  }
};

} // namespace
