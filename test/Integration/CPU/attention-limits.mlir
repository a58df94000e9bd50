// Mask parameters and sizes at the edges of 64-bit arithmetic, block
// sizes larger than the kernel tiles, and a Dv past the unrolled range,
// each compared with ops.full_attention (mask arithmetic on Python ints).
// INT64_MAX = 9223372036854775807.

// A window of INT64_MAX to the left is an unbounded causal mask.
// RUN: tesserac %s --entry=window_unbounded -o %t.window_unbounded
// RUN: %PYTHON %reference/check.py %t.window_unbounded "ops.full_attention(q, k, v, mask=ops.causal())" | FileCheck %s
// RUN: tesserac %s --entry=window_all -o %t.window_all
// RUN: %PYTHON %reference/check.py %t.window_all "ops.full_attention(q, k, v)" | FileCheck %s
// RUN: tesserac %s --entry=all_of_unbounded -o %t.all_of_unbounded
// RUN: %PYTHON %reference/check.py %t.all_of_unbounded "ops.full_attention(q, k, v, mask=ops.causal())" | FileCheck %s
// RUN: tesserac %s --entry=neighborhood_all -o %t.neighborhood_all
// RUN: %PYTHON %reference/check.py %t.neighborhood_all "ops.full_attention(q, k, v)" | FileCheck %s
// RUN: tesserac %s --entry=neighborhood_band -o %t.neighborhood_band
// RUN: %PYTHON %reference/check.py %t.neighborhood_band "ops.full_attention(q, k, v, mask=ops.neighborhood_2d(2, 2**62, 3, 5))" | FileCheck %s
// RUN: tesserac %s --entry=neighborhood_negative -o %t.neighborhood_negative
// RUN: %PYTHON %reference/check.py %t.neighborhood_negative "ops.full_attention(q, k, v, mask=ops.neighborhood_2d(2, 2**63 - 1, 0, 2**63 - 1))" | FileCheck %s
// RUN: tesserac %s --entry=neighborhood_rows -o %t.neighborhood_rows
// RUN: %PYTHON %reference/check.py %t.neighborhood_rows "ops.full_attention(q, k, v, mask=ops.neighborhood_2d(16, 10, 2**62, 3))" | FileCheck %s
// RUN: tesserac %s --entry=frames_huge -o %t.frames_huge
// RUN: %PYTHON %reference/check.py %t.frames_huge "ops.full_attention(q, k, v, mask=ops.any_of(ops.block_causal(2**63 - 1), ops.block_diagonal(2**63 - 1)))" | FileCheck %s
// RUN: tesserac %s --entry=q_offset_extreme -o %t.q_offset_extreme
// RUN: %PYTHON %reference/check.py %t.q_offset_extreme "ops.full_attention(q, k, v, mask=ops.sliding_window(2**63 - 1, 0), q_offset=pos)" --set pos=2**63-1 | FileCheck %s
// RUN: %PYTHON %reference/check.py %t.q_offset_extreme "ops.full_attention(q, k, v, mask=ops.sliding_window(2**63 - 1, 0), q_offset=pos)" --set pos=-2**63 | FileCheck %s
// RUN: %PYTHON %reference/check.py %t.q_offset_extreme "ops.full_attention(q, k, v, mask=ops.sliding_window(2**63 - 1, 0), q_offset=pos)" --set pos=20 | FileCheck %s
// RUN: tesserac %s --entry=block_index_odd -o %t.block_index_odd
// RUN: %PYTHON %reference/check.py %t.block_index_odd "ops.full_attention(q, k, v, block_index=bi, block_sizes=(5, 256))" '--set=bi=[[[[i % 3, (i + 1) % 3 if i % 2 else -1] for i in range(10)]]]' | FileCheck %s
// RUN: tesserac %s --entry=block_index_huge -o %t.block_index_huge
// RUN: %PYTHON %reference/check.py %t.block_index_huge "ops.full_attention(q, k, v, mask=ops.causal(), block_index=bi, block_sizes=(2**20, 2**20))" '--set=bi=[[[[0]]]]' | FileCheck %s
// RUN: tesserac %s --entry=dv_wide -o %t.dv_wide
// RUN: %PYTHON %reference/check.py %t.dv_wide "ops.full_attention(q, k, v, mask=ops.causal())" | FileCheck %s

// CHECK: PASS y: max_err=

