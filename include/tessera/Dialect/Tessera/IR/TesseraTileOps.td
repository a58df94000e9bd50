//===- TesseraTileOps.td - The tile-level form --------------*- tablegen -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// The target-independent tile-level form. A schedule pass (for attention:
// tessera-flash-attention) turns a tensor op into loops over tiles: the
// task grid, the key tiles each query tile visits, GQA grouping, the
// online-softmax recurrence and the fused epilogue, with the arithmetic on
// one tile left as the ops below. Their operands are small memrefs (views
// of the operands and of per-task scratch); a per-target pass turns each
// into machine code (tessera-lower-tiles: register-blocked vector code for
// the CPU the module is built for).
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECT_TESSERA_IR_TESSERATILEOPS_TD
#define TESSERA_DIALECT_TESSERA_IR_TESSERATILEOPS_TD

def Tessera_Tile : MemRefRankOf<[F32], [2]>;
def Tessera_TileRow : MemRefRankOf<[F32], [1]>;

def Tessera_TileMatmulOp : Tessera_Op<"tile_matmul"> {
  let summary = "a tile product: C = [C +] scale · A·B [+ bias]";
  let description = [{
    `c[i, j] = (accumulate ? c[i, j] : 0) + scale · Σ_k a[i, k] · b[k, j]
    + bias[j]` for A [M, K], B [K, N], C [M, N] and the optional `bias`
    [N], all f32 and of static shape. `scale` defaults to 1. With
    `skip_masked`, a term whose `a[i, k]` has the bit pattern of -0.0 (the
    probability of a masked key, see `tessera.tile_online_softmax`) is
    left out, so that a NaN or infinity in the matching row of B cannot
    reach C.

    `operand_type` (f16 or bf16) lets a target round A and B to that type
    and multiply in it with f32 accumulation: the CUDA target lowers such a
    product to tensor-core `mma.sync` instructions (see
    `tessera-gpu-map-loops`); the CPU computes it in f32 as any other. The
    schedules set it where B is exact in the type, widened from it by
    `tessera-widen-storage`: linear layers (x and W both exact, so the
    products are the CPU's) and attention on f16/bf16 Q, K and V (Q·Kᵀ
    exact; P·V rounds the probabilities, as flash attention does on tensor
    cores, an error below the output's half ulp).

    This is the one product every tile schedule uses (attention's Q·Kᵀ
    with K stored transposed per tile and P·V; linear layers' x·Wᵀ with W
    stored transposed per column tile); each target lowers it to its own
    microkernel (on CPU: an outer-product register block sized from the
    vector registers).

    Example:
    ```mlir
    tessera.tile_matmul %q, %kt into %s {scale = 0.125 : f32}
        : memref<64x64xf32, strided<[64, 1], offset: ?>>,
          memref<64x64xf32, strided<[64, 1], offset: ?>>, memref<64x64xf32>
    ```
  }];
  let arguments = (ins Arg<Tessera_Tile, "", [MemRead]>:$a,
                       Arg<Tessera_Tile, "", [MemRead]>:$b,
                       Arg<Tessera_Tile, "", [MemRead, MemWrite]>:$c,
                       Arg<Optional<Tessera_TileRow>, "", [MemRead]>:$bias,
                       UnitAttr:$accumulate, UnitAttr:$skip_masked,
                       OptionalAttr<F32Attr>:$scale,
                       OptionalAttr<TypeAttr>:$operand_type);
  let assemblyFormat = [{
    $a `,` $b `into` $c (`bias` `(` $bias^ `:` type($bias) `)`)? attr-dict
    `:` type($a) `,` type($b) `,` type($c)
  }];
  let hasVerifier = 1;
}

def Tessera_TileScoreModOp : Tessera_Op<"tile_score_mod",
    [IsolatedFromAbove]> {
  let summary = "applies a score_mod region to every score of a tile";
  let description = [{
    `s[i, j] = f(s[i, j], b, h, q0 + i, k0 + j)` where `f` is the region,
    with the signature of `tessera.attention`'s `score_mod`
    `(s: f32, b, h, q, k: index) -> f32`: elementwise ops and constants
    only, ended by `tessera.yield`. `q0` and `k0` are the (i64) positions
    of the tile's first query and key.
  }];
  let arguments = (ins Arg<Tessera_Tile, "", [MemRead, MemWrite]>:$scores,
                       Index:$batch, Index:$head, I64:$q0, I64:$k0);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $scores `at` `(` $batch `,` $head `,` $q0 `,` $k0 `)` attr-dict `:`
    type($scores) $body
  }];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
}

