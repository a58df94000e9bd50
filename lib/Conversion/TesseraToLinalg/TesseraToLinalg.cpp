//===- TesseraToLinalg.cpp - Lower tessera ops to linalg --------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#include "tessera/Conversion/TesseraToLinalg/TesseraToLinalg.h"
#include "tessera/Dialect/Tessera/IR/LinalgBuilder.h"
#include "tessera/Dialect/Tessera/IR/TesseraOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::tessera {
#define GEN_PASS_DEF_CONVERTTESSERATOLINALGPASS
#include "tessera/Conversion/Passes.h.inc"
} // namespace mlir::tessera

using namespace mlir;
using namespace mlir::tessera;

namespace {

ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}
Type elementTypeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getElementType();
}

Value sigmoidTimes(OpBuilder &b, Location loc, Value x, Value factor) {
  // x·σ(x) written as x / (1 + exp(-x)); `factor` multiplies the result.
  Type t = x.getType();
  Value one = arith::ConstantOp::create(b, loc, t, b.getFloatAttr(t, 1.0));
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  Value s = arith::DivFOp::create(b, loc, x,
                                  arith::AddFOp::create(b, loc, one, e));
  return factor ? arith::MulFOp::create(b, loc, s, factor).getResult() : s;
}

//===----------------------------------------------------------------------===//
// Linear and normalisation
//===----------------------------------------------------------------------===//

