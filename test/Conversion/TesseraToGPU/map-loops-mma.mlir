// RUN: tessera-opt %s --tessera-gpu-map-loops --canonicalize --cse | FileCheck %s
// RUN: tessera-opt %s --tessera-gpu-map-loops=emulate-mma=1 --canonicalize --cse | FileCheck %s --check-prefix=CHECK-EMU

// Tasks whose only writes are tile products exact in bf16 run one per
// warp: 12 tasks are 384 lanes in blocks of 256; the task is the lane's
// index / 32 and the lane its index mod 32. Each 16 x 16 product of a
// 48-deep reduction is three steps of two m16n8k16 mma.sync (one per 8
// columns), the accumulators carried in registers; every lane then writes
// its four entries of each block (bias added, no edge checks).
// CHECK-LABEL: func.func @linear_tasks
// CHECK: scf.parallel (%[[B:.*]], %[[T:.*]]) = (%c0, %c0) to (%c384, %c256) step (%c256, %c1) {
// CHECK:     %[[I:.*]] = arith.addi %[[T]], %[[B]]
// CHECK:     %[[TASK:.*]] = arith.divui %[[I]], %c32
// CHECK:     %[[LANE:.*]] = arith.remui %[[I]], %c32
// CHECK:     arith.divsi %[[TASK]], %c3
// CHECK:     %[[G:.*]] = arith.divui %[[LANE]], %c4
// CHECK:     %[[TG:.*]] = arith.remui %[[LANE]], %c4
// CHECK:     %{{.*}}:8 = scf.for %{{.*}} = %c0 to %c48 step %c16 iter_args(
// CHECK-NOT:   arith.select
// CHECK:       arith.truncf %{{.*}} : f32 to bf16
// CHECK:       nvvm.mma.sync A[%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}]  B[%{{.*}}, %{{.*}}]  C[%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}]  {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// CHECK:       nvvm.mma.sync
// CHECK-NOT:   nvvm.mma.sync
// CHECK:       scf.yield
// CHECK-NOT: scf.if
// CHECK:     memref.load %{{.*}}[%{{.*}}] : memref<16xf32, strided<[1], offset: ?>>
// CHECK:     arith.addf
// CHECK:     memref.store
// CHECK-EMU-LABEL: func.func @linear_tasks
// CHECK-EMU-NOT: nvvm.mma.sync
// CHECK-EMU: memref.alloca() : memref<32x4xi32>
// CHECK-EMU: memref.alloca() : memref<32x8x2xi32>
// CHECK-EMU: memref.alloca() : memref<32x8x4xf32>
// CHECK-EMU: %[[FIRST:.*]] = arith.cmpi eq, %{{.*}}, %c0
// CHECK-EMU: scf.if %[[FIRST]] {
func.func @linear_tasks(%x: memref<64x48xf32>, %wt: memref<3x48x16xf32>, %bias: memref<48xf32>, %y: memref<64x48xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c3) step (%c1, %c1) {
    %r = arith.muli %i, %c16 : index
    %c = arith.muli %j, %c16 : index
    %a = memref.subview %x[%r, 0] [16, 48] [1, 1] : memref<64x48xf32> to memref<16x48xf32, strided<[48, 1], offset: ?>>
    %b = memref.subview %wt[%j, 0, 0] [1, 48, 16] [1, 1, 1] : memref<3x48x16xf32> to memref<48x16xf32, strided<[16, 1], offset: ?>>
    %o = memref.subview %y[%r, %c] [16, 16] [1, 1] : memref<64x48xf32> to memref<16x16xf32, strided<[48, 1], offset: ?>>
    %bb = memref.subview %bias[%c] [16] [1] : memref<48xf32> to memref<16xf32, strided<[1], offset: ?>>
    tessera.tile_matmul %a, %b into %o bias(%bb : memref<16xf32, strided<[1], offset: ?>>) {operand_type = bf16} : memref<16x48xf32, strided<[48, 1], offset: ?>>, memref<48x16xf32, strided<[16, 1], offset: ?>>, memref<16x16xf32, strided<[48, 1], offset: ?>>
    scf.reduce
  }
  return
}

