// RUN: tessera-opt %s | tessera-opt | FileCheck %s
// RUN: tessera-opt %s --mlir-print-op-generic | tessera-opt | FileCheck %s

// CHECK-LABEL: func @masks
func.func @masks(%q: tensor<1x8x16x64xf32>, %k: tensor<1x2x32x64xf32>) -> (tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>) {
  // CHECK: tessera.attention %{{.*}}, %{{.*}}, %{{.*}} {mask = #tessera.causal}
  %0 = tessera.attention %q, %k, %k {mask = #tessera.causal} : (tensor<1x8x16x64xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>) -> tensor<1x8x16x64xf32>
  // CHECK: {mask = #tessera.sliding_window<left = 8, right = 2>}
  %1 = tessera.attention %q, %k, %k {mask = #tessera.sliding_window<left = 8, right = 2>} : (tensor<1x8x16x64xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>) -> tensor<1x8x16x64xf32>
  // CHECK: {mask = #tessera.block_causal<frame = 4>}
  %2 = tessera.attention %q, %k, %k {mask = #tessera.block_causal<frame = 4>} : (tensor<1x8x16x64xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>) -> tensor<1x8x16x64xf32>
  // CHECK: {mask = #tessera.block_diagonal<block = 8>}
  %3 = tessera.attention %q, %k, %k {mask = #tessera.block_diagonal<block = 8>} : (tensor<1x8x16x64xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>) -> tensor<1x8x16x64xf32>
  // CHECK: {mask = #tessera.neighborhood_2d<height = 4, width = 8, radius_h = 1, radius_w = 2>}
  %4 = tessera.attention %q, %k, %k {mask = #tessera.neighborhood_2d<height = 4, width = 8, radius_h = 1, radius_w = 2>} : (tensor<1x8x16x64xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>) -> tensor<1x8x16x64xf32>
  // CHECK: {mask = #tessera.any_of<[#tessera.all_of<[#tessera.causal, #tessera.sliding_window<left = 4, right = 0>]>, #tessera.block_diagonal<block = 2>]>, scale = 5.000000e-01 : f32}
  %5 = tessera.attention %q, %k, %k {mask = #tessera.any_of<[#tessera.all_of<[#tessera.causal, #tessera.sliding_window<left = 4, right = 0>]>, #tessera.block_diagonal<block = 2>]>, scale = 0.5 : f32} : (tensor<1x8x16x64xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>) -> tensor<1x8x16x64xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>
}

// Explicit masks of rank 0 to 4 broadcast against [B, Hq, Sq, Sk] with
// trailing dimensions aligned, as in PyTorch SDPA.
// CHECK-LABEL: func @mask_ranks
// CHECK: mask(%{{.*}}) : ({{.*}}, tensor<16x32xi1>)
// CHECK: mask(%{{.*}}) : ({{.*}}, tensor<8x1x32xf32>)
// CHECK: mask(%{{.*}}) : ({{.*}}, tensor<32xi1>)
// CHECK: mask(%{{.*}}) : ({{.*}}, tensor<i1>)
func.func @mask_ranks(%q: tensor<1x8x16x64xf32>, %k: tensor<1x2x32x64xf32>, %m2: tensor<16x32xi1>, %m3: tensor<8x1x32xf32>, %m1: tensor<32xi1>, %m0: tensor<i1>) -> (tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>) {
  %0 = tessera.attention %q, %k, %k mask(%m2) : (tensor<1x8x16x64xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>, tensor<16x32xi1>) -> tensor<1x8x16x64xf32>
  %1 = tessera.attention %q, %k, %k mask(%m3) : (tensor<1x8x16x64xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>, tensor<8x1x32xf32>) -> tensor<1x8x16x64xf32>
  %2 = tessera.attention %q, %k, %k mask(%m1) : (tensor<1x8x16x64xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>, tensor<32xi1>) -> tensor<1x8x16x64xf32>
  %3 = tessera.attention %q, %k, %k mask(%m0) : (tensor<1x8x16x64xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>, tensor<i1>) -> tensor<1x8x16x64xf32>
  return %0, %1, %2, %3 : tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>
}

// CHECK-LABEL: func @operands
func.func @operands(%q: tensor<1x8x16x64xf32>, %k: tensor<1x2x32x64xf32>, %m: tensor<1x1x16x32xi1>, %a: tensor<1x8x1x32xf32>, %off: index, %bi: tensor<1x8x1x3xi32>) -> (tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>) {
  // CHECK: tessera.attention %{{.*}}, %{{.*}}, %{{.*}} mask(%{{.*}}) q_offset(%{{.*}}) {mask = #tessera.causal} : (tensor<1x8x16x64xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>, tensor<1x1x16x32xi1>, index) -> tensor<1x8x16x64xf32>
  %0 = tessera.attention %q, %k, %k mask(%m) q_offset(%off) {mask = #tessera.causal} : (tensor<1x8x16x64xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>, tensor<1x1x16x32xi1>, index) -> tensor<1x8x16x64xf32>
  // CHECK: mask(%{{.*}}) : (tensor<1x8x16x64xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>, tensor<1x8x1x32xf32>)
  %1 = tessera.attention %q, %k, %k mask(%a) : (tensor<1x8x16x64xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>, tensor<1x8x1x32xf32>) -> tensor<1x8x16x64xf32>
  // CHECK: block_index(%{{.*}}) {block_sizes = array<i64: 16, 16>}
  %2 = tessera.attention %q, %k, %k block_index(%bi) {block_sizes = array<i64: 16, 16>} : (tensor<1x8x16x64xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>, tensor<1x8x1x3xi32>) -> tensor<1x8x16x64xf32>
  return %0, %1, %2 : tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>, tensor<1x8x16x64xf32>
}

// CHECK-LABEL: func @score_mod
func.func @score_mod(%q: tensor<1x2x16x64xf32>) -> tensor<1x2x16x64xf32> {
  // CHECK: tessera.attention
  // CHECK-SAME: score_mod {
  // CHECK: ^bb0(%{{.*}}: f32, %{{.*}}: index, %{{.*}}: index, %{{.*}}: index, %{{.*}}: index):
  // CHECK: math.tanh
  // CHECK: tessera.yield %{{.*}} : f32
  %0 = tessera.attention %q, %q, %q : (tensor<1x2x16x64xf32>, tensor<1x2x16x64xf32>, tensor<1x2x16x64xf32>) -> tensor<1x2x16x64xf32> score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %c = arith.constant 30.0 : f32
    %t = arith.divf %s, %c : f32
    %u = math.tanh %t : f32
    %r = arith.mulf %u, %c : f32
    tessera.yield %r : f32
  }
  return %0 : tensor<1x2x16x64xf32>
}

// CHECK-LABEL: func @kv_cache
func.func @kv_cache(%cache: tensor<1x2x64x16xf32>, %new: tensor<1x2x1x16xf32>, %pos: index) -> tensor<1x2x64x16xf32> {
  // CHECK: tessera.kv_cache_update %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x2x64x16xf32>, tensor<1x2x1x16xf32>, index) -> tensor<1x2x64x16xf32>
  %0 = tessera.kv_cache_update %cache, %new, %pos : (tensor<1x2x64x16xf32>, tensor<1x2x1x16xf32>, index) -> tensor<1x2x64x16xf32>
  return %0 : tensor<1x2x64x16xf32>
}

// CHECK-LABEL: func @composite
func.func @composite(%q: tensor<1x2x96x32xf32>, %w: tensor<16x32xf32>) -> (tensor<1x2x96x32xf32>, tensor<1x2x96x32xf32>) {
  // CHECK: tessera.probsparse_attention %{{.*}}, %{{.*}}, %{{.*}} {causal, factor = 3 : i64, seed = 1 : i64}
  %0 = tessera.probsparse_attention %q, %q, %q {factor = 3 : i64, seed = 1 : i64, causal} : (tensor<1x2x96x32xf32>, tensor<1x2x96x32xf32>, tensor<1x2x96x32xf32>) -> tensor<1x2x96x32xf32>
  // CHECK: tessera.probsparse_attention %{{.*}}, %{{.*}}, %{{.*}} {causal, sample_mean}
  %2 = tessera.probsparse_attention %q, %q, %q {causal, sample_mean} : (tensor<1x2x96x32xf32>, tensor<1x2x96x32xf32>, tensor<1x2x96x32xf32>) -> tensor<1x2x96x32xf32>
  // CHECK: tessera.strip_attention %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {pool = 4 : i64}
  %1 = tessera.strip_attention %q, %q, %q, %w, %w {pool = 4 : i64} : (tensor<1x2x96x32xf32>, tensor<1x2x96x32xf32>, tensor<1x2x96x32xf32>, tensor<16x32xf32>, tensor<16x32xf32>) -> tensor<1x2x96x32xf32>
  return %0, %1 : tensor<1x2x96x32xf32>, tensor<1x2x96x32xf32>
}
