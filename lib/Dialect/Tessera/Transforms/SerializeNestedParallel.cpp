//===- SerializeNestedParallel.cpp - Inner parallel loops in order -*- C++
//-*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::tessera {
#define GEN_PASS_DEF_TESSERASERIALIZENESTEDPARALLELPASS
#include "tessera/Dialect/Tessera/Transforms/Passes.h.inc"
} // namespace mlir::tessera

using namespace mlir;

namespace {

/// Replaces `loop` by a nest of scf.for over its dimensions, the first
/// outermost, so that its iterations run in their lexicographic order.
void serialize(scf::ParallelOp loop) {
  OpBuilder b(loop);
  Location loc = loop.getLoc();
  SmallVector<Value> ivs;
  for (auto [lb, ub, step] :
       llvm::zip(loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
    auto f = scf::ForOp::create(b, loc, lb, ub, step);
    ivs.push_back(f.getInductionVar());
    b.setInsertionPoint(f.getBody()->getTerminator());
  }
  Block *body = loop.getBody();
  for (auto [from, to] : llvm::zip(loop.getInductionVars(), ivs))
    from.replaceAllUsesWith(to);
  Block *inner = b.getInsertionBlock();
  inner->getOperations().splice(b.getInsertionPoint(), body->getOperations(),
                                body->begin(), std::prev(body->end()));
  loop.erase();
}

struct TesseraSerializeNestedParallelPass
    : tessera::impl::TesseraSerializeNestedParallelPassBase<
          TesseraSerializeNestedParallelPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    // Functions called from a parallel loop's body (a task function), and
    // the ones they call.
    llvm::SetVector<func::FuncOp> inTasks;
    auto addCallees = [&](Operation *root) {
      root->walk([&](func::CallOp call) {
        if (auto f = symbols.lookup<func::FuncOp>(call.getCallee()))
          inTasks.insert(f);
      });
    };
    module.walk([&](scf::ParallelOp loop) { addCallees(loop); });
    for (size_t i = 0; i < inTasks.size(); ++i)
      addCallees(inTasks[i]);
    SmallVector<scf::ParallelOp> nested;
    module.walk([&](scf::ParallelOp loop) {
      auto f = loop->getParentOfType<func::FuncOp>();
      if ((loop->getParentOfType<scf::ParallelOp>() ||
           (f && inTasks.contains(f))) &&
          loop.getInitVals().empty())
        nested.push_back(loop);
    });
    // Post-order: inner loops first, so no loop is erased before its
    // nested ones are visited.
    for (scf::ParallelOp loop : nested)
      serialize(loop);
  }
};

} // namespace
