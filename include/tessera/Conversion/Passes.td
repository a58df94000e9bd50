//===- Passes.td - Tessera conversion passes ---------------*- tablegen -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_CONVERSION_PASSES_TD
#define TESSERA_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertTesseraToLinalgPass : Pass<"convert-tessera-to-linalg"> {
  let summary = "Lower tessera ops to linalg, tensor, arith and math";
  let description = [{
    Rewrites every `tessera` op into value-semantic `linalg.generic` ops
    (plus `tensor` reshapes and slices) with static shapes. Reductions carry
    `reassoc`/`contract` fast-math flags so that the CPU code generator can
    vectorise them. Dense attention is lowered as explicit scores, a
    numerically stable softmax (max-subtracted) and a P·V product.

    Ops with dynamic shapes or non-f32 element types are reported with a
    diagnostic and the pass fails.

    Example: `tessera-opt --convert-tessera-to-linalg input.mlir`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect"
  ];
}

#endif // TESSERA_CONVERSION_PASSES_TD
