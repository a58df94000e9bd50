// The NaN and Inf cases of attention-nan.mlir with q, k and v (and the KV
// cache) stored as bf16. For CUDA the tasks run on warps with their tile
// products on tensor cores (mma.sync; exact in bf16 for Q·Kᵀ, the
// probabilities rounded for P·V), and the tiles that may hold masked keys
// take the exact product that skips them; under
// --param tessera_target=cuda-emulate the same lowering runs on the host.
//
// NaN and Inf in keys and values that no query may see contribute nothing
// (DESIGN.md, numerics policy), under every way of masking; NaN in a key or
// value a query does see reaches exactly the queries that see it, and a NaN
// query row only its own output row. Compared with ops.full_attention,
// which computes over the unmasked keys only; check.py requires NaN exactly
// where the reference has it and prints their count.

// Causal: key 149 (NaN value, Inf key) is seen by query 149 alone; query
// row 10 of head 1 is NaN. Rows 128..148 share the partial tile with key
// 149. NaN: 2 heads × 32 + 32 = 96.
// RUN: tesserac %s --entry=causal -o %t.causal
// RUN: %PYTHON %reference/check.py %t.causal "ops.full_attention(q, k, v, mask=ops.causal())" --exec "v[:, :, 149] = np.nan; k[:, :, 149, 5] = np.inf; q[:, 1, 10] = np.nan" | FileCheck %s --check-prefix=CHECK-CAUSAL
// CHECK-CAUSAL: PASS y: max_err={{[^ ]+}} tol={{[^ ]+}} nan=96{{$}}

// Sliding window, queries at positions 50..149: keys 0..29 are seen by no
// query (NaN/Inf planted there: no NaN out); key 140 (NaN) is seen by
// positions 140..149, rows 90..99: 10 × 2 × 16 = 320.
// RUN: tesserac %s --entry=window -o %t.window
// RUN: %PYTHON %reference/check.py %t.window "ops.full_attention(q, k, v, mask=ops.sliding_window(20, 0))" --exec "v[:, :, :10] = np.nan; v[:, :, 10:20] = np.inf; v[:, :, 20:30] = -np.inf; k[:, :, :15] = np.nan; k[:, :, 15:30] = np.inf" | FileCheck %s --check-prefix=CHECK-NONE
// RUN: %PYTHON %reference/check.py %t.window "ops.full_attention(q, k, v, mask=ops.sliding_window(20, 0))" --exec "v[:, :, :30] = np.nan; v[:, :, 140] = np.nan" | FileCheck %s --check-prefix=CHECK-WINDOW
// CHECK-WINDOW: PASS y: max_err={{[^ ]+}} tol={{[^ ]+}} nan=320{{$}}

// Frame-causal, frames of 48: key 150 (frame 3) is seen by queries
// 144..199 only, not by 128..143 of the same tile: 56 × 2 × 16 = 1792.
// RUN: tesserac %s --entry=block_causal -o %t.block_causal
// RUN: %PYTHON %reference/check.py %t.block_causal "ops.full_attention(q, k, v, mask=ops.block_causal(48))" --exec "v[:, :, 150] = np.nan; k[:, :, 151] = np.nan" | FileCheck %s --check-prefix=CHECK-FRAME
// CHECK-FRAME: PASS y: max_err={{[^ ]+}} tol={{[^ ]+}} nan=1792{{$}}

// 2-D neighbourhood on 12×12: key 70 = cell (5, 10) is seen by rows 4..6,
// columns 8..11: 12 queries × 2 heads × 16 = 384.
// RUN: tesserac %s --entry=neighborhood -o %t.neighborhood
// RUN: %PYTHON %reference/check.py %t.neighborhood "ops.full_attention(q, k, v, mask=ops.neighborhood_2d(12, 12, 1, 2))" --exec "v[:, :, 70] = np.nan" | FileCheck %s --check-prefix=CHECK-NEIGHBORHOOD
// CHECK-NEIGHBORHOOD: PASS y: max_err={{[^ ]+}} tol={{[^ ]+}} nan=384{{$}}

// Explicit i1 mask [Sq, Sk]: keys 7 and 40 masked for every query (NaN /
// Inf there), query row 3 fully masked (NaN query: the row is 0).
// RUN: tesserac %s --entry=bool_mask -o %t.bool_mask
// RUN: %PYTHON %reference/check.py %t.bool_mask "ops.full_attention(q, k, v, explicit_mask=m)" --exec "m[:, 7] = False; m[:, 40] = False; m[3, :] = False; v[:, :, 7] = np.nan; k[:, :, 7] = np.nan; k[:, :, 40] = np.inf; v[:, :, 40] = -np.inf; q[:, :, 3] = np.nan" | FileCheck %s --check-prefix=CHECK-NONE

