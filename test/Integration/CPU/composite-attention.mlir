// Composite attention ops, decomposed into the core op (tessera-decompose)
// and compared against independent float64 references.
//
// ProbSparse follows the official Informer code (M = max - sum / Sk, causal
// lazy queries take the cumulative sum of V) with the documented sampler.
// RUN: tesserac %s --entry=probsparse -o %t.a
// RUN: %PYTHON %reference/check.py %t.a "ops.probsparse_attention(q, k, v, factor=3, seed=7)" | FileCheck %s
// RUN: tesserac %s --entry=probsparse_causal -o %t.b
// RUN: %PYTHON %reference/check.py %t.b "ops.probsparse_attention(q, k, v, factor=2, causal=True)" | FileCheck %s
// RUN: tesserac %s --entry=probsparse_cross -o %t.cross
// RUN: %PYTHON %reference/check.py %t.cross "ops.probsparse_attention(q, k, v, factor=4, seed=-3)" | FileCheck %s
// RUN: tesserac %s --entry=probsparse_sample_mean -o %t.mean
// RUN: %PYTHON %reference/check.py %t.mean "ops.probsparse_attention(q, k, v, factor=2, seed=5, causal=True, sample_mean=True)" | FileCheck %s
// RUN: tesserac %s --entry=probsparse_edges -o %t.edges
// RUN: %PYTHON %reference/check.py %t.edges "(ops.probsparse_attention(q1, k5, v5), ops.probsparse_attention(q6, k1, v1))" | FileCheck %s --check-prefix=CHECK-EDGES
// RUN: %PYTHON %reference/check.py %t.edges "(np.broadcast_to(v5.mean(axis=2, keepdims=True), (1, 2, 1, 3)), np.broadcast_to(v1, (1, 2, 6, 3)))" | FileCheck %s --check-prefix=CHECK-EDGES
// RUN: tesserac %s --entry=probsparse_huge_factor -o %t.huge
// RUN: %PYTHON %reference/check.py %t.huge "ops.probsparse_attention(q, k, v, factor=2**62)" | FileCheck %s
// RUN: %PYTHON %reference/check.py %t.huge "ops.attention(q, k, v)" | FileCheck %s
//
// Ties: all-zero queries have equal M, so the lowest indices are selected.
// RUN: %PYTHON %reference/check.py %t.b "ops.probsparse_attention(q, k, v, factor=2, causal=True)" --set "q=np.zeros((1, 4, 72, 16))" | FileCheck %s
// Every query of head 0 NaN: all M are NaN and tie; exactly the first
// u = 10 queries are selected (NaN output rows), the rest stay finite.
// RUN: %PYTHON %reference/check.py %t.b "ops.probsparse_attention(q, k, v, factor=2, causal=True)" --nan "q=0,0" | FileCheck %s --check-prefix=CHECK-ALLNAN
// NaN in query row 5 of head 0 and key row 40 of head 1 (head 2 clean):
// NaN exactly where the reference has it, every other row within tolerance.
// Non-causal: row 5 of head 0 and the 15 selected rows of head 1 (they all
// attend key 40). Causal: row 5 of head 0 and the 7 selected rows of head 1
// at positions >= 40; selected rows before 40 mask key 40 out and are clean.
// RUN: tesserac %s --entry=probsparse_nan -o %t.nan
// RUN: %PYTHON %reference/check.py %t.nan "ops.probsparse_attention(q, k, v, factor=3)" --nan "q=0,0,5" --nan "k=0,1,40" | FileCheck %s --check-prefix=CHECK-NAN
// RUN: tesserac %s --entry=probsparse_nan_causal -o %t.nanc
// RUN: %PYTHON %reference/check.py %t.nanc "ops.probsparse_attention(q, k, v, factor=3, causal=True)" --nan "q=0,0,5" --nan "k=0,1,40" | FileCheck %s --check-prefix=CHECK-NANC
// RUN: tesserac %s --entry=strip -o %t.c
// RUN: %PYTHON %reference/check.py %t.c "ops.strip_attention(q, k, v, wq, wk, 4)" | FileCheck %s
// RUN: tesserac %s --entry=strip --compile-to=decompose | FileCheck %s --check-prefix=CHECK-DECOMPOSE

