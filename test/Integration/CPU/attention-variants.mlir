// Every attention variant compiled, run, and compared against the
// independent float64 reference ops.full_attention (test/reference).
// Sizes are deliberately not multiples of the 64-wide tiles.

// RUN: tesserac %s --entry=causal -o %t.causal
// RUN: %PYTHON %reference/check.py %t.causal "ops.full_attention(q, k, v, mask=ops.causal())" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=sliding_window -o %t.sliding_window
// RUN: %PYTHON %reference/check.py %t.sliding_window "ops.full_attention(q, k, v, mask=ops.sliding_window(40, 0))" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=window_lookahead -o %t.window_lookahead
// RUN: %PYTHON %reference/check.py %t.window_lookahead "ops.full_attention(q, k, v, mask=ops.sliding_window(10, 20))" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=block_causal -o %t.block_causal
// RUN: %PYTHON %reference/check.py %t.block_causal "ops.full_attention(q, k, v, mask=ops.block_causal(48))" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=block_diagonal -o %t.block_diagonal
// RUN: %PYTHON %reference/check.py %t.block_diagonal "ops.full_attention(q, k, v, mask=ops.block_diagonal(64))" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=neighborhood_2d -o %t.neighborhood_2d
// RUN: %PYTHON %reference/check.py %t.neighborhood_2d "ops.full_attention(q, k, v, mask=ops.neighborhood_2d(12, 12, 1, 2))" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=all_of -o %t.all_of
// RUN: %PYTHON %reference/check.py %t.all_of "ops.full_attention(q, k, v, mask=ops.all_of(ops.causal(), ops.sliding_window(50, 3)))" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=any_of -o %t.any_of
// RUN: %PYTHON %reference/check.py %t.any_of "ops.full_attention(q, k, v, mask=ops.any_of(ops.block_diagonal(32), ops.sliding_window(8, 8)))" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=fully_masked_rows -o %t.fully_masked_rows
// RUN: %PYTHON %reference/check.py %t.fully_masked_rows "ops.full_attention(q, k, v, mask=ops.sliding_window(0, 0))" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=gqa_causal -o %t.gqa_causal
// RUN: %PYTHON %reference/check.py %t.gqa_causal "ops.full_attention(q, k, v, mask=ops.causal())" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=mqa -o %t.mqa
// RUN: %PYTHON %reference/check.py %t.mqa "ops.full_attention(q, k, v)" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=dv_ne_d -o %t.dv_ne_d
// RUN: %PYTHON %reference/check.py %t.dv_ne_d "ops.full_attention(q, k, v)" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=decode -o %t.decode
// RUN: %PYTHON %reference/check.py %t.decode "ops.full_attention(q, k, v, mask=ops.causal())" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=unmasked_large -o %t.unmasked_large
// RUN: %PYTHON %reference/check.py %t.unmasked_large "ops.full_attention(q, k, v, scale=0.3)" --range q=-3,3 --range k=-3,3 | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=q_offset -o %t.q_offset
// RUN: %PYTHON %reference/check.py %t.q_offset "ops.full_attention(q, k, v, mask=ops.causal(), q_offset=pos)" --set pos=30 | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=kv_cache_decode -o %t.kv_cache_decode
// RUN: %PYTHON %reference/check.py %t.kv_cache_decode "(ops.full_attention(q, ops.kv_cache_update(kc, kn, pos), ops.kv_cache_update(vc, vn, pos), mask=ops.causal(), q_offset=pos), ops.kv_cache_update(kc, kn, pos))" --set pos=37 | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=explicit_bool_mask -o %t.explicit_bool_mask
// RUN: %PYTHON %reference/check.py %t.explicit_bool_mask "ops.full_attention(q, k, v, explicit_mask=m)" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=explicit_additive_mask -o %t.explicit_additive_mask
// RUN: %PYTHON %reference/check.py %t.explicit_additive_mask "ops.full_attention(q, k, v, explicit_mask=m, mask=ops.causal())" --range m=-2,2 | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=block_index -o %t.block_index
// RUN: %PYTHON %reference/check.py %t.block_index "ops.full_attention(q, k, v, block_index=bi, block_sizes=(16, 16))" '--set=bi=[[[[0, 3, -1], [1, 0, 2], [-1, 0, 0], [3, 3, 1]]]]' | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=alibi -o %t.alibi
// RUN: %PYTHON %reference/check.py %t.alibi "ops.full_attention(q, k, v, mask=ops.causal(), score_mod=lambda s, b, h, i, j: s + 2.0 ** (-(h + 1.0)) * (j - i))" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=softcap -o %t.softcap
// RUN: %PYTHON %reference/check.py %t.softcap "ops.full_attention(q, k, v, score_mod=lambda s, b, h, i, j: 5.0 * np.tanh(s / 5.0))" --range q=-3,3 --range k=-3,3 | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=gated_output -o %t.gated_output
// RUN: %PYTHON %reference/check.py %t.gated_output "ops.full_attention(q, k, v) / (1 + np.exp(-gate)) + x" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=epilogue_repeated_input -o %t.epilogue_repeated_input
// RUN: %PYTHON %reference/check.py %t.epilogue_repeated_input "(ops.full_attention(q, k, v) + x) * x - z" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=symmetric -o %t.symmetric
// RUN: %PYTHON %reference/check.py %t.symmetric "ops.full_attention(q, q, v)" | FileCheck %s --check-prefix=CHECK

