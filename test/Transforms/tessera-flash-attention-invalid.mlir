// RUN: tessera-opt %s -split-input-file --tessera-flash-attention -verify-diagnostics
// RUN: not tessera-opt %s --tessera-flash-attention="tile-k=24" 2>&1 | FileCheck %s --check-prefix=CHECK-TILE
// CHECK-TILE: tessera-flash-attention: tile-q must be positive and tile-k a positive multiple of 16

func.func @negative_dynamic(%q: tensor<1x1x?x16xf32>) -> tensor<1x1x?x16xf32> {
  // expected-error @+1 {{'tessera.attention' op cannot be lowered: dynamic shapes are not supported yet}}
  %0 = tessera.attention %q, %q, %q : (tensor<1x1x?x16xf32>, tensor<1x1x?x16xf32>, tensor<1x1x?x16xf32>) -> tensor<1x1x?x16xf32>
  return %0 : tensor<1x1x?x16xf32>
}

// -----

func.func @negative_f16(%q: tensor<1x1x8x16xf16>) -> tensor<1x1x8x16xf16> {
  // expected-error @+1 {{'tessera.attention' op cannot be lowered: only f32 attention is supported yet}}
  %0 = tessera.attention %q, %q, %q : (tensor<1x1x8x16xf16>, tensor<1x1x8x16xf16>, tensor<1x1x8x16xf16>) -> tensor<1x1x8x16xf16>
  return %0 : tensor<1x1x8x16xf16>
}
