//===- LowerTiles.cpp - Tile ops to CPU vector code -------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// The CPU half of the tile-level form: every tessera.tile_* op becomes
// scf/vector code for the module's #tessera.cpu_target. The schedule (the
// loops around the tile ops) is left as it is.
//
//   tile_matmul          outer-product register block: R rows × V vectors
//                        of accumulators, chosen from the vector registers
//   tile_score_mod       the region inlined on vectors
//   tile_add_mask        one select per vector
//   tile_mask            the mask's predicate on vectors of positions
//   tile_online_softmax  two passes per row (maxima, then exponentials), so
//                        no row's scores stay live across exp
//   tile_normalize       one reciprocal per row, the epilogue on vectors,
//                        a masked tail where the columns end mid-vector
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/IR/TesseraOps.h"
#include "tessera/Dialect/Tessera/Transforms/KernelBuilder.h"
#include "tessera/Dialect/Tessera/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

namespace mlir::tessera {
#define GEN_PASS_DEF_TESSERALOWERTILESPASS
#include "tessera/Dialect/Tessera/Transforms/Passes.h.inc"
} // namespace mlir::tessera

using namespace mlir;
using namespace mlir::tessera;
using namespace mlir::tessera::kernel;

namespace {

/// The bit pattern of -0.0f: the probability of a masked score.
constexpr int32_t kMaskedBits = static_cast<int32_t>(0x80000000u);

ArrayRef<int64_t> shapeOf(Value v) {
  return cast<MemRefType>(v.getType()).getShape();
}

class TileLowering {
public:
  TileLowering(const KernelConfig &config, int64_t rows, int64_t vectors)
      : config(config), L(config.lanes()), rowsOverride(rows),
        vectorsOverride(vectors) {}

  /// Only the rows first, first + stride, ... of each output (products:
  /// in register blocks of one row), for one of `stride` threads sharing
  /// the tiles.
  void setRows(Value first, int64_t stride) {
    rowFirst = first;
    rowStride = stride;
  }

  LogicalResult lower(Operation *op) {
    return TypeSwitch<Operation *, LogicalResult>(op)
        .Case([&](TileMatmulOp op) { return lowerMatmul(op); })
        .Case([&](TileScoreModOp op) { return lowerScoreMod(op); })
        .Case([&](TileAddMaskOp op) { return lowerAddMask(op); })
        .Case([&](TileMaskOp op) { return lowerMask(op); })
        .Case([&](TileOnlineSoftmaxOp op) { return lowerSoftmax(op); })
        .Case([&](TileNormalizeOp op) { return lowerNormalize(op); })
        .Default([](Operation *) { return success(); });
  }

private:
  LogicalResult lowerMatmul(TileMatmulOp op);
  LogicalResult lowerScoreMod(TileScoreModOp op);
  LogicalResult lowerAddMask(TileAddMaskOp op);
  LogicalResult lowerMask(TileMaskOp op);
  LogicalResult lowerSoftmax(TileOnlineSoftmaxOp op);
  LogicalResult lowerNormalize(TileNormalizeOp op);

  /// Fails unless `n` columns are whole vectors of the target.
  LogicalResult checkLanes(Operation *op, StringRef what, int64_t n) {
    if (n % L == 0)
      return success();
    return op->emitOpError("cannot be lowered for this target: ")
           << what << " (" << n << ") is not a multiple of the target's " << L
           << " f32 lanes";
  }
  /// Positions p0 + j·L + [0, L) as a vector of i64.
  Value positions(ImplicitLocOpBuilder &b, Value p0, Value j) {
    SmallVector<int64_t> lanes;
    for (int64_t i = 0; i < L; ++i)
      lanes.push_back(i);
    auto vt = vec(b.getI64Type(), L);
    Value iota = arith::ConstantOp::create(
        b, vt, DenseElementsAttr::get(vt, ArrayRef<int64_t>(lanes)));
    Value base = arith::AddIOp::create(b, p0, toI64(b, j));
    return arith::AddIOp::create(b, splat(b, base, L), iota);
  }
  /// tile[r, j·L ..] = fn(r, j·L, tile[r, j·L ..]) for every row r and
  /// vector j of a 2-D tile.
  void updateVectors(
      ImplicitLocOpBuilder &b, Value tile,
      function_ref<Value(ImplicitLocOpBuilder &, Value, Value, Value)> fn) {
    ArrayRef<int64_t> s = shapeOf(tile);
    Type et = b.getF32Type();
    forRows(
        b, idx(b, s[0]), [&](ImplicitLocOpBuilder &b, Value r) {
          forEachVector(b, L, s[1], [&](ImplicitLocOpBuilder &b, Value j) {
            Value x =
                vector::LoadOp::create(b, vec(et, L), tile, ValueRange{r, j});
            vector::StoreOp::create(b, fn(b, r, j, x), tile, ValueRange{r, j});
          });
        });
  }
  /// The elementwise ops of `body` recreated on L-lane vectors, with
  /// `args` (vectors, or scalars that are broadcast) for its arguments.
  Value inlineOnVectors(ImplicitLocOpBuilder &b, Block &body, ValueRange args);

