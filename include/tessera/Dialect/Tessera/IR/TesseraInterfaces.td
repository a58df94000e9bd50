//===- TesseraInterfaces.td - Tessera interfaces -----------*- tablegen -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECT_TESSERA_IR_TESSERAINTERFACES_TD
#define TESSERA_DIALECT_TESSERA_IR_TESSERAINTERFACES_TD

include "mlir/IR/OpBase.td"

def Tessera_MaskAttrInterface : AttrInterface<"MaskAttrInterface"> {
  let cppNamespace = "::mlir::tessera";
  let description = [{
    An attention mask described by an attribute. Positions are absolute:
    query `i` of the op sits at position `i + shift`, where the shift is the
    `q_offset` operand, or `Sk - Sq` without one (bottom-right alignment, so
    a decode step's single query sees the whole cache under a causal mask).
    Key `j` sits at position `j`.

    A mask answers two questions. At compile time, `classifyTile` says
    whether a tile of positions is empty (never visited), full (computed
    without any mask arithmetic) or partial (the predicate is evaluated per
    element); answering "partial" is always correct, only slower, while
    "empty" and "full" must be exact. At run time, `buildAllowed` emits the
    per-element predicate; its operands are i64 scalars or vectors of one
    shape, and so is its i1 result.

    Contracts: `classifyTile` and `isAllowed` take constant time (closed
    forms, no enumeration of positions) and are exact for every int64
    argument and every attribute value (no signed overflow: compare
    differences with overflow checks or saturating arithmetic). The
    lowering only passes positions with |q|, |k| < 2^62 to `buildAllowed`
    (`q_offset` is clamped to ±2^61, sequences are at most 2^40 long), so
    a predicate built from differences of positions, floor divisions by
    positive attribute values and comparisons with attribute values cannot
    wrap in i64; a new mask must keep that property.

    A new mask is one attribute definition implementing these methods.
  }];
  let methods = [
    InterfaceMethod<[{
        Classifies the tile of query positions [q0, q1) and key positions
        [k0, k1) (an empty range gives Empty).
      }], "::mlir::tessera::TileKind", "classifyTile",
      (ins "int64_t":$q0, "int64_t":$q1, "int64_t":$k0, "int64_t":$k1)>,
    InterfaceMethod<[{
        Whether query position `q` may attend key position `k`.
      }], "bool", "isAllowed", (ins "int64_t":$q, "int64_t":$k)>,
    InterfaceMethod<[{
        Emits the predicate of `isAllowed` on i64 values (scalars or
        vectors of one shape).
      }], "::mlir::Value", "buildAllowed",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Location":$loc,
           "::mlir::Value":$q, "::mlir::Value":$k)>
  ];
}

def Tessera_DecomposableOpInterface : OpInterface<"DecomposableOpInterface"> {
  let cppNamespace = "::mlir::tessera";
  let description = [{
    A composite op that rewrites itself into core tessera ops and standard
    dialects (the `tessera-decompose` pass calls this for every op that
    implements it, in the `decompose` phase).
  }];
  let methods = [
    InterfaceMethod<[{
        Replaces the op by its decomposition; on failure, emits a diagnostic
        and leaves the IR unchanged.
      }], "::llvm::LogicalResult", "decompose",
      (ins "::mlir::RewriterBase &":$rewriter)>
  ];
}

#endif // TESSERA_DIALECT_TESSERA_IR_TESSERAINTERFACES_TD
