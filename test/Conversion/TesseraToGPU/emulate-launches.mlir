// RUN: tessera-opt %s --tessera-gpu-emulate-launches | FileCheck %s

// A launch becomes one loop over its blocks and threads; ids become the
// loop's induction variables and the dimensions its bounds.
// CHECK-LABEL: func.func @launch
// CHECK-NOT: gpu.launch
// CHECK: scf.parallel (%[[BX:[a-z0-9_]+]], %{{[a-z0-9_]+}}, %{{[a-z0-9_]+}}, %[[TX:[a-z0-9_]+]], %{{[a-z0-9_]+}}, %{{[a-z0-9_]+}}) = ({{.*}}) to (%c4, %c1, %c1, %c16, %c1, %c1)
// CHECK:   %[[M:.*]] = arith.muli %[[BX]], %c16
// CHECK:   %[[I:.*]] = arith.addi %[[M]], %[[TX]]
// CHECK:   memref.store %{{.*}}, %{{.*}}[%[[I]]]
func.func @launch(%y: memref<64xf32>) {
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %v = arith.constant 1.0 : f32
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c4, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c16, %sy = %c1, %sz = %c1) {
    %m = arith.muli %bx, %sx : index
    %i = arith.addi %m, %tx : index
    memref.store %v, %y[%i] : memref<64xf32>
    gpu.terminator
  }
  return
}
