//===- TesseraDecompositions.cpp - Composite attention ops ------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Verifiers and DecomposableOpInterface implementations of the composite ops
// that reduce to tessera.attention: ProbSparse (Informer) and strip
// attention (S2AFormer).
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/IR/LinalgBuilder.h"
#include "tessera/Dialect/Tessera/IR/TesseraOps.h"

#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tessera;

#include "tessera/Dialect/Tessera/IR/TesseraOpInterfaces.cpp.inc"

static ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

static Type elementTypeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getElementType();
}

/// Checks Q/K/V ranks, element types and the result shape shared by the
/// composite attention ops (same heads for Q and K/V unless `allowGroups`).
static LogicalResult verifyQKV(Operation *op, Value q, Value k, Value v,
                               Value result, bool allowGroups) {
  Type et = elementTypeOf(q);
  for (Value x : {k, v, result})
    if (elementTypeOf(x) != et)
      return op->emitOpError("expects query, key, value and result to have "
                             "the same element type");
  for (Value x : {q, k, v})
    if (shapeOf(x).size() != 4)
      return op->emitOpError("expects query, key and value of rank 4 ([B, H, "
                             "S, D])");
  ArrayRef<int64_t> qs = shapeOf(q), ks = shapeOf(k), vs = shapeOf(v);
  if (!cast<RankedTensorType>(q.getType()).hasStaticShape() ||
      !cast<RankedTensorType>(k.getType()).hasStaticShape() ||
      !cast<RankedTensorType>(v.getType()).hasStaticShape())
    return op->emitOpError("expects static shapes");
  bool headsOk = allowGroups ? (ks[1] > 0 && qs[1] % ks[1] == 0) : qs[1] == ks[1];
  if (qs[0] != ks[0] || !headsOk || ks[0] != vs[0] || ks[1] != vs[1] ||
      ks[2] != vs[2])
    return op->emitOpError("expects key [B, H, Sk, D] and value [B, H, Sk, Dv] "
                           "matching the query's batch and heads");
  SmallVector<int64_t> expected = {qs[0], qs[1], qs[2], vs[3]};
  if (shapeOf(result) != ArrayRef<int64_t>(expected))
    return op->emitOpError("expects a result of shape [B, H, Sq, Dv]");
  return success();
}

//===----------------------------------------------------------------------===//
// ProbSparseAttentionOp
//===----------------------------------------------------------------------===//

static int64_t logBudget(int64_t factor, int64_t n) {
  return std::min<int64_t>(n, factor * static_cast<int64_t>(
                                           std::ceil(std::log(double(n)))));
}

int64_t ProbSparseAttentionOp::getNumSampledKeys() {
  return std::max<int64_t>(1, logBudget(getFactor(), shapeOf(getKey())[2]));
}

int64_t ProbSparseAttentionOp::getNumActiveQueries() {
  return std::max<int64_t>(1, logBudget(getFactor(), shapeOf(getQuery())[2]));
}

LogicalResult ProbSparseAttentionOp::verify() {
  if (failed(verifyQKV(*this, getQuery(), getKey(), getValue(), getResult(),
                       /*allowGroups=*/false)))
    return failure();
  if (static_cast<int64_t>(getFactor()) <= 0)
    return emitOpError("expects factor > 0");
  if (shapeOf(getQuery())[3] != shapeOf(getKey())[3])
    return emitOpError("expects query and key of the same head dimension");
  if (getCausal() && shapeOf(getQuery())[2] != shapeOf(getKey())[2])
    return emitOpError("expects Sq == Sk with causal");
  return success();
}

/// The sampler of the op description: splitmix64 seeded with `seed`, one
/// draw per (query, sample) in row-major order, reduced modulo Sk.
static SmallVector<int64_t> sampleKeys(uint64_t seed, int64_t sq, int64_t u,
                                       int64_t sk) {
  SmallVector<int64_t> idx;
  uint64_t state = seed;
  for (int64_t i = 0; i < sq * u; ++i) {
    state += 0x9E3779B97F4A7C15ull;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    idx.push_back(static_cast<int64_t>(z % static_cast<uint64_t>(sk)));
  }
  return idx;
}

