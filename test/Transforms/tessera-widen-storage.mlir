// RUN: tessera-opt %s --split-input-file --tessera-widen-storage --verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xbf16>, %[[W:.*]]: tensor<16x8xbf16>, %[[B:.*]]: tensor<16xbf16>)
// CHECK: %[[XW:.*]] = arith.extf %[[X]] : tensor<4x8xbf16> to tensor<4x8xf32>
// CHECK: %[[WW:.*]] = arith.extf %[[W]] : tensor<16x8xbf16> to tensor<16x8xf32>
// CHECK: %[[BW:.*]] = arith.extf %[[B]] : tensor<16xbf16> to tensor<16xf32>
// CHECK: %[[Y:.*]] = tessera.linear %[[XW]], %[[WW]] bias(%[[BW]]) : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
// CHECK: %[[R:.*]] = arith.truncf %[[Y]] : tensor<4x16xf32> to tensor<4x16xbf16>
// CHECK: return %[[R]]
func.func @linear(%x: tensor<4x8xbf16>, %w: tensor<16x8xbf16>, %b: tensor<16xbf16>) -> tensor<4x16xbf16> {
  %0 = tessera.linear %x, %w bias(%b) : (tensor<4x8xbf16>, tensor<16x8xbf16>, tensor<16xbf16>) -> tensor<4x16xbf16>
  return %0 : tensor<4x16xbf16>
}

// -----

// Integer results (the routing counts) keep their type; f32 ops are not
// touched.
// CHECK-LABEL: func.func @moe
// CHECK: %[[Y:.*]], %[[N:.*]] = tessera.moe {{.*}} -> (tensor<6x8xf32>, tensor<4xi64>)
// CHECK: %[[T:.*]] = arith.truncf %[[Y]] : tensor<6x8xf32> to tensor<6x8xf16>
// CHECK: tessera.gelu %{{.*}} : tensor<6x8xf32>
// CHECK: return %[[T]], %[[N]]
func.func @moe(%x: tensor<6x8xf16>, %wg: tensor<4x8xf16>, %wu: tensor<4x12x8xf16>, %wd: tensor<4x8x12xf16>, %z: tensor<6x8xf32>) -> (tensor<6x8xf16>, tensor<4xi64>, tensor<6x8xf32>) {
  %y, %n = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 1, order = softmax_then_topk>) activation(gelu)
      : (tensor<6x8xf16>, tensor<4x8xf16>, tensor<4x12x8xf16>, tensor<4x8x12xf16>) -> (tensor<6x8xf16>, tensor<4xi64>)
  %g = tessera.gelu %z : tensor<6x8xf32>
  return %y, %n, %g : tensor<6x8xf16>, tensor<4xi64>, tensor<6x8xf32>
}

// -----

// A score_mod written in f16 keeps computing in f16, between a rounding of
// the f32 score and a widening of its yield.
// CHECK-LABEL: func.func @score_mod
// CHECK: tessera.attention {{.*}} -> tensor<1x1x8x16xf32> score_mod {
// CHECK: ^bb0(%[[S:.*]]: f32, %{{.*}}: index, %{{.*}}: index, %{{.*}}: index, %{{.*}}: index):
// CHECK:   %[[H:.*]] = arith.truncf %[[S]] : f32 to f16
// CHECK:   %[[R:.*]] = arith.addf %[[H]], %[[H]] : f16
// CHECK:   %[[W:.*]] = arith.extf %[[R]] : f16 to f32
// CHECK:   tessera.yield %[[W]] : f32
func.func @score_mod(%q: tensor<1x1x8x16xf16>) -> tensor<1x1x8x16xf16> {
  %y = tessera.attention %q, %q, %q : (tensor<1x1x8x16xf16>, tensor<1x1x8x16xf16>, tensor<1x1x8x16xf16>) -> tensor<1x1x8x16xf16> score_mod {
  ^bb0(%s: f16, %b: index, %h: index, %i: index, %j: index):
    %r = arith.addf %s, %s : f16
    tessera.yield %r : f16
  }
  return %y : tensor<1x1x8x16xf16>
}
