// RUN: tessera-opt %s -split-input-file -verify-diagnostics

func.func @element_types(%q: tensor<1x1x4x16xf32>, %k: tensor<1x1x4x16xf16>) -> tensor<1x1x4x16xf32> {
  // expected-error @+1 {{'tessera.attention' op expects query, key, value and result to have the same element type}}
  %0 = tessera.attention %q, %k, %k : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf16>, tensor<1x1x4x16xf16>) -> tensor<1x1x4x16xf32>
  return %0 : tensor<1x1x4x16xf32>
}

// -----

func.func @mask_type(%q: tensor<1x1x4x16xf32>, %m: tensor<1x1x4x4xi8>) -> tensor<1x1x4x16xf32> {
  // expected-error @+1 {{operand #3 must be ranked tensor of 1-bit signless integer or floating-point values, but got 'tensor<1x1x4x4xi8>'}}
  %0 = tessera.attention %q, %q, %q mask(%m) : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x4xi8>) -> tensor<1x1x4x16xf32>
  return %0 : tensor<1x1x4x16xf32>
}

// -----

func.func @mask_float_type(%q: tensor<1x1x4x16xf32>, %m: tensor<1x1x4x4xf16>) -> tensor<1x1x4x16xf32> {
  // expected-error @+1 {{'tessera.attention' op expects an explicit mask of i1 or 'f32', got 'f16'}}
  %0 = tessera.attention %q, %q, %q mask(%m) : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x4xf16>) -> tensor<1x1x4x16xf32>
  return %0 : tensor<1x1x4x16xf32>
}

// -----

func.func @mask_shape(%q: tensor<1x2x4x16xf32>, %m: tensor<1x3x4x4xi1>) -> tensor<1x2x4x16xf32> {
  // expected-error @+1 {{'tessera.attention' op expects an explicit mask broadcastable to [1, 2, 4, 4], got [1, 3, 4, 4]}}
  %0 = tessera.attention %q, %q, %q mask(%m) : (tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>, tensor<1x3x4x4xi1>) -> tensor<1x2x4x16xf32>
  return %0 : tensor<1x2x4x16xf32>
}

// -----

// Broadcasting aligns trailing dimensions: a rank-2 mask is [Sq, Sk].
func.func @mask_rank2_shape(%q: tensor<1x2x4x16xf32>, %k: tensor<1x2x6x16xf32>, %m: tensor<4x4xi1>) -> tensor<1x2x4x16xf32> {
  // expected-error @+1 {{'tessera.attention' op expects an explicit mask broadcastable to [1, 2, 4, 6], got [4, 4]}}
  %0 = tessera.attention %q, %k, %k mask(%m) : (tensor<1x2x4x16xf32>, tensor<1x2x6x16xf32>, tensor<1x2x6x16xf32>, tensor<4x4xi1>) -> tensor<1x2x4x16xf32>
  return %0 : tensor<1x2x4x16xf32>
}

// -----

func.func @mask_rank5(%q: tensor<1x2x4x16xf32>, %m: tensor<1x1x2x4x4xf32>) -> tensor<1x2x4x16xf32> {
  // expected-error @+1 {{'tessera.attention' op expects an explicit mask broadcastable to [1, 2, 4, 4], got [1, 1, 2, 4, 4]}}
  %0 = tessera.attention %q, %q, %q mask(%m) : (tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>, tensor<1x1x2x4x4xf32>) -> tensor<1x2x4x16xf32>
  return %0 : tensor<1x2x4x16xf32>
}

// -----

func.func @block_index_sizes(%q: tensor<1x1x32x16xf32>, %bi: tensor<1x1x2x2xi32>) -> tensor<1x1x32x16xf32> {
  // expected-error @+1 {{'tessera.attention' op expects block_sizes with a block_index operand}}
  %0 = tessera.attention %q, %q, %q block_index(%bi) : (tensor<1x1x32x16xf32>, tensor<1x1x32x16xf32>, tensor<1x1x32x16xf32>, tensor<1x1x2x2xi32>) -> tensor<1x1x32x16xf32>
  return %0 : tensor<1x1x32x16xf32>
}

