// RUN: tessera-opt %s | tessera-opt | FileCheck %s
// RUN: tessera-opt %s --mlir-print-op-generic | tessera-opt | FileCheck %s

// The tile-level form round-trips: every tile op, with its optional
// attributes and regions.

#view = strided<[64, 1], offset: ?>

// CHECK-LABEL: func @tiles
func.func @tiles(%q: memref<64x64xf32, #view>, %kt: memref<64x64xf32, #view>,
                 %v: memref<64x80xf32, #view>, %s: memref<64x64xf32>,
                 %m: memref<1x64xf32, #view>, %max: memref<64xf32>,
                 %sum: memref<64xf32>, %acc: memref<64x80xf32>,
                 %out: memref<?x72xf32, strided<[72, 1], offset: ?>>,
                 %gate: memref<?x72xf32, strided<[72, 1], offset: ?>>,
                 %b: index, %h: index, %q0: i64, %k0: i64) {
  // CHECK: tessera.tile_matmul %{{.*}}, %{{.*}} into %{{.*}} {scale = 1.250000e-01 : f32} : memref<64x64xf32, strided<[64, 1], offset: ?>>, memref<64x64xf32, strided<[64, 1], offset: ?>>, memref<64x64xf32>
  tessera.tile_matmul %q, %kt into %s {scale = 0.125 : f32} : memref<64x64xf32, #view>, memref<64x64xf32, #view>, memref<64x64xf32>
  // CHECK: tessera.tile_matmul %{{.*}}, %{{.*}} into %{{.*}} {operand_type = bf16} : memref<64x64xf32, strided<[64, 1], offset: ?>>, memref<64x64xf32, strided<[64, 1], offset: ?>>, memref<64x64xf32>
  tessera.tile_matmul %q, %kt into %s {operand_type = bf16} : memref<64x64xf32, #view>, memref<64x64xf32, #view>, memref<64x64xf32>
  // CHECK: tessera.tile_score_mod %{{.*}} at(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : memref<64x64xf32> {
  // CHECK: math.tanh
  // CHECK: tessera.yield
  tessera.tile_score_mod %s at (%b, %h, %q0, %k0) : memref<64x64xf32> {
  ^bb0(%x: f32, %bb: index, %hh: index, %i: index, %j: index):
    %t = math.tanh %x : f32
    tessera.yield %t : f32
  }
  // CHECK: tessera.tile_add_mask %{{.*}} into %{{.*}} : memref<1x64xf32, strided<[64, 1], offset: ?>>, memref<64x64xf32>
  tessera.tile_add_mask %m into %s : memref<1x64xf32, #view>, memref<64x64xf32>
  // CHECK: tessera.tile_mask %{{.*}} at(%{{.*}}, %{{.*}}) {mask = #tessera.sliding_window<left = 16, right = 0>, num_keys = 100 : i64} : memref<64x64xf32>
  tessera.tile_mask %s at (%q0, %k0) {mask = #tessera.sliding_window<left = 16, right = 0>, num_keys = 100} : memref<64x64xf32>
  // CHECK: tessera.tile_online_softmax %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : memref<64x64xf32>, memref<64xf32>, memref<64xf32>, memref<64x80xf32>
  tessera.tile_online_softmax %s, %max, %sum, %acc : memref<64x64xf32>, memref<64xf32>, memref<64xf32>, memref<64x80xf32>
  // CHECK: tessera.tile_matmul %{{.*}}, %{{.*}} into %{{.*}} {accumulate, skip_masked}
  tessera.tile_matmul %s, %v into %acc {accumulate, skip_masked} : memref<64x64xf32>, memref<64x80xf32, #view>, memref<64x80xf32>
  // CHECK: tessera.tile_normalize %{{.*}}, %{{.*}} into %{{.*}} inputs(%{{.*}} : memref<?x72xf32, strided<[72, 1], offset: ?>>) : memref<64x80xf32>, memref<64xf32>, memref<?x72xf32, strided<[72, 1], offset: ?>> epilogue {
  // CHECK: arith.mulf
  tessera.tile_normalize %acc, %sum into %out inputs(%gate : memref<?x72xf32, strided<[72, 1], offset: ?>>) : memref<64x80xf32>, memref<64xf32>, memref<?x72xf32, strided<[72, 1], offset: ?>> epilogue {
  ^bb0(%x: f32, %g: f32):
    %y = arith.mulf %x, %g : f32
    tessera.yield %y : f32
  }
  // CHECK: tessera.tile_normalize %{{.*}}, %{{.*}} into %{{.*}} : memref<64x80xf32>, memref<64xf32>, memref<?x72xf32, strided<[72, 1], offset: ?>>
  // CHECK-NOT: epilogue
  tessera.tile_normalize %acc, %sum into %out : memref<64x80xf32>, memref<64xf32>, memref<?x72xf32, strided<[72, 1], offset: ?>>
  return
}
