// RUN: tessera-opt %s -split-input-file --tessera-tile-linear | FileCheck %s
// RUN: tessera-opt %s -split-input-file --tessera-tile-linear="tile-k=16" | FileCheck %s --check-prefix=CHUNK
// RUN: tessera-opt %s -split-input-file --tessera-cpu-target=cpu=x86-64-v4 --tessera-tile-linear --tessera-lower-tiles | FileCheck %s --check-prefix=V4
// RUN: tessera-opt %s -split-input-file --tessera-cpu-target=cpu=x86-64-v3 --tessera-tile-linear --tessera-lower-tiles | FileCheck %s --check-prefix=V3
// Without a tessera.target the kernels get x86-64-v3's shape.
// RUN: tessera-opt %s -split-input-file --tessera-tile-linear --tessera-lower-tiles | FileCheck %s --check-prefix=V3
// RUN: not tessera-opt %s --tessera-tile-linear="tile-k=0" 2>&1 | FileCheck %s --check-prefix=CHECK-OPTION
// CHECK-OPTION: tessera-tile-linear: tile-k must be positive

// The schedule is target-independent: W (96×48) padded to 128 columns in
// two transposed column tiles of 64, the 30 rows one tile of 32, one task
// per (row tile, column tile) running one tile product that starts from
// the bias; the padded result is sliced back to 30×96.
// CHECK-LABEL: func.func @linear
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x64x48xf32>) outs(%{{.*}} : tensor<2x48x64xf32>) permutation = [0, 2, 1]
// CHECK: %[[Y:.*]] = memref.alloc() {alignment = 64 : i64} : memref<32x128xf32>
// CHECK: scf.parallel {{.*}} to (%c1{{.*}}, %c2{{.*}})
// CHECK: %[[YT:.*]] = memref.subview %[[Y]][%{{.*}}, %{{.*}}] [32, 64] [1, 1]
// CHECK: %[[B:.*]] = memref.subview %{{.*}}[%{{.*}}] [64] [1] : memref<128xf32> to memref<64xf32, strided<[1], offset: ?>>
// CHECK: %[[X:.*]] = memref.subview %{{.*}} [32, 48] [1, 1]
// CHECK: %[[W:.*]] = memref.subview %{{.*}} [1, 48, 64] [1, 1, 1]
// CHECK: tessera.tile_matmul %[[X]], %[[W]] into %[[YT]] bias(%[[B]] : memref<64xf32, strided<[1], offset: ?>>) :
// CHECK-NOT: tessera.tile_matmul
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [30, 96] [1, 1] : tensor<32x128xf32> to tensor<30x96xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [3, 10, 96] : tensor<30x96xf32> into tensor<3x10x96xf32>
// CHECK-NOT: tessera.linear
// The reduction in chunks of 16: the first with the bias, then a loop of
// accumulating products.
// CHUNK-LABEL: func.func @linear
// CHUNK: tessera.tile_matmul %{{.*}}, %{{.*}} into %{{.*}} bias({{.*}}) : memref<32x16xf32, {{.*}}>, memref<16x64xf32, {{.*}}>
// CHUNK: scf.for %{{.*}} = %c16 to %c48 step %c16
// CHUNK: tessera.tile_matmul %{{.*}}, %{{.*}} into %{{.*}} {accumulate} : memref<32x16xf32, {{.*}}>, memref<16x64xf32, {{.*}}>
// The register block comes from the target. x86-64-v4 (16 lanes, 32
// registers): 6 rows × 4 vectors; x86-64-v3 (8 lanes, 16 registers):
// 6 rows × 2 vectors; 32 rows are five blocks of 6 and one of 2.
// V4-LABEL: func.func @linear
// V4: scf.for {{.*}} iter_args
// V4-COUNT-24: vector.fma {{.*}} : vector<16xf32>
// V4-NEXT: scf.yield
// V4-COUNT-4: vector.load %{{.*}} : memref<64xf32, strided<[1], offset: ?>>, vector<16xf32>
// V3-LABEL: func.func @linear
// V3: scf.for {{.*}} iter_args
// V3-COUNT-12: vector.fma {{.*}} : vector<8xf32>
// V3-NEXT: scf.yield
// V3: scf.for {{.*}} iter_args
// V3-COUNT-4: vector.fma {{.*}} : vector<8xf32>
// V3-NEXT: scf.yield
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
// V3-LABEL: func.func @no_fma
// V3-NOT: vector.fma
// V3: arith.mulf {{.*}} : vector<4xf32>
// V3: arith.addf {{.*}} : vector<4xf32>
module attributes {tessera.target = #tessera.cpu_target<cpu = "x86-64", vector_bits = 128, vector_registers = 16, fma = false>} {
func.func @no_fma(%x: tensor<8x16xf32>, %w: tensor<16x16xf32>) -> tensor<8x16xf32> {
  %0 = tessera.linear %x, %w : (tensor<8x16xf32>, tensor<16x16xf32>) -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}
}

// -----

// x and W widened from bf16 (by tessera-widen-storage): the products say
// so, for the targets that multiply in bf16. With only one operand widened
// (or from different types) they are plain f32 products.
// CHECK-LABEL: func.func @widened
// CHECK: tessera.tile_matmul {{.*}} {operand_type = bf16} :
// CHECK-LABEL: func.func @mixed
// CHECK-NOT: operand_type
// CHECK: tessera.tile_matmul
// CHECK-NOT: operand_type
// V3-LABEL: func.func @widened
// V3-NOT: tessera.tile_matmul
func.func @widened(%x: tensor<10x48xbf16>, %w: tensor<32x48xbf16>) -> tensor<10x32xf32> {
  %xf = arith.extf %x : tensor<10x48xbf16> to tensor<10x48xf32>
  %wf = arith.extf %w : tensor<32x48xbf16> to tensor<32x48xf32>
  %0 = tessera.linear %xf, %wf : (tensor<10x48xf32>, tensor<32x48xf32>) -> tensor<10x32xf32>
  return %0 : tensor<10x32xf32>
}
func.func @mixed(%x: tensor<10x48xbf16>, %w: tensor<32x48xf16>) -> tensor<10x32xf32> {
  %xf = arith.extf %x : tensor<10x48xbf16> to tensor<10x48xf32>
  %wf = arith.extf %w : tensor<32x48xf16> to tensor<32x48xf32>
  %0 = tessera.linear %xf, %wf : (tensor<10x48xf32>, tensor<32x48xf32>) -> tensor<10x32xf32>
  return %0 : tensor<10x32xf32>
}
