//===- TesseraOps.cpp - Tessera operations ----------------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/IR/TesseraOps.h"
#include "VerifyUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tessera;
using namespace mlir::tessera::detail;

//===----------------------------------------------------------------------===//
// Verification helpers
//===----------------------------------------------------------------------===//

void mlir::tessera::detail::printShape(llvm::raw_ostream &os,
                                      ArrayRef<int64_t> shape) {
  os << '[';
  llvm::interleaveComma(shape, os, [&](int64_t d) {
    if (ShapedType::isDynamic(d))
      os << '?';
    else
      os << d;
  });
  os << ']';
}

LogicalResult mlir::tessera::detail::verifyShape(Operation *op, StringRef what,
                                                Value value,
                                                ArrayRef<int64_t> expected) {
  auto type = cast<ShapedType>(value.getType());
  ArrayRef<int64_t> actual = type.getShape();
  bool ok = actual.size() == expected.size() &&
            llvm::all_of(llvm::zip(actual, expected), [](auto pair) {
              auto [a, e] = pair;
              return ShapedType::isDynamic(a) || ShapedType::isDynamic(e) ||
                     a == e;
            });
  if (ok)
    return success();
  std::string msg;
  llvm::raw_string_ostream os(msg);
  os << "expects " << what << " of shape ";
  printShape(os, expected);
  os << ", got ";
  printShape(os, actual);
  return op->emitOpError(msg);
}

/// Checks that all tensor operands and results share one element type
/// (non-tensor operands, such as an index offset, are skipped).
static LogicalResult verifySameElementType(Operation *op) {
  Type elementType;
  for (Type t : llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
    auto shaped = dyn_cast<ShapedType>(t);
    if (!shaped)
      continue;
    Type et = shaped.getElementType();
    if (!elementType)
      elementType = et;
    else if (et != elementType)
      return op->emitOpError("expects all operands and results to have the "
                             "same element type, got ")
             << elementType << " and " << et;
  }
  return success();
}

static LogicalResult verifyMinRank(Operation *op, StringRef what, Value value,
                                   int64_t minRank) {
  int64_t rank = cast<RankedTensorType>(value.getType()).getRank();
  if (rank >= minRank)
    return success();
  return op->emitOpError("expects ")
         << what << " of rank >= " << minRank << ", got rank " << rank;
}

static ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

/// Verifies an optional per-channel parameter ([C]) of a normalisation.
static LogicalResult verifyChannelParam(Operation *op, StringRef what,
                                        Value param, int64_t channels) {
  if (!param)
    return success();
  return verifyShape(op, what, param, {channels});
}

//===----------------------------------------------------------------------===//
// LinearOp
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::verify() {
  if (failed(verifySameElementType(*this)) ||
      failed(verifyMinRank(*this, "input", getInput(), 1)))
    return failure();
  ArrayRef<int64_t> in = shapeOf(getInput());
  ArrayRef<int64_t> w = shapeOf(getWeight());
  if (w.size() != 2)
    return emitOpError("expects weight of rank 2 ([N, K]), got rank ")
           << w.size();
  if (failed(verifyShape(*this, "weight", getWeight(), {w[0], in.back()})))
    return failure();
  if (getBias() && failed(verifyShape(*this, "bias", getBias(), {w[0]})))
    return failure();
  SmallVector<int64_t> expected(in);
  expected.back() = w[0];
  return verifyShape(*this, "result", getResult(), expected);
}

//===----------------------------------------------------------------------===//
// Normalisations
//===----------------------------------------------------------------------===//

LogicalResult LayerNormOp::verify() {
  if (failed(verifySameElementType(*this)) ||
      failed(verifyMinRank(*this, "input", getInput(), 1)))
    return failure();
  if (getEpsilon().convertToFloat() < 0.0f)
    return emitOpError("expects a non-negative epsilon");
  int64_t c = shapeOf(getInput()).back();
  if (failed(verifyChannelParam(*this, "weight", getWeight(), c)) ||
      failed(verifyChannelParam(*this, "bias", getBias(), c)))
    return failure();
  return verifyShape(*this, "result", getResult(), shapeOf(getInput()));
}

LogicalResult RMSNormOp::verify() {
  if (failed(verifySameElementType(*this)) ||
      failed(verifyMinRank(*this, "input", getInput(), 1)))
    return failure();
  if (getEpsilon().convertToFloat() < 0.0f)
    return emitOpError("expects a non-negative epsilon");
  int64_t c = shapeOf(getInput()).back();
  if (failed(verifyChannelParam(*this, "weight", getWeight(), c)))
    return failure();
  return verifyShape(*this, "result", getResult(), shapeOf(getInput()));
}

//===----------------------------------------------------------------------===//
// RoPEOp
//===----------------------------------------------------------------------===//