def Tessera_TileAddMaskOp : Tessera_Op<"tile_add_mask"> {
  let summary = "adds an additive mask tile to a score tile";
  let description = [{
    `s[i, j] = m[i, j] == -inf ? -inf : s[i, j] + m[i, j]`: an entry of
    -inf excludes the key whatever its score (NaN included). Each dimension
    of `m` is that of `s` or 1 (broadcast).
  }];
  let arguments = (ins Arg<Tessera_Tile, "", [MemRead]>:$mask,
                       Arg<Tessera_Tile, "", [MemRead, MemWrite]>:$scores);
  let assemblyFormat = [{
    $mask `into` $scores attr-dict `:` type($mask) `,` type($scores)
  }];
  let hasVerifier = 1;
}

def Tessera_TileMaskOp : Tessera_Op<"tile_mask"> {
  let summary = "masks the scores of a partial tile";
  let description = [{
    `s[i, j] = -inf` where the `mask` attribute excludes query position
    `q0 + i` from key position `k0 + j`, or where `k0 + j >= num_keys`
    (the padding past the last key). At least one of the two is given.
    The schedule emits it only for tiles classified as partial at compile
    time (or not classified); full tiles carry no mask arithmetic.
  }];
  let arguments = (ins Arg<Tessera_Tile, "", [MemRead, MemWrite]>:$scores,
                       I64:$q0, I64:$k0,
                       OptionalAttr<Tessera_MaskAttrInterface>:$mask,
                       OptionalAttr<I64Attr>:$num_keys);
  let assemblyFormat = [{
    $scores `at` `(` $q0 `,` $k0 `)` attr-dict `:` type($scores)
  }];
  let hasVerifier = 1;
}

def Tessera_TileOnlineSoftmaxOp : Tessera_Op<"tile_online_softmax"> {
  let summary = "one step of the online-softmax recurrence";
  let description = [{
    For a score tile S [M, N], the running row maxima `max` [M] and sums
    `sum` [M] and the accumulator `acc` [M, Dv], per row i:

    ```
    m'   = max(max[i], max_j S[i, j])       (-inf while nothing is allowed)
    α    = exp(max[i] - m'),  p_ij = exp(S[i, j] - m')   (m' = -inf: use 0)
    S[i, j] = p_ij, or -0.0 where S[i, j] = -inf (the masked marker)
    sum[i] = sum[i] · α + Σ_j S[i, j];  acc[i, :] *= α;  max[i] = m'
    ```

    A NaN score makes its row's output NaN.
  }];
  let arguments = (ins Arg<Tessera_Tile, "", [MemRead, MemWrite]>:$scores,
                       Arg<Tessera_TileRow, "", [MemRead, MemWrite]>:$max,
                       Arg<Tessera_TileRow, "", [MemRead, MemWrite]>:$sum,
                       Arg<Tessera_Tile, "", [MemRead, MemWrite]>:$acc);
  let assemblyFormat = [{
    $scores `,` $max `,` $sum `,` $acc attr-dict `:` type($scores) `,`
    type($max) `,` type($sum) `,` type($acc)
  }];
  let hasVerifier = 1;
}

def Tessera_TileNormalizeOp : Tessera_Op<"tile_normalize",
    [IsolatedFromAbove]> {
  let summary = "writes acc / sum through the fused epilogue";
  let description = [{
    `out[i, j] = f(x, e_1[i, j], ..., e_n[i, j])` with
    `x = sum[i] == 0 ? 0 : acc[i, j] / sum[i]` (a row that attended
    nothing is zero), for every element of `out` [R, C]; `acc` [M, Cp] and
    `sum` [M] may be larger (padding, the rows of a tile past the end of
    the sequence). `f` is the optional `epilogue` region
    `(x: f32, e_1: f32, ..., e_n: f32) -> f32` of elementwise ops and
    constants ended by `tessera.yield`, where the `inputs` tiles are of
    `out`'s shape; without it `f(x) = x`.
  }];
  let arguments = (ins Arg<Tessera_Tile, "", [MemRead]>:$acc,
                       Arg<Tessera_TileRow, "", [MemRead]>:$sum,
                       Arg<Tessera_Tile, "", [MemWrite]>:$out,
                       Arg<Variadic<Tessera_Tile>, "", [MemRead]>:$inputs);
  let regions = (region AnyRegion:$epilogue);
  let assemblyFormat = [{
    $acc `,` $sum `into` $out (`inputs` `(` $inputs^ `:` type($inputs) `)`)?
    attr-dict `:` type($acc) `,` type($sum) `,` type($out)
    (`epilogue` $epilogue^)?
  }];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
}

#endif // TESSERA_DIALECT_TESSERA_IR_TESSERATILEOPS_TD