  /// for r in the rows below n (all, or this thread's; see setRows).
  void forRows(ImplicitLocOpBuilder &b, Value n,
               function_ref<void(ImplicitLocOpBuilder &, Value)> fn) {
    forLoop(b, rowFirst ? rowFirst : idx(b, 0), n, rowStride, fn);
  }

  const KernelConfig &config;
  const int64_t L;
  const int64_t rowsOverride, vectorsOverride;
  Value rowFirst;
  int64_t rowStride = 1;
};

Value TileLowering::inlineOnVectors(ImplicitLocOpBuilder &b, Block &body,
                                    ValueRange args) {
  IRMapping map;
  for (auto [arg, v] : llvm::zip(body.getArguments(), args))
    map.map(arg, isa<VectorType>(v.getType()) ? v : splat(b, v, L));
  for (Operation &inner : body.without_terminator()) {
    if (auto cst = dyn_cast<arith::ConstantOp>(inner)) {
      auto vt = vec(cst.getType(), L);
      map.map(cst.getResult(),
              arith::ConstantOp::create(
                  b, vt, DenseElementsAttr::get(vt, cst.getValue())));
      continue;
    }
    OperationState state(b.getLoc(), inner.getName());
    for (Value operand : inner.getOperands())
      state.addOperands(map.lookup(operand));
    for (Type t : inner.getResultTypes())
      state.addTypes(vec(t, L));
    state.addAttributes(inner.getAttrs());
    map.map(inner.getResults(), b.create(state)->getResults());
  }
  return map.lookup(cast<YieldOp>(body.getTerminator()).getValue());
}

/// C[rb + r, j0 + v·L ..] over register blocks of R rows × V vectors: one
/// pass over K per block (outerProductBlock), B's rows loaded as V vectors,
/// A's entries broadcast.
LogicalResult TileLowering::lowerMatmul(TileMatmulOp op) {
  ArrayRef<int64_t> as = shapeOf(op.getA()), bs = shapeOf(op.getB());
  int64_t m = as[0], k = as[1], n = bs[1];
  if (failed(checkLanes(op, "the number of columns", n)))
    return failure();
  if (vectorsOverride && (n / L) % vectorsOverride != 0)
    return op.emitOpError("cannot be lowered: block-vectors ")
           << vectorsOverride << " does not divide the " << n / L
           << " vectors of a row";
  bool skipMasked = op.getSkipMasked();
  BlockLimits limits;
  limits.divides = n / L;
  // Rows need not divide M: the last M mod R rows are one smaller block.
  limits.maxRows = std::clamp<int64_t>(m, 1, 8);
  limits.rows = rowFirst ? 1 : rowsOverride ? std::min(rowsOverride, m) : 0;
  limits.vectors = vectorsOverride;
  // One register for the masked-entry test.
  limits.reserved = skipMasked ? 1 : 0;
  RegisterBlock block = chooseRegisterBlock(config.registers, limits);
  const int64_t rows = block.rows, vectors = block.vectors;

  ImplicitLocOpBuilder b(op.getLoc(), op);
  Type et = b.getF32Type();
  Value a = op.getA(), bm = op.getB(), c = op.getC();
  std::optional<float> scale;
  if (op.getScale())
    scale = op.getScale()->convertToFloat();
  // Accumulate into C's old values directly unless the sum is scaled.
  bool loadC = op.getAccumulate() && !scale;
  auto isMasked = [&](ImplicitLocOpBuilder &ib, Value x) -> Value {
    return arith::CmpIOp::create(
        ib, arith::CmpIPredicate::eq,
        arith::BitcastOp::create(ib, ib.getI32Type(), x),
        arith::ConstantOp::create(ib, ib.getI32IntegerAttr(kMaskedBits)));
  };
  Value bias = op.getBias();
  // One register block of `nr` rows from row rb, for every V vectors.
  auto emitBlock = [&](ImplicitLocOpBuilder &b, Value rb, int64_t nr) {
    forLoop(b, idx(b, 0), idx(b, n), vectors * L,
            [&](ImplicitLocOpBuilder &b, Value j0) {
              SmallVector<SmallVector<Value>> at;
              SmallVector<Value> init;
              for (int64_t r = 0; r < nr; ++r) {
                for (int64_t v = 0; v < vectors; ++v) {
                  at.push_back({arith::AddIOp::create(b, rb, idx(b, r)),
                                arith::AddIOp::create(b, j0, idx(b, v * L))});
                  init.push_back(loadC ? vector::LoadOp::create(b, vec(et, L),
                                                                c, at.back())
                                             .getResult()
                                       : splat(b, f32(b, 0.0), L));
                }
              }
              SmallVector<Value> acc = outerProductBlock(
                  b, config, k, init, nr,
                  [&](ImplicitLocOpBuilder &ib, Value kk) {
                    SmallVector<Value> row;
                    for (int64_t v = 0; v < vectors; ++v)
                      row.push_back(vector::LoadOp::create(
                          ib, vec(et, L), bm,
                          ValueRange{kk, arith::AddIOp::create(
                                             ib, j0, idx(ib, v * L))}));
                    return row;
                  },
                  [&](ImplicitLocOpBuilder &ib, Value kk, int64_t r) -> Value {
                    return memref::LoadOp::create(
                        ib, a,
                        ValueRange{arith::AddIOp::create(ib, rb, idx(ib, r)),
                                   kk});
                  },
                  skipMasked
                      ? function_ref<Value(ImplicitLocOpBuilder &, Value)>(
                            isMasked)
                      : nullptr);
              for (auto [i, res] : llvm::enumerate(acc)) {
                Value x = res;
                if (scale)
                  x = arith::MulFOp::create(b, x, splat(b, f32(b, *scale), L));
                if (op.getAccumulate() && !loadC)
                  x = arith::AddFOp::create(
                      b, vector::LoadOp::create(b, vec(et, L), c, at[i]), x);
                if (bias)
                  x = arith::AddFOp::create(
                      b, x,
                      vector::LoadOp::create(b, vec(et, L), bias,
                                             ValueRange{at[i][1]}));
                vector::StoreOp::create(b, x, c, at[i]);
              }
            });
  };
  if (rowFirst) {
    forRows(b, idx(b, m),
            [&](ImplicitLocOpBuilder &b, Value r) { emitBlock(b, r, 1); });
    op.erase();
    return success();
  }
  int64_t full = m / rows * rows;
  forLoop(b, idx(b, 0), idx(b, full), rows,
          [&](ImplicitLocOpBuilder &b, Value rb) { emitBlock(b, rb, rows); });
  if (full < m)
    emitBlock(b, idx(b, full), m - full);
  op.erase();
  return success();
}

LogicalResult TileLowering::lowerScoreMod(TileScoreModOp op) {
  if (failed(
          checkLanes(op, "the number of columns", shapeOf(op.getScores())[1])))
    return failure();
  ImplicitLocOpBuilder b(op.getLoc(), op);
  updateVectors(
      b, op.getScores(),
      [&](ImplicitLocOpBuilder &b, Value r, Value j, Value x) {
        Value q = arith::IndexCastOp::create(
            b, b.getIndexType(),
            arith::AddIOp::create(b, op.getQ0(), toI64(b, r)));
        Value k = arith::IndexCastOp::create(b, vec(b.getIndexType(), L),
                                             positions(b, op.getK0(), j));
        return inlineOnVectors(b, op.getBody().front(),
                               {x, op.getBatch(), op.getHead(), q, k});
      });
  op.erase();
  return success();
}

LogicalResult TileLowering::lowerAddMask(TileAddMaskOp op) {
  ArrayRef<int64_t> ms = shapeOf(op.getMask());
  if (failed(
          checkLanes(op, "the number of columns", shapeOf(op.getScores())[1])))
    return failure();
  ImplicitLocOpBuilder b(op.getLoc(), op);
  Type et = b.getF32Type();
  Value mask = op.getMask();
  updateVectors(
      b, op.getScores(),
      [&](ImplicitLocOpBuilder &b, Value r, Value j, Value x) {
        Value mr = ms[0] == 1 ? idx(b, 0) : r;
        Value add =
            ms[1] == 1
                ? splat(b,
                        memref::LoadOp::create(b, mask,
                                               ValueRange{mr, idx(b, 0)}),
                        L)
                : vector::LoadOp::create(b, vec(et, L), mask, ValueRange{mr, j})
                      .getResult();
        // A -inf entry masks the key whatever its score (even NaN).
        Value ninf = splat(b, f32(b, -INFINITY), L);
        Value masked =
            arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, add, ninf);
        return arith::SelectOp::create(b, masked, ninf,
                                       arith::AddFOp::create(b, x, add))
            .getResult();
      });
  op.erase();
  return success();
}

