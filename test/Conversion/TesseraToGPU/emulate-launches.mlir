// RUN: tessera-opt %s --tessera-gpu-emulate-launches | FileCheck %s

// A launch becomes one loop over its blocks and threads; ids become the
// loop's induction variables and the dimensions its bounds, and the body
// a private function that the loop calls.
// CHECK: func.func private @[[K:__tessera_emulated_kernel_[0-9]+]](%[[BX:[a-z0-9]+]]: index, %{{.*}}: index, %{{.*}}: index, %[[TX:[a-z0-9]+]]: index, %{{.*}}: index, %{{.*}}: index, %[[BS:[a-z0-9]+]]: index, %[[V:[a-z0-9]+]]: f32, %[[Y:[a-z0-9]+]]: memref<64xf32>)
// CHECK:   %[[M:.*]] = arith.muli %[[BX]], %c16
// CHECK:   %[[I:.*]] = arith.addi %[[M]], %[[TX]]
// CHECK:   memref.store %[[V]], %[[Y]][%[[I]]]
// CHECK-LABEL: func.func @launch
// CHECK-NOT: gpu.launch
// CHECK: scf.parallel (%[[A0:[a-z0-9_]+]], %[[A1:[a-z0-9_]+]], %[[A2:[a-z0-9_]+]], %[[A3:[a-z0-9_]+]], %[[A4:[a-z0-9_]+]], %[[A5:[a-z0-9_]+]]) = ({{.*}}) to (%c4, %c1, %c1, %c16, %c1, %c1)
// CHECK:   func.call @[[K]](%[[A0]], %[[A1]], %[[A2]], %[[A3]], %[[A4]], %[[A5]], %c16, %{{.*}}, %arg0)
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