// CHECK: PASS y: max_err=
// CHECK-EDGES: PASS y1: max_err=
// CHECK-EDGES: PASS y6: max_err=
// CHECK-ALLNAN: PASS y: max_err={{.*}} nan=240
// CHECK-NAN: PASS y: max_err={{.*}} nan=256
// CHECK-NANC: PASS y: max_err={{.*}} nan=128
// CHECK-DECOMPOSE-NOT: tessera.strip_attention
// CHECK-DECOMPOSE: tessera.linear
// CHECK-DECOMPOSE: tessera.attention

// Informer encoder sizes: 96 tokens, 8 heads of 32.
func.func @probsparse(%q: tensor<2x8x96x32xf32> {tessera.name = "q"}, %k: tensor<2x8x96x32xf32> {tessera.name = "k"}, %v: tensor<2x8x96x32xf32> {tessera.name = "v"}) -> (tensor<2x8x96x32xf32> {tessera.name = "y"}) {
  %0 = tessera.probsparse_attention %q, %k, %v {factor = 3 : i64, seed = 7 : i64} : (tensor<2x8x96x32xf32>, tensor<2x8x96x32xf32>, tensor<2x8x96x32xf32>) -> tensor<2x8x96x32xf32>
  return %0 : tensor<2x8x96x32xf32>
}

// Informer decoder self-attention: causal, cumulative sum of V for lazy
// queries.
func.func @probsparse_causal(%q: tensor<1x4x72x16xf32> {tessera.name = "q"}, %k: tensor<1x4x72x16xf32> {tessera.name = "k"}, %v: tensor<1x4x72x24xf32> {tessera.name = "v"}) -> (tensor<1x4x72x24xf32> {tessera.name = "y"}) {
  %0 = tessera.probsparse_attention %q, %k, %v {factor = 2 : i64, causal} : (tensor<1x4x72x16xf32>, tensor<1x4x72x16xf32>, tensor<1x4x72x24xf32>) -> tensor<1x4x72x24xf32>
  return %0 : tensor<1x4x72x24xf32>
}

// S2AFormer strip attention: keys/values pooled by 4, channels 32 -> 16.
func.func @strip(%q: tensor<1x4x128x32xf32> {tessera.name = "q"}, %k: tensor<1x4x128x32xf32> {tessera.name = "k"}, %v: tensor<1x4x128x32xf32> {tessera.name = "v"}, %wq: tensor<16x32xf32> {tessera.name = "wq"}, %wk: tensor<16x32xf32> {tessera.name = "wk"}) -> (tensor<1x4x128x32xf32> {tessera.name = "y"}) {
  %0 = tessera.strip_attention %q, %k, %v, %wq, %wk {pool = 4 : i64} : (tensor<1x4x128x32xf32>, tensor<1x4x128x32xf32>, tensor<1x4x128x32xf32>, tensor<16x32xf32>, tensor<16x32xf32>) -> tensor<1x4x128x32xf32>
  return %0 : tensor<1x4x128x32xf32>
}

// Cross-attention sizes (Sq != Sk, none a multiple of a 64 tile):
// u = 4·⌈ln 50⌉ = 16 queries, U = 4·⌈ln 77⌉ = 20 samples.
func.func @probsparse_cross(%q: tensor<1x3x50x12xf32> {tessera.name = "q"}, %k: tensor<1x3x77x12xf32> {tessera.name = "k"}, %v: tensor<1x3x77x20xf32> {tessera.name = "v"}) -> (tensor<1x3x50x20xf32> {tessera.name = "y"}) {
  %0 = tessera.probsparse_attention %q, %k, %v {factor = 4 : i64, seed = -3 : i64} : (tensor<1x3x50x12xf32>, tensor<1x3x77x12xf32>, tensor<1x3x77x20xf32>) -> tensor<1x3x50x20xf32>
  return %0 : tensor<1x3x50x20xf32>
}