// CHECK: PASS y: max_err=

// Causal, 150 tokens: full, partial and empty tiles, key tail.
func.func @causal(%q: tensor<1x2x150x32xf32> {tessera.name = "q"}, %k: tensor<1x2x150x32xf32> {tessera.name = "k"}, %v: tensor<1x2x150x32xf32> {tessera.name = "v"}) -> (tensor<1x2x150x32xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.causal} : (tensor<1x2x150x32xf32>, tensor<1x2x150x32xf32>, tensor<1x2x150x32xf32>) -> tensor<1x2x150x32xf32>
  return %y : tensor<1x2x150x32xf32>
}

// Causal sliding window: a constant-width band of tiles.
func.func @sliding_window(%q: tensor<1x2x300x16xf32> {tessera.name = "q"}, %k: tensor<1x2x300x16xf32> {tessera.name = "k"}, %v: tensor<1x2x300x16xf32> {tessera.name = "v"}) -> (tensor<1x2x300x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.sliding_window<left = 40, right = 0>} : (tensor<1x2x300x16xf32>, tensor<1x2x300x16xf32>, tensor<1x2x300x16xf32>) -> tensor<1x2x300x16xf32>
  return %y : tensor<1x2x300x16xf32>
}

// Window that also looks ahead.
func.func @window_lookahead(%q: tensor<1x1x130x16xf32> {tessera.name = "q"}, %k: tensor<1x1x130x16xf32> {tessera.name = "k"}, %v: tensor<1x1x130x16xf32> {tessera.name = "v"}) -> (tensor<1x1x130x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.sliding_window<left = 10, right = 20>} : (tensor<1x1x130x16xf32>, tensor<1x1x130x16xf32>, tensor<1x1x130x16xf32>) -> tensor<1x1x130x16xf32>
  return %y : tensor<1x1x130x16xf32>
}

// Frame-causal (next-frame video diffusion), frames of 48.
func.func @block_causal(%q: tensor<1x2x200x16xf32> {tessera.name = "q"}, %k: tensor<1x2x200x16xf32> {tessera.name = "k"}, %v: tensor<1x2x200x16xf32> {tessera.name = "v"}) -> (tensor<1x2x200x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.block_causal<frame = 48>} : (tensor<1x2x200x16xf32>, tensor<1x2x200x16xf32>, tensor<1x2x200x16xf32>) -> tensor<1x2x200x16xf32>
  return %y : tensor<1x2x200x16xf32>
}

