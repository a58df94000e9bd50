// RUN: tessera-opt %s -split-input-file --tessera-raise-attention --canonicalize | FileCheck %s

// torch-mlir's shape: [B·H, S, D] batch matmuls, a linalg.transpose of K,
// a constant scale and linalg.softmax.
// CHECK-LABEL: func.func @bmm_softmax
// CHECK-SAME: (%[[Q:.*]]: tensor<8x64x32xf32>, %[[K:.*]]: tensor<8x48x32xf32>, %[[V:.*]]: tensor<8x48x16xf32>)
// CHECK-DAG: %[[Q4:.*]] = tensor.expand_shape %[[Q]] {{\[\[}}0, 1], [2], [3]] output_shape [1, 8, 64, 32]
// CHECK-DAG: %[[K4:.*]] = tensor.expand_shape %[[K]] {{\[\[}}0, 1], [2], [3]] output_shape [1, 8, 48, 32]
// CHECK-DAG: %[[V4:.*]] = tensor.expand_shape %[[V]] {{\[\[}}0, 1], [2], [3]] output_shape [1, 8, 48, 16]
// CHECK: %[[A:.*]] = tessera.attention %[[Q4]], %[[K4]], %[[V4]] {scale = 1.250000e-01 : f32}
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[A]] {{\[\[}}0, 1], [2], [3]] : tensor<1x8x64x16xf32> into tensor<8x64x16xf32>
// CHECK-NOT: linalg.
// CHECK: return %[[R]]
func.func @bmm_softmax(%q: tensor<8x64x32xf32>, %k: tensor<8x48x32xf32>, %v: tensor<8x48x16xf32>) -> tensor<8x64x16xf32> {
  %zero = arith.constant 0.0 : f32
  %c = arith.constant 0.125 : f32
  %kt0 = tensor.empty() : tensor<8x32x48xf32>
  %kt = linalg.transpose ins(%k : tensor<8x48x32xf32>) outs(%kt0 : tensor<8x32x48xf32>) permutation = [0, 2, 1]
  %s0 = tensor.empty() : tensor<8x64x48xf32>
  %sf = linalg.fill ins(%zero : f32) outs(%s0 : tensor<8x64x48xf32>) -> tensor<8x64x48xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<8x64x32xf32>, tensor<8x32x48xf32>) outs(%sf : tensor<8x64x48xf32>) -> tensor<8x64x48xf32>
  %scaled = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%s : tensor<8x64x48xf32>) outs(%s0 : tensor<8x64x48xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %c : f32
    linalg.yield %m : f32
  } -> tensor<8x64x48xf32>
  %p = linalg.softmax dimension(2) ins(%scaled : tensor<8x64x48xf32>) outs(%s0 : tensor<8x64x48xf32>) -> tensor<8x64x48xf32>
  %o0 = tensor.empty() : tensor<8x64x16xf32>
  %of = linalg.fill ins(%zero : f32) outs(%o0 : tensor<8x64x16xf32>) -> tensor<8x64x16xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<8x64x48xf32>, tensor<8x48x16xf32>) outs(%of : tensor<8x64x16xf32>) -> tensor<8x64x16xf32>
  return %o : tensor<8x64x16xf32>
}

// -----