LogicalResult RoPEOp::verify() {
  if (failed(verifyMinRank(*this, "input", getInput(), 2)))
    return failure();
  int64_t d = shapeOf(getInput()).back();
  if (!ShapedType::isDynamic(d) && d % 2 != 0)
    return emitOpError("expects an even head dimension, got ") << d;
  if (!(getTheta().convertToDouble() > 0.0))
    return emitOpError("expects a positive theta");
  if (static_cast<int64_t>(getPositionOffset()) < 0)
    return emitOpError("expects a non-negative position_offset");
  return success();
}

//===----------------------------------------------------------------------===//
// ModulateOp
//===----------------------------------------------------------------------===//

LogicalResult ModulateOp::verify() {
  if (failed(verifySameElementType(*this)) ||
      failed(verifyMinRank(*this, "input", getInput(), 2)))
    return failure();
  ArrayRef<int64_t> in = shapeOf(getInput());
  SmallVector<int64_t> param = {in.front(), in.back()};
  if (failed(verifyShape(*this, "shift", getShift(), param)) ||
      failed(verifyShape(*this, "scale", getScale(), param)))
    return failure();
  return verifyShape(*this, "result", getResult(), in);
}

//===----------------------------------------------------------------------===//
// TimestepEmbeddingOp
//===----------------------------------------------------------------------===//

LogicalResult TimestepEmbeddingOp::verify() {
  if (failed(verifySameElementType(*this)))
    return failure();
  ArrayRef<int64_t> t = shapeOf(getTimesteps());
  if (t.size() != 1)
    return emitOpError("expects timesteps of rank 1, got rank ") << t.size();
  ArrayRef<int64_t> r = shapeOf(getResult());
  if (r.size() != 2)
    return emitOpError("expects a result of rank 2 ([B, dim]), got rank ")
           << r.size();
  if (!ShapedType::isDynamic(r[1]) && r[1] < 2)
    return emitOpError("expects an embedding dimension >= 2, got ") << r[1];
  double maxPeriod = getMaxPeriod().convertToDouble();
  if (!(maxPeriod > 0.0) || !std::isfinite(maxPeriod))
    return emitOpError("expects a positive max_period");
  double shift = getDownscaleFreqShift().convertToDouble();
  if (!std::isfinite(shift))
    return emitOpError("expects a finite downscale_freq_shift");
  if (!ShapedType::isDynamic(r[1]) &&
      !(static_cast<double>(r[1] / 2) - shift > 0.0))
    return emitOpError("expects downscale_freq_shift < dim / 2 = ")
           << r[1] / 2 << " (the frequency exponent divides by their "
           << "difference), got " << shift;
  if (!std::isfinite(getScale().convertToDouble()))
    return emitOpError("expects a finite scale");
  return verifyShape(*this, "result", getResult(), {t[0], r[1]});
}

//===----------------------------------------------------------------------===//
// AttentionOp
//===----------------------------------------------------------------------===//