// Block-diagonal: one tile column per query tile.
func.func @block_diagonal(%q: tensor<1x2x192x16xf32> {tessera.name = "q"}, %k: tensor<1x2x192x16xf32> {tessera.name = "k"}, %v: tensor<1x2x192x16xf32> {tessera.name = "v"}) -> (tensor<1x2x192x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.block_diagonal<block = 64>} : (tensor<1x2x192x16xf32>, tensor<1x2x192x16xf32>, tensor<1x2x192x16xf32>) -> tensor<1x2x192x16xf32>
  return %y : tensor<1x2x192x16xf32>
}

// 2-D neighbourhood on a 12x12 grid.
func.func @neighborhood_2d(%q: tensor<1x2x144x16xf32> {tessera.name = "q"}, %k: tensor<1x2x144x16xf32> {tessera.name = "k"}, %v: tensor<1x2x144x16xf32> {tessera.name = "v"}) -> (tensor<1x2x144x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.neighborhood_2d<height = 12, width = 12, radius_h = 1, radius_w = 2>} : (tensor<1x2x144x16xf32>, tensor<1x2x144x16xf32>, tensor<1x2x144x16xf32>) -> tensor<1x2x144x16xf32>
  return %y : tensor<1x2x144x16xf32>
}

// Causal AND sliding window.
func.func @all_of(%q: tensor<1x2x170x16xf32> {tessera.name = "q"}, %k: tensor<1x2x170x16xf32> {tessera.name = "k"}, %v: tensor<1x2x170x16xf32> {tessera.name = "v"}) -> (tensor<1x2x170x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.all_of<[#tessera.causal, #tessera.sliding_window<left = 50, right = 3>]>} : (tensor<1x2x170x16xf32>, tensor<1x2x170x16xf32>, tensor<1x2x170x16xf32>) -> tensor<1x2x170x16xf32>
  return %y : tensor<1x2x170x16xf32>
}

// Block-diagonal OR a narrow band.
func.func @any_of(%q: tensor<1x1x100x16xf32> {tessera.name = "q"}, %k: tensor<1x1x100x16xf32> {tessera.name = "k"}, %v: tensor<1x1x100x16xf32> {tessera.name = "v"}) -> (tensor<1x1x100x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.any_of<[#tessera.block_diagonal<block = 32>, #tessera.sliding_window<left = 8, right = 8>]>} : (tensor<1x1x100x16xf32>, tensor<1x1x100x16xf32>, tensor<1x1x100x16xf32>) -> tensor<1x1x100x16xf32>
  return %y : tensor<1x1x100x16xf32>
}

// Sq > Sk shifts queries to negative positions: the first rows may attend nothing and are zero.
func.func @fully_masked_rows(%q: tensor<1x2x40x16xf32> {tessera.name = "q"}, %k: tensor<1x2x30x16xf32> {tessera.name = "k"}, %v: tensor<1x2x30x16xf32> {tessera.name = "v"}) -> (tensor<1x2x40x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.sliding_window<left = 0, right = 0>} : (tensor<1x2x40x16xf32>, tensor<1x2x30x16xf32>, tensor<1x2x30x16xf32>) -> tensor<1x2x40x16xf32>
  return %y : tensor<1x2x40x16xf32>
}

// GQA 8:2 with a causal mask.
func.func @gqa_causal(%q: tensor<1x8x100x32xf32> {tessera.name = "q"}, %k: tensor<1x2x100x32xf32> {tessera.name = "k"}, %v: tensor<1x2x100x32xf32> {tessera.name = "v"}) -> (tensor<1x8x100x32xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.causal} : (tensor<1x8x100x32xf32>, tensor<1x2x100x32xf32>, tensor<1x2x100x32xf32>) -> tensor<1x8x100x32xf32>
  return %y : tensor<1x8x100x32xf32>
}

