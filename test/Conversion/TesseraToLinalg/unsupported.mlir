// RUN: tessera-opt %s -split-input-file --convert-tessera-to-linalg -verify-diagnostics

func.func @negative_dynamic(%x: tensor<?x16xf32>, %w: tensor<8x16xf32>) -> tensor<?x8xf32> {
  // expected-error @+1 {{'tessera.linear' op cannot be lowered: dynamic shape 'tensor<?x16xf32>' is not supported yet}}
  %0 = tessera.linear %x, %w : (tensor<?x16xf32>, tensor<8x16xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

func.func @negative_f16(%x: tensor<4x16xf16>) -> tensor<4x16xf16> {
  // expected-error @+1 {{'tessera.silu' op cannot be lowered: element type 'f16' is not supported yet (only f32 is)}}
  %0 = tessera.silu %x : tensor<4x16xf16>
  return %0 : tensor<4x16xf16>
}

// -----

func.func @negative_attention(%q: tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> {
  // expected-error @+1 {{'tessera.attention' op is lowered by tessera-flash-attention, which must run before convert-tessera-to-linalg}}
  %0 = tessera.attention %q, %q, %q : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32>
  return %0 : tensor<1x1x4x16xf32>
}

// -----

func.func @negative_moe(%x: tensor<4x8xf32>, %wg: tensor<2x8xf32>, %wu: tensor<2x16x8xf32>, %wd: tensor<2x8x16xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'tessera.moe' op is lowered by tessera-lower-moe, which must run before convert-tessera-to-linalg}}
  %0 = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 1>) activation(gelu) : (tensor<4x8xf32>, tensor<2x8xf32>, tensor<2x16x8xf32>, tensor<2x8x16xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