struct LinearLowering : OpRewritePattern<LinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LinearOp op,
                                PatternRewriter &rewriter) const override {
    GenericBuilder g(rewriter, op.getLoc());
    ArrayRef<int64_t> outShape = shapeOf(op.getResult());
    Type et = elementTypeOf(op.getResult());
    unsigned rank = outShape.size(); // loops: lead..., n, k
    SmallVector<unsigned> outDims = GenericBuilder::iota(rank);
    Value init;
    if (Value bias = op.getBias()) {
      init = g.generic(rank, {}, {bias}, {{rank - 1}}, {g.empty(outShape, et)},
                       {outDims},
                       [](OpBuilder &, Location, ValueRange a) {
                         return SmallVector<Value>{a[0]};
                       })[0];
    } else {
      init = g.filled(outShape, et, 0.0);
    }
    SmallVector<unsigned> xDims = GenericBuilder::iota(rank - 1);
    xDims.push_back(rank);
    auto fm = g.fastMath();
    Value result = g.generic(
        rank + 1, {rank}, {op.getInput(), op.getWeight()},
        {xDims, {rank - 1, rank}}, {init}, {outDims},
        [&](OpBuilder &b, Location loc, ValueRange a) {
          Value p = arith::MulFOp::create(b, loc, a[0], a[1], fm);
          return SmallVector<Value>{arith::AddFOp::create(b, loc, a[2], p, fm)};
        })[0];
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Σ over the last dimension of f(x, per-row values).
Value rowSum(GenericBuilder &g, Value x, ValueRange rowValues,
             function_ref<Value(OpBuilder &, Location, Value, ValueRange)> f) {
  ArrayRef<int64_t> shape = shapeOf(x);
  unsigned rank = shape.size();
  Type et = elementTypeOf(x);
  SmallVector<unsigned> rowDims = GenericBuilder::iota(rank - 1);
  SmallVector<Value> inputs = {x};
  SmallVector<SmallVector<unsigned>> inDims = {GenericBuilder::iota(rank)};
  for (Value v : rowValues) {
    inputs.push_back(v);
    inDims.push_back(rowDims);
  }
  auto fm = g.fastMath();
  return g.generic(rank, {rank - 1}, inputs, inDims,
                   {g.filled(shape.drop_back(), et, 0.0)}, {rowDims},
                   [&](OpBuilder &b, Location loc, ValueRange a) {
                     Value v = f(b, loc, a[0], a.slice(1, rowValues.size()));
                     return SmallVector<Value>{
                         arith::AddFOp::create(b, loc, a.back(), v, fm)};
                   })[0];
}

/// rsqrt(sq / C + eps), per row.
Value invRms(OpBuilder &b, Location loc, GenericBuilder &g, Value sq,
             double invC, double eps) {
  Type et = sq.getType();
  Value var = arith::MulFOp::create(b, loc, sq, g.constant(invC, et));
  return math::RsqrtOp::create(
      b, loc, arith::AddFOp::create(b, loc, var, g.constant(eps, et)));
}

/// y = ((x - shift?) - offset?) · scale · weight? + bias?, where shift,
/// offset and scale are per row and weight and bias per channel.
Value normalize(GenericBuilder &g, Value x, Value shift, Value offset,
                Value scale, Value weight, Value bias) {
  ArrayRef<int64_t> shape = shapeOf(x);
  unsigned rank = shape.size();
  SmallVector<unsigned> all = GenericBuilder::iota(rank);
  SmallVector<unsigned> rowDims = GenericBuilder::iota(rank - 1);
  SmallVector<Value> inputs = {x, scale};
  SmallVector<SmallVector<unsigned>> inDims = {all, rowDims};
  for (auto [v, perRow] : {std::pair<Value, bool>{shift, true},
                           {offset, true},
                           {weight, false},
                           {bias, false}}) {
    if (!v)
      continue;
    inputs.push_back(v);
    inDims.push_back(perRow ? rowDims : SmallVector<unsigned>{rank - 1});
  }
  return g.generic(
      rank, {}, inputs, inDims, {g.empty(shape, elementTypeOf(x))}, {all},
      [&](OpBuilder &b, Location loc, ValueRange a) {
        unsigned next = 2;
        Value y = a[0];
        if (shift)
          y = arith::SubFOp::create(b, loc, y, a[next++]);
        if (offset)
          y = arith::SubFOp::create(b, loc, y, a[next++]);
        y = arith::MulFOp::create(b, loc, y, a[1]);
        if (weight)
          y = arith::MulFOp::create(b, loc, y, a[next++]);
        if (bias)
          y = arith::AddFOp::create(b, loc, y, a[next++]);
        return SmallVector<Value>{y};
      })[0];
}

struct LayerNormLowering : OpRewritePattern<LayerNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LayerNormOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    GenericBuilder g(rewriter, loc);
    Value x = op.getInput();
    ArrayRef<int64_t> shape = shapeOf(x);
    Type et = elementTypeOf(x);
    unsigned rank = shape.size();
    double invC = 1.0 / static_cast<double>(shape.back());
    double eps = op.getEpsilon().convertToDouble();
    // Shifted two-pass moments. With K the row's first element and
    // o = Σ(x - K)/C, the mean is K + o and
    //   y = ((x - K) - o) · rsqrt(Σ((x - K) - o)² / C + eps).
    // Every term is of the size of the row's spread, not of its mean, so a
    // large mean (x ≈ 1e4 ± 1) costs no accuracy: x - mean is never formed
    // from a mean rounded to f32.
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0)), sizes,
        strides(rank, rewriter.getIndexAttr(1));
    for (int64_t d : shape)
      sizes.push_back(rewriter.getIndexAttr(d));
    sizes.back() = rewriter.getIndexAttr(1);
    Value shift = tensor::ExtractSliceOp::create(
        rewriter, loc, RankedTensorType::get(shape.drop_back(), et), x,
        offsets, sizes, strides);
    auto offsetOf = [&](OpBuilder &b, Location l, Value shiftedSum) {
      return arith::MulFOp::create(b, l, shiftedSum, g.constant(invC, et))
          .getResult();
    };
    Value sum = rowSum(g, x, {shift}, [](OpBuilder &b, Location l, Value v,
                                         ValueRange r) {
      return arith::SubFOp::create(b, l, v, r[0]).getResult();
    });
    Value sq = rowSum(g, x, {shift, sum}, [&](OpBuilder &b, Location l,
                                             Value v, ValueRange r) {
      Value d = arith::SubFOp::create(
          b, l, arith::SubFOp::create(b, l, v, r[0]), offsetOf(b, l, r[1]));
      return arith::MulFOp::create(b, l, d, d).getResult();
    });
    // The per-row offset and scale come from one two-result generic: with
    // two uses it is not fused back into the elementwise pass
    // (linalg-fuse-elementwise-ops fuses single-use producers), so the
    // rsqrt runs once per row, not once per element.
    SmallVector<unsigned> rowDims = GenericBuilder::iota(rank - 1);
    SmallVector<Value> stats = g.generic(
        rank - 1, {}, {sum, sq}, {rowDims, rowDims},
        {g.empty(shape.drop_back(), et), g.empty(shape.drop_back(), et)},
        {rowDims, rowDims}, [&](OpBuilder &b, Location l, ValueRange a) {
          return SmallVector<Value>{offsetOf(b, l, a[0]),
                                    invRms(b, l, g, a[1], invC, eps)};
        });
    rewriter.replaceOp(op, normalize(g, x, shift, stats[0], stats[1],
                                     op.getWeight(), op.getBias()));
    return success();
  }
};

