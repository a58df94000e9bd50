// The CPU half of the tile-level form: the same tile ops become vector
// code shaped by the target (--mcpu), whatever the host.
// RUN: tessera-opt %s -split-input-file --tessera-cpu-target=cpu=x86-64-v3 --tessera-lower-tiles --canonicalize | FileCheck %s --check-prefixes=CHECK,CHECK-V3
// RUN: tessera-opt %s -split-input-file --tessera-cpu-target=cpu=x86-64-v4 --tessera-lower-tiles --canonicalize | FileCheck %s --check-prefixes=CHECK,CHECK-V4
// RUN: tessera-opt %s -split-input-file --tessera-cpu-target=cpu=x86-64-v4 --tessera-lower-tiles="block-rows=8 block-vectors=1" --canonicalize | FileCheck %s --check-prefix=CHECK-OVERRIDE

// 64×64×64 products. x86-64-v3 (8 lanes, 16 registers): 6 rows × 2
// vectors = 12 accumulators (with the 2 loads and a broadcast, 15
// registers), the last 64 mod 6 = 4 rows one smaller block. x86-64-v4 (16
// lanes, 32 registers): 6 × 4 = 24. The scale multiplies the finished
// sums; skip_masked keeps an accumulator where A's entry is -0.0 (bit
// pattern 0x80000000 = -2147483648).
// CHECK-LABEL: func.func @products
// CHECK-V3: scf.for %{{.*}} = %c0 to %c60 step %c6
// CHECK-V3: scf.for %{{.*}} = %c0 to %c64 step %c16
// CHECK-V3: scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK-V3-COUNT-12: vector.fma {{.*}} : vector<8xf32>
// CHECK-V3-NEXT: scf.yield
// CHECK-V3: scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK-V3-COUNT-8: vector.fma {{.*}} : vector<8xf32>
// CHECK-V3-NEXT: scf.yield
// CHECK-V4: scf.for %{{.*}} = %c0 to %c60 step %c6
// CHECK-V4-COUNT-24: vector.fma {{.*}} : vector<16xf32>
// CHECK-V4-NEXT: scf.yield
// CHECK-V4-COUNT-16: vector.fma {{.*}} : vector<16xf32>
// CHECK-V4-NEXT: scf.yield
// CHECK: arith.mulf
// CHECK: vector.store
// CHECK: arith.bitcast %{{.*}} : f32 to i32
// CHECK: arith.cmpi eq, %{{.*}}, %c-2147483648_i32
// CHECK: %[[F:.*]] = vector.fma
// CHECK: arith.select %{{.*}}, %{{.*}}, %[[F]]
// CHECK-NOT: tessera.tile
// CHECK-OVERRIDE-LABEL: func.func @products
// CHECK-OVERRIDE: scf.for %{{.*}} = %c0 to %c64 step %c8
// CHECK-OVERRIDE: scf.for %{{.*}} = %c0 to %c64 step %c16
// CHECK-OVERRIDE-COUNT-8: vector.fma {{.*}} : vector<16xf32>
// CHECK-OVERRIDE-NEXT: scf.yield
func.func @products(%q: memref<64x64xf32>, %kt: memref<64x64xf32>, %s: memref<64x64xf32>, %v: memref<64x64xf32>, %acc: memref<64x64xf32>) {
  tessera.tile_matmul %q, %kt into %s {scale = 0.125 : f32} : memref<64x64xf32>, memref<64x64xf32>, memref<64x64xf32>
  tessera.tile_matmul %s, %v into %acc {accumulate, skip_masked} : memref<64x64xf32>, memref<64x64xf32>, memref<64x64xf32>
  return
}

// -----

// The mask's predicate on vectors of positions (causal: k <= q), the
// online softmax's exp on vectors and its per-row scratch in the
// function's frame, and a normalized store whose 20 columns end mid-vector
// (a masked store, the epilogue applied on vectors).
// CHECK-LABEL: func.func @softmax
// CHECK: memref.alloca() : memref<16xf32>
// CHECK-V3: arith.cmpi sle, %{{.*}}, %{{.*}} : vector<8xi64>
// CHECK-V4: arith.cmpi sle, %{{.*}}, %{{.*}} : vector<16xi64>
// CHECK-V3: math.exp %{{.*}} : vector<8xf32>
// CHECK-V4: math.exp %{{.*}} : vector<16xf32>
// CHECK: math.tanh
// CHECK: vector.maskedstore
// CHECK-NOT: tessera.tile
func.func @softmax(%s: memref<16x32xf32>, %max: memref<16xf32>, %sum: memref<16xf32>, %acc: memref<16x32xf32>, %out: memref<?x20xf32>, %p: i64) {
  tessera.tile_mask %s at (%p, %p) {mask = #tessera.causal} : memref<16x32xf32>
  tessera.tile_online_softmax %s, %max, %sum, %acc : memref<16x32xf32>, memref<16xf32>, memref<16xf32>, memref<16x32xf32>
  tessera.tile_normalize %acc, %sum into %out : memref<16x32xf32>, memref<16xf32>, memref<?x20xf32> epilogue {
  ^bb0(%x: f32):
    %t = math.tanh %x : f32
    tessera.yield %t : f32
  }
  return
}

// -----

// A bias row is added to the finished sums.
// CHECK-LABEL: func.func @bias
// CHECK: scf.yield
// CHECK: %[[B:.*]] = vector.load %arg3
// CHECK: arith.addf %{{.*}}, %[[B]]
func.func @bias(%x: memref<8x32xf32>, %w: memref<32x16xf32>, %y: memref<8x16xf32>, %b: memref<16xf32>) {
  tessera.tile_matmul %x, %w into %y bias(%b : memref<16xf32>) : memref<8x32xf32>, memref<32x16xf32>, memref<8x16xf32>
  return
}

// -----

// Empty tiles lower without hanging: a softmax step over no scores
// changes nothing (it is dropped), products with no columns or no
// reduction are empty loops or store the bias alone, and a dynamic output
// tile is written only where acc has rows.
// CHECK-LABEL: func.func @empty_tiles
// CHECK-NOT: math.exp
// CHECK: arith.minsi %{{.*}}, %c8
// CHECK-NOT: tessera.tile
func.func @empty_tiles(%s0: memref<8x0xf32>, %m: memref<8xf32>, %acc: memref<8x16xf32>, %a: memref<8x0xf32>, %b: memref<0x16xf32>, %c: memref<8x16xf32>, %bias: memref<16xf32>, %out: memref<?x16xf32>) {
  tessera.tile_online_softmax %s0, %m, %m, %acc : memref<8x0xf32>, memref<8xf32>, memref<8xf32>, memref<8x16xf32>
  tessera.tile_matmul %a, %b into %c bias(%bias : memref<16xf32>) : memref<8x0xf32>, memref<0x16xf32>, memref<8x16xf32>
  tessera.tile_normalize %acc, %m into %out : memref<8x16xf32>, memref<8xf32>, memref<?x16xf32>
  return
}
