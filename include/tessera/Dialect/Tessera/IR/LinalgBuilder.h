//===- LinalgBuilder.h - Helper for building linalg.generic -----*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// The lowerings and decompositions of tessera ops emit many small
// linalg.generic ops; this builder keeps each one to a line or two.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECT_TESSERA_IR_LINALGBUILDER_H
#define TESSERA_DIALECT_TESSERA_IR_LINALGBUILDER_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

namespace mlir::tessera {

using BodyFn = function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// Small builder for the linalg.generic ops every lowering here emits. Loops
/// are numbered d0..d{n-1}; operands are indexed by lists of loop numbers.
class GenericBuilder {
public:
  GenericBuilder(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  arith::FastMathFlagsAttr fastMath() {
    return arith::FastMathFlagsAttr::get(
        b.getContext(), arith::FastMathFlags::reassoc |
                            arith::FastMathFlags::contract);
  }

  Value constant(double v, Type t) {
    return arith::ConstantOp::create(b, loc, t, b.getFloatAttr(t, v));
  }

  Value empty(ArrayRef<int64_t> shape, Type et) {
    return tensor::EmptyOp::create(b, loc, shape, et);
  }

  Value filled(ArrayRef<int64_t> shape, Type et, double v) {
    return linalg::FillOp::create(b, loc, constant(v, et), empty(shape, et))
        .getResult(0);
  }

  AffineMap map(unsigned numLoops, ArrayRef<unsigned> dims) {
    SmallVector<AffineExpr> exprs;
    for (unsigned d : dims)
      exprs.push_back(b.getAffineDimExpr(d));
    return AffineMap::get(numLoops, 0, exprs, b.getContext());
  }

  /// A generic with `numLoops` loops where the loops in `reductions` reduce;
  /// `inputDims`/`outputDims` give each operand's loop indices. The body
  /// returns one value per output.
  SmallVector<Value> generic(unsigned numLoops, ArrayRef<unsigned> reductions,
                             ValueRange inputs,
                             ArrayRef<SmallVector<unsigned>> inputDims,
                             ValueRange inits,
                             ArrayRef<SmallVector<unsigned>> outputDims,
                             function_ref<SmallVector<Value>(
                                 OpBuilder &, Location, ValueRange)> body) {
    SmallVector<AffineMap> maps;
    for (auto dims : llvm::concat<const SmallVector<unsigned>>(inputDims,
                                                               outputDims))
      maps.push_back(map(numLoops, dims));
    SmallVector<utils::IteratorType> iters(numLoops,
                                           utils::IteratorType::parallel);
    for (unsigned r : reductions)
      iters[r] = utils::IteratorType::reduction;
    auto op = linalg::GenericOp::create(
        b, loc, TypeRange(inits), inputs, inits, maps, iters,
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          linalg::YieldOp::create(nb, nloc, body(nb, nloc, args));
        });
    return SmallVector<Value>(op.getResults());
  }

  /// Elementwise generic over `shape` whose inputs all have that shape.
  Value elementwise(ValueRange inputs, ArrayRef<int64_t> shape, Type et,
                    BodyFn body) {
    SmallVector<unsigned> all = iota(shape.size());
    SmallVector<SmallVector<unsigned>> inDims(inputs.size(), all);
    return generic(shape.size(), {}, inputs, inDims, {empty(shape, et)}, {all},
                   [&](OpBuilder &nb, Location nloc, ValueRange args) {
                     return SmallVector<Value>{body(nb, nloc, args)};
                   })[0];
  }

  static SmallVector<unsigned> iota(unsigned n, unsigned start = 0) {
    SmallVector<unsigned> v;
    for (unsigned i = 0; i < n; ++i)
      v.push_back(start + i);
    return v;
  }

  OpBuilder &b;
  Location loc;
};

} // namespace mlir::tessera

#endif // TESSERA_DIALECT_TESSERA_IR_LINALGBUILDER_H
