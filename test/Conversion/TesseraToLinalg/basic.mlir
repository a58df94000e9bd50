// RUN: tessera-opt %s --convert-tessera-to-linalg --canonicalize | FileCheck %s

// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @linear
// CHECK: %[[INIT:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<32xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[Y]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<8x16xf32>, tensor<32x16xf32>) outs(%[[INIT]] : tensor<8x32xf32>)
// CHECK: arith.mulf %{{.*}}, %{{.*}} fastmath<reassoc,contract> : f32
// CHECK: arith.addf %{{.*}}, %{{.*}} fastmath<reassoc,contract> : f32
// CHECK-NOT: tessera.
func.func @linear(%x: tensor<8x16xf32>, %w: tensor<32x16xf32>, %b: tensor<32xf32>) -> tensor<8x32xf32> {
  %0 = tessera.linear %x, %w bias(%b) : (tensor<8x16xf32>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<8x32xf32>
  return %0 : tensor<8x32xf32>
}

// Shifted two-pass moments: the row's first element K, Σ(x - K), then
// Σ((x - K) - o)²; the per-row offset o and rsqrt in one two-result generic;
// one elementwise pass without the rsqrt.
// CHECK-LABEL: func.func @layer_norm
// CHECK: %[[K:.*]] = tensor.extract_slice %[[IN:.*]][0, 0] [4, 1] [1, 1] : tensor<4x64xf32> to tensor<4xf32>
// CHECK: %[[S:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[IN]], %[[K]] :
// CHECK: arith.subf
// CHECK: %[[Q:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[IN]], %[[K]], %[[S]] :
// CHECK: arith.subf
// CHECK: arith.subf
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} ins(%[[S]], %[[Q]] :
// CHECK: math.rsqrt
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} ins(%[[IN]], %[[R]]#1, %[[K]], %[[R]]#0 :
// CHECK-NOT: math.rsqrt
// CHECK: return
func.func @layer_norm(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %0 = tessera.layer_norm %x : (tensor<4x64xf32>) -> tensor<4x64xf32>
  return %0 : tensor<4x64xf32>
}

// CHECK-LABEL: func.func @gelu
// CHECK: math.erf
// CHECK-LABEL: func.func @gelu_tanh
// CHECK: math.tanh
func.func @gelu(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %0 = tessera.gelu %x : tensor<4x64xf32>
  return %0 : tensor<4x64xf32>
}
func.func @gelu_tanh(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %0 = tessera.gelu %x approximate(tanh) : tensor<4x64xf32>
  return %0 : tensor<4x64xf32>
}

// RoPE splits the channels into two halves, rotates both in one generic and
// reassembles them.
// CHECK-LABEL: func.func @rope
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1], [2], [3, 4]] output_shape [1, 2, 8, 2, 8]
// CHECK: linalg.generic
// CHECK: math.cos
// CHECK: math.sin
// CHECK: -> (tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>)
// CHECK: tensor.collapse_shape
func.func @rope(%x: tensor<1x2x8x16xf32>) -> tensor<1x2x8x16xf32> {
  %0 = tessera.rope %x : tensor<1x2x8x16xf32>
  return %0 : tensor<1x2x8x16xf32>
}
