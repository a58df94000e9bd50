//===- RaiseAttention.cpp - Upstream attention into tessera.attention ----===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Frontends (torch-mlir, IREE's importers, TOSA) write scaled dot-product
// attention as upstream ops:
//
//   S = matmul(Q, Kᵀ)           linalg.batch_matmul / matmul / a contraction
//                               generic; Kᵀ a linalg.transpose or a
//                               transposed indexing map
//   X = S · c  (or S / c)       optional, elementwise with a constant
//   X = X + M  or select(M, X, -inf)   optional mask
//   P = softmax(X, last dim)    linalg.softmax, or max / sub / exp / sum /
//                               div as separate elementwise and reduction ops
//   O = matmul(P, V)
//
// This pass rewrites the chain into one tessera.attention (which never
// materialises S), with the mask as an attribute when its values are
// known at compile time and form a causal or sliding-window band, and as
// an explicit mask operand otherwise. Anything it does not recognise is
// left as it is: raising is an optimisation, never a change of meaning
// (except that a query row whose keys are all masked yields zeros, not
// NaN, as documented for tessera.attention).
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/IR/TesseraOps.h"
#include "tessera/Dialect/Tessera/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>
#include <variant>

namespace mlir::tessera {
#define GEN_PASS_DEF_TESSERARAISEATTENTIONPASS
#include "tessera/Dialect/Tessera/Transforms/Passes.h.inc"
} // namespace mlir::tessera

using namespace mlir;
using namespace mlir::tessera;