// Partial blocks: A's rows past 5 and K past 40 read as zero (clamped
// address, select), C is written inside 5 x 9 only; f16 operands are
// vector<2xf16>; scale and accumulate apply to the accumulators.
// CHECK-LABEL: func.func @edges
// CHECK: scf.for %{{.*}} = %c0 to %c48 step %c16
// CHECK:   %[[IN:.*]] = arith.cmpi ult, %{{.*}}, %c5
// CHECK:   %[[ROW:.*]] = arith.minui %{{.*}}, %c4
// CHECK:   %[[V:.*]] = memref.load %{{.*}}[%[[ROW]], %{{.*}}] : memref<5x40xf32>
// CHECK:   arith.select %{{.*}}, %[[V]], %{{.*}} : f32
// CHECK:   arith.truncf %{{.*}} : f32 to f16
// CHECK:   llvm.bitcast %{{.*}} : i32 to vector<2xf16>
// CHECK:   nvvm.mma.sync {{.*}} : (vector<2xf16>, vector<2xf16>, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// CHECK: scf.if
// CHECK:   arith.mulf %{{.*}}, %cst
// CHECK:   memref.load %{{.*}} : memref<5x9xf32>
// CHECK:   arith.addf
// CHECK:   memref.store %{{.*}} : memref<5x9xf32>
func.func @edges(%x: memref<5x40xf32>, %wt: memref<40x9xf32>, %y: memref<5x9xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%i) = (%c0) to (%c1) step (%c1) {
    tessera.tile_matmul %x, %wt into %y {operand_type = f16, scale = 0.5 : f32, accumulate} : memref<5x40xf32>, memref<40x9xf32>, memref<5x9xf32>
    scf.reduce
  }
  return
}

// A task that also stores elsewhere stays one thread per task (two
// threads) and keeps its products for tessera-lower-tiles.
// CHECK-LABEL: func.func @not_warps
// CHECK-NOT: nvvm.mma.sync
// CHECK: scf.parallel (%{{.*}}) = (%c0) to (%c2) step (%c1)
// CHECK: tessera.tile_matmul {{.*}}operand_type = bf16
// CHECK: memref.store
func.func @not_warps(%x: memref<16x16xf32>, %wt: memref<16x16xf32>, %y: memref<16x16xf32>, %z: memref<2xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %one = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c2) step (%c1) {
    tessera.tile_matmul %x, %wt into %y {operand_type = bf16} : memref<16x16xf32>, memref<16x16xf32>, memref<16x16xf32>
    memref.store %one, %z[%i] : memref<2xf32>
    scf.reduce
  }
  return
}

// Products without an operand type (f32 models), or skipping masked
// entries, run on warps too, exactly in f32: each lane takes the rows
// lane, lane + 32, ... of C (here 16 rows: lanes 16 to 31 have none), a
// warp barrier after each product (map-loops-no-mma.mlir: so do all
// products where an architecture built lacks tensor cores).
// CHECK-LABEL: func.func @row_warps
// CHECK-NOT: nvvm.mma.sync
// CHECK: scf.parallel (%[[T:.*]]) = (%c0) to (%c64) step (%c1) {
// CHECK:   %[[LANE:.*]] = arith.remui %[[T]], %c32
// CHECK:   scf.for %[[R:.*]] = %[[LANE]] to %c16 step %c32 {
// CHECK:     scf.for %{{.*}} = %c0 to %c16 step %c1 iter_args(
// CHECK:       memref.load %arg0[%[[R]], %{{.*}}]
// CHECK:       vector.fma
// CHECK:     vector.store %{{.*}}, %arg2[%[[R]], %c0]
// CHECK:   nvvm.bar.warp.sync
// CHECK: scf.parallel (%[[T2:.*]]) = (%c0) to (%c64) step (%c1) {
// CHECK:   %[[LANE2:.*]] = arith.remui %[[T2]], %c32
// CHECK:   scf.for %{{.*}} = %[[LANE2]] to %c16 step %c32 {
// CHECK:     arith.bitcast
// CHECK:   nvvm.bar.warp.sync
// CHECK-NOT: nvvm.mma.sync
func.func @row_warps(%x: memref<16x16xf32>, %wt: memref<16x16xf32>, %y: memref<16x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  scf.parallel (%i) = (%c0) to (%c2) step (%c1) {
    tessera.tile_matmul %x, %wt into %y : memref<16x16xf32>, memref<16x16xf32>, memref<16x16xf32>
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%c2) step (%c1) {
    tessera.tile_matmul %x, %wt into %y {operand_type = bf16, skip_masked} : memref<16x16xf32>, memref<16x16xf32>, memref<16x16xf32>
    scf.reduce
  }
  return
}

