// RUN: tessera-opt %s -split-input-file --tessera-cpu-target=cpu=x86-64-v4 --tessera-tile-linear | FileCheck %s --check-prefixes=CHECK,V4
// RUN: tessera-opt %s -split-input-file --tessera-cpu-target=cpu=x86-64-v3 --tessera-tile-linear | FileCheck %s --check-prefixes=CHECK,V3
// Without a tessera.target the kernels get x86-64-v3's shape.
// RUN: tessera-opt %s -split-input-file --tessera-tile-linear | FileCheck %s --check-prefixes=CHECK,V3
// RUN: tessera-opt %s -split-input-file --tessera-tile-linear="block-rows=2 block-vectors=1" | FileCheck %s --check-prefixes=CHECK,OVERRIDE

// The register block comes from the target. x86-64-v4 (16 lanes, 32
// registers): 6 rows × 4 vectors, so W (96×48) is padded to 128 columns in
// two transposed column tiles of 64, and the 30 rows are one tile of 30.
// x86-64-v3 (8 lanes, 16 registers): 4 rows × 3 vectors, four column tiles
// of 24 and a row tile of 32. The accumulators start from the bias.
// CHECK-LABEL: func.func @linear
// V4: linalg.transpose ins(%{{.*}} : tensor<2x64x48xf32>) outs(%{{.*}} : tensor<2x48x64xf32>) permutation = [0, 2, 1]
// V3: linalg.transpose ins(%{{.*}} : tensor<4x24x48xf32>) outs(%{{.*}} : tensor<4x48x24xf32>) permutation = [0, 2, 1]
// OVERRIDE: linalg.transpose ins(%{{.*}} : tensor<12x8x48xf32>) outs(%{{.*}} : tensor<12x48x8xf32>) permutation = [0, 2, 1]
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<30x96xf32>
// CHECK: scf.parallel
// V4-SAME: to (%c1{{.*}}, %c2)
// V3-SAME: to (%c1{{.*}}, %c4)
// CHECK: scf.for
// V4-COUNT-4: vector.load %{{.*}} : memref<128xf32>, vector<16xf32>
// V3-COUNT-3: vector.load %{{.*}} : memref<96xf32>, vector<8xf32>
// CHECK: scf.for {{.*}} iter_args
// V4-COUNT-24: vector.fma {{.*}} : vector<16xf32>
// V3-COUNT-12: vector.fma {{.*}} : vector<8xf32>
// OVERRIDE-COUNT-2: vector.fma {{.*}} : vector<8xf32>
// CHECK-NOT: vector.fma
// CHECK: scf.yield
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

// -----

// Without FMA instructions the products are a multiply and an add (a vector
// FMA would become a libm call).
// CHECK-LABEL: func.func @no_fma
// CHECK-NOT: vector.fma
// CHECK: arith.mulf {{.*}} : vector<
// CHECK: arith.addf {{.*}} : vector<
module attributes {tessera.target = #tessera.cpu_target<cpu = "x86-64", vector_bits = 128, vector_registers = 16, fma = false>} {
func.func @no_fma(%x: tensor<8x16xf32>, %w: tensor<16x16xf32>) -> tensor<8x16xf32> {
  %0 = tessera.linear %x, %w : (tensor<8x16xf32>, tensor<16x16xf32>) -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}
}
