//===- MathApproximation.cpp - Polynomial math for f32 ----------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/Transforms/Passes.h"

#include "mlir/Dialect/Arith/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::tessera {
#define GEN_PASS_DEF_TESSERAMATHAPPROXIMATIONPASS
#include "tessera/Dialect/Tessera/Transforms/Passes.h.inc"
} // namespace mlir::tessera

using namespace mlir;

namespace {

struct TesseraMathApproximationPass
    : tessera::impl::TesseraMathApproximationPassBase<
          TesseraMathApproximationPass> {
  using Base::Base;

  void runOnOperation() override {
    llvm::StringSet<> names;
    for (const std::string &f : functions)
      names.insert(f);
    if (names.empty())
      names = {"exp", "tanh", "erf"};
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(
        patterns, [&](StringRef name) {
          return names.contains(name.starts_with("math.") ? name.drop_front(5)
                                                           : name);
        });
    // bf16 <-> f32 conversions as integer arithmetic: LLVM would otherwise
    // call compiler-rt's __truncsfbf2, which the link does not include.
    arith::populateExpandBFloat16Patterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
