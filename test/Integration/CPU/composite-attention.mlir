// Composite attention ops, decomposed into the core op (tessera-decompose)
// and compared against independent float64 references.
// RUN: tesserac %s --entry=probsparse -o %t.a
// RUN: %PYTHON %reference/check.py %t.a "ops.probsparse_attention(q, k, v, factor=3, seed=7)" | FileCheck %s
// RUN: tesserac %s --entry=probsparse_causal -o %t.b
// RUN: %PYTHON %reference/check.py %t.b "ops.probsparse_attention(q, k, v, factor=2, causal=True)" | FileCheck %s
// RUN: tesserac %s --entry=strip -o %t.c
// RUN: %PYTHON %reference/check.py %t.c "ops.strip_attention(q, k, v, wq, wk, 4)" | FileCheck %s
// RUN: tesserac %s --entry=strip --compile-to=decompose | FileCheck %s --check-prefix=CHECK-DECOMPOSE

// CHECK: PASS y: max_err=
// CHECK-DECOMPOSE-NOT: tessera.strip_attention
// CHECK-DECOMPOSE: tessera.linear
// CHECK-DECOMPOSE: tessera.attention

// Informer encoder sizes: 96 tokens, 8 heads of 32.
func.func @probsparse(%q: tensor<2x8x96x32xf32> {tessera.name = "q"}, %k: tensor<2x8x96x32xf32> {tessera.name = "k"}, %v: tensor<2x8x96x32xf32> {tessera.name = "v"}) -> (tensor<2x8x96x32xf32> {tessera.name = "y"}) {
  %0 = tessera.probsparse_attention %q, %k, %v {factor = 3 : i64, seed = 7 : i64} : (tensor<2x8x96x32xf32>, tensor<2x8x96x32xf32>, tensor<2x8x96x32xf32>) -> tensor<2x8x96x32xf32>
  return %0 : tensor<2x8x96x32xf32>
}

// Informer decoder self-attention: causal, cumulative mean for lazy queries.
func.func @probsparse_causal(%q: tensor<1x4x72x16xf32> {tessera.name = "q"}, %k: tensor<1x4x72x16xf32> {tessera.name = "k"}, %v: tensor<1x4x72x24xf32> {tessera.name = "v"}) -> (tensor<1x4x72x24xf32> {tessera.name = "y"}) {
  %0 = tessera.probsparse_attention %q, %k, %v {factor = 2 : i64, causal} : (tensor<1x4x72x16xf32>, tensor<1x4x72x16xf32>, tensor<1x4x72x24xf32>) -> tensor<1x4x72x24xf32>
  return %0 : tensor<1x4x72x24xf32>
}

// S2AFormer strip attention: keys/values pooled by 4, channels 32 -> 16.
func.func @strip(%q: tensor<1x4x128x32xf32> {tessera.name = "q"}, %k: tensor<1x4x128x32xf32> {tessera.name = "k"}, %v: tensor<1x4x128x32xf32> {tessera.name = "v"}, %wq: tensor<16x32xf32> {tessera.name = "wq"}, %wk: tensor<16x32xf32> {tessera.name = "wk"}) -> (tensor<1x4x128x32xf32> {tessera.name = "y"}) {
  %0 = tessera.strip_attention %q, %k, %v, %wq, %wk {pool = 4 : i64} : (tensor<1x4x128x32xf32>, tensor<1x4x128x32xf32>, tensor<1x4x128x32xf32>, tensor<16x32xf32>, tensor<16x32xf32>) -> tensor<1x4x128x32xf32>
  return %0 : tensor<1x4x128x32xf32>
}
