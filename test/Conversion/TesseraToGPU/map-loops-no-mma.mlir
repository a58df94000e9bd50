// RUN: tessera-opt %s --tessera-gpu-map-loops=mma=0 --canonicalize --cse | FileCheck %s

// With mma=0 (the CUDA pipeline's choice when an architecture built, such
// as sm_75, lacks bf16/f16 m16n8k16) a task of products with an operand
// type still runs on a warp, its products exactly in f32 like the CPU's:
// rows lane, lane + 32, ... of C, a warp barrier after each.
// CHECK-LABEL: func.func @linear_tasks
// CHECK-NOT: nvvm.mma.sync
// CHECK: scf.parallel (%[[T:.*]]) = (%c0) to (%c128) step (%c1) {
// CHECK:   %[[LANE:.*]] = arith.remui %[[T]], %c32
// CHECK:   scf.for %[[R:.*]] = %[[LANE]] to %c16 step %c32 {
// CHECK:     vector.fma
// CHECK:   nvvm.bar.warp.sync
// CHECK-NOT: nvvm.mma.sync
func.func @linear_tasks(%x: memref<32x48xf32>, %wt: memref<2x48x16xf32>, %y: memref<32x32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c16 = arith.constant 16 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c2, %c2) step (%c1, %c1) {
    %r = arith.muli %i, %c16 : index
    %c = arith.muli %j, %c16 : index
    %a = memref.subview %x[%r, 0] [16, 48] [1, 1] : memref<32x48xf32> to memref<16x48xf32, strided<[48, 1], offset: ?>>
    %b = memref.subview %wt[%j, 0, 0] [1, 48, 16] [1, 1, 1] : memref<2x48x16xf32> to memref<48x16xf32, strided<[16, 1], offset: ?>>
    %o = memref.subview %y[%r, %c] [16, 16] [1, 1] : memref<32x32xf32> to memref<16x16xf32, strided<[32, 1], offset: ?>>
    tessera.tile_matmul %a, %b into %o {operand_type = bf16} : memref<16x48xf32, strided<[48, 1], offset: ?>>, memref<48x16xf32, strided<[16, 1], offset: ?>>, memref<16x16xf32, strided<[32, 1], offset: ?>>
    scf.reduce
  }
  return
}
