// RUN: tessera-opt %s --tessera-gpu-map-loops --canonicalize --cse | FileCheck %s
// RUN: tessera-opt %s --tessera-gpu-map-loops=emulate-mma=1 --canonicalize --cse | FileCheck %s --check-prefix=CHECK-EMU

// A task whose blocks are a nested scf.parallel (MoE's grouped GEMMs) runs
// on a warp, even with a run-time number of tasks: 32 lanes per task, the
// guard on whole warps; the blocks' iteration space (2-column blocks
// outer, 4-row blocks from the tile's first row inner) is linearized and
// taken from the lane in steps of 32, and a warp barrier follows it. On
// the host, lane 0 takes each lane's share in turn.
// CHECK-LABEL: func.func @grouped
// CHECK: %[[NT:.*]] = arith.maxsi %arg3, %c0
// CHECK: %[[LANES:.*]] = arith.muli %[[NT]], %c32
// CHECK: scf.parallel (%[[B:.*]], %[[T:.*]]) = (%c0, %c0) to (%[[LANES]], %c256) step (%c256, %c1) {
// CHECK:   %[[I:.*]] = arith.addi %[[T]], %[[B]]
// CHECK:   arith.cmpi ult, %[[I]], %[[LANES]]
// CHECK:   %[[TASK:.*]] = arith.divui %[[I]], %c32
// CHECK:   %[[LANE:.*]] = arith.remui %[[I]], %c32
// CHECK:   %[[BEGIN:.*]] = memref.load %arg0[%[[TASK]]]
// CHECK:   %[[END:.*]] = memref.load %arg0[%{{.*}}]
// CHECK:   %[[SPAN:.*]] = arith.subi %[[END]], %[[BEGIN]]
// CHECK:   %[[RB:.*]] = arith.ceildivsi %[[SPAN]], %c4
// CHECK:   %[[ROWS:.*]] = arith.maxsi %[[RB]], %c0
// CHECK:   %[[ALL:.*]] = arith.muli %[[ROWS]], %c8
// CHECK:   scf.for %[[K:.*]] = %[[LANE]] to %[[ALL]] step %c32 {
// CHECK:     %[[RI:.*]] = arith.remui %[[K]], %[[ROWS]]
// CHECK:     %[[CI:.*]] = arith.divui %[[K]], %[[ROWS]]
// CHECK:     %[[R4:.*]] = arith.muli %[[RI]], %c4
// CHECK:     %[[ROW:.*]] = arith.addi %[[BEGIN]], %[[R4]]
// CHECK:     %[[COL:.*]] = arith.muli %[[CI]], %c2
// CHECK:     memref.load %arg1[%[[ROW]], %[[COL]]]
// CHECK:     memref.store %{{.*}}, %arg2[%[[ROW]], %[[COL]]]
// CHECK:   }
// CHECK:   nvvm.bar.warp.sync
// CHECK-EMU-LABEL: func.func @grouped
// CHECK-EMU: %[[FIRST:.*]] = arith.cmpi eq, %{{.*}}, %c0
// CHECK-EMU: scf.if %[[FIRST]] {
// CHECK-EMU:   scf.for %[[L:.*]] = %c0 to %c32 step %c1 {
// CHECK-EMU:     scf.for %{{.*}} = %[[L]] to %{{.*}} step %c32 {
// CHECK-EMU-NOT: nvvm.bar.warp.sync
func.func @grouped(%tiles: memref<?xindex>, %x: memref<?x16xf32>, %y: memref<?x16xf32>, %nt: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  scf.parallel (%t) = (%c0) to (%nt) step (%c1) {
    %begin = memref.load %tiles[%t] : memref<?xindex>
    %t1 = arith.addi %t, %c1 : index
    %end = memref.load %tiles[%t1] : memref<?xindex>
    scf.parallel (%c, %r) = (%c0, %begin) to (%c16, %end) step (%c2, %c4) {
      %v = memref.load %x[%r, %c] : memref<?x16xf32>
      memref.store %v, %y[%r, %c] : memref<?x16xf32>
      scf.reduce
    }
    scf.reduce
  }
  return
}

// A nested loop with a reduction keeps its task on one thread (4 threads,
// the reduction sequential in each).
// CHECK-LABEL: func.func @reduction
// CHECK: scf.parallel (%{{.*}}) = (%c0) to (%c4) step (%c1) {
// CHECK:   scf.parallel (%{{.*}}) = (%c0) to (%c8) step (%c1) init
// CHECK:   processor = sequential
// CHECK-NOT: nvvm.bar.warp.sync
func.func @reduction(%x: memref<4x8xf32>, %y: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%t) = (%c0) to (%c4) step (%c1) {
    %s = scf.parallel (%j) = (%c0) to (%c8) step (%c1) init (%zero) -> f32 {
      %v = memref.load %x[%t, %j] : memref<4x8xf32>
      scf.reduce(%v : f32) {
      ^bb0(%a: f32, %b: f32):
        %u = arith.addf %a, %b : f32
        scf.reduce.return %u : f32
      }
    }
    memref.store %s, %y[%t] : memref<4xf32>
    scf.reduce
  }
  return
}
