//===- TesseraOps.td - Tessera operations ------------------*- tablegen -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECT_TESSERA_IR_TESSERAOPS_TD
#define TESSERA_DIALECT_TESSERA_IR_TESSERAOPS_TD

include "tessera/Dialect/Tessera/IR/TesseraDialect.td"
include "tessera/Dialect/Tessera/IR/TesseraAttrs.td"
include "tessera/Dialect/Tessera/IR/TesseraInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

def Tessera_FloatTensor : RankedTensorOf<[AnyFloat]>;

// DefaultValuedAttr whose summary, and so the generated op docs, names the
// default: "64-bit float attribute (default: 10000.0)". `shown` is the
// default as written in IR where `val` is a C++ expression.
class Tessera_DefaultValuedAttr<Attr attr, string val, string shown = val>
    : DefaultValuedAttr<attr, val> {
  let summary = attr.summary # " (default: " # shown # ")";
}

//===----------------------------------------------------------------------===//
// Linear layers and normalisation
//===----------------------------------------------------------------------===//

def Tessera_LinearOp : Tessera_Op<"linear", [Pure]> {
  let summary = "fully connected layer: x · Wᵀ + b";
  let description = [{
    Multiplies the last dimension of `input` ([..., K]) with `weight`
    ([N, K], the PyTorch `nn.Linear` layout) and adds the optional `bias`
    ([N]). The result has the shape of `input` with the last dimension
    replaced by N.

    Example:
    ```mlir
    %y = tessera.linear %x, %w bias(%b)
        : (tensor<2x256x384xf32>, tensor<1152x384xf32>, tensor<1152xf32>)
        -> tensor<2x256x1152xf32>
    ```
  }];
  let arguments = (ins Tessera_FloatTensor:$input, Tessera_FloatTensor:$weight,
                       Optional<Tessera_FloatTensor>:$bias);
  let results = (outs Tessera_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`bias` `(` $bias^ `)`)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tessera_LayerNormOp : Tessera_Op<"layer_norm",
    [Pure, AttrSizedOperandSegments]> {
  let summary = "layer normalisation over the last dimension";
  let description = [{
    `(x - mean) / sqrt(var + epsilon) * weight + bias`, with the mean and
    the biased variance taken over the last dimension. `weight` and `bias`
    ([C]) are optional (DiT's adaLN blocks use neither).

    Numerics (CPU lowering): the moments are taken around the row's first
    element K (shifted two-pass: o = Σ(x - K)/C, then Σ((x - K) - o)²) and
    the output is `((x - K) - o) · rsqrt(var + epsilon)`, so a large mean
    costs no accuracy: rows of 1e4 ± 1 stay within 5e-7 of a float64
    reference, where forming `x - mean` from an f32 mean is off by ~1e-3.

    Example:
    ```mlir
    %y = tessera.layer_norm %x weight(%g) bias(%b) {epsilon = 1.0e-06 : f32}
        : (tensor<2x256x384xf32>, tensor<384xf32>, tensor<384xf32>)
        -> tensor<2x256x384xf32>
    ```
  }];
  let arguments = (ins Tessera_FloatTensor:$input,
                       Optional<Tessera_FloatTensor>:$weight,
                       Optional<Tessera_FloatTensor>:$bias,
                       Tessera_DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs Tessera_FloatTensor:$result);
  let assemblyFormat = [{
    $input (`weight` `(` $weight^ `)`)? (`bias` `(` $bias^ `)`)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tessera_RMSNormOp : Tessera_Op<"rms_norm", [Pure]> {
  let summary = "root-mean-square normalisation over the last dimension";
  let description = [{
    `x / sqrt(mean(x²) + epsilon) * weight`, the mean taken over the last
    dimension; `weight` ([C]) is optional.

    Example:
    ```mlir
    %y = tessera.rms_norm %x weight(%g) {epsilon = 1.0e-06 : f32}
        : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
    ```
  }];
  let arguments = (ins Tessera_FloatTensor:$input,
                       Optional<Tessera_FloatTensor>:$weight,
                       Tessera_DefaultValuedAttr<F32Attr, "1.0e-6">:$epsilon);
  let results = (outs Tessera_FloatTensor:$result);
  let assemblyFormat = [{
    $input (`weight` `(` $weight^ `)`)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Activations and modulation
//===----------------------------------------------------------------------===//

class Tessera_UnaryOp<string mnemonic, list<Trait> traits = []>
    : Tessera_Op<mnemonic, !listconcat(traits,
          [Pure, SameOperandsAndResultType])> {
  let arguments = (ins Tessera_FloatTensor:$input);
  let results = (outs Tessera_FloatTensor:$result);
}

def Tessera_GeluOp : Tessera_UnaryOp<"gelu"> {
  let summary = "Gaussian error linear unit";
  let description = [{
    `approximate = none` (default) computes `0.5·x·(1 + erf(x/√2))`;
    `approximate = tanh` computes
    `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`, as DiT's MLP does.

    Example:
    ```mlir
    %y = tessera.gelu %x approximate(tanh) : tensor<2x256x1536xf32>
    ```
  }];
  let arguments = (ins Tessera_FloatTensor:$input,
      Tessera_DefaultValuedAttr<Tessera_GeluApproximationAttr,
                        "::mlir::tessera::GeluApproximation::none",
                        "none">:$approximate);
  let assemblyFormat = [{
    $input (`approximate` `(` $approximate^ `)`)? attr-dict `:` type($result)
  }];
}

def Tessera_SiluOp : Tessera_UnaryOp<"silu"> {
  let summary = "sigmoid linear unit x·σ(x)";
  let description = [{
    Elementwise `x / (1 + exp(-x))`.

    Example:
    ```mlir
    %y = tessera.silu %c : tensor<2x384xf32>
    ```
  }];
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

def Tessera_SwiGLUOp : Tessera_Op<"swiglu",
    [Pure, SameOperandsAndResultType]> {
  let summary = "SwiGLU gate: silu(gate) · up";
  let description = [{
    Elementwise `silu(gate) * up` on two tensors of the same type (the two
    halves of a gated MLP's first projection).

    Example:
    ```mlir
    %h = tessera.swiglu %g, %u : tensor<4x256xf32>
    ```
  }];
  let arguments = (ins Tessera_FloatTensor:$gate, Tessera_FloatTensor:$up);
  let results = (outs Tessera_FloatTensor:$result);
  let assemblyFormat = "$gate `,` $up attr-dict `:` type($result)";
}

def Tessera_RoPEOp : Tessera_Op<"rope", [Pure, SameOperandsAndResultType]> {
  let summary = "rotary position embedding";
  let description = [{
    Rotates pairs of channels of `input` ([..., S, D], D even) by the angle
    `p · theta^(-2i/D)` for the pair index `i < D/2`, where
    `p = position_offset + s` is the token position. Pairs are
    `(x[i], x[i + D/2])` (the GPT-NeoX / LLaMA "rotate half" layout) or,
    with `interleaved`, `(x[2i], x[2i+1])` (the original RoFormer layout):

    ```
    y_a = x_a·cos(θ) − x_b·sin(θ)
    y_b = x_b·cos(θ) + x_a·sin(θ)
    ```

    Example:
    ```mlir
    %q2 = tessera.rope %q {theta = 10000.0 : f64, interleaved}
        : tensor<1x8x128x64xf32>
    ```
  }];
  let arguments = (ins Tessera_FloatTensor:$input,
                       Tessera_DefaultValuedAttr<F64Attr, "10000.0">:$theta,
                       Tessera_DefaultValuedAttr<I64Attr, "0">:$position_offset,
                       UnitAttr:$interleaved);
  let results = (outs Tessera_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Tessera_ModulateOp : Tessera_Op<"modulate", [Pure]> {
  let summary = "adaLN modulation x·(1 + scale) + shift";
  let description = [{
    The adaptive layer-norm modulation of DiT and PixArt-α: `input` is
    [B, ..., C]; `shift` and `scale` are [B, C] and are broadcast over the
    middle (token) dimensions.

    Example:
    ```mlir
    %y = tessera.modulate %x, %shift, %scale
        : (tensor<2x256x384xf32>, tensor<2x384xf32>, tensor<2x384xf32>)
        -> tensor<2x256x384xf32>
    ```
  }];
  let arguments = (ins Tessera_FloatTensor:$input, Tessera_FloatTensor:$shift,
                       Tessera_FloatTensor:$scale);
  let results = (outs Tessera_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $shift `,` $scale attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tessera_TimestepEmbeddingOp : Tessera_Op<"timestep_embedding", [Pure]> {
  let summary = "sinusoidal timestep embedding";
  let description = [{
    Embeds diffusion timesteps `t` ([B]) into [B, dim], where `dim` is the
    result's last dimension, exactly as diffusers'
    `get_timestep_embedding(t, dim, flip_sin_to_cos, downscale_freq_shift,
    scale, max_period)` does. With `half = dim / 2` (rounded down),

    ```
    f_i = exp(-ln(max_period) · i / (half - downscale_freq_shift)),  i < half
    a_i = scale · t · f_i
    ```

    the result row is `[cos(a_0) … cos(a_{half-1}), sin(a_0) … sin(a_{half-1})]`
    with `flip_sin_to_cos` (the default), or the sines first without it,
    followed by one zero column when `dim` is odd. The values are computed
    in f64 and rounded once.

    The defaults (`flip_sin_to_cos = true`, `downscale_freq_shift = 0.0`,
    `scale = 1.0`, `max_period = 10000.0`) are the original DiT and
    PixArt-α embedding, i.e. diffusers'
    `Timesteps(256, flip_sin_to_cos=True, downscale_freq_shift=0)`.
    diffusers' own DiT port (`CombinedTimestepLabelEmbeddings`) uses
    `downscale_freq_shift = 1.0`; note that the defaults of the diffusers
    *function* `get_timestep_embedding` differ (`flip_sin_to_cos=False`,
    `downscale_freq_shift=1`), so spell out both attributes when porting a
    call that relies on them. `half - downscale_freq_shift` must be
    positive (diffusers divides by zero at equality).

    Example:
    ```mlir
    %e = tessera.timestep_embedding %t {downscale_freq_shift = 1.0 : f64}
        : (tensor<2xf32>) -> tensor<2x256xf32>
    ```
  }];
  let arguments = (ins Tessera_FloatTensor:$timesteps,
                       Tessera_DefaultValuedAttr<F64Attr, "10000.0">:$max_period,
                       Tessera_DefaultValuedAttr<BoolAttr, "true">:$flip_sin_to_cos,
                       Tessera_DefaultValuedAttr<F64Attr, "0.0">:$downscale_freq_shift,
                       Tessera_DefaultValuedAttr<F64Attr, "1.0">:$scale);
  let results = (outs Tessera_FloatTensor:$result);
  let assemblyFormat = [{
    $timesteps attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

def Tessera_AttentionOp : Tessera_Op<"attention",
    [Pure, AttrSizedOperandSegments, IsolatedFromAbove]> {
  let summary = "scaled dot-product attention with masks and score modifiers";
  let description = [{
    `softmax(scale · Q·Kᵀ + modifiers) · V` over the key axis, per batch
    and head. `query` is [B, Hq, Sq, D], `key` is [B, Hkv, Sk, D], `value`
    is [B, Hkv, Sk, Dv] and the result is [B, Hq, Sq, Dv]. Hq must be a
    multiple of Hkv: query head `h` reads key/value head
    `h floordiv (Hq / Hkv)` (grouped-query attention; multi-query when
    Hkv = 1). Sq and Sk may differ (cross-attention, decoding). `scale`
    defaults to `1/sqrt(D)`.

    Positions: query `i` is at position `i + q_offset` when the `q_offset`
    operand is given (decoding against a KV cache), else `i + Sk - Sq`
    (bottom-right alignment); key `j` is at position `j`. A `q_offset`
    outside [-2^61, 2^61] is clamped into it, so that position arithmetic
    in the mask predicates is exact in 64 bits.

    Causal alignment and PyTorch: `is_causal=True` in
    `torch.nn.functional.scaled_dot_product_attention` is top-left aligned
    (query `i` sees keys `j <= i`), whereas `#tessera.causal` here is
    bottom-right aligned (query `i` sees keys `j <= i + Sk - Sq`), which is
    `torch.nn.attention.bias.causal_lower_right`; `causal_upper_left` is
    top-left. For Sq == Sk the two coincide. For top-left alignment with
    Sq != Sk, pass `q_offset(%c0)`.

    Optional parts, in the order they apply to a score `s = scale·q·k`:
    * `score_mod` region `(s: f32, b, h, q, k: index) -> f32`, with `q`/`k`
      positions: ALiBi, tanh soft-capping, relative position biases. It may
      contain only elementwise ops and constants and captures nothing (the
      op is isolated from above); it is inlined, vectorised, into the
      innermost loop.
    * `mask(%m)`: an explicit tensor broadcastable to [B, Hq, Sq, Sk] as in
      NumPy and PyTorch SDPA (rank at most 4, trailing dimensions aligned,
      each 1 or the full size: [Sq, Sk], [Hq, 1, Sk], [B, 1, Sq, Sk], ...),
      either i1 (true = attend) or of the element type (added to the
      score); an excluded key (false, or an entry of -inf) contributes
      nothing whatever its score, NaN included.
    * `mask` attribute (`#tessera.causal`, `#tessera.sliding_window<...>`,
      `#tessera.block_causal<...>`, `#tessera.block_diagonal<...>`,
      `#tessera.neighborhood_2d<...>`, `#tessera.all_of<[...]>`,
      `#tessera.any_of<[...]>`): the lowering skips tiles it rules out at
      compile time.
    * `block_index(%bi)` with `block_sizes = array<i64: BQ, BK>`: run-time
      block sparsity. `%bi` is i32 [B or 1, Hq or 1, ceil(Sq/BQ), N]: for each
      query block, the set of up to N key-block indices to visit. A
      negative entry ends the list; out-of-range and repeated entries are
      ignored.

    A query row that may attend no key yields zeros.

    NaN and infinities: a masked key (excluded by the mask attribute, an i1
    mask entry, a -inf additive mask entry, `block_index`, or a `score_mod`
    result of -inf) contributes exactly nothing, whatever its key and
    value hold (NaN, ±inf, an uninitialised KV-cache row past the current
    position). A NaN or infinity in a key or value that a query does see
    reaches that query's output (NaN), and a NaN query row makes only its
    own output row NaN.

    Example:
    ```mlir
    %o = tessera.attention %q, %k, %v {mask = #tessera.causal}
        : (tensor<1x8x1024x64xf32>, tensor<1x2x1024x64xf32>,
           tensor<1x2x1024x64xf32>) -> tensor<1x8x1024x64xf32>
    %c = tessera.attention %q, %k, %v
        : (tensor<1x8x1024x64xf32>, tensor<1x2x1024x64xf32>,
           tensor<1x2x1024x64xf32>) -> tensor<1x8x1024x64xf32>
        score_mod {
        ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
          %cap = arith.constant 30.0 : f32
          %t = arith.divf %s, %cap : f32
          %u = math.tanh %t : f32
          %r = arith.mulf %u, %cap : f32
          tessera.yield %r : f32
        }
    ```
  }];
  let arguments = (ins Tessera_FloatTensor:$query, Tessera_FloatTensor:$key,
                       Tessera_FloatTensor:$value,
                       Optional<RankedTensorOf<[I1, AnyFloat]>>:$explicit_mask,
                       Optional<Index>:$q_offset,
                       Optional<RankedTensorOf<[I32]>>:$block_index,
                       OptionalAttr<F32Attr>:$scale,
                       OptionalAttr<Tessera_MaskAttrInterface>:$mask,
                       OptionalAttr<DenseI64ArrayAttr>:$block_sizes);
  let results = (outs Tessera_FloatTensor:$result);
  let regions = (region AnyRegion:$score_mod);
  let assemblyFormat = [{
    $query `,` $key `,` $value
    (`mask` `(` $explicit_mask^ `)`)?
    (`q_offset` `(` $q_offset^ `)`)?
    (`block_index` `(` $block_index^ `)`)?
    attr-dict `:` functional-type(operands, results)
    (`score_mod` $score_mod^)?
  }];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    /// The softmax scale: the `scale` attribute or 1/sqrt(D).
    double getEffectiveScale();
  }];
}

def Tessera_ProbSparseAttentionOp : Tessera_Op<"probsparse_attention",
    [Pure, DeclareOpInterfaceMethods<Tessera_DecomposableOpInterface>]> {
  let summary = "ProbSparse self-attention (Informer)";
  let description = [{
    Informer's ProbSparse attention (`ProbAttention` in the official
    implementation, zhouhaoyi/Informer2020 `models/attn.py`) on Q
    [B, H, Sq, D], K [B, H, Sk, D], V [B, H, Sk, Dv]; the result is
    [B, H, Sq, Dv]. By default it computes what the official code computes,
    except for the key sampler (run-time random there, deterministic here):
    1. Budgets: U = min(Sk, factor·⌈ln Sk⌉) sampled keys per query and
       u = min(Sq, factor·⌈ln Sq⌉) active queries (natural log, computed in
       double; a product too large for 64 bits saturates to Sk or Sq).
       Sq = 1 gives u = 0 (every query is lazy), as in Informer. Sk = 1
       gives U = 1 (the official code has U = 0 there and fails on an empty
       maximum).
    2. Sampler: query `i` scores the keys `idx[i][j]`, j = 0 … U-1, drawn with
       replacement. With n = i·U + j + 1 and all arithmetic modulo 2^64
       (`seed` read as unsigned 64-bit):
       `z = seed + n·0x9E3779B97F4A7C15`,
       `z = (z ^ (z >> 30))·0xBF58476D1CE4E5B9`,
       `z = (z ^ (z >> 27))·0x94D049BB133111EB`,
       `idx[i][j] = (z ^ (z >> 31)) mod Sk` — the n-th output of splitmix64
       seeded with `seed`, the draws taken row by row. The same keys serve
       every batch and head (Informer's `torch.randint(L_K, (L_Q, U))`
       likewise). The table is computed in the generated code, not at
       compile time.
    3. Sparsity: with the unscaled sampled scores s_j = q_i·k_idx[i][j],
       M(q_i) = max_j s_j − (Σ_j s_j) / Sk (the sum over the U samples
       divided by the full key length, as in Informer).
    4. Selection: the u queries first in the strict total order "NaN before
       any number, then larger M first, ties (equal M, or both NaN) to the
       lower index". NaN ranks highest, as in `torch.topk`; M is NaN when a
       sampled score is NaN (a NaN in the query row or in a sampled key
       row) or infinities cancel. Each selected query appears exactly once,
       and every index derived from the data is clamped into its tensor, so
       no input can cause an out-of-bounds access.
    5. Selected queries get softmax attention over all keys with scale
       1/sqrt(D), Informer's default (with `causal`, over keys 0 … i only:
       a NaN or Inf in a later key row cannot reach query i).
    6. Lazy queries output mean(V) over the keys, or with `causal` the
       cumulative sum Σ_{j ≤ i} v_j (Informer's `V.cumsum(dim=-2)`).

    `sample_mean` selects the alternative form: M = max − mean of the U
    sampled scores (divided by U, not Sk), and with `causal` lazy queries
    output the cumulative mean (Σ_{j ≤ i} v_j) / (i + 1). Non-causal lazy
    queries output mean(V) in both forms.

    `causal` requires Sq == Sk. The verifier rejects Sq = 0, Sk = 0, D = 0,
    B, H or Dv = 0, factor ≤ 0, and any tensor the op or its decomposition holds (Q, K, V,
    the result, the [Sq, U] sample table, the [B, H, Sq, U] sampled scores,
    the [B, H, u, Sk] causal mask) whose size at 8 bytes an element
    exceeds 2^63 − 1 bytes; the decomposition holds no compile-time tables,
    so compile time and memory do not depend on the sizes.

    NaN propagates only where it is used: a NaN query row makes that
    query's M NaN, so it is selected (when u ≥ 1) and its output row is
    NaN; a NaN key row makes NaN the output of every selected query that
    attends it, and the M of the queries that sampled it. Lazy outputs
    depend on V alone.

    It decomposes (`tessera-decompose`) into `tessera.attention` on the
    gathered top-u queries plus linalg gathers and reductions.

    Example:
    ```mlir
    %o = tessera.probsparse_attention %q, %k, %v {factor = 5 : i64}
        : (tensor<2x8x96x64xf32>, tensor<2x8x96x64xf32>,
           tensor<2x8x96x64xf32>) -> tensor<2x8x96x64xf32>
    ```
  }];
  let arguments = (ins Tessera_FloatTensor:$query, Tessera_FloatTensor:$key,
                       Tessera_FloatTensor:$value,
                       Tessera_DefaultValuedAttr<I64Attr, "5">:$factor,
                       Tessera_DefaultValuedAttr<I64Attr, "0">:$seed,
                       UnitAttr:$causal, UnitAttr:$sample_mean);
  let results = (outs Tessera_FloatTensor:$result);
  let assemblyFormat = [{
    $query `,` $key `,` $value attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Keys sampled per query and queries given full attention.
    int64_t getNumSampledKeys();
    int64_t getNumActiveQueries();
  }];
}

def Tessera_StripAttentionOp : Tessera_Op<"strip_attention",
    [Pure, DeclareOpInterfaceMethods<Tessera_DecomposableOpInterface>]> {
  let summary = "strip attention with pooled keys and compressed channels (S2AFormer)";
  let description = [{
    S2AFormer's efficient attention: keys and values ([B, H, Sk, D] and
    [B, H, Sk, Dv]) are average-pooled along the sequence by `pool` (which
    must divide Sk), queries and pooled keys are channel-compressed by the
    projections `query_proj` and `key_proj` ([Dc, D], applied as x·Wᵀ), and
    the core attention runs on the result with scale 1/sqrt(Dc). It
    decomposes (`tessera-decompose`) into `tessera.linear`, a pooling
    `linalg.generic` and `tessera.attention`.

    Example:
    ```mlir
    %o = tessera.strip_attention %q, %k, %v, %wq, %wk {pool = 4 : i64}
        : (tensor<1x4x256x32xf32>, tensor<1x4x256x32xf32>,
           tensor<1x4x256x32xf32>, tensor<16x32xf32>, tensor<16x32xf32>)
        -> tensor<1x4x256x32xf32>
    ```
  }];
  let arguments = (ins Tessera_FloatTensor:$query, Tessera_FloatTensor:$key,
                       Tessera_FloatTensor:$value,
                       Tessera_FloatTensor:$query_proj,
                       Tessera_FloatTensor:$key_proj,
                       Tessera_DefaultValuedAttr<I64Attr, "1">:$pool);
  let results = (outs Tessera_FloatTensor:$result);
  let assemblyFormat = [{
    $query `,` $key `,` $value `,` $query_proj `,` $key_proj attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tessera_YieldOp : Tessera_Op<"yield",
    [Pure, Terminator, ReturnLike,
     ParentOneOf<["AttentionOp", "SampleOp", "TileScoreModOp",
                  "TileNormalizeOp"]>]> {
  let summary = "yields the value of a tessera region";
  let description = [{
    Terminates `tessera.attention`'s `score_mod` region
    (`tessera.yield %score : f32`) and `tessera.sample`'s denoiser region
    (`tessera.yield %model_output : tensor<...>`), and the regions of the
    tile ops `tessera.tile_score_mod` and `tessera.tile_normalize`.
  }];
  let arguments = (ins AnyTypeOf<[AnyFloat, Tessera_FloatTensor]>:$value);
  let assemblyFormat = "$value attr-dict `:` type($value)";
}

def Tessera_KVCacheUpdateOp : Tessera_Op<"kv_cache_update", [Pure]> {
  let summary = "write new key/value rows into a cache at an offset";
  let description = [{
    Returns `cache` ([B, H, Smax, D]) with rows `offset … offset + Snew - 1`
    of the sequence axis replaced by `update` ([B, H, Snew, D]). An offset
    outside `[0, Smax - Snew]` is clamped into it, so a bad offset can never
    write out of bounds.

    Example (one decode step):
    ```mlir
    %k2 = tessera.kv_cache_update %kcache, %knew, %pos
        : (tensor<1x2x4096x64xf32>, tensor<1x2x1x64xf32>, index)
        -> tensor<1x2x4096x64xf32>
    ```
  }];
  let arguments = (ins Tessera_FloatTensor:$cache, Tessera_FloatTensor:$update,
                       Index:$offset);
  let results = (outs Tessera_FloatTensor:$result);
  let assemblyFormat = [{
    $cache `,` $update `,` $offset attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Mixture of experts
//===----------------------------------------------------------------------===//

def Tessera_MoEOp : Tessera_Op<"moe", [Pure, AttrSizedOperandSegments]> {
  let summary = "mixture-of-experts MLP layer with pluggable routing";
  let description = [{
    A sparse mixture-of-experts feed-forward layer. `input` is [T, d] or
    [B, N, d]; its tokens are flattened to T = B·N rows for routing (one
    routing group: capacities and expert choice see all tokens). The
    result has the input's shape and element type.

    Experts (E of them, hidden size f) are two- or three-matrix MLPs in
    the PyTorch `nn.Linear` layout: `experts(%w_up, %w_down)` with W_up
    [E, f, d] and W_down [E, d, f], optional `up_bias` [E, f] and
    `down_bias` [E, d]:
    * `activation(gelu)` (exact, erf-based) or `activation(silu)`:
      `FFN_e(x) = W_down[e] · act(W_up[e] · x + b_up[e]) + b_down[e]`;
    * `activation(swiglu)` (Mixtral, DeepSeek-MoE) also takes
      `gate(%w_gate)` [E, f, d] and optional `gate_bias` [E, f]:
      `FFN_e(x) = W_down[e] · (silu(W_gate[e]·x + b_gate[e]) ⊙
      (W_up[e]·x + b_up[e])) + b_down[e]`.

    Routing is an attribute implementing `RoutingAttrInterface` (see
    [attributes](TesseraAttrs.md)); it yields for each token a set of
    (expert, weight) pairs and

    `y_t = Σ_(e, w) w · FFN_e(x_t) + Σ_s SharedFFN_s(x_t)`.

    * `#tessera.token_choice<k, order, renormalize>` — top-k per token,
      `softmax_then_topk` (GShard, Switch Transformer, M³ViT) or
      `topk_then_softmax` (Mixtral); needs `router(%w_g)` [E, d].
    * `#tessera.expert_choice<capacity_factor>` — each expert takes its
      top-C tokens (Zhou et al. 2022); needs `router(%w_g)` [E, d].
    * `#tessera.task_conditioned<tasks, gate, experts>` — a run-time
      `task(%id)` selects the router `W_g[id]` of `router(%w_g)`
      [tasks, E, d] and optionally a per-task expert subset (M³ViT,
      Edge-MoE).
    * `#tessera.category_conditioned<categories, experts>` — a run-time
      `category(%c)` per sample sends all its tokens to that category's
      experts with equal weights, no router (AniMer+, Union-of-Experts).

    Selector operands (`task`, `category`) are i32 or i64 tensors of shape
    [] (one value for the whole input) or [B] (one per sample; B = 1 for a
    [T, d] input). When the selector is an argument of the entry function,
    the CPU lowering marks it `tessera.valid_range = array<i64: 0, n>` and
    the executable rejects an out-of-range value before any compute (exit
    status 2, one line naming the input); a selector computed inside the
    model with an out-of-range value selects no routed expert.

    Shared experts (DeepSeek-MoE's always-on experts): `shared(%su, %sd)`
    with S experts of hidden size fs, W_up_shared [S, fs, d] and
    W_down_shared [S, d, fs], plus `shared_gate(%sg)` [S, fs, d] exactly
    when the activation is swiglu; same activation as the routed experts,
    no biases, weight 1 for every token.

    Capacity: `capacity_factor` (f64, finite, > 0; only for modes that
    accept it: `token_choice` and `task_conditioned`) caps each expert at
    `C = min(T, ceil(k·T·capacity_factor / E))` tokens, kept in token
    order; without it routing is dropless. Expert choice carries its own
    factor.

    Optional second result `tokens_per_expert` (i32 or i64, [E]): for
    each routed expert, the number of tokens it processes after capacity
    drops (for load-balancing losses and for the grouped GEMM's offsets).

    Limits: every tensor holds at most 2^62 bytes (as for every tessera
    op) and the routed-token buffer of the grouped lowering (T·K rows of
    max(f, d) elements, K the routing's slots per token) must too. No
    token (T = 0) or no feature (d = 0) gives an empty result and zero
    counts; an expert hidden size of 0 (f or fs) is rejected by the CPU
    lowering with a diagnostic. The lowering's code size does not depend
    on k, E, d or S (loops, not unrolling).

    CPU lowering (`tessera-lower-moe`, static shapes, f32): routing,
    a counting sort of the routed rows by expert and two grouped GEMMs
    over the run-time row groups (activation in the up-projection's
    epilogue, routing weight in the down-projection's), with no [T, E, f]
    buffer and results independent of the thread count; other element
    types are rejected with a diagnostic. The NumPy reference
    (`test/reference/moe.py`) defines the semantics executably.

    References: GShard (Lepikhin et al. 2021), Switch Transformer (Fedus
    et al. 2022), Mixtral of Experts (Jiang et al. 2024), Expert Choice
    (Zhou et al. 2022), M³ViT (Liang et al. 2022) and Edge-MoE (Sarkar et
    al. 2023), AniMer+ (family-aware MoE), Union-of-Experts (Yang et al.
    2025), DeepSeek-MoE (Dai et al. 2024).

    Example (Mixtral layer with tokens-per-expert counts):
    ```mlir
    %y, %n = tessera.moe %x router(%wg) experts(%wu, %wd) gate(%wgt)
        routing(#tessera.token_choice<k = 2, order = topk_then_softmax>)
        activation(swiglu)
        : (tensor<2x64x128xf32>, tensor<8x128xf32>, tensor<8x256x128xf32>,
           tensor<8x128x256xf32>, tensor<8x256x128xf32>)
        -> (tensor<2x64x128xf32>, tensor<8xi64>)
    ```
  }];
  let arguments = (ins Tessera_FloatTensor:$input,
                       Optional<Tessera_FloatTensor>:$router,
                       Tessera_FloatTensor:$w_up,
                       Tessera_FloatTensor:$w_down,
                       Optional<Tessera_FloatTensor>:$w_gate,
                       Optional<Tessera_FloatTensor>:$b_up,
                       Optional<Tessera_FloatTensor>:$b_down,
                       Optional<Tessera_FloatTensor>:$b_gate,
                       Optional<Tessera_FloatTensor>:$shared_up,
                       Optional<Tessera_FloatTensor>:$shared_down,
                       Optional<Tessera_FloatTensor>:$shared_gate,
                       Optional<RankedTensorOf<[I32, I64]>>:$task,
                       Optional<RankedTensorOf<[I32, I64]>>:$category,
                       Tessera_RoutingAttrInterface:$routing,
                       Tessera_MoeActivationAttr:$activation,
                       OptionalAttr<F64Attr>:$capacity_factor);
  let results = (outs Tessera_FloatTensor:$result,
                      Optional<RankedTensorOf<[I32, I64]>>:$tokens_per_expert);
  let assemblyFormat = [{
    $input (`router` `(` $router^ `)`)?
    `experts` `(` $w_up `,` $w_down `)`
    (`gate` `(` $w_gate^ `)`)?
    (`up_bias` `(` $b_up^ `)`)?
    (`down_bias` `(` $b_down^ `)`)?
    (`gate_bias` `(` $b_gate^ `)`)?
    (`shared` `(` $shared_up^ `,` $shared_down `)`)?
    (`shared_gate` `(` $shared_gate^ `)`)?
    (`task` `(` $task^ `)`)?
    (`category` `(` $category^ `)`)?
    `routing` `(` $routing `)` `activation` `(` $activation `)`
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The number of tokens T (B·N or T), or ShapedType::kDynamic.
    int64_t getNumTokens();
    /// The routing plan for this op's static sizes (see
    /// RoutingAttrInterface::describeRouting); fails for dynamic shapes.
    ::mlir::FailureOr<::mlir::tessera::RoutingPlan> getRoutingPlan();
  }];
}

//===----------------------------------------------------------------------===//
// Diffusion sampling
//===----------------------------------------------------------------------===//

def Tessera_SchedulerStepOp : Tessera_Op<"scheduler_step",
    [Pure, AttrSizedOperandSegments,
     DeclareOpInterfaceMethods<Tessera_DecomposableOpInterface>]> {
  let summary = "one diffusion scheduler step, for host-driven sampling loops";
  let description = [{
    The arithmetic of step `step` (0-based, a run-time i32 or i64 scalar)
    of a `num_inference_steps`-step run of `scheduler` (an attribute
    implementing `SchedulerAttrInterface`, see
    [attributes](TesseraAttrs.md)), as diffusers' `scheduler.step`
    computes it: given the denoiser's `model_output` for `sample`, the
    previous sample. It is the same arithmetic `tessera.sample` runs in
    its loop, for users who drive the loop from their own code (export it
    with `--emit=shared`); the model must be called on
    `S[step] · sample` at timestep `T[step]` (see the scheduler's tables;
    1 and the integer timestep for every scheduler but Euler).

    * `noise(%z)` (same shape): the N(0, 1) noise of the step; required
      exactly when the scheduler adds noise (DDPM, DDIM with eta > 0,
      LCM).
    * `state(%h)`: multistep schedulers (DPM-Solver++ 2M) take the state
      returned by the previous step (zeros at step 0) and return the next
      one as a second result.

    A `step` outside [0, num_inference_steps) is clamped; as an entry
    argument, the executable rejects it before any compute (exit status 2).
    Element type f32.

    Example (DDIM, 50 steps, v-prediction, trailing spacing):
    ```mlir
    %prev = tessera.scheduler_step %x, %v, %i
        scheduler(#tessera.ddim<prediction_type = v_prediction,
                                timestep_spacing = trailing>) steps(50)
        : (tensor<1x4x64x64xf32>, tensor<1x4x64x64xf32>, tensor<i64>)
        -> tensor<1x4x64x64xf32>
    ```
  }];
  let arguments = (ins Tessera_FloatTensor:$sample,
                       Tessera_FloatTensor:$model_output,
                       0DTensorOf<[I32, I64]>:$step,
                       Optional<Tessera_FloatTensor>:$noise,
                       Optional<Tessera_FloatTensor>:$state,
                       Tessera_SchedulerAttrInterface:$scheduler,
                       ConfinedAttr<I64Attr, [IntPositive]>:$num_inference_steps);
  let results = (outs Tessera_FloatTensor:$prev_sample,
                      Optional<Tessera_FloatTensor>:$next_state);
  let assemblyFormat = [{
    $sample `,` $model_output `,` $step (`noise` `(` $noise^ `)`)?
    (`state` `(` $state^ `)`)? `scheduler` `(` $scheduler `)`
    `steps` `(` $num_inference_steps `)` attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tessera_SampleOp : Tessera_Op<"sample",
    [AttrSizedOperandSegments, IsolatedFromAbove,
     DeclareOpInterfaceMethods<Tessera_DecomposableOpInterface>]> {
  let summary = "a whole diffusion sampling loop around a denoiser region";
  let description = [{
    Runs `num_inference_steps` steps of `scheduler` from `latent` and
    returns the final sample. The loop, the scheduler arithmetic and
    classifier-free guidance run inside the compiled program (no host
    round trip per step); the denoiser is the region.

    * `latent` [B, ...]: N(0, 1) noise; the loop starts from
      `latent · init_noise_sigma` (as diffusers' pipelines scale their
      latents).
    * `cond(%c, ...)`: conditioning tensors [B, ...] passed to the
      denoiser every step. With `guidance_scale = s` also
      `uncond(%u, ...)` (same types): classifier-free guidance. The
      denoiser then runs once per step on the batch [uncond; cond]
      (2B rows: the latent twice, each conditioning tensor concatenated
      along dimension 0), and with u, c the two halves of its output,
      `g = u + s · (c − u)`; with `guidance_rescale = φ` > 0 (Lin et al.
      2024, diffusers' `rescale_noise_cfg`, EzAudio)
      `g ← φ · g · std(c) / std(g) + (1 − φ) · g`, the standard
      deviations taken per sample over all non-batch dimensions.
    * `seed(%s)` (i32 or i64 scalar): required when the scheduler adds
      noise. Step i's noise for element n (row-major index in the
      latent) is one draw of the counter-based Philox-4x32-10 generator
      (key = the seed's two 32-bit halves, counter = (n mod 2^32,
      n / 2^32, i, 0)) through Box–Muller: with words w0, w1,
      `z = sqrt(−2 ln((w0 + 1) · 2^−32)) · cos(2π · w1 · 2^−32)`, in
      float64, rounded once. The result does not depend on the thread
      count.

    * `inputs(%w, ...)`: anything else the denoiser reads (its weights),
      passed to the region unchanged every step.

    The region `(x: [B', ...], t: tensor<B'xf32>, cond: [B', ...]...,
    inputs..., [level: tensor<B'xf32>]) -> model_output [B', ...]`
    (B' = 2B with guidance, else B) receives the scaled model input
    `S[i] · x` and the timestep `T[i]`, and, if it declares one more
    argument, the noise level of the step (ᾱ at T[i], or σ for flow
    matching: what an analytic denoiser needs). It may hold any tessera ops (attention with any mask,
    MoE, linear layers) and ends with `tessera.yield`.

    Per step, the guidance, its rescale and the scheduler step are fused:
    one pass over the model output for the two standard deviations (only
    with a rescale), one pass for everything else.

    Example (DPM-Solver++ 2M, 20 steps, CFG 7.5 with rescale 0.7):
    ```mlir
    %x0 = tessera.sample %noise cond(%text) uncond(%empty)
        scheduler(#tessera.dpm_solver_2m<>) steps(20)
        {guidance_scale = 7.5, guidance_rescale = 0.7}
        : (tensor<1x4x32x32xf32>, tensor<1x77x64xf32>, tensor<1x77x64xf32>)
        -> tensor<1x4x32x32xf32> {
    ^bb0(%x: tensor<2x4x32x32xf32>, %t: tensor<2xf32>, %c: tensor<2x77x64xf32>):
      ...
      tessera.yield %eps : tensor<2x4x32x32xf32>
    }
    ```
  }];
  let arguments = (ins Tessera_FloatTensor:$latent,
                       Variadic<AnyRankedTensor>:$cond,
                       Variadic<AnyRankedTensor>:$uncond,
                       Variadic<AnyRankedTensor>:$inputs,
                       Optional<0DTensorOf<[I32, I64]>>:$seed,
                       Tessera_SchedulerAttrInterface:$scheduler,
                       ConfinedAttr<I64Attr, [IntPositive]>:$num_inference_steps,
                       OptionalAttr<F64Attr>:$guidance_scale,
                       Tessera_DefaultValuedAttr<F64Attr, "0.0">:$guidance_rescale);
  let results = (outs Tessera_FloatTensor:$result);
  let regions = (region SizedRegion<1>:$denoiser);
  let assemblyFormat = [{
    $latent (`cond` `(` $cond^ `)`)? (`uncond` `(` $uncond^ `)`)?
    (`inputs` `(` $inputs^ `)`)? (`seed` `(` $seed^ `)`)?
    `scheduler` `(` $scheduler `)`
    `steps` `(` $num_inference_steps `)` attr-dict `:`
    functional-type(operands, results) $denoiser
  }];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
}

include "tessera/Dialect/Tessera/IR/TesseraTileOps.td"

#endif // TESSERA_DIALECT_TESSERA_IR_TESSERAOPS_TD