struct RMSNormLowering : OpRewritePattern<RMSNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RMSNormOp op,
                                PatternRewriter &rewriter) const override {
    GenericBuilder g(rewriter, op.getLoc());
    Value x = op.getInput();
    ArrayRef<int64_t> shape = shapeOf(x);
    double invC = 1.0 / static_cast<double>(shape.back());
    double eps = op.getEpsilon().convertToDouble();
    Value sq = rowSum(g, x, {}, [](OpBuilder &b, Location loc, Value v,
                                   ValueRange) {
      return arith::MulFOp::create(b, loc, v, v).getResult();
    });
    Value scale = g.elementwise(
        {sq}, shape.drop_back(), elementTypeOf(x),
        [&](OpBuilder &b, Location l, ValueRange a) {
          return invRms(b, l, g, a[0], invC, eps);
        });
    rewriter.replaceOp(op, normalize(g, x, Value(), Value(), scale,
                                     op.getWeight(), Value()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Activations and modulation
//===----------------------------------------------------------------------===//

struct GeluLowering : OpRewritePattern<GeluOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GeluOp op,
                                PatternRewriter &rewriter) const override {
    GenericBuilder g(rewriter, op.getLoc());
    Type et = elementTypeOf(op.getInput());
    bool useTanh = op.getApproximate() == GeluApproximation::tanh;
    Value y = g.elementwise(
        {op.getInput()}, shapeOf(op.getInput()), et,
        [&](OpBuilder &b, Location loc, ValueRange a) {
          Value x = a[0];
          Value t;
          if (useTanh) {
            Value x3 = arith::MulFOp::create(
                b, loc, arith::MulFOp::create(b, loc, x, x), x);
            Value inner = arith::AddFOp::create(
                b, loc, x,
                arith::MulFOp::create(b, loc, x3, g.constant(0.044715, et)));
            t = math::TanhOp::create(
                b, loc,
                arith::MulFOp::create(b, loc, inner,
                                      g.constant(std::sqrt(2.0 / M_PI), et)));
          } else {
            t = math::ErfOp::create(
                b, loc, arith::MulFOp::create(b, loc, x,
                                              g.constant(M_SQRT1_2, et)));
          }
          Value onePlus = arith::AddFOp::create(b, loc, t, g.constant(1.0, et));
          Value half = arith::MulFOp::create(b, loc, x, g.constant(0.5, et));
          return arith::MulFOp::create(b, loc, half, onePlus).getResult();
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

struct SiluLowering : OpRewritePattern<SiluOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SiluOp op,
                                PatternRewriter &rewriter) const override {
    GenericBuilder g(rewriter, op.getLoc());
    rewriter.replaceOp(
        op, g.elementwise({op.getInput()}, shapeOf(op.getInput()),
                          elementTypeOf(op.getInput()),
                          [](OpBuilder &b, Location loc, ValueRange a) {
                            return sigmoidTimes(b, loc, a[0], Value());
                          }));
    return success();
  }
};

struct SwiGLULowering : OpRewritePattern<SwiGLUOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SwiGLUOp op,
                                PatternRewriter &rewriter) const override {
    GenericBuilder g(rewriter, op.getLoc());
    rewriter.replaceOp(
        op, g.elementwise({op.getGate(), op.getUp()}, shapeOf(op.getGate()),
                          elementTypeOf(op.getGate()),
                          [](OpBuilder &b, Location loc, ValueRange a) {
                            return sigmoidTimes(b, loc, a[0], a[1]);
                          }));
    return success();
  }
};

struct ModulateLowering : OpRewritePattern<ModulateOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ModulateOp op,
                                PatternRewriter &rewriter) const override {
    GenericBuilder g(rewriter, op.getLoc());
    ArrayRef<int64_t> shape = shapeOf(op.getInput());
    Type et = elementTypeOf(op.getInput());
    unsigned rank = shape.size();
    SmallVector<unsigned> all = GenericBuilder::iota(rank);
    SmallVector<unsigned> param = {0, rank - 1};
    Value y = g.generic(
        rank, {}, {op.getInput(), op.getShift(), op.getScale()},
        {all, param, param}, {g.empty(shape, et)}, {all},
        [&](OpBuilder &b, Location loc, ValueRange a) {
          Value s = arith::AddFOp::create(b, loc, a[2], g.constant(1.0, et));
          Value y = arith::MulFOp::create(b, loc, a[0], s);
          return SmallVector<Value>{arith::AddFOp::create(b, loc, y, a[1])};
        })[0];
    rewriter.replaceOp(op, y);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Positional embeddings
//===----------------------------------------------------------------------===//

/// exp(-ln(base) · i / denom) in f64, i an index value.
Value inverseFrequency(OpBuilder &b, Location loc, Value i, double base,
                       double denom) {
  Type f64 = b.getF64Type();
  Value fi = arith::UIToFPOp::create(
      b, loc, f64, arith::IndexCastUIOp::create(b, loc, b.getI64Type(), i));
  Value c = arith::ConstantOp::create(
      b, loc, f64, b.getFloatAttr(f64, -std::log(base) / denom));
  return math::ExpOp::create(b, loc, arith::MulFOp::create(b, loc, fi, c));
}

struct RoPELowering : OpRewritePattern<RoPEOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RoPEOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    GenericBuilder g(rewriter, loc);
    Value x = op.getInput();
    ArrayRef<int64_t> shape = shapeOf(x);
    Type et = elementTypeOf(x);
    unsigned rank = shape.size();
    int64_t d = shape.back(), half = d / 2;
    bool interleaved = op.getInterleaved();

    // View the channels as [half, 2] (interleaved) or [2, half] (halves).
    SmallVector<int64_t> pairShape(shape.drop_back());
    if (interleaved)
      pairShape.append({half, 2});
    else
      pairShape.append({2, half});
    SmallVector<ReassociationIndices> reassoc;
    for (unsigned i = 0; i + 1 < rank; ++i)
      reassoc.push_back({i});
    reassoc.push_back({rank - 1, rank});
    auto pairType = RankedTensorType::get(pairShape, et);
    Value pairs =
        tensor::ExpandShapeOp::create(rewriter, loc, pairType, x, reassoc);

    SmallVector<int64_t> halfShape(shape.drop_back());
    halfShape.push_back(half);
    auto halfType = RankedTensorType::get(halfShape, et);
    unsigned pairDim = interleaved ? rank : rank - 1;
    auto sliceParams = [&](int64_t which) {
      SmallVector<OpFoldResult> offsets(rank + 1, rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes, strides(rank + 1,
                                               rewriter.getIndexAttr(1));
      for (int64_t s : pairShape)
        sizes.push_back(rewriter.getIndexAttr(s));
      offsets[pairDim] = rewriter.getIndexAttr(which);
      sizes[pairDim] = rewriter.getIndexAttr(1);
      return std::make_tuple(offsets, sizes, strides);
    };
    SmallVector<Value> parts;
    for (int64_t which : {0, 1}) {
      auto [offsets, sizes, strides] = sliceParams(which);
      parts.push_back(tensor::ExtractSliceOp::create(
          rewriter, loc, halfType, pairs, offsets, sizes, strides));
    }

    double theta = op.getTheta().convertToDouble();
    double offset = static_cast<double>(op.getPositionOffset());
    SmallVector<unsigned> all = GenericBuilder::iota(rank);
    SmallVector<Value> rotated = g.generic(
        rank, {}, parts, {all, all},
        {g.empty(halfShape, et), g.empty(halfShape, et)}, {all, all},
        [&](OpBuilder &b, Location l, ValueRange a) {
          Type f64 = b.getF64Type();
          Value s = linalg::IndexOp::create(b, l, rank - 2);
          Value i = linalg::IndexOp::create(b, l, rank - 1);
          Value pos = arith::AddFOp::create(
              b, l,
              arith::UIToFPOp::create(
                  b, l, f64,
                  arith::IndexCastUIOp::create(b, l, b.getI64Type(), s)),
              arith::ConstantOp::create(b, l, f64,
                                        b.getFloatAttr(f64, offset)));
          Value angle = arith::MulFOp::create(
              b, l, pos,
              inverseFrequency(b, l, i, theta, static_cast<double>(half)));
          Value c = arith::TruncFOp::create(b, l, et,
                                            math::CosOp::create(b, l, angle));
          Value sn = arith::TruncFOp::create(b, l, et,
                                             math::SinOp::create(b, l, angle));
          Value ya = arith::SubFOp::create(
              b, l, arith::MulFOp::create(b, l, a[0], c),
              arith::MulFOp::create(b, l, a[1], sn));
          Value yb = arith::AddFOp::create(
              b, l, arith::MulFOp::create(b, l, a[1], c),
              arith::MulFOp::create(b, l, a[0], sn));
          return SmallVector<Value>{ya, yb};
        });

    Value out = g.empty(pairShape, et);
    for (int64_t which : {0, 1}) {
      auto [offsets, sizes, strides] = sliceParams(which);
      out = tensor::InsertSliceOp::create(rewriter, loc, rotated[which], out,
                                          offsets, sizes, strides);
    }
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(
        op, op.getResult().getType(), out, reassoc);
    return success();
  }
};