LogicalResult ProbSparseAttentionOp::decompose(RewriterBase &rewriter) {
  Location loc = getLoc();
  rewriter.setInsertionPoint(*this);
  GenericBuilder g(rewriter, loc);
  Value q = getQuery(), k = getKey(), v = getValue();
  ArrayRef<int64_t> qs = shapeOf(q), ks = shapeOf(k), vs = shapeOf(v);
  int64_t b = qs[0], h = qs[1], sq = qs[2], d = qs[3], sk = ks[2], dv = vs[3];
  int64_t nu = getNumSampledKeys(), top = getNumActiveQueries();
  Type et = elementTypeOf(q);
  Type i64 = rewriter.getI64Type();
  auto index = [&](OpBuilder &nb, Location l, Value x) {
    return arith::IndexCastOp::create(nb, l, nb.getIndexType(), x).getResult();
  };
  auto fillInt = [&](ArrayRef<int64_t> shape, int64_t value) {
    Value c = arith::ConstantOp::create(rewriter, loc, rewriter.getI64IntegerAttr(value));
    return linalg::FillOp::create(rewriter, loc, c, g.empty(shape, i64)).getResult(0);
  };

  // 1. Scores against the sampled keys: [B, H, Sq, U].
  SmallVector<int64_t> samples = sampleKeys(getSeed(), sq, nu, sk);
  auto idxType = RankedTensorType::get({sq, nu}, i64);
  Value idx = arith::ConstantOp::create(
      rewriter, loc, idxType, DenseElementsAttr::get(idxType, ArrayRef<int64_t>(samples)));
  Value sampled = g.generic(
      5, {4}, {q, idx}, {{0, 1, 2, 4}, {2, 3}}, {g.filled({b, h, sq, nu}, et, 0.0)},
      {{0, 1, 2, 3}}, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value kv = tensor::ExtractOp::create(
            nb, l, k,
            ValueRange{linalg::IndexOp::create(nb, l, 0), linalg::IndexOp::create(nb, l, 1),
                       index(nb, l, a[1]), linalg::IndexOp::create(nb, l, 4)});
        Value p = arith::MulFOp::create(nb, l, a[0], kv);
        return SmallVector<Value>{arith::AddFOp::create(nb, l, a[2], p)};
      })[0];

  // 2. Sparsity measure M = max - mean over the samples: [B, H, Sq].
  SmallVector<int64_t> rowShape = {b, h, sq};
  Value rowMax = g.generic(4, {3}, {sampled}, {{0, 1, 2, 3}},
                           {g.filled(rowShape, et, -INFINITY)}, {{0, 1, 2}},
                           [&](OpBuilder &nb, Location l, ValueRange a) {
                             return SmallVector<Value>{
                                 arith::MaximumFOp::create(nb, l, a[0], a[1])};
                           })[0];
  Value measure = g.generic(
      4, {3}, {sampled}, {{0, 1, 2, 3}}, {rowMax}, {{0, 1, 2}},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value share = arith::DivFOp::create(
            nb, l, a[0], arith::ConstantOp::create(nb, l, nb.getFloatAttr(et, nu)));
        return SmallVector<Value>{arith::SubFOp::create(nb, l, a[1], share)};
      })[0];

  // 3. Rank of each query by M (descending, ties to the lower index).
  Value rank = g.generic(
      4, {3}, {measure, measure}, {{0, 1, 2}, {0, 1, 3}}, {fillInt(rowShape, 0)},
      {{0, 1, 2}}, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value greater = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OGT, a[1], a[0]);
        Value equal = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ, a[1], a[0]);
        Value before = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::ult,
                                             linalg::IndexOp::create(nb, l, 3),
                                             linalg::IndexOp::create(nb, l, 2));
        Value beats = arith::OrIOp::create(
            nb, l, greater, arith::AndIOp::create(nb, l, equal, before));
        Value one = arith::ExtUIOp::create(nb, l, i64, beats);
        return SmallVector<Value>{arith::AddIOp::create(nb, l, a[2], one)};
      })[0];

  // 4. The query in each of the top slots: [B, H, u].
  Value selected = g.generic(
      4, {3}, {rank}, {{0, 1, 3}}, {fillInt({b, h, top}, 0)}, {{0, 1, 2}},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value slot = arith::IndexCastOp::create(nb, l, i64, linalg::IndexOp::create(nb, l, 2));
        Value qi = arith::IndexCastOp::create(nb, l, i64, linalg::IndexOp::create(nb, l, 3));
        Value hit = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, a[0], slot);
        Value zero = arith::ConstantOp::create(nb, l, nb.getI64IntegerAttr(0));
        Value add = arith::SelectOp::create(nb, l, hit, qi, zero);
        return SmallVector<Value>{arith::AddIOp::create(nb, l, a[1], add)};
      })[0];

  // 5. Full attention for the gathered top queries.
  Value qTop = g.generic(
      4, {}, {selected}, {{0, 1, 2}}, {g.empty({b, h, top, d}, et)}, {{0, 1, 2, 3}},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        return SmallVector<Value>{tensor::ExtractOp::create(
            nb, l, q,
            ValueRange{linalg::IndexOp::create(nb, l, 0), linalg::IndexOp::create(nb, l, 1),
                       index(nb, l, a[0]), linalg::IndexOp::create(nb, l, 3)})};
      })[0];
  auto attType = RankedTensorType::get({b, h, top, dv}, et);
  Value attended;
  if (getCausal()) {
    Value keep = g.generic(
        4, {}, {selected}, {{0, 1, 2}},
        {g.empty({b, h, top, sk}, rewriter.getI1Type())}, {{0, 1, 2, 3}},
        [&](OpBuilder &nb, Location l, ValueRange a) {
          Value kpos = arith::IndexCastOp::create(nb, l, i64, linalg::IndexOp::create(nb, l, 3));
          return SmallVector<Value>{
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sle, kpos, a[0])};
        })[0];
    attended = AttentionOp::create(rewriter, loc, attType, qTop,
                                   k, v, keep, Value(), Value(), FloatAttr(),
                                   MaskAttrInterface(), DenseI64ArrayAttr());
  } else {
    attended = AttentionOp::create(rewriter, loc, attType, qTop, k, v, Value(),
                                   Value(), Value(), FloatAttr(), MaskAttrInterface(),
                                   DenseI64ArrayAttr());
  }

  // 6. mean(V) (cumulative when causal) for the lazy queries, then merge.
  Value base;
  if (getCausal()) {
    base = g.generic(
        5, {4}, {v}, {{0, 1, 4, 3}}, {g.filled({b, h, sq, dv}, et, 0.0)},
        {{0, 1, 2, 3}}, [&](OpBuilder &nb, Location l, ValueRange a) {
          Value qi = linalg::IndexOp::create(nb, l, 2);
          Value ki = linalg::IndexOp::create(nb, l, 4);
          Value in = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::ule, ki, qi);
          Value n = arith::UIToFPOp::create(
              nb, l, et,
              arith::IndexCastOp::create(
                  nb, l, i64,
                  arith::AddIOp::create(nb, l, qi, arith::ConstantIndexOp::create(nb, l, 1))));
          Value share = arith::DivFOp::create(nb, l, a[0], n);
          Value zero = arith::ConstantOp::create(nb, l, nb.getFloatAttr(et, 0.0));
          return SmallVector<Value>{arith::AddFOp::create(
              nb, l, a[1], arith::SelectOp::create(nb, l, in, share, zero))};
        })[0];
  } else {
    Value mean = g.generic(
        4, {2}, {v}, {{0, 1, 2, 3}}, {g.filled({b, h, dv}, et, 0.0)}, {{0, 1, 3}},
        [&](OpBuilder &nb, Location l, ValueRange a) {
          Value share = arith::DivFOp::create(
              nb, l, a[0], arith::ConstantOp::create(nb, l, nb.getFloatAttr(et, sk)));
          return SmallVector<Value>{arith::AddFOp::create(nb, l, a[1], share)};
        })[0];
    base = g.generic(4, {}, {mean}, {{0, 1, 3}}, {g.empty({b, h, sq, dv}, et)},
                     {{0, 1, 2, 3}}, [](OpBuilder &, Location, ValueRange a) {
                       return SmallVector<Value>{a[0]};
                     })[0];
  }
  Value out = g.generic(
      4, {}, {rank, base}, {{0, 1, 2}, {0, 1, 2, 3}}, {g.empty({b, h, sq, dv}, et)},
      {{0, 1, 2, 3}}, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value topC = arith::ConstantOp::create(nb, l, nb.getI64IntegerAttr(top));
        Value active = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, a[0], topC);
        Value last = arith::ConstantOp::create(nb, l, nb.getI64IntegerAttr(top - 1));
        Value slot = index(nb, l, arith::MinSIOp::create(nb, l, a[0], last));
        Value att = tensor::ExtractOp::create(
            nb, l, attended,
            ValueRange{linalg::IndexOp::create(nb, l, 0), linalg::IndexOp::create(nb, l, 1),
                       slot, linalg::IndexOp::create(nb, l, 3)});
        return SmallVector<Value>{arith::SelectOp::create(nb, l, active, att, a[1])};
      })[0];
  rewriter.replaceOp(*this, out);
  return success();
}