// Additive mask: a -inf entry masks the key even when its score is NaN.
// RUN: tesserac %s --entry=additive_mask -o %t.additive_mask
// RUN: %PYTHON %reference/check.py %t.additive_mask "ops.full_attention(q, k, v, explicit_mask=m, mask=ops.causal())" --range m=-2,2 --exec "m[..., 7] = -np.inf; m[..., 60:, 20] = -np.inf; v[:, :, 7] = np.nan; k[:, :, 7] = np.nan; k[:, :, 20] = np.inf" | FileCheck %s --check-prefix=CHECK-ADDITIVE
// Key 20 (Inf key) is still seen by queries 20..59: NaN in 40 rows × 2 × 16.
// CHECK-ADDITIVE: PASS y: max_err={{[^ ]+}} tol={{[^ ]+}} nan=1280{{$}}

// KV-cache decode (three queries at q_offset 37, GQA 4:2): the cache past
// the new rows is uninitialised (NaN, Inf); no query sees it.
// RUN: tesserac %s --entry=kv_cache_decode -o %t.kv_cache_decode
// RUN: %PYTHON %reference/check.py %t.kv_cache_decode "ops.full_attention(q, ops.kv_cache_update(kc, kn, pos), ops.kv_cache_update(vc, vn, pos), mask=ops.causal(), q_offset=pos)" --set pos=37 --exec "kc[:, :, 40:] = np.nan; vc[:, :, 40:50] = np.inf; vc[:, :, 50:] = np.nan" | FileCheck %s --check-prefix=CHECK-NONE

// Decode with one query against a longer cache (every key tile is masked
// at run time), GQA 4:2: NaN past the position, and in a visible value row
// of K/V head 0 (key 5: query heads 0 and 1, 2 × 16 = 32).
// RUN: tesserac %s --entry=decode_one -o %t.decode_one
// RUN: %PYTHON %reference/check.py %t.decode_one "ops.full_attention(q, k, v, mask=ops.causal(), q_offset=pos)" --set pos=100 --exec "k[:, :, 101:] = np.nan; v[:, :, 101:] = np.nan" | FileCheck %s --check-prefix=CHECK-NONE
// RUN: %PYTHON %reference/check.py %t.decode_one "ops.full_attention(q, k, v, mask=ops.causal(), q_offset=pos)" --set pos=100 --exec "v[:, :, 101:] = np.nan; v[:, 0, 5] = np.nan" | FileCheck %s --check-prefix=CHECK-DECODE
// CHECK-DECODE: PASS y: max_err={{[^ ]+}} tol={{[^ ]+}} nan=32{{$}}

// block_index with a causal mask: key block 2 is visited by query block 1
// only, where the causal mask hides it: no NaN. Value row 20 (block 1) is
// seen by rows 20..31 (block 1) and 48..63 (block 3), not by 16..19 of the
// same partial tile: 28 × 16 = 448.
// RUN: tesserac %s --entry=block_index -o %t.block_index
// RUN: %PYTHON %reference/check.py %t.block_index "ops.full_attention(q, k, v, mask=ops.causal(), block_index=bi, block_sizes=(16, 16))" '--set=bi=[[[[0, 3, -1], [1, 0, 2], [-1, 0, 0], [3, 3, 1]]]]' --exec "v[:, :, 32:48] = np.nan; k[:, :, 32:48] = np.inf" | FileCheck %s --check-prefix=CHECK-NONE
// RUN: %PYTHON %reference/check.py %t.block_index "ops.full_attention(q, k, v, mask=ops.causal(), block_index=bi, block_sizes=(16, 16))" '--set=bi=[[[[0, 3, -1], [1, 0, 2], [-1, 0, 0], [3, 3, 1]]]]' --exec "v[:, :, 20] = np.nan" | FileCheck %s --check-prefix=CHECK-BLOCKS
// CHECK-BLOCKS: PASS y: max_err={{[^ ]+}} tol={{[^ ]+}} nan=448{{$}}

// score_mod returning -inf masks a key: keys past 100 here.
// RUN: tesserac %s --entry=score_mod_mask -o %t.score_mod_mask
// RUN: %PYTHON %reference/check.py %t.score_mod_mask "ops.full_attention(q, k, v, score_mod=lambda s, b, h, i, j: np.where(j > 100, -np.inf, s))" --exec "v[:, :, 101:] = np.nan; k[:, :, 101:] = np.nan" | FileCheck %s --check-prefix=CHECK-NONE