struct TimestepEmbeddingLowering : OpRewritePattern<TimestepEmbeddingOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TimestepEmbeddingOp op,
                                PatternRewriter &rewriter) const override {
    GenericBuilder g(rewriter, op.getLoc());
    ArrayRef<int64_t> shape = shapeOf(op.getResult());
    Type et = elementTypeOf(op.getResult());
    int64_t half = shape[1] / 2;
    double maxPeriod = op.getMaxPeriod().convertToDouble();
    double denom = static_cast<double>(half) -
                   op.getDownscaleFreqShift().convertToDouble();
    double scale = op.getScale().convertToDouble();
    bool cosFirst = op.getFlipSinToCos();
    Value y = g.generic(
        2, {}, {op.getTimesteps()}, {{0}}, {g.empty(shape, et)}, {{0, 1}},
        [&](OpBuilder &b, Location l, ValueRange a) {
          Type f64 = b.getF64Type();
          Value j = linalg::IndexOp::create(b, l, 1);
          Value halfIdx = arith::ConstantIndexOp::create(b, l, half);
          Value firstHalf = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::ult, j, halfIdx);
          Value i = arith::SelectOp::create(
              b, l, firstHalf, j, arith::SubIOp::create(b, l, j, halfIdx));
          Value t = arith::ExtFOp::create(b, l, f64, a[0]);
          if (scale != 1.0)
            t = arith::MulFOp::create(
                b, l, t,
                arith::ConstantOp::create(b, l, f64,
                                          b.getFloatAttr(f64, scale)));
          Value arg = arith::MulFOp::create(
              b, l, t, inverseFrequency(b, l, i, maxPeriod, denom));
          Value cos = math::CosOp::create(b, l, arg);
          Value sin = math::SinOp::create(b, l, arg);
          Value v = arith::SelectOp::create(b, l, firstHalf,
                                            cosFirst ? cos : sin,
                                            cosFirst ? sin : cos);
          // The padding column of an odd dimension is zero.
          Value inRange = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::ult, j,
              arith::ConstantIndexOp::create(b, l, 2 * half));
          v = arith::SelectOp::create(
              b, l, inRange, v,
              arith::ConstantOp::create(b, l, f64, b.getFloatAttr(f64, 0.0)));
          return SmallVector<Value>{arith::TruncFOp::create(b, l, et, v)};
        })[0];
    rewriter.replaceOp(op, y);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// KV cache