LogicalResult TileLowering::lowerMask(TileMaskOp op) {
  if (failed(
          checkLanes(op, "the number of columns", shapeOf(op.getScores())[1])))
    return failure();
  ImplicitLocOpBuilder b(op.getLoc(), op);
  auto mask = op.getMask() ? cast<MaskAttrInterface>(*op.getMask())
                           : MaskAttrInterface();
  std::optional<int64_t> numKeys;
  if (IntegerAttr attr = op.getNumKeysAttr())
    numKeys = attr.getInt();
  updateVectors(
      b, op.getScores(),
      [&](ImplicitLocOpBuilder &b, Value r, Value j, Value x) {
        Value qv =
            splat(b, arith::AddIOp::create(b, op.getQ0(), toI64(b, r)), L);
        Value kv = positions(b, op.getK0(), j);
        Value allowed;
        if (mask)
          allowed = mask.buildAllowed(b, b.getLoc(), qv, kv);
        if (numKeys) {
          auto vt = vec(b.getI64Type(), L);
          Value end = arith::ConstantOp::create(
              b, vt, DenseElementsAttr::get(vt, b.getI64IntegerAttr(*numKeys)));
          Value inRange =
              arith::CmpIOp::create(b, arith::CmpIPredicate::slt, kv, end);
          allowed = allowed
                        ? arith::AndIOp::create(b, allowed, inRange).getResult()
                        : inRange;
        }
        return arith::SelectOp::create(b, allowed, x,
                                       splat(b, f32(b, -INFINITY), L))
            .getResult();
      });
  op.erase();
  return success();
}

