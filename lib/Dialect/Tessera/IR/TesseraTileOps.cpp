//===- TesseraTileOps.cpp - The tile-level form -----------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#include "VerifyUtils.h"
#include "tessera/Dialect/Tessera/IR/TesseraOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::tessera;
using namespace mlir::tessera::detail;

namespace {

ArrayRef<int64_t> shapeOf(Value v) {
  return cast<MemRefType>(v.getType()).getShape();
}

/// "expects WHAT of static shape" unless every dimension of `v` is static.
LogicalResult verifyStatic(Operation *op, StringRef what, Value v) {
  if (cast<MemRefType>(v.getType()).hasStaticShape())
    return success();
  return op->emitOpError("expects ") << what << " of static shape";
}

} // namespace

LogicalResult TileMatmulOp::verify() {
  for (auto [what, v] :
       {std::pair<StringRef, Value>{"A", getA()}, {"B", getB()}, {"C", getC()}})
    if (failed(verifyStatic(*this, what, v)))
      return failure();
  ArrayRef<int64_t> a = shapeOf(getA()), b = shapeOf(getB());
  if (failed(verifyShape(*this, "B", getB(), {a[1], b[1]})) ||
      failed(verifyShape(*this, "C", getC(), {a[0], b[1]})))
    return failure();
  if (Value bias = getBias())
    if (failed(verifyShape(*this, "bias", bias, {b[1]})))
      return failure();
  if (std::optional<Type> t = getOperandType())
    if (!t->isF16() && !t->isBF16())
      return emitOpError("operand_type must be f16 or bf16, not ") << *t;
  return success();
}

LogicalResult TileScoreModOp::verify() {
  return verifyStatic(*this, "scores", getScores());
}

LogicalResult TileScoreModOp::verifyRegions() {
  Type f32 = Float32Type::get(getContext());
  Type index = IndexType::get(getContext());
  return verifyElementwiseRegion(
      *this, getBody(), "body", {f32, index, index, index, index},
      "(f32, index, index, index, index): the score, batch, head, query "
      "position and key position",
      f32);
}

LogicalResult TileAddMaskOp::verify() {
  if (failed(verifyStatic(*this, "scores", getScores())))
    return failure();
  ArrayRef<int64_t> s = shapeOf(getScores()), m = shapeOf(getMask());
  if ((m[0] != 1 && m[0] != s[0]) || (m[1] != 1 && m[1] != s[1])) {
    std::string msg;
    llvm::raw_string_ostream os(msg);
    os << "expects a mask whose dimensions are 1 or those of the scores ";
    printShape(os, s);
    os << ", got ";
    printShape(os, m);
    return emitOpError(msg);
  }
  return success();
}

LogicalResult TileMaskOp::verify() {
  if (failed(verifyStatic(*this, "scores", getScores())))
    return failure();
  if (!getMask() && !getNumKeys())
    return emitOpError("expects a mask attribute, num_keys, or both");
  if (getNumKeysAttr() && getNumKeysAttr().getInt() < 0)
    return emitOpError("expects num_keys >= 0");
  return success();
}

LogicalResult TileOnlineSoftmaxOp::verify() {
  if (failed(verifyStatic(*this, "scores", getScores())) ||
      failed(verifyStatic(*this, "acc", getAcc())))
    return failure();
  int64_t m = shapeOf(getScores())[0];
  if (failed(verifyShape(*this, "max", getMax(), {m})) ||
      failed(verifyShape(*this, "sum", getSum(), {m})) ||
      failed(verifyShape(*this, "acc", getAcc(), {m, shapeOf(getAcc())[1]})))
    return failure();
  return success();
}

LogicalResult TileNormalizeOp::verify() {
  if (failed(verifyStatic(*this, "acc", getAcc())))
    return failure();
  ArrayRef<int64_t> acc = shapeOf(getAcc()), out = shapeOf(getOut());
  if (failed(verifyShape(*this, "sum", getSum(), {acc[0]})))
    return failure();
  if (ShapedType::isDynamic(out[1]))
    return emitOpError("expects an output tile with a static number of "
                       "columns");
  if ((!ShapedType::isDynamic(out[0]) && out[0] > acc[0]) || out[1] > acc[1])
    return emitOpError("expects an output tile no larger than acc");
  for (Value in : getInputs())
    if (failed(verifyShape(*this, "epilogue inputs", in, out)))
      return failure();
  if (getEpilogue().empty() && !getInputs().empty())
    return emitOpError("expects an epilogue region with inputs");
  return success();
}

LogicalResult TileNormalizeOp::verifyRegions() {
  if (getEpilogue().empty())
    return success();
  Type f32 = Float32Type::get(getContext());
  SmallVector<Type> args(1 + getInputs().size(), f32);
  std::string text = "(f32";
  for (size_t i = 0; i < getInputs().size(); ++i)
    text += ", f32";
  text += "): the normalized value and one element of each input";
  return verifyElementwiseRegion(*this, getEpilogue(), "epilogue", args, text,
                                 f32);
}
