// RUN: tessera-opt %s --tessera-decompose | FileCheck %s

// ProbSparse: sampled scores with a compile-time sample table, ranks, the
// gathered top-u queries (u = 2·⌈ln 32⌉ = 8) through the core op, merge.
// CHECK-LABEL: func.func @probsparse
// CHECK: arith.constant dense<{{.*}}> : tensor<32x8xi64>
// CHECK: tensor.extract
// CHECK: tessera.attention %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x2x8x16xf32>, tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>) -> tensor<1x2x8x16xf32>
// CHECK-NOT: tessera.probsparse_attention
func.func @probsparse(%q: tensor<1x2x32x16xf32>) -> tensor<1x2x32x16xf32> {
  %0 = tessera.probsparse_attention %q, %q, %q {factor = 2 : i64} : (tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>, tensor<1x2x32x16xf32>) -> tensor<1x2x32x16xf32>
  return %0 : tensor<1x2x32x16xf32>
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