// The alternative form: max - mean of the samples, cumulative mean of V.
func.func @probsparse_sample_mean(%q: tensor<2x2x41x8xf32> {tessera.name = "q"}, %k: tensor<2x2x41x8xf32> {tessera.name = "k"}, %v: tensor<2x2x41x8xf32> {tessera.name = "v"}) -> (tensor<2x2x41x8xf32> {tessera.name = "y"}) {
  %0 = tessera.probsparse_attention %q, %k, %v {factor = 2 : i64, seed = 5 : i64, causal, sample_mean} : (tensor<2x2x41x8xf32>, tensor<2x2x41x8xf32>, tensor<2x2x41x8xf32>) -> tensor<2x2x41x8xf32>
  return %0 : tensor<2x2x41x8xf32>
}

// Edge budgets: Sq = 1 selects no query (u = 0: mean(V)); Sk = 1 samples
// its only key (U = 1) and every query (u = min(6, 5·2)) attends it.
func.func @probsparse_edges(%q1: tensor<1x2x1x8xf32> {tessera.name = "q1"}, %k5: tensor<1x2x5x8xf32> {tessera.name = "k5"}, %v5: tensor<1x2x5x3xf32> {tessera.name = "v5"}, %q6: tensor<1x2x6x8xf32> {tessera.name = "q6"}, %k1: tensor<1x2x1x8xf32> {tessera.name = "k1"}, %v1: tensor<1x2x1x3xf32> {tessera.name = "v1"}) -> (tensor<1x2x1x3xf32> {tessera.name = "y1"}, tensor<1x2x6x3xf32> {tessera.name = "y6"}) {
  %0 = tessera.probsparse_attention %q1, %k5, %v5 : (tensor<1x2x1x8xf32>, tensor<1x2x5x8xf32>, tensor<1x2x5x3xf32>) -> tensor<1x2x1x3xf32>
  %1 = tessera.probsparse_attention %q6, %k1, %v1 : (tensor<1x2x6x8xf32>, tensor<1x2x1x8xf32>, tensor<1x2x1x3xf32>) -> tensor<1x2x6x3xf32>
  return %0, %1 : tensor<1x2x1x3xf32>, tensor<1x2x6x3xf32>
}

// factor = 2^62: factor·⌈ln S⌉ saturates to S, so every query gets full
// attention (checked against both references).
func.func @probsparse_huge_factor(%q: tensor<1x2x30x16xf32> {tessera.name = "q"}, %k: tensor<1x2x30x16xf32> {tessera.name = "k"}, %v: tensor<1x2x30x16xf32> {tessera.name = "v"}) -> (tensor<1x2x30x16xf32> {tessera.name = "y"}) {
  %0 = tessera.probsparse_attention %q, %k, %v {factor = 4611686018427387904 : i64} : (tensor<1x2x30x16xf32>, tensor<1x2x30x16xf32>, tensor<1x2x30x16xf32>) -> tensor<1x2x30x16xf32>
  return %0 : tensor<1x2x30x16xf32>
}

// NaN in query row 5 of head 0 and in key row 40 of head 1; head 2 is clean.
func.func @probsparse_nan(%q: tensor<1x3x120x16xf32> {tessera.name = "q"}, %k: tensor<1x3x120x16xf32> {tessera.name = "k"}, %v: tensor<1x3x120x16xf32> {tessera.name = "v"}) -> (tensor<1x3x120x16xf32> {tessera.name = "y"}) {
  %0 = tessera.probsparse_attention %q, %k, %v {factor = 3 : i64} : (tensor<1x3x120x16xf32>, tensor<1x3x120x16xf32>, tensor<1x3x120x16xf32>) -> tensor<1x3x120x16xf32>
  return %0 : tensor<1x3x120x16xf32>
}
func.func @probsparse_nan_causal(%q: tensor<1x3x120x16xf32> {tessera.name = "q"}, %k: tensor<1x3x120x16xf32> {tessera.name = "k"}, %v: tensor<1x3x120x16xf32> {tessera.name = "v"}) -> (tensor<1x3x120x16xf32> {tessera.name = "y"}) {
  %0 = tessera.probsparse_attention %q, %k, %v {factor = 3 : i64, causal} : (tensor<1x3x120x16xf32>, tensor<1x3x120x16xf32>, tensor<1x3x120x16xf32>) -> tensor<1x3x120x16xf32>
  return %0 : tensor<1x3x120x16xf32>
}
