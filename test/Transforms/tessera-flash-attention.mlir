// RUN: tessera-opt %s -split-input-file --tessera-flash-attention | FileCheck %s

// The schedule in the target-independent tile-level form: no vector code,
// the same for every target (no #tessera.cpu_target is needed).

// Causal, 4×4 tiles of 64: the key tiles each query tile visits form a
// triangle (entries are 2·tile + partial: the diagonal is partial, the rest
// full), and no Sq×Sk buffer exists anywhere. Per visited tile and query
// head: S = scale·Q·Kᵀ, the mask on partial tiles only, the online
// softmax, and P·V skipping masked entries on partial tiles only.
// CHECK: memref.global "private" constant @__tessera_attention_tiles_[[N:[0-9]+]] : memref<10xi32> = dense<[1, 0, 3, 0, 2, 5, 0, 2, 4, 7]>
// CHECK: memref.global "private" constant @__tessera_attention_rows_[[N]] : memref<5xi32> = dense<[0, 1, 3, 6, 10]>
// CHECK: func.func private @__tessera_attention_task_
// CHECK-SAME: memref<1x2x4x64x64xf32>
// CHECK: %[[S:.*]] = memref.alloca() {alignment = 64 : i64} : memref<64x64xf32>
// CHECK: scf.for
// CHECK: %[[ENTRY:.*]] = memref.load
// CHECK: %[[PARTIAL:.*]] = arith.trunci %{{.*}} : i32 to i1
// CHECK: %[[Q:.*]] = memref.subview %arg0[{{.*}}] [1, 1, 64, 64] [1, 1, 1, 1] : memref<1x2x256x64xf32> to memref<64x64xf32, strided<[64, 1], offset: ?>>
// CHECK: %[[K:.*]] = memref.subview %arg1[{{.*}}] [1, 1, 1, 64, 64]
// CHECK: %[[V:.*]] = memref.subview %arg2[{{.*}}] [1, 1, 64, 64]
// CHECK: %[[ACC:.*]] = memref.subview
// CHECK: %[[MAX:.*]] = memref.subview
// CHECK: %[[SUM:.*]] = memref.subview
// CHECK: tessera.tile_matmul %[[Q]], %[[K]] into %[[S]] {scale = 1.250000e-01 : f32}
// CHECK: scf.if %[[PARTIAL]] {
// CHECK-NEXT: tessera.tile_mask %[[S]] at(%{{.*}}, %{{.*}}) {mask = #tessera.causal} : memref<64x64xf32>
// CHECK-NEXT: }
// CHECK-NEXT: tessera.tile_online_softmax %[[S]], %[[MAX]], %[[SUM]], %[[ACC]]
// CHECK-NEXT: scf.if %[[PARTIAL]] {
// CHECK-NEXT: tessera.tile_matmul %[[S]], %[[V]] into %[[ACC]] {accumulate, skip_masked}
// CHECK-NEXT: } else {
// CHECK-NEXT: tessera.tile_matmul %[[S]], %[[V]] into %[[ACC]] {accumulate} :
// CHECK: %[[OUT:.*]] = memref.subview %arg3[{{.*}}] [1, 1, %{{.*}}, 64] [1, 1, 1, 1] : memref<1x2x256x64xf32> to memref<?x64xf32, strided<[64, 1], offset: ?>>
// CHECK: tessera.tile_normalize %{{.*}}, %{{.*}} into %[[OUT]] :
// CHECK-NOT: vector.
// CHECK: func.func @causal
// CHECK: memref.get_global @__tessera_attention_rows_[[N]]
// CHECK: scf.parallel
// CHECK: func.call @__tessera_attention_task_
// CHECK: bufferization.to_tensor
// CHECK-NOT: tessera.attention
// CHECK-NOT: 256x256
func.func @causal(%q: tensor<1x2x256x64xf32>) -> tensor<1x2x256x64xf32> {
  %0 = tessera.attention %q, %q, %q {mask = #tessera.causal} : (tensor<1x2x256x64xf32>, tensor<1x2x256x64xf32>, tensor<1x2x256x64xf32>) -> tensor<1x2x256x64xf32>
  return %0 : tensor<1x2x256x64xf32>
}

// -----

// Sliding window of 64 over 6 tiles: a constant-width band of two partial
// tiles per query tile (one for the first).
// CHECK: memref.global "private" constant @__tessera_attention_tiles_{{[0-9]+}} : memref<11xi32> = dense<[1, 1, 3, 3, 5, 5, 7, 7, 9, 9, 11]>
// CHECK: memref.global "private" constant @__tessera_attention_rows_{{[0-9]+}} : memref<7xi32> = dense<[0, 1, 3, 5, 7, 9, 11]>
// CHECK-NOT: 384x384
func.func @window(%q: tensor<1x1x384x64xf32>) -> tensor<1x1x384x64xf32> {
  %0 = tessera.attention %q, %q, %q {mask = #tessera.sliding_window<left = 64, right = 0>} : (tensor<1x1x384x64xf32>, tensor<1x1x384x64xf32>, tensor<1x1x384x64xf32>) -> tensor<1x1x384x64xf32>
  return %0 : tensor<1x1x384x64xf32>
}

// -----

// Block-diagonal with blocks of one tile: one full tile per query tile, so
// no mask arithmetic at all.
// CHECK: memref.global "private" constant @__tessera_attention_tiles_{{[0-9]+}} : memref<4xi32> = dense<[0, 2, 4, 6]>
// CHECK: memref.global "private" constant @__tessera_attention_rows_{{[0-9]+}} : memref<5xi32> = dense<[0, 1, 2, 3, 4]>
func.func @block_diagonal(%q: tensor<1x1x256x64xf32>) -> tensor<1x1x256x64xf32> {
  %0 = tessera.attention %q, %q, %q {mask = #tessera.block_diagonal<block = 64>} : (tensor<1x1x256x64xf32>, tensor<1x1x256x64xf32>, tensor<1x1x256x64xf32>) -> tensor<1x1x256x64xf32>
  return %0 : tensor<1x1x256x64xf32>
}

// -----

// No mask: no table, every key tile, no predicate.
// CHECK-NOT: memref.global
// CHECK: func.func private @__tessera_attention_task_
// CHECK-NOT: arith.cmpi sle
// CHECK: func.func @dense
func.func @dense(%q: tensor<1x1x128x64xf32>) -> tensor<1x1x128x64xf32> {
  %0 = tessera.attention %q, %q, %q : (tensor<1x1x128x64xf32>, tensor<1x1x128x64xf32>, tensor<1x1x128x64xf32>) -> tensor<1x1x128x64xf32>
  return %0 : tensor<1x1x128x64xf32>
}

// -----

// GQA 8:2: one task per (batch, KV head, query tile) handles the 4 query
// heads that share the K/V tile: the grid is 1 × 2 × 2, not 1 × 8 × 2.
// CHECK: func.func private @__tessera_attention_task_
// CHECK: memref.alloca() {alignment = 64 : i64} : memref<4x64x64xf32>
// CHECK: func.func @gqa
// CHECK: scf.parallel ({{.*}}) = ({{.*}}) to (%c1{{(_[0-9]+)?}}, %c2{{(_[0-9]+)?}}, %c2{{(_[0-9]+)?}}) step
func.func @gqa(%q: tensor<1x8x128x64xf32>, %k: tensor<1x2x128x64xf32>) -> tensor<1x8x128x64xf32> {
  %0 = tessera.attention %q, %k, %k : (tensor<1x8x128x64xf32>, tensor<1x2x128x64xf32>, tensor<1x2x128x64xf32>) -> tensor<1x8x128x64xf32>
  return %0 : tensor<1x8x128x64xf32>
}

// -----

// Elementwise consumers (a sigmoid gate, then a residual add) fuse into the
// output write: they become the scalar epilogue of tile_normalize, each
// tensor they read an input tile, and no tensor-level divf/addf on the
// attention result is left.
// CHECK: func.func private @__tessera_attention_task_
// CHECK: tessera.tile_normalize %{{.*}}, %{{.*}} into %{{.*}} inputs(%{{.*}}, %{{.*}} : memref<?x64xf32, strided<[64, 1], offset: ?>>, memref<?x64xf32, strided<[64, 1], offset: ?>>) : {{.*}} epilogue {
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32, %[[D:.*]]: f32, %[[R:.*]]: f32):
// CHECK-NEXT: %[[G:.*]] = arith.divf %[[X]], %[[D]] : f32
// CHECK-NEXT: %[[Y:.*]] = arith.addf %[[R]], %[[G]] : f32
// CHECK-NEXT: tessera.yield %[[Y]] : f32
// CHECK: func.func @gated
// CHECK: math.exp %{{.*}} : tensor<1x2x64x64xf32>
// CHECK-NOT: arith.divf
// CHECK: %[[OUT:.*]] = bufferization.to_tensor
// CHECK-NEXT: return %[[OUT]]
func.func @gated(%q: tensor<1x2x64x64xf32>, %gate: tensor<1x2x64x64xf32>, %x: tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32> {
  %a = tessera.attention %q, %q, %q : (tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32>
  %n = arith.negf %gate : tensor<1x2x64x64xf32>
  %e = math.exp %n : tensor<1x2x64x64xf32>
  %one = arith.constant dense<1.0> : tensor<1x2x64x64xf32>
  %d = arith.addf %one, %e : tensor<1x2x64x64xf32>
  %g = arith.divf %a, %d : tensor<1x2x64x64xf32>
  %y = arith.addf %x, %g : tensor<1x2x64x64xf32>
  return %y : tensor<1x2x64x64xf32>
}

// -----

// One tensor read twice by the epilogue is one input: the third op's
// operand %z is the second input, not a second copy of %x.
// CHECK: func.func private @__tessera_attention_task_
// CHECK: tessera.tile_normalize %{{.*}}, %{{.*}} into %{{.*}} inputs(%{{.*}}, %{{.*}} : {{.*}}) : {{.*}} epilogue {
// CHECK-NEXT: ^bb0(%[[A:.*]]: f32, %[[X:.*]]: f32, %[[Z:.*]]: f32):
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[A]], %[[X]] : f32
// CHECK-NEXT: %[[P:.*]] = arith.mulf %[[S]], %[[X]] : f32
// CHECK-NEXT: %[[R:.*]] = arith.subf %[[P]], %[[Z]] : f32
// CHECK-NEXT: tessera.yield %[[R]] : f32
func.func @repeated_input(%q: tensor<1x1x32x16xf32>, %x: tensor<1x1x32x16xf32>, %z: tensor<1x1x32x16xf32>) -> tensor<1x1x32x16xf32> {
  %a = tessera.attention %q, %q, %q : (tensor<1x1x32x16xf32>, tensor<1x1x32x16xf32>, tensor<1x1x32x16xf32>) -> tensor<1x1x32x16xf32>
  %s = arith.addf %a, %x : tensor<1x1x32x16xf32>
  %p = arith.mulf %s, %x : tensor<1x1x32x16xf32>
  %r = arith.subf %p, %z : tensor<1x1x32x16xf32>
  return %r : tensor<1x1x32x16xf32>
}
