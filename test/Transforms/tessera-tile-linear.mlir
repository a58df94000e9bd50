// RUN: tessera-opt %s -split-input-file --tessera-tile-linear | FileCheck %s

// W (96×48) is padded to 128 columns and laid out as two contiguous
// transposed column tiles; 4×4 vector accumulators start from the bias.
// CHECK-LABEL: func.func @linear
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x64x48xf32>) outs(%{{.*}} : tensor<2x48x64xf32>) permutation = [0, 2, 1]
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<30x96xf32>
// CHECK: scf.parallel
// CHECK: scf.for
// CHECK-COUNT-4: vector.load %{{.*}} : memref<128xf32>, vector<16xf32>
// CHECK: scf.for {{.*}} iter_args
// CHECK-COUNT-16: vector.fma
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [3, 10, 96] : tensor<30x96xf32> into tensor<3x10x96xf32>
// CHECK-NOT: tessera.linear
func.func @linear(%x: tensor<3x10x48xf32>, %w: tensor<96x48xf32>, %b: tensor<96xf32>) -> tensor<3x10x96xf32> {
  %0 = tessera.linear %x, %w bias(%b) : (tensor<3x10x48xf32>, tensor<96x48xf32>, tensor<96xf32>) -> tensor<3x10x96xf32>
  return %0 : tensor<3x10x96xf32>
}

// -----

// Dynamic shapes are left for convert-tessera-to-linalg to report.
// CHECK-LABEL: func.func @negative_dynamic
// CHECK: tessera.linear
func.func @negative_dynamic(%x: tensor<?x48xf32>, %w: tensor<96x48xf32>) -> tensor<?x96xf32> {
  %0 = tessera.linear %x, %w : (tensor<?x48xf32>, tensor<96x48xf32>) -> tensor<?x96xf32>
  return %0 : tensor<?x96xf32>
}
