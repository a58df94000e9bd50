//===- PrintSchedule.cpp - Print sampling tables ----------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/IR/TesseraOps.h"
#include "tessera/Dialect/Tessera/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::tessera {
#define GEN_PASS_DEF_TESSERAPRINTSCHEDULEPASS
#include "tessera/Dialect/Tessera/Transforms/Passes.h.inc"
} // namespace mlir::tessera

using namespace mlir;
using namespace mlir::tessera;

namespace {

void printRow(llvm::raw_ostream &os, StringRef name, ArrayRef<double> v) {
  os << "  " << name << ":";
  for (double x : v)
    os << " " << llvm::format("%.17g", x);
  os << "\n";
}

struct TesseraPrintSchedulePass
    : tessera::impl::TesseraPrintSchedulePassBase<TesseraPrintSchedulePass> {
  void runOnOperation() override {
    llvm::raw_ostream &os = llvm::outs();
    int64_t index = 0;
    WalkResult result = getOperation()->walk([&](Operation *op) {
      SchedulerAttrInterface scheduler;
      int64_t steps = 0;
      if (auto s = dyn_cast<SchedulerStepOp>(op)) {
        scheduler = s.getScheduler();
        steps = s.getNumInferenceSteps();
      } else if (auto s = dyn_cast<SampleOp>(op)) {
        scheduler = s.getScheduler();
        steps = s.getNumInferenceSteps();
      } else {
        return WalkResult::advance();
      }
      FailureOr<SamplingSchedule> t =
          scheduler.getSchedule(steps, [&] { return op->emitOpError(); });
      if (failed(t))
        return WalkResult::interrupt();
      auto func = op->getParentOfType<FunctionOpInterface>();
      os << "schedule @" << (func ? func.getName() : "?") << " #" << index++
         << " steps=" << steps
         << " init_noise_sigma=" << llvm::format("%.17g", t->initNoiseSigma)
         << "\n";
      printRow(os, "timestep", t->timestep);
      printRow(os, "input_scale", t->inputScale);
      printRow(os, "level", t->level);
      printRow(os, "A", t->sampleCoef);
      printRow(os, "B", t->outputCoef);
      printRow(os, "C", t->noiseCoef);
      printRow(os, "D", t->stateCoef);
      printRow(os, "P", t->stateSampleCoef);
      printRow(os, "Q", t->stateOutputCoef);
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
    markAllAnalysesPreserved();
  }
};

} // namespace