// MQA (one K/V head), batch 2.
func.func @mqa(%q: tensor<2x4x33x16xf32> {tessera.name = "q"}, %k: tensor<2x1x33x16xf32> {tessera.name = "k"}, %v: tensor<2x1x33x16xf32> {tessera.name = "v"}) -> (tensor<2x4x33x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v : (tensor<2x4x33x16xf32>, tensor<2x1x33x16xf32>, tensor<2x1x33x16xf32>) -> tensor<2x4x33x16xf32>
  return %y : tensor<2x4x33x16xf32>
}

// Dv != D, neither a multiple of 16; cross-attention Sq != Sk.
func.func @dv_ne_d(%q: tensor<1x2x50x24xf32> {tessera.name = "q"}, %k: tensor<1x2x77x24xf32> {tessera.name = "k"}, %v: tensor<1x2x77x40xf32> {tessera.name = "v"}) -> (tensor<1x2x50x40xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v : (tensor<1x2x50x24xf32>, tensor<1x2x77x24xf32>, tensor<1x2x77x40xf32>) -> tensor<1x2x50x40xf32>
  return %y : tensor<1x2x50x40xf32>
}

// Decode step: one query against 200 cached keys (bottom-right causal).
func.func @decode(%q: tensor<1x4x1x64xf32> {tessera.name = "q"}, %k: tensor<1x4x200x64xf32> {tessera.name = "k"}, %v: tensor<1x4x200x64xf32> {tessera.name = "v"}) -> (tensor<1x4x1x64xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.causal} : (tensor<1x4x1x64xf32>, tensor<1x4x200x64xf32>, tensor<1x4x200x64xf32>) -> tensor<1x4x1x64xf32>
  return %y : tensor<1x4x1x64xf32>
}

// No mask, 257 tokens, D = 64, wide scores.
func.func @unmasked_large(%q: tensor<1x1x257x64xf32> {tessera.name = "q"}, %k: tensor<1x1x257x64xf32> {tessera.name = "k"}, %v: tensor<1x1x257x64xf32> {tessera.name = "v"}) -> (tensor<1x1x257x64xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {scale = 0.3 : f32} : (tensor<1x1x257x64xf32>, tensor<1x1x257x64xf32>, tensor<1x1x257x64xf32>) -> tensor<1x1x257x64xf32>
  return %y : tensor<1x1x257x64xf32>
}