namespace {

//===----------------------------------------------------------------------===//
// Matmuls
//===----------------------------------------------------------------------===//

/// C[b..., m, n] = Σ_k A[b..., m, k] · B[b..., k, n] (or B[b..., n, k] when
/// `transposedB`), into a zero-filled C.
struct Matmul {
  Value a, b;
  bool transposedB = false;
  unsigned batchRank = 0;
};

/// True if `v` is a tensor filled with zeros (linalg.fill or a constant).
bool isZeroTensor(Value v) {
  if (auto fill = v.getDefiningOp<linalg::FillOp>())
    return matchPattern(fill.getInputs()[0], m_AnyZeroFloat());
  return matchPattern(v, m_AnyZeroFloat());
}

std::optional<Matmul> matchMatmul(Value result) {
  auto op = result.getDefiningOp<linalg::LinalgOp>();
  if (!op || op->getNumResults() != 1 || op.getNumDpsInputs() != 2 ||
      !linalg::isaContractionOpInterface(op) ||
      !isZeroTensor(op.getDpsInits()[0]))
    return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  unsigned rank = op.getNumLoops();
  if (rank < 3 || rank > 5 || !maps[2].isProjectedPermutation())
    return std::nullopt;
  unsigned nb = rank - 3;
  // Loops: batch dims (in order), then whatever m, n, k the output and
  // operands name; the output must be (b..., m, n).
  auto dim = [&](AffineMap map, unsigned i) -> int64_t {
    auto d = dyn_cast<AffineDimExpr>(map.getResult(i));
    return d ? int64_t(d.getPosition()) : -1;
  };
  if (maps[2].getNumResults() != nb + 2)
    return std::nullopt;
  for (unsigned i = 0; i < nb; ++i)
    for (AffineMap map : maps)
      if (map.getNumResults() != nb + 2 || dim(map, i) != int64_t(i))
        return std::nullopt;
  int64_t m = dim(maps[2], nb), n = dim(maps[2], nb + 1);
  int64_t k = -1;
  for (int64_t d = nb; d < rank; ++d)
    if (d != m && d != n)
      k = d;
  if (m < 0 || n < 0 || k < 0 || dim(maps[0], nb) != m ||
      dim(maps[0], nb + 1) != k)
    return std::nullopt;
  Matmul mm{op.getDpsInputs()[0], op.getDpsInputs()[1], false, nb};
  if (dim(maps[1], nb) == k && dim(maps[1], nb + 1) == n)
    return mm;
  if (dim(maps[1], nb) == n && dim(maps[1], nb + 1) == k) {
    mm.transposedB = true;
    return mm;
  }
  return std::nullopt;
}

/// The tensor whose last two dimensions `v` swaps (a linalg.transpose or a
/// copy generic with that permutation), if it is one.
Value untranspose(Value v) {
  int64_t rank = cast<RankedTensorType>(v.getType()).getRank();
  SmallVector<int64_t> swap = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  std::swap(swap[rank - 1], swap[rank - 2]);
  if (auto t = v.getDefiningOp<linalg::TransposeOp>())
    return t.getPermutation() == ArrayRef<int64_t>(swap) ? t.getInput()
                                                         : Value();
  auto g = v.getDefiningOp<linalg::GenericOp>();
  if (!g || g.getNumDpsInputs() != 1 || g->getNumResults() != 1 ||
      g.getNumParallelLoops() != g.getNumLoops())
    return {};
  auto yield = cast<linalg::YieldOp>(g.getBody()->getTerminator());
  if (yield.getOperand(0) != g.getBody()->getArgument(0))
    return {};
  SmallVector<AffineMap> maps = g.getIndexingMapsArray();
  if (!maps[1].isIdentity() || !maps[0].isPermutation())
    return {};
  for (int64_t i = 0; i < rank; ++i)
    if (maps[0].getDimPosition(i) != unsigned(swap[i]))
      return {};
  return g.getDpsInputs()[0];
}

//===----------------------------------------------------------------------===//
// Elementwise steps between the matmuls
//===----------------------------------------------------------------------===//

/// One elementwise step `result = f(input, other)`.
struct Step {
  enum Kind { Mul, Div, Add, Sub, Select, Exp, Max, Other } kind = Other;
  /// The chained operand (the scores).
  Value input;
  /// The other tensor operand, with its indexing map (identity for
  /// tensor-level arith ops), or null.
  Value other;
  AffineMap otherMap;
  /// A scalar constant operand, if any.
  std::optional<double> constant;
};

std::optional<double> scalarConstant(Value v) {
  APFloat f(0.0);
  if (matchPattern(v, m_ConstantFloat(&f)))
    return f.convertToDouble();
  if (auto c = v.getDefiningOp<arith::ConstantOp>())
    if (auto dense = dyn_cast<DenseElementsAttr>(c.getValue()))
      if (dense.isSplat() && isa<FloatType>(dense.getElementType()))
        return dense.getSplatValue<APFloat>().convertToDouble();
  return std::nullopt;
}

Step::Kind kindOf(Operation *op) {
  if (isa<arith::MulFOp>(op))
    return Step::Mul;
  if (isa<arith::DivFOp>(op))
    return Step::Div;
  if (isa<arith::AddFOp>(op))
    return Step::Add;
  if (isa<arith::SubFOp>(op))
    return Step::Sub;
  if (isa<arith::SelectOp>(op))
    return Step::Select;
  if (isa<math::ExpOp>(op))
    return Step::Exp;
  if (isa<arith::MaximumFOp, arith::MaxNumFOp>(op))
    return Step::Max;
  return Step::Other;
}

/// Describes the op defining `v` as one elementwise step, if it is one: a
/// tensor-level arith/math op, or an all-parallel linalg.generic whose body
/// is one op.
std::optional<Step> matchStep(Value v) {
  Operation *def = v.getDefiningOp();
  if (!def || def->getNumResults() != 1)
    return std::nullopt;
  Step step;
  // Tensor-level elementwise ops.
  if (isa<arith::ArithDialect, math::MathDialect>(def->getDialect()) &&
      isa<RankedTensorType>(v.getType())) {
    step.kind = kindOf(def);
    if (step.kind == Step::Other)
      return std::nullopt;
    auto type = v.getType();
    for (Value operand : def->getOperands()) {
      if (auto c = scalarConstant(operand))
        step.constant = c;
      else if (!step.input && operand.getType() == type &&
               step.kind != Step::Select)
        step.input = operand;
      else
        step.other = operand;
    }
    if (step.kind == Step::Select) {
      // select(mask, scores, -inf)
      step.other = def->getOperand(0);
      step.input = def->getOperand(1);
      if (!scalarConstant(def->getOperand(2)))
        return std::nullopt;
    }
    if (step.other)
      step.otherMap = AffineMap::getMultiDimIdentityMap(
          cast<RankedTensorType>(type).getRank(), def->getContext());
    return step.input ? std::optional<Step>(step) : std::nullopt;
  }
  auto g = dyn_cast<linalg::GenericOp>(def);
  if (!g || g.getNumParallelLoops() != g.getNumLoops() ||
      g.getNumDpsInits() != 1)
    return std::nullopt;
  Block *body = g.getBody();
  if (body->getOperations().size() != 2)
    return std::nullopt;
  Operation &inner = body->front();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (yield.getOperand(0) != inner.getResult(0))
    return std::nullopt;
  step.kind = kindOf(&inner);
  if (step.kind == Step::Other)
    return std::nullopt;
  SmallVector<AffineMap> maps = g.getIndexingMapsArray();
  auto operandOf = [&](Value x) -> std::optional<unsigned> {
    auto arg = dyn_cast<BlockArgument>(x);
    if (!arg || arg.getOwner() != body ||
        arg.getArgNumber() >= g.getNumDpsInputs())
      return std::nullopt;
    return arg.getArgNumber();
  };
  SmallVector<Value> operands(inner.getOperands());
  if (step.kind == Step::Select) {
    // select(mask, scores, -inf)
    std::optional<unsigned> m = operandOf(operands[0]);
    std::optional<unsigned> s = operandOf(operands[1]);
    step.constant = scalarConstant(operands[2]);
    if (!m || !s || !step.constant || !maps[*s].isIdentity())
      return std::nullopt;
    step.input = g.getDpsInputs()[*s];
    step.other = g.getDpsInputs()[*m];
    step.otherMap = maps[*m];
    return step;
  }
  for (Value operand : operands) {
    if (std::optional<unsigned> i = operandOf(operand)) {
      if (!step.input && maps[*i].isIdentity()) {
        step.input = g.getDpsInputs()[*i];
      } else {
        step.other = g.getDpsInputs()[*i];
        step.otherMap = maps[*i];
        if (auto c = scalarConstant(step.other))
          step.constant = c, step.other = Value();
      }
    } else if (auto c = scalarConstant(operand)) {
      step.constant = c;
    } else {
      return std::nullopt;
    }
  }
  return step.input ? std::optional<Step>(step) : std::nullopt;
}

/// True if `map` reads a tensor that broadcasts like NumPy against the
/// loops' shape: its results are the trailing loops in order (or constant
/// 0 for a size-1 dimension).
bool isTrailingBroadcast(AffineMap map) {
  unsigned rank = map.getNumDims(), n = map.getNumResults();
  for (unsigned i = 0; i < n; ++i) {
    AffineExpr e = map.getResult(i);
    if (auto c = dyn_cast<AffineConstantExpr>(e); c && c.getValue() == 0)
      continue;
    auto d = dyn_cast<AffineDimExpr>(e);
    if (!d || d.getPosition() != rank - n + i)
      return false;
  }
  return true;
}

/// True if `map` reads a per-row value: (d0, ..., dn-1) -> (d0, ..., dn-2).
bool isRowBroadcast(AffineMap map) {
  unsigned n = map.getNumDims();
  if (map.getNumResults() + 1 != n)
    return false;
  for (unsigned i = 0; i + 1 < n; ++i)
    if (map.getResult(i) != getAffineDimExpr(i, map.getContext()))
      return false;
  return true;
}

/// True if the reduction accumulator `init` starts at the identity of
/// `kind`: 0 for a sum, -inf (or the lowest float) for a max.
bool startsAtIdentity(Value init, Step::Kind kind) {
  Value scalar = init;
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    scalar = fill.getInputs()[0];
  std::optional<double> c = scalarConstant(scalar);
  if (!c)
    return false;
  return kind == Step::Add ? *c == 0 : *c <= -3.0e38;
}

/// A reduction of the last dimension into a tensor of one rank less whose
/// body combines with `Kind` from its identity, returning its input.
Value matchLastDimReduction(Value v, Step::Kind kind) {
  Operation *def = v.getDefiningOp();
  Block *body = nullptr;
  Value input;
  if (auto r = dyn_cast_or_null<linalg::ReduceOp>(def)) {
    int64_t rank = cast<RankedTensorType>(r.getInputs()[0].getType()).getRank();
    if (r.getInputs().size() != 1 ||
        r.getDimensions() != ArrayRef<int64_t>{rank - 1})
      return {};
    body = &r.getCombiner().front();
    input = r.getInputs()[0];
    if (!startsAtIdentity(r.getInits()[0], kind))
      return {};
  } else if (auto g = dyn_cast_or_null<linalg::GenericOp>(def)) {
    SmallVector<AffineMap> maps = g.getIndexingMapsArray();
    unsigned rank = g.getNumLoops();
    if (g.getNumDpsInputs() != 1 || g.getNumReductionLoops() != 1 ||
        g.getIteratorTypesArray()[rank - 1] != utils::IteratorType::reduction ||
        !maps[0].isIdentity() || !isRowBroadcast(maps[1]))
      return {};
    body = g.getBody();
    input = g.getDpsInputs()[0];
    if (!startsAtIdentity(g.getDpsInits()[0], kind))
      return {};
  } else {
    return {};
  }
  if (body->getOperations().size() != 2 || kindOf(&body->front()) != kind)
    return {};
  return input;
}

//===----------------------------------------------------------------------===//
// Compile-time mask values
//===----------------------------------------------------------------------===//

using Scalar = std::variant<int64_t, double>;

/// Evaluates the value of a generic's body at loop position `idx`, for
/// bodies built from linalg.index, constants and integer/float compare,
/// add, sub, select and casts (what frontends emit for iota / compare
/// masks). Fails on anything else.
FailureOr<Scalar> evaluate(Value v, ArrayRef<int64_t> idx,
                           llvm::DenseMap<Value, Scalar> &memo) {
  if (auto it = memo.find(v); it != memo.end())
    return it->second;
  Operation *op = v.getDefiningOp();
  if (!op)
    return failure();
  auto get = [&](unsigned i) { return evaluate(op->getOperand(i), idx, memo); };
  auto asInt = [](Scalar s) {
    return std::holds_alternative<int64_t>(s) ? std::get<int64_t>(s)
                                              : int64_t(std::get<double>(s));
  };
  auto asFloat = [](Scalar s) {
    return std::holds_alternative<double>(s) ? std::get<double>(s)
                                             : double(std::get<int64_t>(s));
  };
  Scalar result;
  if (auto index = dyn_cast<linalg::IndexOp>(op)) {
    if (index.getDim() >= idx.size())
      return failure();
    result = idx[index.getDim()];
  } else if (auto c = dyn_cast<arith::ConstantOp>(op)) {
    if (auto i = dyn_cast<IntegerAttr>(c.getValue()))
      result =
          i.getValue().getSExtValue() & (i.getType().isInteger(1) ? 1 : ~0LL);
    else if (auto f = dyn_cast<FloatAttr>(c.getValue()))
      result = f.getValueAsDouble();
    else
      return failure();
  } else if (auto cmp = dyn_cast<arith::CmpIOp>(op)) {
    auto a = get(0), b = get(1);
    if (failed(a) || failed(b))
      return failure();
    int64_t x = asInt(*a), y = asInt(*b);
    bool r;
    switch (cmp.getPredicate()) {
    case arith::CmpIPredicate::eq:
      r = x == y;
      break;
    case arith::CmpIPredicate::ne:
      r = x != y;
      break;
    case arith::CmpIPredicate::slt:
    case arith::CmpIPredicate::ult:
      r = x < y;
      break;
    case arith::CmpIPredicate::sle:
    case arith::CmpIPredicate::ule:
      r = x <= y;
      break;
    case arith::CmpIPredicate::sgt:
    case arith::CmpIPredicate::ugt:
      r = x > y;
      break;
    case arith::CmpIPredicate::sge:
    case arith::CmpIPredicate::uge:
      r = x >= y;
      break;
    }
    result = int64_t(r);
  } else if (isa<arith::AddIOp, arith::SubIOp, arith::MulIOp, arith::AndIOp,
                 arith::OrIOp, arith::XOrIOp>(op)) {
    auto a = get(0), b = get(1);
    if (failed(a) || failed(b))
      return failure();
    int64_t x = asInt(*a), y = asInt(*b);
    result = isa<arith::AddIOp>(op)   ? x + y
             : isa<arith::SubIOp>(op) ? x - y
             : isa<arith::MulIOp>(op) ? x * y
             : isa<arith::AndIOp>(op) ? (x & y)
             : isa<arith::OrIOp>(op)  ? (x | y)
                                      : (x ^ y);
  } else if (isa<arith::IndexCastOp, arith::ExtSIOp, arith::TruncIOp>(op)) {
    auto a = get(0);
    if (failed(a))
      return failure();
    result = asInt(*a);
  } else if (isa<arith::ExtUIOp>(op)) {
    auto a = get(0);
    if (failed(a))
      return failure();
    result = asInt(*a) & 1;
  } else if (isa<arith::SIToFPOp, arith::UIToFPOp>(op)) {
    auto a = get(0);
    if (failed(a))
      return failure();
    result = asFloat(*a);
  } else if (isa<arith::SelectOp>(op)) {
    auto c = get(0);
    if (failed(c))
      return failure();
    auto r = get(asInt(*c) ? 1 : 2);
    if (failed(r))
      return failure();
    result = *r;
  } else {
    return failure();
  }
  memo[v] = result;
  return result;
}

/// The allowed[q][k] matrix of mask `m` (i1: true attends; float: 0
/// attends, -inf excludes), when it is known at compile time and does not
/// depend on the batch and head; `mask` is read through `map`.
std::optional<std::vector<bool>> evaluateMask(Value m, AffineMap map,
                                              int64_t sq, int64_t sk) {
  auto type = cast<RankedTensorType>(m.getType());
  int64_t rank = type.getRank();
  if (rank < 2 || map.getNumResults() != unsigned(rank) ||
      uint64_t(sq) * uint64_t(sk) > (uint64_t(1) << 24))
    return std::nullopt;
  // The last two dimensions must be the score's [Sq, Sk].
  unsigned loops = map.getNumDims();
  auto dimAt = [&](int64_t i) {
    auto d = dyn_cast<AffineDimExpr>(map.getResult(i));
    return d ? int64_t(d.getPosition()) : -1;
  };
  if (dimAt(rank - 2) != int64_t(loops) - 2 ||
      dimAt(rank - 1) != int64_t(loops) - 1)
    return std::nullopt;
  auto allowedValue = [&](Scalar s) -> std::optional<bool> {
    if (type.getElementType().isInteger(1))
      return std::get<int64_t>(s) != 0;
    double f = std::holds_alternative<double>(s) ? std::get<double>(s)
                                                 : double(std::get<int64_t>(s));
    if (f == 0)
      return true;
    if (std::isinf(f) && f < 0)
      return false;
    return std::nullopt;
  };
  std::vector<bool> allowed(sq * sk);
  DenseElementsAttr dense;
  if (matchPattern(m, m_Constant(&dense))) {
    int64_t lead = type.getNumElements() / (sq * sk);
    for (int64_t i = 0; i < sq * sk; ++i) {
      std::optional<bool> first;
      for (int64_t b = 0; b < lead; ++b) {
        int64_t flat = b * sq * sk + i;
        Scalar s =
            type.getElementType().isInteger(1)
                ? Scalar(int64_t(dense.getValues<bool>()[flat]))
                : Scalar(dense.getValues<APFloat>()[flat].convertToDouble());
        std::optional<bool> a = allowedValue(s);
        if (!a || (first && *first != *a))
          return std::nullopt;
        first = a;
      }
      allowed[i] = *first;
    }
    return allowed;
  }
  auto g = m.getDefiningOp<linalg::GenericOp>();
  if (!g || g.getNumDpsInputs() != 0 || g.getNumLoops() != unsigned(rank) ||
      g.getNumParallelLoops() != g.getNumLoops())
    return std::nullopt;
  Value yielded = g.getBody()->getTerminator()->getOperand(0);
  SmallVector<int64_t> idx(rank, 0);
  for (int64_t q = 0; q < sq; ++q)
    for (int64_t k = 0; k < sk; ++k) {
      idx[rank - 2] = q;
      idx[rank - 1] = k;
      llvm::DenseMap<Value, Scalar> memo;
      FailureOr<Scalar> s = evaluate(yielded, idx, memo);
      if (failed(s))
        return std::nullopt;
      std::optional<bool> a = allowedValue(*s);
      if (!a)
        return std::nullopt;
      allowed[q * sk + k] = *a;
    }
  // The batch and head loops must not matter.
  g.getBody()->walk([&](linalg::IndexOp index) {
    if (index.getDim() < unsigned(rank - 2))
      allowed.clear();
  });
  if (allowed.empty())
    return std::nullopt;
  return allowed;
}

/// The mask attribute equal to `allowed` (top-left aligned; Sq == Sk),
/// or null if it is no band; `all` is set when every key is allowed.
MaskAttrInterface classifyMask(MLIRContext *ctx,
                               const std::vector<bool> &allowed, int64_t s,
                               bool &all) {
  all = llvm::all_of(allowed, [](bool a) { return a; });
  if (all)
    return {};
  // A band q - left <= k <= q + right: left and right from row s-1 / row 0.
  int64_t left = 0, right = 0;
  while (left < s - 1 && allowed[(s - 1) * s + (s - 2 - left)])
    ++left;
  while (right < s - 1 && allowed[right + 1])
    ++right;
  for (int64_t q = 0; q < s; ++q)
    for (int64_t k = 0; k < s; ++k)
      if (allowed[q * s + k] != (k >= q - left && k <= q + right))
        return {};
  if (right == 0 && left == s - 1)
    return CausalMaskAttr::get(ctx);
  return SlidingWindowMaskAttr::get(ctx, left, right);
}

//===----------------------------------------------------------------------===//
// The rewrite
//===----------------------------------------------------------------------===//

/// softmax(x) over the last dimension: linalg.softmax or
/// e / sum(e) with e = exp(x - max(x)). Returns x.
Value matchSoftmax(Value p) {
  if (auto s = p.getDefiningOp<linalg::SoftmaxOp>()) {
    int64_t rank = cast<RankedTensorType>(s.getInput().getType()).getRank();
    return int64_t(s.getDimension()) == rank - 1 ? s.getInput() : Value();
  }
  std::optional<Step> div = matchStep(p);
  if (!div || div->kind != Step::Div || !div->other ||
      !isRowBroadcast(div->otherMap) ||
      matchLastDimReduction(div->other, Step::Add) != div->input)
    return {};
  std::optional<Step> exp = matchStep(div->input);
  if (!exp || exp->kind != Step::Exp || exp->other || exp->constant)
    return {};
  std::optional<Step> sub = matchStep(exp->input);
  if (!sub || sub->kind != Step::Sub || !sub->other ||
      !isRowBroadcast(sub->otherMap) ||
      matchLastDimReduction(sub->other, Step::Max) != sub->input)
    return {};
  return sub->input;
}

/// The reassociation between rank `rank` < 4 and rank 4 with leading unit
/// dimensions: [[0, ..., 4 - rank], [5 - rank], ..., [3]].
SmallVector<ReassociationIndices> leadingUnitGroups(int64_t rank) {
  SmallVector<ReassociationIndices> groups;
  groups.push_back(llvm::to_vector(llvm::seq<int64_t>(0, 5 - rank)));
  for (int64_t i = 5 - rank; i < 4; ++i)
    groups.push_back({i});
  return groups;
}

/// `type` with leading unit dimensions up to rank 4.
RankedTensorType toRank4(RankedTensorType type) {
  SmallVector<int64_t> shape(4 - type.getRank(), 1);
  llvm::append_range(shape, type.getShape());
  return RankedTensorType::get(shape, type.getElementType());
}

/// Expands `v` of rank r <= 4 to rank 4 with leading unit dimensions.
Value toRank4(OpBuilder &b, Location loc, Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getRank() == 4)
    return v;
  return tensor::ExpandShapeOp::create(b, loc, toRank4(type), v,
                                       leadingUnitGroups(type.getRank()));
}

