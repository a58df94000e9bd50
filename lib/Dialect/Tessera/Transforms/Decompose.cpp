//===- Decompose.cpp - Composite ops into core ops --------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/IR/TesseraOps.h"
#include "tessera/Dialect/Tessera/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::tessera {
#define GEN_PASS_DEF_TESSERADECOMPOSEPASS
#include "tessera/Dialect/Tessera/Transforms/Passes.h.inc"
} // namespace mlir::tessera

using namespace mlir;
using namespace mlir::tessera;

namespace {

struct TesseraDecomposePass
    : tessera::impl::TesseraDecomposePassBase<TesseraDecomposePass> {
  void runOnOperation() override {
    SmallVector<DecomposableOpInterface> ops;
    getOperation()->walk(
        [&](DecomposableOpInterface op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (DecomposableOpInterface op : ops) {
      // A composite attention op on f16/bf16 storage decomposes on f32, so
      // that the ops it becomes compute in f32 and its results are rounded
      // once. (A sampling loop's body is widened op by op after it is
      // inlined.)
      FailureOr<Operation *> wide =
          op->getNumRegions() ? FailureOr<Operation *>(op) : widenStorage(op);
      if (failed(wide) ||
          failed(cast<DecomposableOpInterface>(*wide).decompose(rewriter)))
        return signalPassFailure();
    }
    // Upstream aggregates (linalg.softmax) the later phases cannot lower.
    SmallVector<linalg::AggregatedOpInterface> aggregates;
    getOperation()->walk(
        [&](linalg::AggregatedOpInterface op) { aggregates.push_back(op); });
    for (linalg::AggregatedOpInterface op : aggregates) {
      rewriter.setInsertionPoint(op);
      FailureOr<SmallVector<Value>> results = op.decomposeOperation(rewriter);
      if (failed(results)) {
        op->emitError("cannot decompose this op");
        return signalPassFailure();
      }
      rewriter.replaceOp(op, *results);
    }
  }
};

} // namespace