// A visible key whose probability underflows to 0 in f32 (scale 300) is
// still seen: 0 · NaN is NaN for every query (causal: all see key 0),
// 40 × 2 × 16 = 1280; only masked entries are skipped.
// RUN: tesserac %s --entry=underflow -o %t.underflow
// RUN: %PYTHON %reference/check.py %t.underflow "ops.full_attention(q, k, v, scale=300.0, mask=ops.causal())" --exec "v[:, :, 0] = np.nan" | FileCheck %s --check-prefix=CHECK-UNDERFLOW
// CHECK-UNDERFLOW: PASS y: max_err={{[^ ]+}} tol={{[^ ]+}} nan=1280{{$}}

// CHECK-NONE: PASS y: max_err={{[^ ]+}} tol={{[^ ]+}}{{$}}

func.func @causal(%q: tensor<1x2x150x32xbf16> {tessera.name = "q"}, %k: tensor<1x2x150x32xbf16> {tessera.name = "k"}, %v: tensor<1x2x150x32xbf16> {tessera.name = "v"}) -> (tensor<1x2x150x32xbf16> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.causal} : (tensor<1x2x150x32xbf16>, tensor<1x2x150x32xbf16>, tensor<1x2x150x32xbf16>) -> tensor<1x2x150x32xbf16>
  return %y : tensor<1x2x150x32xbf16>
}

func.func @window(%q: tensor<1x2x100x16xbf16> {tessera.name = "q"}, %k: tensor<1x2x150x16xbf16> {tessera.name = "k"}, %v: tensor<1x2x150x16xbf16> {tessera.name = "v"}) -> (tensor<1x2x100x16xbf16> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.sliding_window<left = 20, right = 0>} : (tensor<1x2x100x16xbf16>, tensor<1x2x150x16xbf16>, tensor<1x2x150x16xbf16>) -> tensor<1x2x100x16xbf16>
  return %y : tensor<1x2x100x16xbf16>
}

func.func @block_causal(%q: tensor<1x2x200x16xbf16> {tessera.name = "q"}, %k: tensor<1x2x200x16xbf16> {tessera.name = "k"}, %v: tensor<1x2x200x16xbf16> {tessera.name = "v"}) -> (tensor<1x2x200x16xbf16> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.block_causal<frame = 48>} : (tensor<1x2x200x16xbf16>, tensor<1x2x200x16xbf16>, tensor<1x2x200x16xbf16>) -> tensor<1x2x200x16xbf16>
  return %y : tensor<1x2x200x16xbf16>
}

func.func @neighborhood(%q: tensor<1x2x144x16xbf16> {tessera.name = "q"}, %k: tensor<1x2x144x16xbf16> {tessera.name = "k"}, %v: tensor<1x2x144x16xbf16> {tessera.name = "v"}) -> (tensor<1x2x144x16xbf16> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.neighborhood_2d<height = 12, width = 12, radius_h = 1, radius_w = 2>} : (tensor<1x2x144x16xbf16>, tensor<1x2x144x16xbf16>, tensor<1x2x144x16xbf16>) -> tensor<1x2x144x16xbf16>
  return %y : tensor<1x2x144x16xbf16>
}

func.func @bool_mask(%q: tensor<1x2x70x16xbf16> {tessera.name = "q"}, %k: tensor<1x2x70x16xbf16> {tessera.name = "k"}, %v: tensor<1x2x70x16xbf16> {tessera.name = "v"}, %m: tensor<70x70xi1> {tessera.name = "m"}) -> (tensor<1x2x70x16xbf16> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v mask(%m) : (tensor<1x2x70x16xbf16>, tensor<1x2x70x16xbf16>, tensor<1x2x70x16xbf16>, tensor<70x70xi1>) -> tensor<1x2x70x16xbf16>
  return %y : tensor<1x2x70x16xbf16>
}

