// RUN: tessera-opt %s -split-input-file --tessera-flash-attention -verify-diagnostics
// RUN: not tessera-opt %s --tessera-flash-attention="tile-k=20" 2>&1 | FileCheck %s --check-prefix=CHECK-TILE
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

// -----

func.func @empty_keys(%q: tensor<1x1x8x16xf32>, %k: tensor<1x1x0x16xf32>) -> tensor<1x1x8x16xf32> {
  // expected-error @+1 {{'tessera.attention' op cannot be lowered: empty key or head dimension}}
  %0 = tessera.attention %q, %k, %k : (tensor<1x1x8x16xf32>, tensor<1x1x0x16xf32>, tensor<1x1x0x16xf32>) -> tensor<1x1x8x16xf32>
  return %0 : tensor<1x1x8x16xf32>
}

// -----

// Sequence lengths past 2^40 verify (the tensors stay under 2^62 bytes); the
// lowering refuses them instead of overflowing its size arithmetic.
func.func @huge_sequence(%q: tensor<1x1x2199023255552x16xf32>) -> tensor<1x1x2199023255552x16xf32> {
  // expected-error @+1 {{'tessera.attention' op cannot be lowered: operand dimension 2199023255552 exceeds the supported maximum of 2^40}}
  %0 = tessera.attention %q, %q, %q {mask = #tessera.causal} : (tensor<1x1x2199023255552x16xf32>, tensor<1x1x2199023255552x16xf32>, tensor<1x1x2199023255552x16xf32>) -> tensor<1x1x2199023255552x16xf32>
  return %0 : tensor<1x1x2199023255552x16xf32>
}

// -----

// Dv = 300000 needs 1.2 MB of accumulators per task even at one query row.
func.func @huge_value_dim(%q: tensor<1x1x8x16xf32>, %v: tensor<1x1x8x300000xf32>) -> tensor<1x1x8x300000xf32> {
  // expected-error @+1 {{'tessera.attention' op cannot be lowered: a value head dimension of 300000 needs more than 1048576 bytes of scratch per task}}
  %0 = tessera.attention %q, %q, %v : (tensor<1x1x8x16xf32>, tensor<1x1x8x16xf32>, tensor<1x1x8x300000xf32>) -> tensor<1x1x8x300000xf32>
  return %0 : tensor<1x1x8x300000xf32>
}