// An attention-like task: its function is inlined, its scratch (S, acc,
// max, sum: 4096 + 2048 + 128 + 128 bytes) becomes one slice per task of a
// buffer the lanes share (2 tasks: 12800 bytes), freed after the loop. The
// products run on tensor cores, the softmax and the normalization row by
// row across the lanes (rows lane, lane + 32, ...), and a warp barrier
// follows the scratch's initialization and every tile op. On the host
// (emulate-mma) lane 0 does the whole task, each row op for every lane in
// turn.
// CHECK-LABEL: func.func @attention_tasks
// CHECK-NOT: func.call
// CHECK: %[[BUF:.*]] = memref.alloc() {alignment = 64 : i64} : memref<12800xi8>
// CHECK: scf.parallel (%[[T:.*]]) = (%c0) to (%c64) step (%c1) {
// CHECK:   %[[TASK:.*]] = arith.divui %[[T]], %c32
// CHECK:   %[[LANE:.*]] = arith.remui %[[T]], %c32
// CHECK:   %[[OFF:.*]] = arith.muli %[[TASK]], %c6400
// CHECK:   %[[S:.*]] = memref.view %[[BUF]][%[[OFF]]][] : memref<12800xi8> to memref<32x32xf32>
// CHECK:   memref.view %[[BUF]][%{{.*}}][] : memref<12800xi8> to memref<32x16xf32>
// CHECK:   scf.for
// CHECK:     memref.store
// CHECK:   nvvm.bar.warp.sync %c-1_i32 : i32
// CHECK-COUNT-4: nvvm.mma.sync
// CHECK:   nvvm.bar.warp.sync
// CHECK:   scf.for %{{.*}} = %[[LANE]] to %c32 step %c32 {
// CHECK:     math.exp
// CHECK:   nvvm.bar.warp.sync
// CHECK-COUNT-2: nvvm.mma.sync
// CHECK:   nvvm.bar.warp.sync
// CHECK:   scf.for %{{.*}} = %[[LANE]] to %c32 step %c32 {
// CHECK:     arith.divf
// CHECK:   nvvm.bar.warp.sync
// CHECK: memref.dealloc %[[BUF]] : memref<12800xi8>
// CHECK-EMU-LABEL: func.func @attention_tasks
// CHECK-EMU: memref.alloc() {alignment = 64 : i64} : memref<12800xi8>
// CHECK-EMU: %[[FIRST:.*]] = arith.cmpi eq, %{{.*}}, %c0
// CHECK-EMU: scf.if %[[FIRST]] {
// CHECK-EMU:   memref.view
// CHECK-EMU-NOT: nvvm.
// CHECK-EMU:   scf.for %[[L:.*]] = %c0 to %c32 step %c1 {
// CHECK-EMU:     scf.for %{{.*}} = %[[L]] to %c32 step %c32 {
// CHECK-EMU:       math.exp
func.func private @task(%q: memref<2x32x16xf32>, %kt: memref<16x32xf32>, %v: memref<32x16xf32>, %out: memref<2x32x16xf32>, %i: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c16 = arith.constant 16 : index
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %s = memref.alloca() {alignment = 64 : i64} : memref<32x32xf32>
  %acc = memref.alloca() {alignment = 64 : i64} : memref<32x16xf32>
  %m = memref.alloca() : memref<32xf32>
  %l = memref.alloca() : memref<32xf32>
  scf.for %r = %c0 to %c32 step %c1 {
    memref.store %ninf, %m[%r] : memref<32xf32>
    memref.store %zero, %l[%r] : memref<32xf32>
    scf.for %c = %c0 to %c16 step %c1 {
      memref.store %zero, %acc[%r, %c] : memref<32x16xf32>
    }
  }
  %qt = memref.subview %q[%i, 0, 0] [1, 32, 16] [1, 1, 1] : memref<2x32x16xf32> to memref<32x16xf32, strided<[16, 1], offset: ?>>
  %ot = memref.subview %out[%i, 0, 0] [1, 32, 16] [1, 1, 1] : memref<2x32x16xf32> to memref<32x16xf32, strided<[16, 1], offset: ?>>
  tessera.tile_matmul %qt, %kt into %s {scale = 0.25 : f32, operand_type = bf16} : memref<32x16xf32, strided<[16, 1], offset: ?>>, memref<16x32xf32>, memref<32x32xf32>
  tessera.tile_online_softmax %s, %m, %l, %acc : memref<32x32xf32>, memref<32xf32>, memref<32xf32>, memref<32x16xf32>
  tessera.tile_matmul %s, %v into %acc {accumulate, operand_type = bf16} : memref<32x32xf32>, memref<32x16xf32>, memref<32x16xf32>
  tessera.tile_normalize %acc, %l into %ot : memref<32x16xf32>, memref<32xf32>, memref<32x16xf32, strided<[16, 1], offset: ?>>
  return
}

func.func @attention_tasks(%q: memref<2x32x16xf32>, %kt: memref<16x32xf32>, %v: memref<32x16xf32>, %out: memref<2x32x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  scf.parallel (%i) = (%c0) to (%c2) step (%c1) {
    func.call @task(%q, %kt, %v, %out, %i) : (memref<2x32x16xf32>, memref<16x32xf32>, memref<32x16xf32>, memref<2x32x16xf32>, index) -> ()
    scf.reduce
  }
  return
}
