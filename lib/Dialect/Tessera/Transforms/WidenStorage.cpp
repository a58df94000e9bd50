//===- WidenStorage.cpp - f16/bf16 storage, f32 compute ----------*- C++
//-*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Every kernel computes in f32. A tessera op on f16/bf16 tensors is cloned
// onto f32 tensors between one exact widening per operand and one rounding
// per result, so that the kernels, the schedules and both targets need no
// case of their own for the storage types.
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/IR/TesseraDialect.h"
#include "tessera/Dialect/Tessera/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/IR/Verifier.h"

namespace mlir::tessera {
#define GEN_PASS_DEF_TESSERAWIDENSTORAGEPASS
#include "tessera/Dialect/Tessera/Transforms/Passes.h.inc"
} // namespace mlir::tessera

using namespace mlir;
using namespace mlir::tessera;

namespace {

bool isStorageType(Type t) { return t.isF16() || t.isBF16(); }

/// `t` with f32 elements if it is a tensor of a storage type, else null.
RankedTensorType widened(Type t) {
  auto tensor = dyn_cast<RankedTensorType>(t);
  if (!tensor || !isStorageType(tensor.getElementType()))
    return {};
  return tensor.clone(Float32Type::get(t.getContext()));
}

/// Whether `op` has a tensor of a storage type.
bool hasStorageTensors(Operation *op) {
  auto types = llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes());
  return llvm::any_of(types, [](Type t) { return bool(widened(t)); });
}

/// Scalar regions (score_mod, epilogues) keep computing in the storage
/// type the user wrote: their storage-typed arguments now arrive in f32
/// and are rounded on entry, and their storage-typed yields are widened.
void widenRegions(Operation *op) {
  Type f32 = Float32Type::get(op->getContext());
  for (Region &region : op->getRegions())
    for (Block &block : region) {
      OpBuilder b = OpBuilder::atBlockBegin(&block);
      for (BlockArgument arg : block.getArguments()) {
        Type t = arg.getType();
        if (!isStorageType(t))
          continue;
        arg.setType(f32);
        auto narrow = arith::TruncFOp::create(b, arg.getLoc(), t, arg);
        arg.replaceAllUsesExcept(narrow, narrow);
      }
      Operation *terminator = block.getTerminator();
      b.setInsertionPoint(terminator);
      for (OpOperand &operand : terminator->getOpOperands())
        if (isStorageType(operand.get().getType()))
          operand.set(arith::ExtFOp::create(b, terminator->getLoc(), f32,
                                            operand.get()));
    }
}

FailureOr<Operation *> widen(Operation *op) {
  OpBuilder b(op);
  Location loc = op->getLoc();
  IRMapping mapping;
  for (Value operand : op->getOperands())
    if (RankedTensorType wide = widened(operand.getType()))
      mapping.map(operand, arith::ExtFOp::create(b, loc, wide, operand));
  Operation *wideOp = b.clone(*op, mapping);
  for (OpResult result : wideOp->getResults())
    if (RankedTensorType wide = widened(result.getType()))
      result.setType(wide);
  widenRegions(wideOp);
  LogicalResult verified = success();
  {
    // The op's own complaint about f32 types is not the user's problem.
    ScopedDiagnosticHandler quiet(op->getContext(),
                                  [](Diagnostic &) { return success(); });
    verified = verify(wideOp);
  }
  if (failed(verified)) {
    wideOp->erase();
    op->emitOpError() << "cannot be computed in f32 for its f16/bf16 tensors";
    return failure();
  }
  for (auto [old, wide] : llvm::zip(op->getResults(), wideOp->getResults())) {
    Value replacement = wide;
    if (old.getType() != wide.getType())
      replacement = arith::TruncFOp::create(b, loc, old.getType(), wide);
    old.replaceAllUsesWith(replacement);
  }
  op->erase();
  return wideOp;
}

struct WidenStoragePass
    : tessera::impl::TesseraWidenStoragePassBase<WidenStoragePass> {
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation()->walk([&](Operation *op) {
      if (!isa<TesseraDialect>(op->getDialect()) ||
          (op->getParentOp() &&
           isa<TesseraDialect>(op->getParentOp()->getDialect())))
        return;
      if (hasStorageTensors(op))
        ops.push_back(op);
    });
    for (Operation *op : ops)
      if (failed(widen(op)))
        return signalPassFailure();
  }
};

} // namespace

FailureOr<Operation *> mlir::tessera::widenStorage(Operation *op) {
  return hasStorageTensors(op) ? widen(op) : op;
}
