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
include "tessera/Dialect/Tessera/IR/TesseraInterfaces.td"

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

//===----------------------------------------------------------------------===//
// Attention masks
//===----------------------------------------------------------------------===//

class Tessera_MaskAttr<string name, string attrMnemonic>
    : AttrDef<Tessera_Dialect, name,
              [DeclareAttrInterfaceMethods<Tessera_MaskAttrInterface>]> {
  let mnemonic = attrMnemonic;
}

def Tessera_CausalMaskAttr : Tessera_MaskAttr<"CausalMask", "causal"> {
  let summary = "causal mask: key position <= query position";
  let description = [{
    `#tessera.causal` lets query position `q` see keys `k <= q`. With the
    bottom-right alignment of `tessera.attention`, a decode step (Sq < Sk)
    sees the whole cache.
  }];
}

def Tessera_SlidingWindowMaskAttr
    : Tessera_MaskAttr<"SlidingWindowMask", "sliding_window"> {
  let summary = "local band: q - left <= k <= q + right";
  let description = [{
    `#tessera.sliding_window<left = 256, right = 0>` is causal sliding-window
    attention over the last 257 positions; `right > 0` looks ahead. Any
    value up to 9223372036854775807 (INT64_MAX) is exact: `left =
    9223372036854775807, right = 0` is an unbounded causal mask.
  }];
  let parameters = (ins "int64_t":$left, "int64_t":$right);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Tessera_BlockCausalMaskAttr
    : Tessera_MaskAttr<"BlockCausalMask", "block_causal"> {
  let summary = "frame-causal mask: k / frame <= q / frame";
  let description = [{
    `#tessera.block_causal<frame = 256>`: tokens come in frames of `frame`
    positions; a query sees every key of its own frame and of earlier
    frames (next-frame video diffusion).
  }];
  let parameters = (ins "int64_t":$frame);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Tessera_BlockDiagonalMaskAttr
    : Tessera_MaskAttr<"BlockDiagonalMask", "block_diagonal"> {
  let summary = "block-diagonal mask: k / block == q / block";
  let description = [{
    `#tessera.block_diagonal<block = 64>`: tokens attend only within their
    own block of `block` positions (part-level / hierarchical attention).
  }];
  let parameters = (ins "int64_t":$block);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Tessera_Neighborhood2DMaskAttr
    : Tessera_MaskAttr<"Neighborhood2DMask", "neighborhood_2d"> {
  let summary = "2-D neighbourhood on a row-major H×W token grid";
  let description = [{
    `#tessera.neighborhood_2d<height = 16, width = 16, radius_h = 2,
    radius_w = 2>`: position `p` is grid cell `(p / width, p % width)`
    (positions past the grid continue the row-major numbering); a query sees
    keys with `|Δrow| <= radius_h` and `|Δcol| <= radius_w` (a local
    perception field). `height` documents the grid and does not change
    the predicate. Tiles are classified in closed form (constant work per
    tile pair, exact for any 64-bit parameters).
  }];
  let parameters = (ins "int64_t":$height, "int64_t":$width,
                        "int64_t":$radius_h, "int64_t":$radius_w);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Tessera_AllOfMaskAttr : Tessera_MaskAttr<"AllOfMask", "all_of"> {
  let summary = "conjunction of masks";
  let description = [{
    `#tessera.all_of<[#tessera.causal, #tessera.sliding_window<left = 128,
    right = 0>]>` allows a pair when every listed mask does.

    Limits (for `all_of` and `any_of`): masks nest at most 32 levels deep
    (the parser refuses a deeper nesting before descending into it), and a
    mask holds at most 256 masks in all, counting every use of a repeated
    (aliased) mask. Both bound the predicate the lowering emits and the
    work of classifying tiles.
  }];
  let parameters = (ins "::mlir::ArrayAttr":$masks);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
}

def Tessera_AnyOfMaskAttr : Tessera_MaskAttr<"AnyOfMask", "any_of"> {
  let summary = "disjunction of masks";
  let description = [{
    `#tessera.any_of<[...]>` allows a pair when at least one listed mask
    does (e.g. a local window plus global leading tokens). Nesting and
    size limits as for `all_of`.
  }];
  let parameters = (ins "::mlir::ArrayAttr":$masks);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
}

#endif // TESSERA_DIALECT_TESSERA_IR_TESSERAATTRS_TD