LogicalResult AttentionOp::verify() {
  Type elementType = cast<RankedTensorType>(getQuery().getType()).getElementType();
  for (Value v : {getKey(), getValue(), getResult()})
    if (cast<RankedTensorType>(v.getType()).getElementType() != elementType)
      return emitOpError("expects query, key, value and result to have the "
                         "same element type");
  for (auto [name, v] : {std::pair<StringRef, Value>{"query", getQuery()},
                         {"key", getKey()},
                         {"value", getValue()}}) {
    int64_t rank = cast<RankedTensorType>(v.getType()).getRank();
    if (rank != 4)
      return emitOpError("expects ")
             << name << " of rank 4 ([B, H, S, D]), got rank " << rank;
  }
  ArrayRef<int64_t> q = shapeOf(getQuery()), k = shapeOf(getKey()),
                    v = shapeOf(getValue());
  int64_t hq = q[1], hkv = k[1];
  if (!ShapedType::isDynamic(hq) && !ShapedType::isDynamic(hkv) &&
      (hkv == 0 || hq % hkv != 0))
    return emitOpError("expects the number of query heads (")
           << hq << ") to be a multiple of the number of key/value heads ("
           << hkv << ")";
  if (failed(verifyShape(*this, "key", getKey(), {q[0], hkv, k[2], q[3]})) ||
      failed(verifyShape(*this, "value", getValue(), {q[0], hkv, k[2], v[3]})) ||
      failed(verifyShape(*this, "result", getResult(), {q[0], hq, q[2], v[3]})))
    return failure();
  if (FloatAttr s = getScaleAttr(); s && !std::isfinite(s.getValueAsDouble()))
    return emitOpError("expects a finite scale");

  if (Value m = getExplicitMask()) {
    auto type = cast<RankedTensorType>(m.getType());
    Type et = type.getElementType();
    if (!et.isInteger(1) && et != elementType)
      return emitOpError("expects an explicit mask of i1 or ")
             << elementType << ", got " << et;
    // Broadcast as in NumPy / PyTorch SDPA: trailing dimensions align, so
    // [Sq, Sk] and [Hq, Sq, Sk] masks apply to every batch (and head).
    SmallVector<int64_t> full = {q[0], hq, q[2], k[2]};
    int64_t rank = type.getRank();
    bool ok = rank <= 4;
    for (int64_t i = 0; ok && i < rank; ++i) {
      int64_t d = type.getDimSize(i), f = full[4 - rank + i];
      ok = d == 1 || ShapedType::isDynamic(d) || ShapedType::isDynamic(f) ||
           d == f;
    }
    if (!ok) {
      std::string msg;
      llvm::raw_string_ostream os(msg);
      os << "expects an explicit mask broadcastable to ";
      printShape(os, full);
      os << ", got ";
      printShape(os, type.getShape());
      return emitOpError(msg);
    }
  }

  std::optional<ArrayRef<int64_t>> blockSizes = getBlockSizes();
  if (Value bi = getBlockIndex()) {
    if (!blockSizes)
      return emitOpError("expects block_sizes with a block_index operand");
    ArrayRef<int64_t> bs = *blockSizes;
    if (bs.size() != 2 || bs[0] <= 0 || bs[1] <= 0 || bs[1] % 16 != 0)
      return emitOpError("expects block_sizes = [BQ, BK] with BQ > 0 and BK a "
                         "positive multiple of 16");
    ArrayRef<int64_t> s = shapeOf(bi);
    // ceil(Sq / BQ) without forming Sq + BQ - 1 (both may be near INT64_MAX).
    int64_t nqb = ShapedType::isDynamic(q[2])
                      ? ShapedType::kDynamic
                      : q[2] / bs[0] + (q[2] % bs[0] != 0 ? 1 : 0);
    bool ok = s.size() == 4 && (s[0] == 1 || s[0] == q[0]) &&
              (s[1] == 1 || s[1] == hq) && s[2] == nqb;
    if (!ok) {
      std::string msg;
      llvm::raw_string_ostream os(msg);
      os << "expects block_index of shape [B or 1, Hq or 1, " << nqb
         << ", N], got ";
      printShape(os, s);
      return emitOpError(msg);
    }
  } else if (blockSizes) {
    return emitOpError("expects block_sizes only with a block_index operand");
  }
  return success();
}

LogicalResult AttentionOp::verifyRegions() {
  Region &region = getScoreMod();
  if (region.empty())
    return success();
  Type et = cast<RankedTensorType>(getQuery().getType()).getElementType();
  Type index = IndexType::get(getContext());
  std::string args;
  llvm::raw_string_ostream os(args);
  os << "(" << et << ", index, index, index, index): the score, batch, head, "
     << "query position and key position";
  return verifyElementwiseRegion(*this, region, "score_mod",
                                 {et, index, index, index, index}, args, et);
}

LogicalResult mlir::tessera::detail::verifyElementwiseRegion(
    Operation *op, Region &region, StringRef what, TypeRange args,
    StringRef argsText, Type result) {
  if (!region.hasOneBlock())
    return op->emitOpError("expects a ") << what << " region with one block";
  Block &block = region.front();
  if (block.getArgumentTypes() != args)
    return op->emitOpError("expects ") << what << " arguments " << argsText;
  auto yield = dyn_cast<YieldOp>(block.getTerminator());
  if (!yield || yield.getValue().getType() != result)
    return op->emitOpError("expects ")
           << what << " to end with tessera.yield of " << result;
  for (Operation &inner : block.without_terminator()) {
    if (inner.hasTrait<OpTrait::Elementwise>() ||
        inner.hasTrait<OpTrait::ConstantLike>())
      continue;
    return inner.emitOpError("is not allowed in a ")
           << what << " region: only elementwise ops and constants are";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// KVCacheUpdateOp
//===----------------------------------------------------------------------===//

LogicalResult KVCacheUpdateOp::verify() {
  if (failed(verifySameElementType(*this)))
    return failure();
  ArrayRef<int64_t> c = shapeOf(getCache()), u = shapeOf(getUpdate());
  if (c.size() != 4)
    return emitOpError("expects a cache of rank 4 ([B, H, Smax, D]), got rank ")
           << c.size();
  if (failed(verifyShape(*this, "update", getUpdate(),
                         {c[0], c[1], u.size() == 4 ? u[2] : 1, c[3]})))
    return failure();
  if (!ShapedType::isDynamic(u[2]) && !ShapedType::isDynamic(c[2]) && u[2] > c[2])
    return emitOpError("expects an update of at most ")
           << c[2] << " rows, got " << u[2];
  return verifyShape(*this, "result", getResult(), c);
}

double AttentionOp::getEffectiveScale() {
  if (FloatAttr s = getScaleAttr())
    return s.getValueAsDouble();
  return 1.0 / std::sqrt(static_cast<double>(shapeOf(getQuery()).back()));
}

#define GET_OP_CLASSES
#include "tessera/Dialect/Tessera/IR/TesseraOps.cpp.inc"
