// RUN: tessera-opt %s | tessera-opt | FileCheck %s
// RUN: tessera-opt %s --mlir-print-op-generic | tessera-opt | FileCheck %s

// CHECK-LABEL: func @linear
func.func @linear(%x: tensor<2x8x16xf32>, %w: tensor<32x16xf32>, %b: tensor<32xf32>) -> (tensor<2x8x32xf32>, tensor<2x8x32xf32>) {
  // CHECK: tessera.linear %{{.*}}, %{{.*}} bias(%{{.*}}) : (tensor<2x8x16xf32>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<2x8x32xf32>
  %0 = tessera.linear %x, %w bias(%b) : (tensor<2x8x16xf32>, tensor<32x16xf32>, tensor<32xf32>) -> tensor<2x8x32xf32>
  // CHECK: tessera.linear %{{.*}}, %{{.*}} : (tensor<2x8x16xf32>, tensor<32x16xf32>) -> tensor<2x8x32xf32>
  %1 = tessera.linear %x, %w : (tensor<2x8x16xf32>, tensor<32x16xf32>) -> tensor<2x8x32xf32>
  return %0, %1 : tensor<2x8x32xf32>, tensor<2x8x32xf32>
}

// CHECK-LABEL: func @norms
func.func @norms(%x: tensor<4x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) -> (tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>) {
  // CHECK: tessera.layer_norm %{{.*}} weight(%{{.*}}) bias(%{{.*}}) {epsilon = 9.99999997E-7 : f32}
  %0 = tessera.layer_norm %x weight(%g) bias(%b) {epsilon = 1.0e-6 : f32} : (tensor<4x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  // CHECK: tessera.layer_norm %{{.*}} bias(%{{.*}}) : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  %1 = tessera.layer_norm %x bias(%b) : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  // CHECK: tessera.rms_norm %{{.*}} weight(%{{.*}}) : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  %2 = tessera.rms_norm %x weight(%g) : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  // CHECK: tessera.rms_norm %{{.*}} {epsilon = 1.000000e-03 : f32} : (tensor<4x64xf32>) -> tensor<4x64xf32>
  %3 = tessera.rms_norm %x {epsilon = 1.0e-3 : f32} : (tensor<4x64xf32>) -> tensor<4x64xf32>
  return %0, %1, %2, %3 : tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>
}

// CHECK-LABEL: func @activations
func.func @activations(%x: tensor<4x64xf32>, %u: tensor<4x64xf32>) -> (tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>) {
  // CHECK: tessera.gelu %{{.*}} : tensor<4x64xf32>
  %0 = tessera.gelu %x : tensor<4x64xf32>
  // CHECK: tessera.gelu %{{.*}} approximate({{ ?}}tanh) : tensor<4x64xf32>
  %1 = tessera.gelu %x approximate(tanh) : tensor<4x64xf32>
  // CHECK: tessera.silu %{{.*}} : tensor<4x64xf32>
  %2 = tessera.silu %x : tensor<4x64xf32>
  // CHECK: tessera.swiglu %{{.*}}, %{{.*}} : tensor<4x64xf32>
  %3 = tessera.swiglu %x, %u : tensor<4x64xf32>
  return %0, %1, %2, %3 : tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>
}

// CHECK-LABEL: func @positional
func.func @positional(%x: tensor<1x2x8x16xf32>, %t: tensor<3xf32>) -> (tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32>, tensor<3x33xf32>) {
  // CHECK: tessera.rope %{{.*}} : tensor<1x2x8x16xf32>
  %0 = tessera.rope %x : tensor<1x2x8x16xf32>
  // CHECK: tessera.rope %{{.*}} {interleaved, position_offset = 5 : i64, theta = 5.000000e+05 : f64} : tensor<1x2x8x16xf32>
  %1 = tessera.rope %x {theta = 500000.0 : f64, position_offset = 5 : i64, interleaved} : tensor<1x2x8x16xf32>
  // CHECK: tessera.timestep_embedding %{{.*}} {max_period = 1.000000e+03 : f64} : (tensor<3xf32>) -> tensor<3x33xf32>
  %2 = tessera.timestep_embedding %t {max_period = 1000.0 : f64} : (tensor<3xf32>) -> tensor<3x33xf32>
  return %0, %1, %2 : tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32>, tensor<3x33xf32>
}

// Defaults (flip_sin_to_cos = true, downscale_freq_shift = 0.0, scale = 1.0)
// are elided; other values are printed.
// CHECK-LABEL: func @timestep_embedding_options
func.func @timestep_embedding_options(%t: tensor<3xf32>) -> (tensor<3x8xf32>, tensor<3x8xf32>, tensor<3x9xf32>) {
  // CHECK: tessera.timestep_embedding %{{.*}} : (tensor<3xf32>) -> tensor<3x8xf32>
  %0 = tessera.timestep_embedding %t {flip_sin_to_cos = true, downscale_freq_shift = 0.0 : f64, scale = 1.0 : f64, max_period = 10000.0 : f64} : (tensor<3xf32>) -> tensor<3x8xf32>
  // CHECK: tessera.timestep_embedding %{{.*}} {downscale_freq_shift = 1.000000e+00 : f64, flip_sin_to_cos = false} : (tensor<3xf32>) -> tensor<3x8xf32>
  %1 = tessera.timestep_embedding %t {flip_sin_to_cos = false, downscale_freq_shift = 1.0 : f64} : (tensor<3xf32>) -> tensor<3x8xf32>
  // CHECK: tessera.timestep_embedding %{{.*}} {downscale_freq_shift = 5.000000e-01 : f64, max_period = 1.000000e+03 : f64, scale = 1.000000e+03 : f64} : (tensor<3xf32>) -> tensor<3x9xf32>
  %2 = tessera.timestep_embedding %t {scale = 1000.0 : f64, downscale_freq_shift = 0.5 : f64, max_period = 1000.0 : f64} : (tensor<3xf32>) -> tensor<3x9xf32>
  return %0, %1, %2 : tensor<3x8xf32>, tensor<3x8xf32>, tensor<3x9xf32>
}

// CHECK-LABEL: func @modulate
func.func @modulate(%x: tensor<2x16x8xf32>, %shift: tensor<2x8xf32>, %scale: tensor<2x8xf32>) -> tensor<2x16x8xf32> {
  // CHECK: tessera.modulate %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x16x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x16x8xf32>
  %0 = tessera.modulate %x, %shift, %scale : (tensor<2x16x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x16x8xf32>
  return %0 : tensor<2x16x8xf32>
}

// CHECK-LABEL: func @attention
func.func @attention(%q: tensor<1x8x4x16xf32>, %k: tensor<1x2x6x16xf32>, %v: tensor<1x2x6x32xf32>) -> (tensor<1x8x4x32xf32>, tensor<1x8x4x32xf32>) {
  // CHECK: tessera.attention %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x8x4x16xf32>, tensor<1x2x6x16xf32>, tensor<1x2x6x32xf32>) -> tensor<1x8x4x32xf32>
  %0 = tessera.attention %q, %k, %v : (tensor<1x8x4x16xf32>, tensor<1x2x6x16xf32>, tensor<1x2x6x32xf32>) -> tensor<1x8x4x32xf32>
  // CHECK: tessera.attention %{{.*}}, %{{.*}}, %{{.*}} {scale = 5.000000e-01 : f32}
  %1 = tessera.attention %q, %k, %v {scale = 0.5 : f32} : (tensor<1x8x4x16xf32>, tensor<1x2x6x16xf32>, tensor<1x2x6x32xf32>) -> tensor<1x8x4x32xf32>
  return %0, %1 : tensor<1x8x4x32xf32>, tensor<1x8x4x32xf32>
}

// Dynamic dimensions verify; the lowering reports them.
// CHECK-LABEL: func @dynamic
func.func @dynamic(%x: tensor<?x16xf32>, %w: tensor<8x16xf32>) -> tensor<?x8xf32> {
  // CHECK: tessera.linear %{{.*}}, %{{.*}} : (tensor<?x16xf32>, tensor<8x16xf32>) -> tensor<?x8xf32>
  %0 = tessera.linear %x, %w : (tensor<?x16xf32>, tensor<8x16xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}