// Queries at positions 30..34 (q_offset) under a causal mask.
func.func @q_offset(%q: tensor<1x2x5x16xf32> {tessera.name = "q"}, %k: tensor<1x2x64x16xf32> {tessera.name = "k"}, %v: tensor<1x2x64x16xf32> {tessera.name = "v"}, %pos: tensor<i64> {tessera.name = "pos"}) -> (tensor<1x2x5x16xf32> {tessera.name = "y"}) {
  %p = tensor.extract %pos[] : tensor<i64>
  %off = arith.index_cast %p : i64 to index
  %y = tessera.attention %q, %k, %v q_offset(%off) {mask = #tessera.causal} : (tensor<1x2x5x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, index) -> tensor<1x2x5x16xf32>
  return %y : tensor<1x2x5x16xf32>
}

// Write the new K/V row at `pos`, then decode with q_offset = pos.
func.func @kv_cache_decode(%q: tensor<1x4x1x16xf32> {tessera.name = "q"}, %kc: tensor<1x2x64x16xf32> {tessera.name = "kc"}, %vc: tensor<1x2x64x16xf32> {tessera.name = "vc"}, %kn: tensor<1x2x1x16xf32> {tessera.name = "kn"}, %vn: tensor<1x2x1x16xf32> {tessera.name = "vn"}, %pos: tensor<i64> {tessera.name = "pos"}) -> (tensor<1x4x1x16xf32> {tessera.name = "y"}, tensor<1x2x64x16xf32> {tessera.name = "kcache"}) {
  %p = tensor.extract %pos[] : tensor<i64>
  %off = arith.index_cast %p : i64 to index
  %k = tessera.kv_cache_update %kc, %kn, %off : (tensor<1x2x64x16xf32>, tensor<1x2x1x16xf32>, index) -> tensor<1x2x64x16xf32>
  %v = tessera.kv_cache_update %vc, %vn, %off : (tensor<1x2x64x16xf32>, tensor<1x2x1x16xf32>, index) -> tensor<1x2x64x16xf32>
  %y = tessera.attention %q, %k, %v q_offset(%off) {mask = #tessera.causal} : (tensor<1x4x1x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, index) -> tensor<1x4x1x16xf32>
  return %y, %k : tensor<1x4x1x16xf32>, tensor<1x2x64x16xf32>
}

// Boolean mask tensor broadcast over heads.
func.func @explicit_bool_mask(%q: tensor<1x2x70x16xf32> {tessera.name = "q"}, %k: tensor<1x2x70x16xf32> {tessera.name = "k"}, %v: tensor<1x2x70x16xf32> {tessera.name = "v"}, %m: tensor<1x1x70x70xi1> {tessera.name = "m"}) -> (tensor<1x2x70x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v mask(%m) : (tensor<1x2x70x16xf32>, tensor<1x2x70x16xf32>, tensor<1x2x70x16xf32>, tensor<1x1x70x70xi1>) -> tensor<1x2x70x16xf32>
  return %y : tensor<1x2x70x16xf32>
}

// Additive bias broadcast over queries, with a causal mask too.
func.func @explicit_additive_mask(%q: tensor<1x2x70x16xf32> {tessera.name = "q"}, %k: tensor<1x2x70x16xf32> {tessera.name = "k"}, %v: tensor<1x2x70x16xf32> {tessera.name = "v"}, %m: tensor<1x2x1x70xf32> {tessera.name = "m"}) -> (tensor<1x2x70x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v mask(%m) {mask = #tessera.causal} : (tensor<1x2x70x16xf32>, tensor<1x2x70x16xf32>, tensor<1x2x70x16xf32>, tensor<1x2x1x70xf32>) -> tensor<1x2x70x16xf32>
  return %y : tensor<1x2x70x16xf32>
}

// Run-time block sparsity: per query block, the key blocks to visit (-1 ends a list; block 2 has none).
func.func @block_index(%q: tensor<1x2x64x16xf32> {tessera.name = "q"}, %k: tensor<1x2x64x16xf32> {tessera.name = "k"}, %v: tensor<1x2x64x16xf32> {tessera.name = "v"}, %bi: tensor<1x1x4x3xi32> {tessera.name = "bi"}) -> (tensor<1x2x64x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v block_index(%bi) {block_sizes = array<i64: 16, 16>} : (tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x1x4x3xi32>) -> tensor<1x2x64x16xf32>
  return %y : tensor<1x2x64x16xf32>
}

// ALiBi as a score_mod region: s + 2^-(h+1) * (k - q), causal.
func.func @alibi(%q: tensor<1x4x90x16xf32> {tessera.name = "q"}, %k: tensor<1x4x90x16xf32> {tessera.name = "k"}, %v: tensor<1x4x90x16xf32> {tessera.name = "v"}) -> (tensor<1x4x90x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.causal} : (tensor<1x4x90x16xf32>, tensor<1x4x90x16xf32>, tensor<1x4x90x16xf32>) -> tensor<1x4x90x16xf32> score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %one = arith.constant 1 : index
    %h1 = arith.addi %h, %one : index
    %hi = arith.index_cast %h1 : index to i64
    %hf = arith.sitofp %hi : i64 to f32
    %nh = arith.negf %hf : f32
    %slope = math.exp2 %nh : f32
    %d = arith.subi %j, %i : index
    %di = arith.index_cast %d : index to i64
    %df = arith.sitofp %di : i64 to f32
    %bias = arith.mulf %slope, %df : f32
    %r = arith.addf %s, %bias : f32
    tessera.yield %r : f32
  }
  return %y : tensor<1x4x90x16xf32>
}

// tanh soft-capping of the scores at 5 (Gemma-2 style).
func.func @softcap(%q: tensor<1x2x80x32xf32> {tessera.name = "q"}, %k: tensor<1x2x80x32xf32> {tessera.name = "k"}, %v: tensor<1x2x80x32xf32> {tessera.name = "v"}) -> (tensor<1x2x80x32xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v : (tensor<1x2x80x32xf32>, tensor<1x2x80x32xf32>, tensor<1x2x80x32xf32>) -> tensor<1x2x80x32xf32> score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %cap = arith.constant 5.0 : f32
    %t = arith.divf %s, %cap : f32
    %u = math.tanh %t : f32
    %r = arith.mulf %u, %cap : f32
    tessera.yield %r : f32
  }
  return %y : tensor<1x2x80x32xf32>
}