// -----

func.func @block_sizes_bad(%q: tensor<1x1x32x16xf32>, %bi: tensor<1x1x2x2xi32>) -> tensor<1x1x32x16xf32> {
  // expected-error @+1 {{'tessera.attention' op expects block_sizes = [BQ, BK] with BQ > 0 and BK a positive multiple of 16}}
  %0 = tessera.attention %q, %q, %q block_index(%bi) {block_sizes = array<i64: 16, 8>} : (tensor<1x1x32x16xf32>, tensor<1x1x32x16xf32>, tensor<1x1x32x16xf32>, tensor<1x1x2x2xi32>) -> tensor<1x1x32x16xf32>
  return %0 : tensor<1x1x32x16xf32>
}

// -----

func.func @block_index_shape(%q: tensor<1x1x32x16xf32>, %bi: tensor<1x1x3x2xi32>) -> tensor<1x1x32x16xf32> {
  // expected-error @+1 {{'tessera.attention' op expects block_index of shape [B or 1, Hq or 1, 2, N], got [1, 1, 3, 2]}}
  %0 = tessera.attention %q, %q, %q block_index(%bi) {block_sizes = array<i64: 16, 16>} : (tensor<1x1x32x16xf32>, tensor<1x1x32x16xf32>, tensor<1x1x32x16xf32>, tensor<1x1x3x2xi32>) -> tensor<1x1x32x16xf32>
  return %0 : tensor<1x1x32x16xf32>
}

// -----

func.func @block_sizes_alone(%q: tensor<1x1x32x16xf32>) -> tensor<1x1x32x16xf32> {
  // expected-error @+1 {{'tessera.attention' op expects block_sizes only with a block_index operand}}
  %0 = tessera.attention %q, %q, %q {block_sizes = array<i64: 16, 16>} : (tensor<1x1x32x16xf32>, tensor<1x1x32x16xf32>, tensor<1x1x32x16xf32>) -> tensor<1x1x32x16xf32>
  return %0 : tensor<1x1x32x16xf32>
}

// -----

func.func @score_mod_args(%q: tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> {
  // expected-error @+1 {{'tessera.attention' op expects score_mod arguments (f32, index, index, index, index): the score, batch, head, query position and key position}}
  %0 = tessera.attention %q, %q, %q : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> score_mod {
  ^bb0(%s: f32, %i: index):
    tessera.yield %s : f32
  }
  return %0 : tensor<1x1x4x16xf32>
}

// -----

func.func @score_mod_yield(%q: tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> {
  // expected-error @+1 {{'tessera.attention' op expects score_mod to end with tessera.yield of 'f32'}}
  %0 = tessera.attention %q, %q, %q : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %t = arith.truncf %s : f32 to f16
    tessera.yield %t : f16
  }
  return %0 : tensor<1x1x4x16xf32>
}

// -----

func.func @score_mod_op(%q: tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> {
  %0 = tessera.attention %q, %q, %q : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    // expected-error @+1 {{'memref.alloca' op is not allowed in a score_mod region: only elementwise ops and constants are}}
    %m = memref.alloca() : memref<f32>
    tessera.yield %s : f32
  }
  return %0 : tensor<1x1x4x16xf32>
}

// -----

func.func @score_mod_capture(%q: tensor<1x1x4x16xf32>, %bias: f32) -> tensor<1x1x4x16xf32> {
  // expected-note @+1 {{required by region isolation constraints}}
  %0 = tessera.attention %q, %q, %q : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    // expected-error @+1 {{using value defined outside the region}}
    %r = arith.addf %s, %bias : f32
    tessera.yield %r : f32
  }
  return %0 : tensor<1x1x4x16xf32>
}

// -----