func.func @window_unbounded(%q: tensor<1x2x150x16xf32> {tessera.name = "q"}, %k: tensor<1x2x150x16xf32> {tessera.name = "k"}, %v: tensor<1x2x150x16xf32> {tessera.name = "v"}) -> (tensor<1x2x150x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.sliding_window<left = 9223372036854775807, right = 0>} : (tensor<1x2x150x16xf32>, tensor<1x2x150x16xf32>, tensor<1x2x150x16xf32>) -> tensor<1x2x150x16xf32>
  return %y : tensor<1x2x150x16xf32>
}

func.func @window_all(%q: tensor<1x2x90x16xf32> {tessera.name = "q"}, %k: tensor<1x2x150x16xf32> {tessera.name = "k"}, %v: tensor<1x2x150x16xf32> {tessera.name = "v"}) -> (tensor<1x2x90x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.sliding_window<left = 9223372036854775807, right = 9223372036854775807>} : (tensor<1x2x90x16xf32>, tensor<1x2x150x16xf32>, tensor<1x2x150x16xf32>) -> tensor<1x2x90x16xf32>
  return %y : tensor<1x2x90x16xf32>
}

func.func @all_of_unbounded(%q: tensor<1x2x150x16xf32> {tessera.name = "q"}, %k: tensor<1x2x150x16xf32> {tessera.name = "k"}, %v: tensor<1x2x150x16xf32> {tessera.name = "v"}) -> (tensor<1x2x150x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.all_of<[#tessera.causal, #tessera.sliding_window<left = 9223372036854775807, right = 9223372036854775807>]>} : (tensor<1x2x150x16xf32>, tensor<1x2x150x16xf32>, tensor<1x2x150x16xf32>) -> tensor<1x2x150x16xf32>
  return %y : tensor<1x2x150x16xf32>
}

// One grid row of width INT64_MAX, unbounded radius: every pair.
func.func @neighborhood_all(%q: tensor<1x2x100x16xf32> {tessera.name = "q"}, %k: tensor<1x2x100x16xf32> {tessera.name = "k"}, %v: tensor<1x2x100x16xf32> {tessera.name = "v"}) -> (tensor<1x2x100x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.neighborhood_2d<height = 1, width = 9223372036854775807, radius_h = 0, radius_w = 9223372036854775807>} : (tensor<1x2x100x16xf32>, tensor<1x2x100x16xf32>, tensor<1x2x100x16xf32>) -> tensor<1x2x100x16xf32>
  return %y : tensor<1x2x100x16xf32>
}

// Width 2^62: positions share row 0, a band |q - k| <= 5 (queries at 20..59).
func.func @neighborhood_band(%q: tensor<1x2x40x16xf32> {tessera.name = "q"}, %k: tensor<1x2x60x16xf32> {tessera.name = "k"}, %v: tensor<1x2x60x16xf32> {tessera.name = "v"}) -> (tensor<1x2x40x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.neighborhood_2d<height = 2, width = 4611686018427387904, radius_h = 3, radius_w = 5>} : (tensor<1x2x40x16xf32>, tensor<1x2x60x16xf32>, tensor<1x2x60x16xf32>) -> tensor<1x2x40x16xf32>
  return %y : tensor<1x2x40x16xf32>
}

// Queries at -10..29: negative positions lie in grid row -1 and see nothing.
func.func @neighborhood_negative(%q: tensor<1x2x40x16xf32> {tessera.name = "q"}, %k: tensor<1x2x30x16xf32> {tessera.name = "k"}, %v: tensor<1x2x30x16xf32> {tessera.name = "v"}) -> (tensor<1x2x40x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.neighborhood_2d<height = 2, width = 9223372036854775807, radius_h = 0, radius_w = 9223372036854775807>} : (tensor<1x2x40x16xf32>, tensor<1x2x30x16xf32>, tensor<1x2x30x16xf32>) -> tensor<1x2x40x16xf32>
  return %y : tensor<1x2x40x16xf32>
}

// radius_h · width overflows: every row, columns within 3.
func.func @neighborhood_rows(%q: tensor<1x2x130x16xf32> {tessera.name = "q"}, %k: tensor<1x2x130x16xf32> {tessera.name = "k"}, %v: tensor<1x2x130x16xf32> {tessera.name = "v"}) -> (tensor<1x2x130x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.neighborhood_2d<height = 16, width = 10, radius_h = 4611686018427387904, radius_w = 3>} : (tensor<1x2x130x16xf32>, tensor<1x2x130x16xf32>, tensor<1x2x130x16xf32>) -> tensor<1x2x130x16xf32>
  return %y : tensor<1x2x130x16xf32>
}

