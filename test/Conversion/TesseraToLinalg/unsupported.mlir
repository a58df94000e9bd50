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
