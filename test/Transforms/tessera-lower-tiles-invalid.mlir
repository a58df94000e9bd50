// RUN: tessera-opt %s -split-input-file --tessera-cpu-target=cpu=x86-64-v4 --tessera-lower-tiles -verify-diagnostics
// RUN: not tessera-opt %s --tessera-lower-tiles="block-rows=17" 2>&1 | FileCheck %s --check-prefix=CHECK-RANGE
// CHECK-RANGE: tessera-lower-tiles: block-rows and block-vectors must be in [0, 16]

// Tiles are whole vectors of the target: 8 columns are half an AVX-512
// register.
func.func @narrow(%a: memref<8x8xf32>, %b: memref<8x8xf32>, %c: memref<8x8xf32>) {
  // expected-error @+1 {{'tessera.tile_matmul' op cannot be lowered for this target: the number of columns (8) is not a multiple of the target's 16 f32 lanes}}
  tessera.tile_matmul %a, %b into %c : memref<8x8xf32>, memref<8x8xf32>, memref<8x8xf32>
  return
}

// -----

func.func @narrow_acc(%s: memref<8x16xf32>, %m: memref<8xf32>, %acc: memref<8x24xf32>) {
  // expected-error @+1 {{'tessera.tile_online_softmax' op cannot be lowered for this target: the accumulator's columns (24) is not a multiple of the target's 16 f32 lanes}}
  tessera.tile_online_softmax %s, %m, %m, %acc : memref<8x16xf32>, memref<8xf32>, memref<8xf32>, memref<8x24xf32>
  return
}