// Frames and blocks of INT64_MAX, queries at -10..29.
func.func @frames_huge(%q: tensor<1x2x40x16xf32> {tessera.name = "q"}, %k: tensor<1x2x30x16xf32> {tessera.name = "k"}, %v: tensor<1x2x30x16xf32> {tessera.name = "v"}) -> (tensor<1x2x40x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.any_of<[#tessera.block_causal<frame = 9223372036854775807>, #tessera.block_diagonal<block = 9223372036854775807>]>} : (tensor<1x2x40x16xf32>, tensor<1x2x30x16xf32>, tensor<1x2x30x16xf32>) -> tensor<1x2x40x16xf32>
  return %y : tensor<1x2x40x16xf32>
}

// Run-time q_offset of INT64_MAX / INT64_MIN (clamped to ±2^61).
func.func @q_offset_extreme(%q: tensor<1x2x5x16xf32> {tessera.name = "q"}, %k: tensor<1x2x70x16xf32> {tessera.name = "k"}, %v: tensor<1x2x70x16xf32> {tessera.name = "v"}, %pos: tensor<i64> {tessera.name = "pos"}) -> (tensor<1x2x5x16xf32> {tessera.name = "y"}) {
  %p = tensor.extract %pos[] : tensor<i64>
  %off = arith.index_cast %p : i64 to index
  %y = tessera.attention %q, %k, %v q_offset(%off) {mask = #tessera.sliding_window<left = 9223372036854775807, right = 0>} : (tensor<1x2x5x16xf32>, tensor<1x2x70x16xf32>, tensor<1x2x70x16xf32>, index) -> tensor<1x2x5x16xf32>
  return %y : tensor<1x2x5x16xf32>
}

// Query blocks of 5 rows (not a multiple of the 4-row register block), key
// blocks of 256 keys (two kernel tiles each), Sk not a multiple of either.
func.func @block_index_odd(%q: tensor<1x1x50x16xf32> {tessera.name = "q"}, %k: tensor<1x1x600x16xf32> {tessera.name = "k"}, %v: tensor<1x1x600x16xf32> {tessera.name = "v"}, %bi: tensor<1x1x10x2xi32> {tessera.name = "bi"}) -> (tensor<1x1x50x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v block_index(%bi) {block_sizes = array<i64: 5, 256>} : (tensor<1x1x50x16xf32>, tensor<1x1x600x16xf32>, tensor<1x1x600x16xf32>, tensor<1x1x10x2xi32>) -> tensor<1x1x50x16xf32>
  return %y : tensor<1x1x50x16xf32>
}

// Blocks of 2^20: one block each way, kernel tiles stay small.
func.func @block_index_huge(%q: tensor<1x2x100x16xf32> {tessera.name = "q"}, %k: tensor<1x2x100x16xf32> {tessera.name = "k"}, %v: tensor<1x2x100x16xf32> {tessera.name = "v"}, %bi: tensor<1x1x1x1xi32> {tessera.name = "bi"}) -> (tensor<1x2x100x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v block_index(%bi) {block_sizes = array<i64: 1048576, 1048576>, mask = #tessera.causal} : (tensor<1x2x100x16xf32>, tensor<1x2x100x16xf32>, tensor<1x2x100x16xf32>, tensor<1x1x1x1xi32>) -> tensor<1x2x100x16xf32>
  return %y : tensor<1x2x100x16xf32>
}

// Dv = 200: 12 full vectors and a tail, looped rather than unrolled.
func.func @dv_wide(%q: tensor<1x2x70x16xf32> {tessera.name = "q"}, %k: tensor<1x1x70x16xf32> {tessera.name = "k"}, %v: tensor<1x1x70x200xf32> {tessera.name = "v"}) -> (tensor<1x2x70x200xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.causal} : (tensor<1x2x70x16xf32>, tensor<1x1x70x16xf32>, tensor<1x1x70x200xf32>) -> tensor<1x2x70x200xf32>
  return %y : tensor<1x2x70x200xf32>
}