LogicalResult raise(linalg::LinalgOp root, OpBuilder &b) {
  Value out = root->getResult(0);
  std::optional<Matmul> pv = matchMatmul(out);
  if (!pv || pv->transposedB)
    return failure();
  Value x = matchSoftmax(pv->a);
  if (!x)
    return failure();
  // Mask and scale, walking back from the softmax input to the scores.
  double scale = 1.0;
  Value mask;
  AffineMap maskMap;
  bool maskIsBool = false, seenMask = false, seenScale = false;
  while (true) {
    if (matchMatmul(x))
      break;
    std::optional<Step> step = matchStep(x);
    if (!step)
      return failure();
    // x = mask + scores: the scores are the operand the chain continues in.
    if (step->kind == Step::Add && step->other && step->otherMap.isIdentity() &&
        !matchMatmul(step->input) && !matchStep(step->input))
      std::swap(step->input, step->other);
    if ((step->kind == Step::Mul || step->kind == Step::Div) &&
        step->constant && !step->other) {
      seenScale = true;
      scale = step->kind == Step::Mul ? scale * *step->constant
                                      : scale / *step->constant;
    } else if (seenScale || seenMask) {
      // Walking back: a mask before a scale would be scaled too; one mask.
      return failure();
    } else if (step->kind == Step::Add && step->other && !step->constant) {
      mask = step->other, maskMap = step->otherMap, seenMask = true;
    } else if (step->kind == Step::Select && step->other && step->constant &&
               std::isinf(*step->constant) && *step->constant < 0) {
      mask = step->other, maskMap = step->otherMap, seenMask = true;
      maskIsBool = true;
    } else {
      return failure();
    }
    x = step->input;
  }
  std::optional<Matmul> qk = matchMatmul(x);
  if (!qk || qk->batchRank != pv->batchRank)
    return failure();
  Value q = qk->a, k = qk->transposedB ? qk->b : untranspose(qk->b);
  Value v = pv->b;
  if (!k)
    return failure();
  auto qType = cast<RankedTensorType>(q.getType());
  auto kType = cast<RankedTensorType>(k.getType());
  auto vType = cast<RankedTensorType>(v.getType());
  auto outType = cast<RankedTensorType>(out.getType());
  Type et = qType.getElementType();
  if (kType.getElementType() != et || vType.getElementType() != et ||
      outType.getElementType() != et || !isa<FloatType>(et) ||
      !qType.hasStaticShape() || !kType.hasStaticShape() ||
      !vType.hasStaticShape() ||
      qType.getShape().drop_back(2) != vType.getShape().drop_back(2))
    return failure();
  if (mask) {
    // At most rank 4: its map reads the scores' loops, at most 4.
    auto maskType = cast<RankedTensorType>(mask.getType());
    Type maskEt = maskType.getElementType();
    if (!isTrailingBroadcast(maskMap) || !maskType.hasStaticShape() ||
        maskIsBool != maskEt.isInteger(1) || (!maskIsBool && maskEt != et))
      return failure();
  }

  // A mask known at compile time becomes an attribute where it is a band.
  int64_t sq = qType.getShape()[qType.getRank() - 2];
  int64_t sk = kType.getShape()[kType.getRank() - 2];
  MaskAttrInterface maskAttr;
  if (mask && sq == sk) {
    if (std::optional<std::vector<bool>> allowed =
            evaluateMask(mask, maskMap, sq, sk)) {
      bool all = false;
      maskAttr = classifyMask(b.getContext(), *allowed, sq, all);
      if (all || maskAttr)
        mask = Value();
    }
  }

  b.setInsertionPoint(root);
  Location loc = root->getLoc();
  Value q4 = toRank4(b, loc, q), k4 = toRank4(b, loc, k),
        v4 = toRank4(b, loc, v);
  Value att = AttentionOp::create(b, loc, toRank4(outType), q4, k4, v4, mask,
                                  Value(), Value(), b.getF32FloatAttr(scale),
                                  maskAttr, DenseI64ArrayAttr());
  if (outType.getRank() < 4)
    att = tensor::CollapseShapeOp::create(b, loc, outType, att,
                                          leadingUnitGroups(outType.getRank()));
  out.replaceAllUsesWith(att);
  return success();
}

struct TesseraRaiseAttentionPass
    : tessera::impl::TesseraRaiseAttentionPassBase<TesseraRaiseAttentionPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> roots;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (op->getNumResults() == 1 && linalg::isaContractionOpInterface(op))
        roots.push_back(op);
    });
    // The chains left dead go with the next canonicalization.
    OpBuilder b(&getContext());
    for (linalg::LinalgOp root : roots)
      (void)raise(root, b);
  }
};

} // namespace
