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

#include "llvm/Support/CheckedArithmetic.h"

#include <cmath>
#include <optional>

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

/// factor·⌈ln n⌉ clamped to n, as Informer computes both U_part and u
/// (saturating: a factor too large for 64 bits gives n).
static int64_t logBudget(int64_t factor, int64_t n) {
  if (n <= 1)
    return 0;
  auto lnCeil = static_cast<int64_t>(std::ceil(std::log(double(n))));
  std::optional<int64_t> budget = llvm::checkedMul(factor, lnCeil);
  return budget ? std::min(n, *budget) : n;
}

int64_t ProbSparseAttentionOp::getNumSampledKeys() {
  // Informer's U_part is 0 for Sk = 1 (and its max over no samples fails);
  // the only key is sampled instead.
  int64_t sk = shapeOf(getKey())[2];
  return sk <= 0 ? 0 : std::max<int64_t>(1, logBudget(getFactor(), sk));
}

int64_t ProbSparseAttentionOp::getNumActiveQueries() {
  // 0 for Sq = 1, as in Informer: every query is lazy.
  return logBudget(getFactor(), shapeOf(getQuery())[2]);
}

/// The product of `dims` times `bytes`, or nullopt when it overflows int64.
static std::optional<int64_t> checkedBytes(ArrayRef<int64_t> dims,
                                           int64_t bytes) {
  std::optional<int64_t> n = bytes;
  for (int64_t d : dims)
    if (n)
      n = llvm::checkedMul(*n, d);
  return n;
}

LogicalResult ProbSparseAttentionOp::verify() {
  if (failed(verifyQKV(*this, getQuery(), getKey(), getValue(), getResult(),
                       /*allowGroups=*/false)))
    return failure();
  if (static_cast<int64_t>(getFactor()) <= 0)
    return emitOpError("expects factor > 0");
  ArrayRef<int64_t> qs = shapeOf(getQuery()), ks = shapeOf(getKey()),
                    vs = shapeOf(getValue());
  if (qs[3] != ks[3])
    return emitOpError("expects query and key of the same head dimension");
  if (getCausal() && qs[2] != ks[2])
    return emitOpError("expects Sq == Sk with causal");
  if (qs[2] == 0)
    return emitOpError("expects at least one query (Sq > 0)");
  if (ks[2] == 0)
    return emitOpError("expects at least one key (Sk > 0)");
  if (qs[3] == 0)
    return emitOpError("expects a head dimension D > 0 (the scale is "
                       "1/sqrt(D))");
  if (qs[0] == 0 || qs[1] == 0 || vs[3] == 0)
    return emitOpError("expects a non-zero batch, head count and value "
                       "dimension (B, H, Dv > 0)");
  // Every tensor the op and its decomposition hold must have a byte size
  // (8 bytes an element covers f64 and the i64 sample table) that fits in
  // int64, so that no size or offset computation can wrap.
  int64_t b = qs[0], h = qs[1], sq = qs[2], sk = ks[2];
  int64_t u = getNumSampledKeys(), top = getNumActiveQueries();
  std::pair<StringRef, SmallVector<int64_t>> sizes[] = {
      {"query", SmallVector<int64_t>(qs)},
      {"key", SmallVector<int64_t>(ks)},
      {"value", SmallVector<int64_t>(vs)},
      {"result", {b, h, sq, vs[3]}},
      {"sampled scores [B, H, Sq, U]", {b, h, sq, u}},
      {"sampled-key table [Sq, U]", {sq, u}},
      {"causal mask [B, H, u, Sk]", {b, h, top, sk}}};
  for (auto &[what, dims] : sizes)
    if (!checkedBytes(dims, 8))
      return emitOpError("size overflow: the ")
             << what << " would exceed 2^63 bytes";
  return success();
}