//===----------------------------------------------------------------------===//
// StripAttentionOp
//===----------------------------------------------------------------------===//

LogicalResult StripAttentionOp::verify() {
  if (failed(verifyQKV(*this, getQuery(), getKey(), getValue(), getResult(),
                       /*allowGroups=*/true)))
    return failure();
  int64_t pool = getPool(), sk = shapeOf(getKey())[2], d = shapeOf(getQuery())[3];
  if (pool <= 0 || sk % pool != 0)
    return emitOpError("expects a pool factor that divides Sk (")
           << sk << "), got " << pool;
  for (auto [name, w] : {std::pair<StringRef, Value>{"query_proj", getQueryProj()},
                         {"key_proj", getKeyProj()}}) {
    ArrayRef<int64_t> ws = shapeOf(w);
    if (ws.size() != 2 || ws[1] != d || ws[0] != shapeOf(getQueryProj())[0] ||
        elementTypeOf(w) != elementTypeOf(getQuery()))
      return emitOpError("expects ")
             << name << " of shape [Dc, " << d
             << "] (one Dc for both projections) and the query's element type";
  }
  if (shapeOf(getKey())[3] != d)
    return emitOpError("expects query and key of the same head dimension");
  return success();
}

LogicalResult StripAttentionOp::decompose(RewriterBase &rewriter) {
  Location loc = getLoc();
  rewriter.setInsertionPoint(*this);
  GenericBuilder g(rewriter, loc);
  int64_t p = getPool();
  Type et = elementTypeOf(getQuery());
  auto pooled = [&](Value x) {
    ArrayRef<int64_t> s = shapeOf(x);
    // View the sequence as [S / p, p] and average the window axis.
    Value windows = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get({s[0], s[1], s[2] / p, p, s[3]}, et),
        x, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}, {4}});
    return g.generic(
        5, {4}, {windows}, {{0, 1, 2, 4, 3}},
        {g.filled({s[0], s[1], s[2] / p, s[3]}, et, 0.0)}, {{0, 1, 2, 3}},
        [&](OpBuilder &nb, Location l, ValueRange a) {
          Value share = arith::DivFOp::create(
              nb, l, a[0], arith::ConstantOp::create(nb, l, nb.getFloatAttr(et, p)));
          return SmallVector<Value>{arith::AddFOp::create(nb, l, a[1], share)};
        })[0];
  };
  auto project = [&](Value x, Value w) {
    ArrayRef<int64_t> s = shapeOf(x);
    auto type = RankedTensorType::get({s[0], s[1], s[2], shapeOf(w)[0]}, et);
    return LinearOp::create(rewriter, loc, type, x, w, Value()).getResult();
  };
  Value q = project(getQuery(), getQueryProj());
  Value k = project(pooled(getKey()), getKeyProj());
  Value v = pooled(getValue());
  auto att = AttentionOp::create(rewriter, loc, getResult().getType(), q, k, v,
                                 Value(), Value(), Value(), FloatAttr(),
                                 MaskAttrInterface(), DenseI64ArrayAttr());
  rewriter.replaceOp(*this, att.getResult());
  return success();
}
