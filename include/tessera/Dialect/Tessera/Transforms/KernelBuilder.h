//===- KernelBuilder.h - Helpers for hand-built CPU kernels -----*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// The fused kernels (attention, linear) are built directly from scf, memref
// and vector ops; these helpers keep that code short and shared.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECT_TESSERA_TRANSFORMS_KERNELBUILDER_H
#define TESSERA_DIALECT_TESSERA_TRANSFORMS_KERNELBUILDER_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::tessera::kernel {

/// Vector width in f32 lanes: one AVX-512 register (LLVM splits it on
/// narrower targets).
constexpr int64_t kLanes = 16;

inline int64_t roundUp(int64_t x, int64_t m) { return (x + m - 1) / m * m; }

inline VectorType vec(Type et) { return VectorType::get({kLanes}, et); }

inline Value idx(ImplicitLocOpBuilder &b, int64_t v) {
  return arith::ConstantIndexOp::create(b, v);
}

inline Value f32(ImplicitLocOpBuilder &b, double v) {
  return arith::ConstantOp::create(b, b.getF32FloatAttr(v));
}

inline Value splat(ImplicitLocOpBuilder &b, Value scalar) {
  return vector::BroadcastOp::create(b, vec(scalar.getType()), scalar);
}

/// A splat tensor constant as the equivalent vector constant.
inline Value splatConstant(ImplicitLocOpBuilder &b, DenseElementsAttr attr) {
  auto vt = vec(attr.getElementType());
  return arith::ConstantOp::create(
      b, vt, DenseElementsAttr::get(vt, attr.getSplatValue<Attribute>()));
}

inline Value toI64(ImplicitLocOpBuilder &b, Value index) {
  return arith::IndexCastOp::create(b, b.getI64Type(), index);
}

/// `for iv in [lb, ub) step s` with the body built by `fn`.
inline void forLoop(ImplicitLocOpBuilder &b, Value lb, Value ub, int64_t step,
                    function_ref<void(ImplicitLocOpBuilder &, Value)> fn) {
  auto loop = scf::ForOp::create(b, lb, ub, idx(b, step));
  ImplicitLocOpBuilder nb =
      ImplicitLocOpBuilder::atBlockBegin(b.getLoc(), loop.getBody());
  nb.setInsertionPoint(loop.getBody()->getTerminator());
  fn(nb, loop.getInductionVar());
}

/// `t` zero-padded to `shape` (a fresh tensor), or `t` itself when no
/// padding is needed: bufferization copies a strided buffer into the
/// identity layout that `toBuffer` asks for.
inline Value padded(ImplicitLocOpBuilder &b, Value t, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(t.getType());
  if (type.getShape() == shape)
    return t;
  Value zero =
      arith::ConstantOp::create(b, b.getFloatAttr(type.getElementType(), 0.0));
  Value init = tensor::EmptyOp::create(b, shape, type.getElementType());
  Value filled = linalg::FillOp::create(b, zero, init).getResult(0);
  SmallVector<OpFoldResult> offsets(shape.size(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> strides(shape.size(), b.getIndexAttr(1));
  SmallVector<OpFoldResult> sizes;
  for (int64_t s : type.getShape())
    sizes.push_back(b.getIndexAttr(s));
  return tensor::InsertSliceOp::create(b, t, filled, offsets, sizes, strides);
}

/// A read-only identity-layout buffer of tensor `t` (null stays null).
inline Value toBuffer(ImplicitLocOpBuilder &b, Value t) {
  if (!t)
    return Value();
  auto tt = cast<RankedTensorType>(t.getType());
  return bufferization::ToBufferOp::create(
      b, MemRefType::get(tt.getShape(), tt.getElementType()), t,
      /*read_only=*/true);
}

} // namespace mlir::tessera::kernel

#endif // TESSERA_DIALECT_TESSERA_TRANSFORMS_KERNELBUILDER_H
