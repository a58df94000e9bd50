// RUN: tessera-opt %s --tessera-decompose | FileCheck %s

// ProbSparse: the [Sq, U] sample table computed at run time (splitmix64,
// modulo Sk; no compile-time constant), sampled scores, ranks, the gathered
// top-u queries (u = 2·⌈ln 32⌉ = 8) through the core op, merge.
// CHECK-LABEL: func.func @probsparse
// CHECK-NOT: arith.constant dense
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<32x8xi64>)
// CHECK: arith.remui %{{.*}}, %c32_i64 : i64
// CHECK: tensor.extract
// CHECK: tessera.attention %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x2x8x16xf32>, tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>) -> tensor<1x2x8x16xf32>
// CHECK-NOT: tessera.probsparse_attention
func.func @probsparse(%q: tensor<1x2x32x16xf32>) -> tensor<1x2x32x16xf32> {
  %0 = tessera.probsparse_attention %q, %q, %q {factor = 2 : i64} : (tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>) -> tensor<1x2x32x16xf32>
  return %0 : tensor<1x2x32x16xf32>
}

// A factor of 2^62 saturates: u = Sq = 32 queries and U = Sk = 32 samples.
// CHECK-LABEL: func.func @probsparse_huge_factor
// CHECK: outs(%{{.*}} : tensor<32x32xi64>)
// CHECK: tessera.attention %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>) -> tensor<1x2x32x16xf32>
func.func @probsparse_huge_factor(%q: tensor<1x2x32x16xf32>) -> tensor<1x2x32x16xf32> {
  %0 = tessera.probsparse_attention %q, %q, %q {factor = 4611686018427387904 : i64} : (tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>) -> tensor<1x2x32x16xf32>
  return %0 : tensor<1x2x32x16xf32>
}

// 10^8 tokens: the [Sq, U] sample table (U = 5·⌈ln 10^8⌉ = 95) is built at
// run time, so decomposing allocates nothing proportional to it.
// CHECK-LABEL: func.func @probsparse_long
// CHECK-NOT: arith.constant dense
// CHECK: outs(%{{.*}} : tensor<100000000x95xi64>)
// CHECK: tessera.attention %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x1x95x4xf32>,
func.func @probsparse_long(%q: tensor<1x1x100000000x4xf32>) -> tensor<1x1x100000000x4xf32> {
  %0 = tessera.probsparse_attention %q, %q, %q : (tensor<1x1x100000000x4xf32>, tensor<1x1x100000000x4xf32>, tensor<1x1x100000000x4xf32>) -> tensor<1x1x100000000x4xf32>
  return %0 : tensor<1x1x100000000x4xf32>
}

// Sq = 1: u = 0, no query is selected: mean(V) only, no sampling, no core
// attention.
// CHECK-LABEL: func.func @probsparse_one_query
// CHECK-NOT: i64
// CHECK-NOT: tessera.attention
// CHECK: return
func.func @probsparse_one_query(%q: tensor<1x2x1x16xf32>, %k: tensor<1x2x9x16xf32>) -> tensor<1x2x1x16xf32> {
  %0 = tessera.probsparse_attention %q, %k, %k : (tensor<1x2x1x16xf32>, tensor<1x2x9x16xf32>, tensor<1x2x9x16xf32>) -> tensor<1x2x1x16xf32>
  return %0 : tensor<1x2x1x16xf32>
}

// Strip attention: pool K and V by 4, project Q and K to 8 channels.
// CHECK-LABEL: func.func @strip
// CHECK-DAG: tessera.linear %{{.*}}, %{{.*}} : (tensor<1x2x32x16xf32>, tensor<8x16xf32>) -> tensor<1x2x32x8xf32>
// CHECK-DAG: tessera.linear %{{.*}}, %{{.*}} : (tensor<1x2x8x16xf32>, tensor<8x16xf32>) -> tensor<1x2x8x8xf32>
// CHECK: tessera.attention %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x2x32x8xf32>, tensor<1x2x8x8xf32>, tensor<1x2x8x16xf32>) -> tensor<1x2x32x16xf32>
func.func @strip(%q: tensor<1x2x32x16xf32>, %w: tensor<8x16xf32>) -> tensor<1x2x32x16xf32> {
  %0 = tessera.strip_attention %q, %q, %q, %w, %w {pool = 4 : i64} : (tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<1x2x32x16xf32>
  return %0 : tensor<1x2x32x16xf32>
}
