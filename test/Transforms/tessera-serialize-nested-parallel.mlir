// RUN: tessera-opt %s --tessera-serialize-nested-parallel | FileCheck %s

// A parallel loop nested in another becomes a nest of scf.for, its first
// dimension outermost, with the same bounds and steps; the outer loop (the
// one OpenMP parallelizes) and a nested loop with a reduction stay.
// CHECK-LABEL: func.func @nested
// CHECK: scf.parallel (%[[I:.*]]) = (%c0) to (%c4) step (%c1) {
// CHECK:   scf.for %[[C:.*]] = %[[I]] to %c10 step %c3 {
// CHECK:     scf.for %[[R:.*]] = %c0 to %[[N:.*]] step %c4 {
// CHECK:       %[[S:.*]] = arith.addi %[[C]], %[[R]]
// CHECK:       memref.store %{{.*}}, %{{.*}}[%[[I]], %[[S]]]
// CHECK-NOT: scf.parallel (%{{.*}}, %{{.*}})
// CHECK:   scf.parallel (%{{.*}}) = (%c0) to (%c8) step (%c1) init
// CHECK:     scf.reduce
func.func @nested(%m: memref<4x64xf32>, %n: index, %acc: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c10 = arith.constant 10 : index
  %one = arith.constant 1.0 : f32
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    scf.parallel (%c, %r) = (%i, %c0) to (%c10, %n) step (%c3, %c4) {
      %s = arith.addi %c, %r : index
      memref.store %one, %m[%i, %s] : memref<4x64xf32>
      scf.reduce
    }
    %sum = scf.parallel (%j) = (%c0) to (%c8) step (%c1) init (%zero) -> f32 {
      scf.reduce(%one : f32) {
      ^bb0(%a: f32, %b: f32):
        %t = arith.addf %a, %b : f32
        scf.reduce.return %t : f32
      }
    }
    memref.store %sum, %acc[%i] : memref<4xf32>
    scf.reduce
  }
  return
}

// A function called from a parallel loop's body (a task function, like
// attention's) runs inside a task: its parallel loops run in order too,
// and so do those of the functions it calls; a function called only from
// outside parallel loops keeps its loops.
// CHECK-LABEL: func.func private @task
// CHECK-NOT: scf.parallel
// CHECK: scf.for %{{.*}} = %c0 to %c4 step %c1 {
// CHECK:   scf.for %{{.*}} = %c0 to %c64 step %c1 {
// CHECK: call @callee
// CHECK-LABEL: func.func private @callee
// CHECK-NOT: scf.parallel
// CHECK: scf.for
// CHECK-LABEL: func.func @host_only
// CHECK: scf.parallel (%{{.*}}) = (%c0) to (%c4) step (%c1)
// CHECK-LABEL: func.func @entry
// CHECK: scf.parallel (%{{.*}}) = (%c0) to (%c4) step (%c1)
// CHECK:   call @task
func.func private @task(%m: memref<4x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%g, %r) = (%c0, %c0) to (%c4, %c64) step (%c1, %c1) {
    memref.store %zero, %m[%g, %r] : memref<4x64xf32>
    scf.reduce
  }
  call @callee(%m) : (memref<4x64xf32>) -> ()
  return
}
func.func private @callee(%m: memref<4x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %one = arith.constant 1.0 : f32
  scf.parallel (%g) = (%c0) to (%c4) step (%c1) {
    memref.store %one, %m[%g, %c0] : memref<4x64xf32>
    scf.reduce
  }
  return
}
func.func @host_only(%m: memref<4x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %one = arith.constant 1.0 : f32
  scf.parallel (%g) = (%c0) to (%c4) step (%c1) {
    memref.store %one, %m[%g, %c1] : memref<4x64xf32>
    scf.reduce
  }
  return
}
func.func @entry(%m: memref<4x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    func.call @task(%m) : (memref<4x64xf32>) -> ()
    scf.reduce
  }
  call @host_only(%m) : (memref<4x64xf32>) -> ()
  return
}
