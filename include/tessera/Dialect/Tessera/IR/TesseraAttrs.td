//===- TesseraAttrs.td - Tessera attributes and enums ------*- tablegen -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECT_TESSERA_IR_TESSERAATTRS_TD
#define TESSERA_DIALECT_TESSERA_IR_TESSERAATTRS_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "tessera/Dialect/Tessera/IR/TesseraDialect.td"

def Tessera_GeluApproximation : I32EnumAttr<"GeluApproximation",
    "how tessera.gelu evaluates the Gaussian CDF", [
      I32EnumAttrCase<"none", 0>,
      I32EnumAttrCase<"tanh", 1>
    ]> {
  let cppNamespace = "::mlir::tessera";
  let genSpecializedAttr = 0;
}

def Tessera_GeluApproximationAttr
    : EnumAttr<Tessera_Dialect, Tessera_GeluApproximation, "gelu_approximation">;

#endif // TESSERA_DIALECT_TESSERA_IR_TESSERAATTRS_TD