func.func @additive_mask(%q: tensor<1x2x70x16xbf16> {tessera.name = "q"}, %k: tensor<1x2x70x16xbf16> {tessera.name = "k"}, %v: tensor<1x2x70x16xbf16> {tessera.name = "v"}, %m: tensor<1x1x70x70xbf16> {tessera.name = "m"}) -> (tensor<1x2x70x16xbf16> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v mask(%m) {mask = #tessera.causal} : (tensor<1x2x70x16xbf16>, tensor<1x2x70x16xbf16>, tensor<1x2x70x16xbf16>, tensor<1x1x70x70xbf16>) -> tensor<1x2x70x16xbf16>
  return %y : tensor<1x2x70x16xbf16>
}

func.func @kv_cache_decode(%q: tensor<1x4x3x16xbf16> {tessera.name = "q"}, %kc: tensor<1x2x64x16xbf16> {tessera.name = "kc"}, %vc: tensor<1x2x64x16xbf16> {tessera.name = "vc"}, %kn: tensor<1x2x3x16xbf16> {tessera.name = "kn"}, %vn: tensor<1x2x3x16xbf16> {tessera.name = "vn"}, %pos: tensor<i64> {tessera.name = "pos"}) -> (tensor<1x4x3x16xbf16> {tessera.name = "y"}) {
  %p = tensor.extract %pos[] : tensor<i64>
  %off = arith.index_cast %p : i64 to index
  %k = tessera.kv_cache_update %kc, %kn, %off : (tensor<1x2x64x16xbf16>, tensor<1x2x3x16xbf16>, index) -> tensor<1x2x64x16xbf16>
  %v = tessera.kv_cache_update %vc, %vn, %off : (tensor<1x2x64x16xbf16>, tensor<1x2x3x16xbf16>, index) -> tensor<1x2x64x16xbf16>
  %y = tessera.attention %q, %k, %v q_offset(%off) {mask = #tessera.causal} : (tensor<1x4x3x16xbf16>, tensor<1x2x64x16xbf16>, tensor<1x2x64x16xbf16>, index) -> tensor<1x4x3x16xbf16>
  return %y : tensor<1x4x3x16xbf16>
}

func.func @decode_one(%q: tensor<1x4x1x16xbf16> {tessera.name = "q"}, %k: tensor<1x2x300x16xbf16> {tessera.name = "k"}, %v: tensor<1x2x300x16xbf16> {tessera.name = "v"}, %pos: tensor<i64> {tessera.name = "pos"}) -> (tensor<1x4x1x16xbf16> {tessera.name = "y"}) {
  %p = tensor.extract %pos[] : tensor<i64>
  %off = arith.index_cast %p : i64 to index
  %y = tessera.attention %q, %k, %v q_offset(%off) {mask = #tessera.causal} : (tensor<1x4x1x16xbf16>, tensor<1x2x300x16xbf16>, tensor<1x2x300x16xbf16>, index) -> tensor<1x4x1x16xbf16>
  return %y : tensor<1x4x1x16xbf16>
}

func.func @block_index(%q: tensor<1x1x64x16xbf16> {tessera.name = "q"}, %k: tensor<1x1x64x16xbf16> {tessera.name = "k"}, %v: tensor<1x1x64x16xbf16> {tessera.name = "v"}, %bi: tensor<1x1x4x3xi32> {tessera.name = "bi"}) -> (tensor<1x1x64x16xbf16> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v block_index(%bi) {block_sizes = array<i64: 16, 16>, mask = #tessera.causal} : (tensor<1x1x64x16xbf16>, tensor<1x1x64x16xbf16>, tensor<1x1x64x16xbf16>, tensor<1x1x4x3xi32>) -> tensor<1x1x64x16xbf16>
  return %y : tensor<1x1x64x16xbf16>
}

func.func @score_mod_mask(%q: tensor<1x2x130x16xbf16> {tessera.name = "q"}, %k: tensor<1x2x130x16xbf16> {tessera.name = "k"}, %v: tensor<1x2x130x16xbf16> {tessera.name = "v"}) -> (tensor<1x2x130x16xbf16> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v : (tensor<1x2x130x16xbf16>, tensor<1x2x130x16xbf16>, tensor<1x2x130x16xbf16>) -> tensor<1x2x130x16xbf16> score_mod {
  ^bb0(%s: bf16, %b: index, %h: index, %i: index, %j: index):
    %c100 = arith.constant 100 : index
    %ninf = arith.constant 0xFF80 : bf16
    %past = arith.cmpi ugt, %j, %c100 : index
    %r = arith.select %past, %ninf, %s : bf16
    tessera.yield %r : bf16
  }
  return %y : tensor<1x2x130x16xbf16>
}

func.func @underflow(%q: tensor<1x2x40x16xbf16> {tessera.name = "q"}, %k: tensor<1x2x40x16xbf16> {tessera.name = "k"}, %v: tensor<1x2x40x16xbf16> {tessera.name = "v"}) -> (tensor<1x2x40x16xbf16> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.causal, scale = 300.0 : f32} : (tensor<1x2x40x16xbf16>, tensor<1x2x40x16xbf16>, tensor<1x2x40x16xbf16>) -> tensor<1x2x40x16xbf16>
  return %y : tensor<1x2x40x16xbf16>
}