//===----------------------------------------------------------------------===//

/// insert_slice at the offset clamped into [0, Smax - Snew].
struct KVCacheUpdateLowering : OpRewritePattern<KVCacheUpdateOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(KVCacheUpdateOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ArrayRef<int64_t> cache = shapeOf(op.getCache()),
                      update = shapeOf(op.getUpdate());
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value last =
        arith::ConstantIndexOp::create(rewriter, loc, cache[2] - update[2]);
    Value offset = arith::MaxSIOp::create(
        rewriter, loc, zero,
        arith::MinSIOp::create(rewriter, loc, op.getOffset(), last));
    SmallVector<OpFoldResult> offsets = {rewriter.getIndexAttr(0),
                                         rewriter.getIndexAttr(0), offset,
                                         rewriter.getIndexAttr(0)};
    SmallVector<OpFoldResult> sizes, strides(4, rewriter.getIndexAttr(1));
    for (int64_t d : update)
      sizes.push_back(rewriter.getIndexAttr(d));
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(
        op, op.getUpdate(), op.getCache(), offsets, sizes, strides);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

struct ConvertTesseraToLinalgPass
    : tessera::impl::ConvertTesseraToLinalgPassBase<ConvertTesseraToLinalgPass> {
  void runOnOperation() override {
    // Reject what the patterns cannot lower before rewriting anything.
    WalkResult check = getOperation()->walk([](Operation *op) {
      if (!isa<TesseraDialect>(op->getDialect()) || isa<AttentionOp>(op) ||
          op->getParentOfType<AttentionOp>())
        return WalkResult::advance();
      for (Type t : llvm::concat<Type>(op->getOperandTypes(),
                                        op->getResultTypes())) {
        auto tensor = dyn_cast<RankedTensorType>(t);
        if (!tensor)
          continue;
        if (!tensor.hasStaticShape()) {
          op->emitOpError("cannot be lowered: dynamic shape ")
              << t << " is not supported yet";
          return WalkResult::interrupt();
        }
        if (!tensor.getElementType().isF32()) {
          op->emitOpError("cannot be lowered: element type ")
              << tensor.getElementType()
              << " is not supported yet (only f32 is)";
          return WalkResult::interrupt();
        }
      }
      // tessera-lower-moe lowers every static f32 tessera.moe.
      if (isa<MoEOp>(op)) {
        op->emitOpError("is lowered by tessera-lower-moe, which must run "
                        "before convert-tessera-to-linalg");
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (check.wasInterrupted())
      return signalPassFailure();

    RewritePatternSet patterns(&getContext());
    populateTesseraToLinalgPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    WalkResult left = getOperation()->walk([](Operation *op) {
      if (!isa<TesseraDialect>(op->getDialect()))
        return WalkResult::advance();
      // Left to the target (the CUDA pipeline lowers them after
      // bufferization), with the terminators of their regions.
      auto isTileOp = [](Operation *op) {
        return isa<TileMatmulOp, TileScoreModOp, TileAddMaskOp, TileMaskOp,
                   TileOnlineSoftmaxOp, TileNormalizeOp>(op);
      };
      if (isTileOp(op) || (isa<YieldOp>(op) && isTileOp(op->getParentOp())))
        return WalkResult::advance();
      if (isa<AttentionOp>(op)) {
        op->emitOpError("is lowered by tessera-flash-attention, which must "
                        "run before convert-tessera-to-linalg");
        return WalkResult::interrupt();
      }
      op->emitOpError("was not lowered");
      return WalkResult::interrupt();
    });
    if (left.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace

void mlir::tessera::populateTesseraToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LinearLowering, LayerNormLowering, RMSNormLowering,
               GeluLowering, SiluLowering, SwiGLULowering, ModulateLowering,
               RoPELowering, TimestepEmbeddingLowering,
               KVCacheUpdateLowering>(
      patterns.getContext());
}