// IREE's shape: [B, H, S, D] contraction generics (Kᵀ in the indexing map),
// the softmax decomposed into max / sub / exp / sum / div, and a causal
// mask built from iota and compare, added to the scores.
// CHECK-LABEL: func.func @generic_causal
// CHECK-SAME: (%[[Q:.*]]: tensor<2x4x32x16xf32>, %[[K:.*]]: tensor<2x4x32x16xf32>, %[[V:.*]]: tensor<2x4x32x16xf32>)
// CHECK: %[[A:.*]] = tessera.attention %[[Q]], %[[K]], %[[V]] {mask = #tessera.causal, scale = 2.500000e-01 : f32}
// CHECK-NOT: linalg.
// CHECK: return %[[A]]
#qk_a = affine_map<(b, h, m, n, k) -> (b, h, m, k)>
#qk_b = affine_map<(b, h, m, n, k) -> (b, h, n, k)>
#qk_c = affine_map<(b, h, m, n, k) -> (b, h, m, n)>
#pv_a = affine_map<(b, h, m, n, k) -> (b, h, m, k)>
#pv_b = affine_map<(b, h, m, n, k) -> (b, h, k, n)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#row4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#mask4 = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @generic_causal(%q: tensor<2x4x32x16xf32>, %k: tensor<2x4x32x16xf32>, %v: tensor<2x4x32x16xf32>) -> tensor<2x4x32x16xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %c = arith.constant 4.0 : f32
  %e4 = tensor.empty() : tensor<2x4x32x32xf32>
  %sf = linalg.fill ins(%zero : f32) outs(%e4 : tensor<2x4x32x32xf32>) -> tensor<2x4x32x32xf32>
  %s = linalg.generic {indexing_maps = [#qk_a, #qk_b, #qk_c], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%q, %k : tensor<2x4x32x16xf32>, tensor<2x4x32x16xf32>) outs(%sf : tensor<2x4x32x32xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x4x32x32xf32>
  %scaled = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s : tensor<2x4x32x32xf32>) outs(%e4 : tensor<2x4x32x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.divf %in, %c : f32
    linalg.yield %m : f32
  } -> tensor<2x4x32x32xf32>
  %e2 = tensor.empty() : tensor<32x32xf32>
  %mask = linalg.generic {indexing_maps = [#id2], iterator_types = ["parallel", "parallel"]} outs(%e2 : tensor<32x32xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %ok = arith.cmpi ule, %j, %i : index
    %val = arith.select %ok, %zero, %ninf : f32
    linalg.yield %val : f32
  } -> tensor<32x32xf32>
  %masked = linalg.generic {indexing_maps = [#mask4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%mask, %scaled : tensor<32x32xf32>, tensor<2x4x32x32xf32>) outs(%e4 : tensor<2x4x32x32xf32>) {
  ^bb0(%mm: f32, %x: f32, %out: f32):
    %a = arith.addf %mm, %x : f32
    linalg.yield %a : f32
  } -> tensor<2x4x32x32xf32>
  %e3 = tensor.empty() : tensor<2x4x32xf32>
  %mf = linalg.fill ins(%ninf : f32) outs(%e3 : tensor<2x4x32xf32>) -> tensor<2x4x32xf32>
  %max = linalg.generic {indexing_maps = [#id4, #row4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%masked : tensor<2x4x32x32xf32>) outs(%mf : tensor<2x4x32xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %r = arith.maximumf %in, %acc : f32
    linalg.yield %r : f32
  } -> tensor<2x4x32xf32>
  %sub = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%masked, %max : tensor<2x4x32x32xf32>, tensor<2x4x32xf32>) outs(%e4 : tensor<2x4x32x32xf32>) {
  ^bb0(%x: f32, %mx: f32, %out: f32):
    %r = arith.subf %x, %mx : f32
    linalg.yield %r : f32
  } -> tensor<2x4x32x32xf32>
  %exp = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sub : tensor<2x4x32x32xf32>) outs(%e4 : tensor<2x4x32x32xf32>) {
  ^bb0(%x: f32, %out: f32):
    %r = math.exp %x : f32
    linalg.yield %r : f32
  } -> tensor<2x4x32x32xf32>
  %zf = linalg.fill ins(%zero : f32) outs(%e3 : tensor<2x4x32xf32>) -> tensor<2x4x32xf32>
  %sum = linalg.generic {indexing_maps = [#id4, #row4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%exp : tensor<2x4x32x32xf32>) outs(%zf : tensor<2x4x32xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %r = arith.addf %in, %acc : f32
    linalg.yield %r : f32
  } -> tensor<2x4x32xf32>
  %pr = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%exp, %sum : tensor<2x4x32x32xf32>, tensor<2x4x32xf32>) outs(%e4 : tensor<2x4x32x32xf32>) {
  ^bb0(%x: f32, %sm: f32, %out: f32):
    %r = arith.divf %x, %sm : f32
    linalg.yield %r : f32
  } -> tensor<2x4x32x32xf32>
  %eo = tensor.empty() : tensor<2x4x32x16xf32>
  %of = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x4x32x16xf32>) -> tensor<2x4x32x16xf32>
  %o = linalg.generic {indexing_maps = [#pv_a, #pv_b, #qk_c], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%pr, %v : tensor<2x4x32x32xf32>, tensor<2x4x32x16xf32>) outs(%of : tensor<2x4x32x16xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x4x32x16xf32>
  return %o : tensor<2x4x32x16xf32>
}

// -----

// Tensor-level arith (TOSA-like): a boolean mask through select; a constant
// band becomes a sliding window; an irregular one stays an explicit mask.
// CHECK-LABEL: func.func @select_masks
// CHECK: %[[M:.*]] = arith.constant dense<{{\[\[}}true, false, true, false], {{.*}}> : tensor<4x4xi1>
// CHECK: tessera.attention %{{.*}}, %{{.*}}, %{{.*}} {mask = #tessera.sliding_window<left = 1, right = 0>, scale = 1.000000e+00 : f32}
// CHECK: tessera.attention %{{.*}}, %{{.*}}, %{{.*}} mask(%[[M]]) {scale = 5.000000e-01 : f32}
func.func @select_masks(%q: tensor<4x8xf32>, %k: tensor<4x8xf32>, %v: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant dense<0xFF800000> : tensor<4x4xf32>
  %band = arith.constant dense<[[true, false, false, false], [true, true, false, false], [false, true, true, false], [false, false, true, true]]> : tensor<4x4xi1>
  %odd = arith.constant dense<[[true, false, true, false], [true, true, false, false], [false, true, true, false], [false, false, true, true]]> : tensor<4x4xi1>
  %half = arith.constant dense<0.5> : tensor<4x4xf32>
  %kt0 = tensor.empty() : tensor<8x4xf32>
  %kt = linalg.transpose ins(%k : tensor<4x8xf32>) outs(%kt0 : tensor<8x4xf32>) permutation = [1, 0]
  %s0 = tensor.empty() : tensor<4x4xf32>
  %sf = linalg.fill ins(%zero : f32) outs(%s0 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %s = linalg.matmul ins(%q, %kt : tensor<4x8xf32>, tensor<8x4xf32>) outs(%sf : tensor<4x4xf32>) -> tensor<4x4xf32>
  %o0 = tensor.empty() : tensor<4x8xf32>
  %of = linalg.fill ins(%zero : f32) outs(%o0 : tensor<4x8xf32>) -> tensor<4x8xf32>
  %m1 = arith.select %band, %s, %ninf : tensor<4x4xi1>, tensor<4x4xf32>
  %p1 = linalg.softmax dimension(1) ins(%m1 : tensor<4x4xf32>) outs(%s0 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %o1 = linalg.matmul ins(%p1, %v : tensor<4x4xf32>, tensor<4x8xf32>) outs(%of : tensor<4x8xf32>) -> tensor<4x8xf32>
  %sc = arith.mulf %s, %half : tensor<4x4xf32>
  %m2 = arith.select %odd, %sc, %ninf : tensor<4x4xi1>, tensor<4x4xf32>
  %p2 = linalg.softmax dimension(1) ins(%m2 : tensor<4x4xf32>) outs(%s0 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %o2 = linalg.matmul ins(%p2, %v : tensor<4x4xf32>, tensor<4x8xf32>) outs(%of : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %o1, %o2 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Left alone: a scale after the mask (it would scale the mask too) and a
// softmax over another axis.
// CHECK-LABEL: func.func @not_attention
// CHECK-NOT: tessera.attention
// CHECK: linalg.softmax dimension(0)
// CHECK-NOT: tessera.attention
// CHECK: return
func.func @not_attention(%q: tensor<4x8xf32>, %k: tensor<4x8xf32>, %v: tensor<4x8xf32>, %mask: tensor<4x4xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %half = arith.constant dense<0.5> : tensor<4x4xf32>
  %kt0 = tensor.empty() : tensor<8x4xf32>
  %kt = linalg.transpose ins(%k : tensor<4x8xf32>) outs(%kt0 : tensor<8x4xf32>) permutation = [1, 0]
  %s0 = tensor.empty() : tensor<4x4xf32>
  %sf = linalg.fill ins(%zero : f32) outs(%s0 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %s = linalg.matmul ins(%q, %kt : tensor<4x8xf32>, tensor<8x4xf32>) outs(%sf : tensor<4x4xf32>) -> tensor<4x4xf32>
  %o0 = tensor.empty() : tensor<4x8xf32>
  %of = linalg.fill ins(%zero : f32) outs(%o0 : tensor<4x8xf32>) -> tensor<4x8xf32>
  %a = arith.addf %s, %mask : tensor<4x4xf32>
  %b = arith.mulf %a, %half : tensor<4x4xf32>
  %p1 = linalg.softmax dimension(1) ins(%b : tensor<4x4xf32>) outs(%s0 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %o1 = linalg.matmul ins(%p1, %v : tensor<4x4xf32>, tensor<4x8xf32>) outs(%of : tensor<4x8xf32>) -> tensor<4x8xf32>
  %p2 = linalg.softmax dimension(0) ins(%s : tensor<4x4xf32>) outs(%s0 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %o2 = linalg.matmul ins(%p2, %v : tensor<4x4xf32>, tensor<4x8xf32>) outs(%of : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %o1, %o2 : tensor<4x8xf32>, tensor<4x8xf32>
}