func.func @window_negative(%q: tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> {
  // expected-error @+1 {{expects non-negative window sizes, got left = -1, right = 0}}
  %0 = tessera.attention %q, %q, %q {mask = #tessera.sliding_window<left = -1, right = 0>} : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32>
  return %0 : tensor<1x1x4x16xf32>
}

// -----

func.func @frame_zero(%q: tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> {
  // expected-error @+1 {{expects frame > 0, got 0}}
  %0 = tessera.attention %q, %q, %q {mask = #tessera.block_causal<frame = 0>} : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32>
  return %0 : tensor<1x1x4x16xf32>
}

// -----

func.func @block_zero(%q: tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> {
  // expected-error @+1 {{expects block > 0, got -2}}
  %0 = tessera.attention %q, %q, %q {mask = #tessera.block_diagonal<block = -2>} : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32>
  return %0 : tensor<1x1x4x16xf32>
}

// -----

func.func @grid(%q: tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> {
  // expected-error @+1 {{expects width > 0, got 0}}
  %0 = tessera.attention %q, %q, %q {mask = #tessera.neighborhood_2d<height = 2, width = 0, radius_h = 1, radius_w = 1>} : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32>
  return %0 : tensor<1x1x4x16xf32>
}

// -----

func.func @radius(%q: tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> {
  // expected-error @+1 {{expects non-negative radii, got radius_h = 1, radius_w = -1}}
  %0 = tessera.attention %q, %q, %q {mask = #tessera.neighborhood_2d<height = 2, width = 2, radius_h = 1, radius_w = -1>} : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32>
  return %0 : tensor<1x1x4x16xf32>
}

// -----

func.func @all_of_empty(%q: tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> {
  // expected-error @+1 {{expects at least one mask}}
  %0 = tessera.attention %q, %q, %q {mask = #tessera.all_of<[]>} : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32>
  return %0 : tensor<1x1x4x16xf32>
}

// -----

func.func @any_of_not_mask(%q: tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> {
  // expected-error @+1 {{expects mask attributes, got 1 : i64}}
  %0 = tessera.attention %q, %q, %q {mask = #tessera.any_of<[#tessera.causal, 1]>} : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32>
  return %0 : tensor<1x1x4x16xf32>
}

// -----

func.func @mask_attr_kind(%q: tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> {
  // expected-error @+1 {{'tessera.attention' op attribute 'mask' failed to satisfy constraint}}
  %0 = tessera.attention %q, %q, %q {mask = 3 : i64} : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32>
  return %0 : tensor<1x1x4x16xf32>
}

// -----

func.func @cache_rank(%c: tensor<2x64x16xf32>, %n: tensor<2x1x16xf32>, %p: index) -> tensor<2x64x16xf32> {
  // expected-error @+1 {{'tessera.kv_cache_update' op expects a cache of rank 4 ([B, H, Smax, D]), got rank 3}}
  %0 = tessera.kv_cache_update %c, %n, %p : (tensor<2x64x16xf32>, tensor<2x1x16xf32>, index) -> tensor<2x64x16xf32>
  return %0 : tensor<2x64x16xf32>
}

// -----

func.func @cache_update_shape(%c: tensor<1x2x64x16xf32>, %n: tensor<1x2x1x8xf32>, %p: index) -> tensor<1x2x64x16xf32> {
  // expected-error @+1 {{'tessera.kv_cache_update' op expects update of shape [1, 2, 1, 16], got [1, 2, 1, 8]}}
  %0 = tessera.kv_cache_update %c, %n, %p : (tensor<1x2x64x16xf32>, tensor<1x2x1x8xf32>, index) -> tensor<1x2x64x16xf32>
  return %0 : tensor<1x2x64x16xf32>
}

// -----

func.func @cache_too_many(%c: tensor<1x2x4x16xf32>, %n: tensor<1x2x8x16xf32>, %p: index) -> tensor<1x2x4x16xf32> {
  // expected-error @+1 {{'tessera.kv_cache_update' op expects an update of at most 4 rows, got 8}}
  %0 = tessera.kv_cache_update %c, %n, %p : (tensor<1x2x4x16xf32>, tensor<1x2x8x16xf32>, index) -> tensor<1x2x4x16xf32>
  return %0 : tensor<1x2x4x16xf32>
}

// -----

func.func @cache_result(%c: tensor<1x2x64x16xf32>, %n: tensor<1x2x1x16xf32>, %p: index) -> tensor<1x2x32x16xf32> {
  // expected-error @+1 {{'tessera.kv_cache_update' op expects result of shape [1, 2, 64, 16], got [1, 2, 32, 16]}}
  %0 = tessera.kv_cache_update %c, %n, %p : (tensor<1x2x64x16xf32>, tensor<1x2x1x16xf32>, index) -> tensor<1x2x32x16xf32>
  return %0 : tensor<1x2x32x16xf32>
}

// -----

func.func @probsparse_factor(%q: tensor<1x2x8x16xf32>) -> tensor<1x2x8x16xf32> {
  // expected-error @+1 {{'tessera.probsparse_attention' op expects factor > 0}}
  %0 = tessera.probsparse_attention %q, %q, %q {factor = 0 : i64} : (tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32>) -> tensor<1x2x8x16xf32>
  return %0 : tensor<1x2x8x16xf32>
}

// -----

func.func @probsparse_causal(%q: tensor<1x2x8x16xf32>, %k: tensor<1x2x9x16xf32>) -> tensor<1x2x8x16xf32> {
  // expected-error @+1 {{'tessera.probsparse_attention' op expects Sq == Sk with causal}}
  %0 = tessera.probsparse_attention %q, %k, %k {causal} : (tensor<1x2x8x16xf32>, tensor<1x2x9x16xf32>, tensor<1x2x9x16xf32>) -> tensor<1x2x8x16xf32>
  return %0 : tensor<1x2x8x16xf32>
}

// -----

func.func @probsparse_heads(%q: tensor<1x2x8x16xf32>, %k: tensor<1x1x8x16xf32>) -> tensor<1x2x8x16xf32> {
  // expected-error @+1 {{'tessera.probsparse_attention' op expects key [B, H, Sk, D] and value [B, H, Sk, Dv] matching the query's batch and heads}}
  %0 = tessera.probsparse_attention %q, %k, %k : (tensor<1x2x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>) -> tensor<1x2x8x16xf32>
  return %0 : tensor<1x2x8x16xf32>
}

// -----

func.func @probsparse_no_keys(%q: tensor<1x2x8x16xf32>, %k: tensor<1x2x0x16xf32>) -> tensor<1x2x8x16xf32> {
  // expected-error @+1 {{'tessera.probsparse_attention' op expects at least one key (Sk > 0)}}
  %0 = tessera.probsparse_attention %q, %k, %k : (tensor<1x2x8x16xf32>, tensor<1x2x0x16xf32>, tensor<1x2x0x16xf32>) -> tensor<1x2x8x16xf32>
  return %0 : tensor<1x2x8x16xf32>
}

// -----

func.func @probsparse_no_queries(%q: tensor<1x2x0x16xf32>, %k: tensor<1x2x8x16xf32>) -> tensor<1x2x0x16xf32> {
  // expected-error @+1 {{'tessera.probsparse_attention' op expects at least one query (Sq > 0)}}
  %0 = tessera.probsparse_attention %q, %k, %k : (tensor<1x2x0x16xf32>, tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32>) -> tensor<1x2x0x16xf32>
  return %0 : tensor<1x2x0x16xf32>
}

// -----

func.func @probsparse_zero_head_dim(%q: tensor<1x2x8x0xf32>, %v: tensor<1x2x8x16xf32>) -> tensor<1x2x8x16xf32> {
  // expected-error @+1 {{'tessera.probsparse_attention' op expects a head dimension D > 0 (the scale is 1/sqrt(D))}}
  %0 = tessera.probsparse_attention %q, %q, %v : (tensor<1x2x8x0xf32>, tensor<1x2x8x0xf32>, tensor<1x2x8x16xf32>) -> tensor<1x2x8x16xf32>
  return %0 : tensor<1x2x8x16xf32>
}

// -----

func.func @probsparse_empty_batch(%q: tensor<0x2x8x16xf32>) -> tensor<0x2x8x16xf32> {
  // expected-error @+1 {{'tessera.probsparse_attention' op expects a non-zero batch, head count and value dimension (B, H, Dv > 0)}}
  %0 = tessera.probsparse_attention %q, %q, %q : (tensor<0x2x8x16xf32>, tensor<0x2x8x16xf32>, tensor<0x2x8x16xf32>) -> tensor<0x2x8x16xf32>
  return %0 : tensor<0x2x8x16xf32>
}

// -----

// 2^62 queries of 4 floats: 2^64 elements, more than 2^63 bytes.
func.func @probsparse_size_overflow(%q: tensor<1x1x4611686018427387904x4xf32>) -> tensor<1x1x4611686018427387904x4xf32> {
  // expected-error @+1 {{'tessera.probsparse_attention' op expects tensors of at most 2^62 bytes}}
  %0 = tessera.probsparse_attention %q, %q, %q : (tensor<1x1x4611686018427387904x4xf32>, tensor<1x1x4611686018427387904x4xf32>, tensor<1x1x4611686018427387904x4xf32>) -> tensor<1x1x4611686018427387904x4xf32>
  return %0 : tensor<1x1x4611686018427387904x4xf32>
}

// -----

// Q, K and V fit (2^59 · 1 · 8 bytes), but the [B, H, Sq, U] sampled scores
// (U = 5·⌈ln 2^59⌉ = 205) do not.
func.func @probsparse_samples_overflow(%q: tensor<1x1x576460752303423488x1xf32>) -> tensor<1x1x576460752303423488x1xf32> {
  // expected-error @+1 {{'tessera.probsparse_attention' op size overflow: the sampled scores [B, H, Sq, U] would exceed 2^63 bytes}}
  %0 = tessera.probsparse_attention %q, %q, %q : (tensor<1x1x576460752303423488x1xf32>, tensor<1x1x576460752303423488x1xf32>, tensor<1x1x576460752303423488x1xf32>) -> tensor<1x1x576460752303423488x1xf32>
  return %0 : tensor<1x1x576460752303423488x1xf32>
}

// -----

func.func @strip_pool(%q: tensor<1x2x10x16xf32>, %w: tensor<8x16xf32>) -> tensor<1x2x10x16xf32> {
  // expected-error @+1 {{'tessera.strip_attention' op expects a pool factor that divides Sk (10), got 4}}
  %0 = tessera.strip_attention %q, %q, %q, %w, %w {pool = 4 : i64} : (tensor<1x2x10x16xf32>, tensor<1x2x10x16xf32>, tensor<1x2x10x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<1x2x10x16xf32>
  return %0 : tensor<1x2x10x16xf32>
}

// -----

func.func @strip_proj(%q: tensor<1x2x8x16xf32>, %w: tensor<8x16xf32>, %w2: tensor<8x12xf32>) -> tensor<1x2x8x16xf32> {
  // expected-error @+1 {{'tessera.strip_attention' op expects key_proj of shape [Dc, 16] (one Dc for both projections) and the query's element type}}
  %0 = tessera.strip_attention %q, %q, %q, %w, %w2 {pool = 2 : i64} : (tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32>, tensor<8x16xf32>, tensor<8x12xf32>) -> tensor<1x2x8x16xf32>
  return %0 : tensor<1x2x8x16xf32>
}

// -----

func.func @composite_result(%q: tensor<1x2x8x16xf32>) -> tensor<1x2x8x8xf32> {
  // expected-error @+1 {{'tessera.probsparse_attention' op expects a result of shape [B, H, Sq, Dv]}}
  %0 = tessera.probsparse_attention %q, %q, %q : (tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32>) -> tensor<1x2x8x8xf32>
  return %0 : tensor<1x2x8x8xf32>
}
