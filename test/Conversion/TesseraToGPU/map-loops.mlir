// RUN: tessera-opt %s --tessera-gpu-map-loops=remarks=1 --verify-diagnostics | FileCheck %s
// RUN: tessera-opt %s --pass-pipeline='builtin.module(tessera-gpu-map-loops{remarks=1},func.func(convert-parallel-loops-to-gpu),gpu-kernel-outlining,canonicalize)' --verify-diagnostics | FileCheck %s --check-prefix=LAUNCH

memref.global "private" constant @table : memref<4xi32> = dense<[0, 1, 2, 3]>
memref.global "private" @counter : memref<1xi32> = dense<0>

// An elementwise nest becomes one linear grid (3 x 1000 = 3000
// iterations): blocks of 256 threads, the last one guarded; the indices are
// recovered from the linear one.
// CHECK-LABEL: func.func @elementwise
// CHECK: %[[N:.*]] = arith.muli %{{.*}}, %c1000
// CHECK: scf.parallel (%[[B:.*]]) = (%{{.*}}) to (%[[N]]) step (%[[S:.*]]) {
// CHECK:   scf.parallel (%[[T:.*]]) = (%{{.*}}) to (%[[S]]) step (%{{.*}}) {
// CHECK:     %[[I:.*]] = arith.addi %[[T]], %[[B]]
// CHECK:     %[[IN:.*]] = arith.cmpi ult, %{{.*}}, %[[N]]
// CHECK:     scf.if
// CHECK:       %[[C:.*]] = arith.remsi %[[I]], %c1000
// CHECK:       %[[R:.*]] = arith.divsi %[[I]], %c1000
// CHECK:       memref.load %{{.*}}[%[[R]], %[[C]]]
// CHECK:       math.exp
// CHECK:   } {mapping = [#gpu.loop_dim_map<processor = thread_x, map = (d0) -> (d0), bound = (d0) -> (d0)>]}
// CHECK: } {mapping = [#gpu.loop_dim_map<processor = block_x, map = (d0) -> (d0), bound = (d0) -> (d0)>]}
// LAUNCH-LABEL: func.func @elementwise
// LAUNCH: gpu.launch_func  @elementwise_kernel::@elementwise_kernel blocks in (%c12, %c1, %c1) threads in (%c256, %c1, %c1)
func.func @elementwise(%x: memref<3x1000xf32>, %y: memref<3x1000xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c1000 = arith.constant 1000 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c3, %c1000) step (%c1, %c1) {
    %v = memref.load %x[%i, %j] : memref<3x1000xf32>
    %e = math.exp %v : f32
    memref.store %e, %y[%i, %j] : memref<3x1000xf32>
    scf.reduce
  }
  return
}

// A loop shorter than a warp gets as many threads as it has iterations;
// a constant global read by the loop is sunk into it, so that outlining
// copies it to the device.
// CHECK-LABEL: func.func @small_and_global
// CHECK: scf.parallel
// CHECK: scf.parallel
// CHECK: %[[G:.*]] = memref.get_global @table
// CHECK: memref.load %[[G]]
// LAUNCH-LABEL: func.func @small_and_global
// LAUNCH: blocks in (%c1, %c1, %c1) threads in (%c4, %c1, %c1)
// LAUNCH: gpu.module @small_and_global_kernel
// LAUNCH: memref.global "private" constant @table
func.func @small_and_global(%y: memref<4xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %g = memref.get_global @table : memref<4xi32>
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %v = memref.load %g[%i] : memref<4xi32>
    memref.store %v, %y[%i] : memref<4xi32>
    scf.reduce
  }
  return
}

// Loops that cannot run as kernels stay on the host, with a reason.
// CHECK-LABEL: func.func @host_loops
// CHECK-NOT: mapping
// CHECK: return
func.func @host_loops(%x: memref<8xf32>, %out: memref<f32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  // expected-remark @below {{runs on the host: it has reductions}}
  %sum = scf.parallel (%i) = (%c0) to (%c8) step (%c1) init (%zero) -> f32 {
    %v = memref.load %x[%i] : memref<8xf32>
    scf.reduce(%v : f32) {
    ^bb0(%a: f32, %b: f32):
      %s = arith.addf %a, %b : f32
      scf.reduce.return %s : f32
    }
  }
  memref.store %sum, %out[] : memref<f32>
  %stack = memref.alloca() : memref<8xf32>
  // expected-remark @below {{runs on the host: it reads a buffer that may not be an allocation or an argument}}
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %v = memref.load %stack[%i] : memref<8xf32>
    memref.store %v, %x[%i] : memref<8xf32>
    scf.reduce
  }
  // expected-remark @below {{runs on the host: it allocates}}
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    %tmp = memref.alloc() : memref<2xf32>
    memref.dealloc %tmp : memref<2xf32>
    scf.reduce
  }
  %m = memref.get_global @counter : memref<1xi32>
  // expected-remark @below {{runs on the host: it reads a mutable global}}
  scf.parallel (%i) = (%c0) to (%c1) step (%c1) {
    %v = memref.load %m[%i] : memref<1xi32>
    scf.reduce
  }
  // expected-remark @below {{runs on the host: it calls an external function}}
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    func.call @external() : () -> ()
    scf.reduce
  }
  return
}
func.func private @external()

// A loop shorter than a block gets whole warps (3 x 40 = 120: 128 threads).
// LAUNCH-LABEL: func.func @partial_block
// LAUNCH: blocks in (%c1, %c1, %c1) threads in (%c128, %c1, %c1)
func.func @partial_block(%y: memref<3x40xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c40 = arith.constant 40 : index
  %v = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c3, %c40) step (%c1, %c1) {
    memref.store %v, %y[%i, %j] : memref<3x40xf32>
    scf.reduce
  }
  return
}

// Buffers carried by host loops are allocations or arguments: mapped.
// CHECK-LABEL: func.func @carried
// CHECK: scf.for
// CHECK: mapping = [#gpu.loop_dim_map<processor = thread_x
func.func @carried(%x: memref<8xf32>, %n: index) -> memref<8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %r = scf.for %s = %c0 to %n step %c1 iter_args(%cur = %x) -> memref<8xf32> {
    %next = memref.alloc() : memref<8xf32>
    scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
      %v = memref.load %cur[%i] : memref<8xf32>
      memref.store %v, %next[%i] : memref<8xf32>
      scf.reduce
    }
    scf.yield %next : memref<8xf32>
  }
  return %r : memref<8xf32>
}