// Sigmoid-gated output (Tora2's gated self-attention) plus a residual, both
// fused into the output write.
func.func @gated_output(%q: tensor<1x2x40x16xf32> {tessera.name = "q"}, %k: tensor<1x2x40x16xf32> {tessera.name = "k"}, %v: tensor<1x2x40x16xf32> {tessera.name = "v"}, %gate: tensor<1x2x40x16xf32> {tessera.name = "gate"}, %x: tensor<1x2x40x16xf32> {tessera.name = "x"}) -> (tensor<1x2x40x16xf32> {tessera.name = "y"}) {
  %a = tessera.attention %q, %k, %v : (tensor<1x2x40x16xf32>, tensor<1x2x40x16xf32>, tensor<1x2x40x16xf32>) -> tensor<1x2x40x16xf32>
  %n = arith.negf %gate : tensor<1x2x40x16xf32>
  %e = math.exp %n : tensor<1x2x40x16xf32>
  %one = arith.constant dense<1.0> : tensor<1x2x40x16xf32>
  %d = arith.addf %one, %e : tensor<1x2x40x16xf32>
  %g = arith.divf %a, %d : tensor<1x2x40x16xf32>
  %y = arith.addf %x, %g : tensor<1x2x40x16xf32>
  return %y : tensor<1x2x40x16xf32>
}

// An epilogue that reads one tensor twice, then another: each tensor is
// read once per element, and %z is not mistaken for a second %x.
func.func @epilogue_repeated_input(%q: tensor<1x2x40x16xf32> {tessera.name = "q"}, %k: tensor<1x2x40x16xf32> {tessera.name = "k"}, %v: tensor<1x2x40x16xf32> {tessera.name = "v"}, %x: tensor<1x2x40x16xf32> {tessera.name = "x"}, %z: tensor<1x2x40x16xf32> {tessera.name = "z"}) -> (tensor<1x2x40x16xf32> {tessera.name = "y"}) {
  %a = tessera.attention %q, %k, %v : (tensor<1x2x40x16xf32>, tensor<1x2x40x16xf32>, tensor<1x2x40x16xf32>) -> tensor<1x2x40x16xf32>
  %s = arith.addf %a, %x : tensor<1x2x40x16xf32>
  %p = arith.mulf %s, %x : tensor<1x2x40x16xf32>
  %y = arith.subf %p, %z : tensor<1x2x40x16xf32>
  return %y : tensor<1x2x40x16xf32>
}

// Symmetric attention: one SSA value for Q and K.
func.func @symmetric(%q: tensor<1x2x40x16xf32> {tessera.name = "q"}, %v: tensor<1x2x40x16xf32> {tessera.name = "v"}) -> (tensor<1x2x40x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %q, %v : (tensor<1x2x40x16xf32>, tensor<1x2x40x16xf32>, tensor<1x2x40x16xf32>) -> tensor<1x2x40x16xf32>
  return %y : tensor<1x2x40x16xf32>
}