LogicalResult TileLowering::lowerSoftmax(TileOnlineSoftmaxOp op) {
  ArrayRef<int64_t> s = shapeOf(op.getScores());
  int64_t dv = shapeOf(op.getAcc())[1];
  if (failed(checkLanes(op, "the number of columns", s[1])) ||
      failed(checkLanes(op, "the accumulator's columns", dv)))
    return failure();
  const int64_t m = s[0], nv = s[1] / L;
  if (nv == 0) {
    // No scores: the maxima, sums and accumulator stay as they are.
    op.erase();
    return success();
  }
  Type et = Float32Type::get(op.getContext());
  // The per-row rescaling factors live in the function's frame (an alloca
  // inside the loops would grow the stack on every iteration).
  auto func = op->getParentOfType<FunctionOpInterface>();
  if (!rowFirst && (!func || func.getFunctionBody().empty()))
    return op.emitOpError("cannot be lowered outside a function");
  // One thread of several (setRows) takes each of its rows in one go.
  Value alphaBuf;
  if (!rowFirst) {
    ImplicitLocOpBuilder fb = ImplicitLocOpBuilder::atBlockBegin(
        op.getLoc(), &func.getFunctionBody().front());
    alphaBuf = memref::AllocaOp::create(fb, MemRefType::get({m}, et));
  }

  ImplicitLocOpBuilder b(op.getLoc(), op);
  Value sBuf = op.getScores(), mBuf = op.getMax(), lBuf = op.getSum(),
        accBuf = op.getAcc();
  // Two passes over the rows: the new maxima first, then the exponentials
  // reading the scores again, so no row's score vectors stay live across
  // the exp polynomial (they would spill).
  auto maxima = [&](ImplicitLocOpBuilder &b, Value r) -> Value {
    Value mx;
    for (int64_t j = 0; j < nv; ++j) {
      Value sj = vector::LoadOp::create(b, vec(et, L), sBuf,
                                        ValueRange{r, idx(b, j * L)});
      mx = mx ? selectMax(b, sj, mx) : sj;
    }
    // One max instruction per vector: a NaN score is either skipped or
    // becomes the maximum, and reaches the output through exp(s - max)
    // either way.
    Value tileMax =
        reduceTree(b, mx, [](ImplicitLocOpBuilder &b, Value x, Value y) {
          return selectMax(b, x, y);
        });
    Value mOld = memref::LoadOp::create(b, mBuf, ValueRange{r});
    Value mNew = arith::MaxNumFOp::create(b, mOld, tileMax);
    // A row with nothing allowed so far keeps max = -inf; subtract 0 then.
    Value isNinf = arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, mNew,
                                         f32(b, -INFINITY));
    Value mSafe = arith::SelectOp::create(b, isNinf, f32(b, 0.0), mNew);
    Value alpha = math::ExpOp::create(b, arith::SubFOp::create(b, mOld, mSafe));
    memref::StoreOp::create(b, mNew, mBuf, ValueRange{r});
    return alpha;
  };
  auto exponentials = [&](ImplicitLocOpBuilder &b, Value r,
                          function_ref<Value(ImplicitLocOpBuilder &)> alphaOf) {
    Value mNew = memref::LoadOp::create(b, mBuf, ValueRange{r});
    Value isNinf = arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, mNew,
                                         f32(b, -INFINITY));
    Value mSafe = arith::SelectOp::create(b, isNinf, f32(b, 0.0), mNew);
    Value alpha = alphaOf(b);
    Value mSafeV = splat(b, mSafe, L);
    Value sum;
    // Masked scores give exactly -0.0: the vectorised exp returns tiny
    // subnormal values far below its range, which would make every P·V FMA
    // of a partially masked tile take a slow microcode path; the sign marks
    // the entry for P·V to skip (exp never returns -0.0).
    Value ninfV = splat(b, f32(b, -INFINITY), L);
    Value negZeroV = splat(b, f32(b, -0.0), L);
    for (int64_t j = 0; j < nv; ++j) {
      Value sj = vector::LoadOp::create(b, vec(et, L), sBuf,
                                        ValueRange{r, idx(b, j * L)});
      Value e = math::ExpOp::create(b, arith::SubFOp::create(b, sj, mSafeV));
      Value masked =
          arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, sj, ninfV);
      Value pj = arith::SelectOp::create(b, masked, negZeroV, e);
      vector::StoreOp::create(b, pj, sBuf, ValueRange{r, idx(b, j * L)});
      sum = sum ? arith::AddFOp::create(b, sum, pj).getResult() : pj;
    }
    Value tileSum =
        reduceTree(b, sum, [](ImplicitLocOpBuilder &b, Value x, Value y) {
          return arith::AddFOp::create(b, x, y);
        });
    Value lOld = memref::LoadOp::create(b, lBuf, ValueRange{r});
    Value lNew = arith::AddFOp::create(b, arith::MulFOp::create(b, lOld, alpha),
                                       tileSum);
    memref::StoreOp::create(b, lNew, lBuf, ValueRange{r});
    Value alphaV = splat(b, alpha, L);
    forEachVector(b, L, dv, [&](ImplicitLocOpBuilder &b, Value e) {
      Value acc =
          vector::LoadOp::create(b, vec(et, L), accBuf, ValueRange{r, e});
      vector::StoreOp::create(b, arith::MulFOp::create(b, acc, alphaV), accBuf,
                              ValueRange{r, e});
    });
  };
  if (rowFirst) {
    forRows(b, idx(b, m), [&](ImplicitLocOpBuilder &b, Value r) {
      Value alpha = maxima(b, r);
      exponentials(b, r, [&](ImplicitLocOpBuilder &) { return alpha; });
    });
  } else {
    forRows(b, idx(b, m), [&](ImplicitLocOpBuilder &b, Value r) {
      memref::StoreOp::create(b, maxima(b, r), alphaBuf, ValueRange{r});
    });
    forRows(b, idx(b, m), [&](ImplicitLocOpBuilder &b, Value r) {
      exponentials(b, r, [&](ImplicitLocOpBuilder &b) -> Value {
        return memref::LoadOp::create(b, alphaBuf, ValueRange{r});
      });
    });
  }
  op.erase();
  return success();
}