/// splitmix64's output function (Steele, Lea, Flood 2014).
static Value splitmixFinalize(OpBuilder &b, Location l, Value z) {
  auto shiftXor = [&](Value x, int64_t s) {
    Value c = arith::ConstantOp::create(b, l, b.getI64IntegerAttr(s));
    return arith::XOrIOp::create(b, l, x, arith::ShRUIOp::create(b, l, x, c))
        .getResult();
  };
  auto mul = [&](Value x, uint64_t m) {
    Value c = arith::ConstantOp::create(
        b, l, b.getI64IntegerAttr(static_cast<int64_t>(m)));
    return arith::MulIOp::create(b, l, x, c).getResult();
  };
  z = mul(shiftXor(z, 30), 0xBF58476D1CE4E5B9ull);
  z = mul(shiftXor(z, 27), 0x94D049BB133111EBull);
  return shiftXor(z, 31);
}

LogicalResult ProbSparseAttentionOp::decompose(RewriterBase &rewriter) {
  Location loc = getLoc();
  rewriter.setInsertionPoint(*this);
  GenericBuilder g(rewriter, loc);
  Value q = getQuery(), k = getKey(), v = getValue();
  ArrayRef<int64_t> qs = shapeOf(q), ks = shapeOf(k), vs = shapeOf(v);
  int64_t b = qs[0], h = qs[1], sq = qs[2], d = qs[3], sk = ks[2], dv = vs[3];
  int64_t nu = getNumSampledKeys(), top = getNumActiveQueries();
  bool sampleMean = getSampleMean();
  Type et = elementTypeOf(q);
  Type i64 = rewriter.getI64Type();
  auto i64c = [](OpBuilder &nb, Location l, int64_t x) {
    return arith::ConstantOp::create(nb, l, nb.getI64IntegerAttr(x)).getResult();
  };
  auto i64Index = [&](OpBuilder &nb, Location l, unsigned dim) {
    return arith::IndexCastOp::create(nb, l, i64, linalg::IndexOp::create(nb, l, dim))
        .getResult();
  };
  // An i64 index clamped into [0, n): whatever the data, no access derived
  // from it can leave its tensor.
  auto clampedIndex = [&](OpBuilder &nb, Location l, Value x, int64_t n) {
    Value c = arith::MaxSIOp::create(nb, l, x, i64c(nb, l, 0));
    c = arith::MinSIOp::create(nb, l, c, i64c(nb, l, n - 1));
    return arith::IndexCastOp::create(nb, l, nb.getIndexType(), c).getResult();
  };
  auto fillInt = [&](ArrayRef<int64_t> shape, int64_t value) {
    return linalg::FillOp::create(rewriter, loc, i64c(rewriter, loc, value),
                                  g.empty(shape, i64))
        .getResult(0);
  };

  // 1. Lazy queries: mean(V), or with `causal` the cumulative sum of V up to
  //    the query's position (cumulative mean with `sample_mean`).
  Value base;
  if (getCausal()) {
    base = g.generic(
        5, {4}, {v}, {{0, 1, 4, 3}}, {g.filled({b, h, sq, dv}, et, 0.0)},
        {{0, 1, 2, 3}}, [&](OpBuilder &nb, Location l, ValueRange a) {
          Value qi = linalg::IndexOp::create(nb, l, 2);
          Value ki = linalg::IndexOp::create(nb, l, 4);
          Value in = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::ule, ki, qi);
          Value share = a[0];
          if (sampleMean) {
            Value n = arith::UIToFPOp::create(
                nb, l, et,
                arith::AddIOp::create(nb, l, i64Index(nb, l, 2), i64c(nb, l, 1)));
            share = arith::DivFOp::create(nb, l, a[0], n);
          }
          Value zero = arith::ConstantOp::create(nb, l, nb.getFloatAttr(et, 0.0));
          return SmallVector<Value>{arith::AddFOp::create(
              nb, l, a[1], arith::SelectOp::create(nb, l, in, share, zero))};
        })[0];
  } else {
    Value sum = g.generic(
        4, {2}, {v}, {{0, 1, 2, 3}}, {g.filled({b, h, dv}, et, 0.0)}, {{0, 1, 3}},
        [&](OpBuilder &nb, Location l, ValueRange a) {
          return SmallVector<Value>{arith::AddFOp::create(nb, l, a[0], a[1])};
        })[0];
    base = g.generic(4, {}, {sum}, {{0, 1, 3}}, {g.empty({b, h, sq, dv}, et)},
                     {{0, 1, 2, 3}}, [&](OpBuilder &nb, Location l, ValueRange a) {
                       return SmallVector<Value>{arith::DivFOp::create(
                           nb, l, a[0],
                           arith::ConstantOp::create(nb, l, nb.getFloatAttr(et, sk)))};
                     })[0];
  }
  if (top == 0) {
    // Sq = 1: Informer selects no query.
    rewriter.replaceOp(*this, base);
    return success();
  }

  // 2. The sampled keys [Sq, U], computed at run time (no compile-time
  //    table): sample j of query i is
  //    splitmix64_out(seed + (i·U + j + 1)·0x9E3779B97F4A7C15) mod Sk.
  Value idx = g.generic(
      2, {}, {}, {}, {g.empty({sq, nu}, i64)}, {{0, 1}},
      [&](OpBuilder &nb, Location l, ValueRange) {
        Value n = arith::AddIOp::create(
            nb, l, arith::MulIOp::create(nb, l, i64Index(nb, l, 0), i64c(nb, l, nu)),
            arith::AddIOp::create(nb, l, i64Index(nb, l, 1), i64c(nb, l, 1)));
        Value state = arith::AddIOp::create(
            nb, l, i64c(nb, l, static_cast<int64_t>(getSeed())),
            arith::MulIOp::create(
                nb, l, n,
                i64c(nb, l, static_cast<int64_t>(0x9E3779B97F4A7C15ull))));
        Value z = splitmixFinalize(nb, l, state);
        return SmallVector<Value>{arith::RemUIOp::create(nb, l, z, i64c(nb, l, sk))};
      })[0];

  // 3. Unscaled scores against the sampled keys: [B, H, Sq, U].
  Value sampled = g.generic(
      5, {4}, {q, idx}, {{0, 1, 2, 4}, {2, 3}}, {g.filled({b, h, sq, nu}, et, 0.0)},
      {{0, 1, 2, 3}}, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value kv = tensor::ExtractOp::create(
            nb, l, k,
            ValueRange{linalg::IndexOp::create(nb, l, 0), linalg::IndexOp::create(nb, l, 1),
                       clampedIndex(nb, l, a[1], sk), linalg::IndexOp::create(nb, l, 4)});
        Value p = arith::MulFOp::create(nb, l, a[0], kv);
        return SmallVector<Value>{arith::AddFOp::create(nb, l, a[2], p)};
      })[0];

  // 4. Sparsity measure M = max - sum / Sk (Informer), or max - sum / U with
  //    `sample_mean`: [B, H, Sq]. NaN propagates into M.
  SmallVector<int64_t> rowShape = {b, h, sq};
  Value rowMax = g.generic(4, {3}, {sampled}, {{0, 1, 2, 3}},
                           {g.filled(rowShape, et, -INFINITY)}, {{0, 1, 2}},
                           [&](OpBuilder &nb, Location l, ValueRange a) {
                             return SmallVector<Value>{
                                 arith::MaximumFOp::create(nb, l, a[0], a[1])};
                           })[0];
  Value rowSum = g.generic(4, {3}, {sampled}, {{0, 1, 2, 3}},
                           {g.filled(rowShape, et, 0.0)}, {{0, 1, 2}},
                           [&](OpBuilder &nb, Location l, ValueRange a) {
                             return SmallVector<Value>{
                                 arith::AddFOp::create(nb, l, a[0], a[1])};
                           })[0];
  double divisor = sampleMean ? double(nu) : double(sk);
  Value measure = g.elementwise(
      {rowMax, rowSum}, rowShape, et, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value share = arith::DivFOp::create(
            nb, l, a[1], arith::ConstantOp::create(nb, l, nb.getFloatAttr(et, divisor)));
        return arith::SubFOp::create(nb, l, a[0], share).getResult();
      });

  // 5. Rank of each query: the number of queries that precede it in the
  //    strict total order "NaN first, then larger M, ties to the lower
  //    index" (NaN ranks highest, as in torch.topk). The ranks of a (b, h)
  //    row are a permutation of 0 .. Sq-1.
  Value rank = g.generic(
      4, {3}, {measure, measure}, {{0, 1, 2}, {0, 1, 3}}, {fillInt(rowShape, 0)},
      {{0, 1, 2}}, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value mine = a[0], other = a[1];
        Value mineNan = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::UNO, mine, mine);
        Value otherNan = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::UNO, other, other);
        Value greater = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OGT, other, mine);
        Value equal = arith::OrIOp::create(
            nb, l, arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ, other, mine),
            arith::AndIOp::create(nb, l, mineNan, otherNan));
        Value before = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::ult,
                                             linalg::IndexOp::create(nb, l, 3),
                                             linalg::IndexOp::create(nb, l, 2));
        Value trueV = arith::ConstantOp::create(nb, l, nb.getBoolAttr(true));
        Value nanBeats = arith::AndIOp::create(
            nb, l, otherNan, arith::XOrIOp::create(nb, l, mineNan, trueV));
        Value beats = arith::OrIOp::create(
            nb, l, arith::OrIOp::create(nb, l, nanBeats, greater),
            arith::AndIOp::create(nb, l, equal, before));
        Value one = arith::ExtUIOp::create(nb, l, i64, beats);
        return SmallVector<Value>{arith::AddIOp::create(nb, l, a[2], one)};
      })[0];

  // 6. The query in each top slot: [B, H, u]. Exactly one query has each
  //    rank, so the sum picks it; it is clamped anyway before any use.
  Value selected = g.generic(
      4, {3}, {rank}, {{0, 1, 3}}, {fillInt({b, h, top}, 0)}, {{0, 1, 2}},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value hit = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, a[0],
                                          i64Index(nb, l, 2));
        Value add = arith::SelectOp::create(nb, l, hit, i64Index(nb, l, 3), i64c(nb, l, 0));
        return SmallVector<Value>{arith::AddIOp::create(nb, l, a[1], add)};
      })[0];

  // 7. Full attention (scale 1/sqrt(D)) for the gathered top queries.
  Value qTop = g.generic(
      4, {}, {selected}, {{0, 1, 2}}, {g.empty({b, h, top, d}, et)}, {{0, 1, 2, 3}},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        return SmallVector<Value>{tensor::ExtractOp::create(
            nb, l, q,
            ValueRange{linalg::IndexOp::create(nb, l, 0), linalg::IndexOp::create(nb, l, 1),
                       clampedIndex(nb, l, a[0], sq), linalg::IndexOp::create(nb, l, 3)})};
      })[0];
  auto attType = RankedTensorType::get({b, h, top, dv}, et);
  Value keep;
  if (getCausal())
    keep = g.generic(
        4, {}, {selected}, {{0, 1, 2}},
        {g.empty({b, h, top, sk}, rewriter.getI1Type())}, {{0, 1, 2, 3}},
        [&](OpBuilder &nb, Location l, ValueRange a) {
          return SmallVector<Value>{arith::CmpIOp::create(
              nb, l, arith::CmpIPredicate::sle, i64Index(nb, l, 3), a[0])};
        })[0];
  Value attended = AttentionOp::create(rewriter, loc, attType, qTop, k, v, keep,
                                       Value(), Value(), FloatAttr(),
                                       MaskAttrInterface(), DenseI64ArrayAttr());

  // 8. Merge: a query of rank r < u takes slot r of the attention output.
  Value out = g.generic(
      4, {}, {rank, base}, {{0, 1, 2}, {0, 1, 2, 3}}, {g.empty({b, h, sq, dv}, et)},
      {{0, 1, 2, 3}}, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value active = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, a[0],
                                             i64c(nb, l, top));
        Value att = tensor::ExtractOp::create(
            nb, l, attended,
            ValueRange{linalg::IndexOp::create(nb, l, 0), linalg::IndexOp::create(nb, l, 1),
                       clampedIndex(nb, l, a[0], top), linalg::IndexOp::create(nb, l, 3)});
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