LogicalResult TileLowering::lowerNormalize(TileNormalizeOp op) {
  ArrayRef<int64_t> accShape = shapeOf(op.getAcc()),
                    outShape = shapeOf(op.getOut());
  if (failed(checkLanes(op, "the accumulator's columns", accShape[1])))
    return failure();
  ImplicitLocOpBuilder b(op.getLoc(), op);
  Type et = b.getF32Type();
  Value out = op.getOut();
  // Rows past acc's (a dynamic output tile larger than it) are not
  // written.
  Value rows = ShapedType::isDynamic(outShape[0])
                   ? arith::MinSIOp::create(b, memref::DimOp::create(b, out, 0),
                                            idx(b, accShape[0]))
                         .getResult()
                   : idx(b, outShape[0]);
  const int64_t cols = outShape[1];
  Block *epilogue =
      op.getEpilogue().empty() ? nullptr : &op.getEpilogue().front();
  forRows(b, rows, [&](ImplicitLocOpBuilder &b, Value r) {
    Value l = memref::LoadOp::create(b, op.getSum(), ValueRange{r});
    Value isZero =
        arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, l, f32(b, 0.0));
    Value inv = arith::SelectOp::create(
        b, isZero, f32(b, 0.0), arith::DivFOp::create(b, f32(b, 1.0), l));
    Value invV = splat(b, inv, L);
    auto store = [&](ImplicitLocOpBuilder &b, Value e, Value tail) {
      SmallVector<Value> at = {r, e};
      auto load = [&](Value buf) -> Value {
        if (tail)
          return vector::MaskedLoadOp::create(b, vec(et, L), buf, at, tail,
                                              splat(b, f32(b, 0.0), L));
        return vector::LoadOp::create(b, vec(et, L), buf, at);
      };
      Value acc = vector::LoadOp::create(b, vec(et, L), op.getAcc(), at);
      Value o = arith::MulFOp::create(b, acc, invV);
      if (epilogue) {
        SmallVector<Value> args = {o};
        for (Value in : op.getInputs())
          args.push_back(load(in));
        o = inlineOnVectors(b, *epilogue, args);
      }
      if (tail)
        vector::MaskedStoreOp::create(b, out, at, tail, o);
      else
        vector::StoreOp::create(b, o, out, at);
    };
    int64_t full = cols / L * L;
    forEachVector(b, L, full, [&](ImplicitLocOpBuilder &b, Value e) {
      store(b, e, Value());
    });
    if (full < cols)
      store(b, idx(b, full),
            vector::ConstantMaskOp::create(b,
                                           VectorType::get({L}, b.getI1Type()),
                                           ArrayRef<int64_t>{cols - full}));
  });
  op.erase();
  return success();
}

struct TesseraLowerTilesPass
    : tessera::impl::TesseraLowerTilesPassBase<TesseraLowerTilesPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (blockRows < 0 || blockRows > 16 || blockVectors < 0 ||
        blockVectors > 16) {
      module.emitError() << "tessera-lower-tiles: block-rows and "
                            "block-vectors must be in [0, 16]";
      return signalPassFailure();
    }
    KernelConfig config = getKernelConfig(module);
    TileLowering lowering(config, blockRows, blockVectors);
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (isa<TileMatmulOp, TileScoreModOp, TileAddMaskOp, TileMaskOp,
              TileOnlineSoftmaxOp, TileNormalizeOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops)
      if (failed(lowering.lower(op)))
        return signalPassFailure();
  }
};

} // namespace

LogicalResult mlir::tessera::kernel::lowerTileOpRows(Operation *op,
                                                     const KernelConfig &config,
                                                     Value first,
                                                     int64_t stride) {
  TileLowering lowering(config, /*rows=*/0, /*vectors=*/0);
  lowering.setRows(first, stride);
  return lowering.lower(op);
}
