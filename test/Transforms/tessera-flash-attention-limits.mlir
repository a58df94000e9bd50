// Compile-time work and scratch stay bounded whatever the sizes: tile
// tables have a size limit (above it every key tile is masked at run
// time), mask classification is closed-form, kernel tiles do not grow with
// block sizes or pass options, loops over Dv are not unrolled.
// RUN: tessera-opt %s -split-input-file --tessera-cpu-target=cpu=x86-64-v4 --tessera-flash-attention --tessera-lower-tiles --mlir-elide-elementsattrs-if-larger=16 | FileCheck %s
// RUN: tessera-opt %s -split-input-file --tessera-cpu-target=cpu=x86-64-v4 --tessera-flash-attention="tile-k=1048576 tile-q=9223372036854775807" --tessera-lower-tiles --mlir-elide-elementsattrs-if-larger=16 | FileCheck %s --check-prefix=CHECK-OPT

// 2^20 causal tokens: 2^28 tile pairs exceed the table limit; no table,
// every key tile visited with the predicate.
// CHECK-NOT: memref.global
// CHECK-LABEL: func.func private @__tessera_attention_task_
// CHECK: arith.cmpi sle
// CHECK-LABEL: func.func @long_causal
// CHECK-NOT: memref.get_global
// CHECK: scf.parallel
// CHECK-OPT-LABEL: func.func @long_causal
func.func @long_causal(%q: tensor<1x1x1048576x16xf32>) -> tensor<1x1x1048576x16xf32> {
  %0 = tessera.attention %q, %q, %q {mask = #tessera.causal} : (tensor<1x1x1048576x16xf32>, tensor<1x1x1048576x16xf32>, tensor<1x1x1048576x16xf32>) -> tensor<1x1x1048576x16xf32>
  return %0 : tensor<1x1x1048576x16xf32>
}

// -----

// 2-D neighbourhood over 65536 tokens (256×256 grid, radius 20): 2^20
// tile pairs, classified in closed form. 100760 visited tiles, as counted
// independently from the grid (rows r±20, columns c0-20..c0+83 per
// quarter-row query tile).
// CHECK: memref.global "private" constant @__tessera_attention_tiles_{{[0-9]+}} : memref<100760xi32>
// CHECK: memref.global "private" constant @__tessera_attention_rows_{{[0-9]+}} : memref<1025xi32>
// CHECK-LABEL: func.func @neighborhood_long
func.func @neighborhood_long(%q: tensor<1x1x65536x16xf32>) -> tensor<1x1x65536x16xf32> {
  %0 = tessera.attention %q, %q, %q {mask = #tessera.neighborhood_2d<height = 256, width = 256, radius_h = 20, radius_w = 20>} : (tensor<1x1x65536x16xf32>, tensor<1x1x65536x16xf32>, tensor<1x1x65536x16xf32>) -> tensor<1x1x65536x16xf32>
  return %0 : tensor<1x1x65536x16xf32>
}

// -----

// Blocks of 2^20: kernel tiles of 64 keys (a divisor of the block) and the
// 100 query rows rounded up to a multiple of 8, not 2^20.
// CHECK-LABEL: func.func private @__tessera_attention_task_
// CHECK: memref.alloca() {alignment = 64 : i64} : memref<104x64xf32>
// CHECK-LABEL: func.func @huge_blocks
func.func @huge_blocks(%q: tensor<1x1x100x16xf32>, %bi: tensor<1x1x1x1xi32>) -> tensor<1x1x100x16xf32> {
  %0 = tessera.attention %q, %q, %q block_index(%bi) {block_sizes = array<i64: 1048576, 1048576>} : (tensor<1x1x100x16xf32>, tensor<1x1x100x16xf32>, tensor<1x1x100x16xf32>, tensor<1x1x1x1xi32>) -> tensor<1x1x100x16xf32>
  return %0 : tensor<1x1x100x16xf32>
}

// -----

// Block sizes near INT64_MAX: one block each way; the key tile is the
// largest multiple of 16 up to 128 dividing BK = 2^63 - 16 = 16·(2^59 - 1);
// the 100 query rows are rounded up to 104.
// CHECK-LABEL: func.func private @__tessera_attention_task_
// CHECK: memref.alloca() {alignment = 64 : i64} : memref<104x16xf32>
// CHECK-LABEL: func.func @max_blocks
func.func @max_blocks(%q: tensor<1x1x100x16xf32>, %bi: tensor<1x1x1x1xi32>) -> tensor<1x1x100x16xf32> {
  %0 = tessera.attention %q, %q, %q block_index(%bi) {block_sizes = array<i64: 9223372036854775807, 9223372036854775792>} : (tensor<1x1x100x16xf32>, tensor<1x1x100x16xf32>, tensor<1x1x100x16xf32>, tensor<1x1x1x1xi32>) -> tensor<1x1x100x16xf32>
  return %0 : tensor<1x1x100x16xf32>
}

// -----

// Dv = 60000: query tiles shrink to 4 rows to fit the 1 MiB scratch; the
// Dv loops are scf.for loops (3750 vectors are not unrolled).
// CHECK-LABEL: func.func private @__tessera_attention_task_
// CHECK: memref.alloca() {alignment = 64 : i64} : memref<4x64xf32>
// CHECK: memref.alloca() {alignment = 64 : i64} : memref<1x4x60000xf32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %c60000{{.*}} step %c16
// CHECK-LABEL: func.func @wide_value
func.func @wide_value(%q: tensor<1x1x100x16xf32>, %v: tensor<1x1x100x60000xf32>) -> tensor<1x1x100x60000xf32> {
  %0 = tessera.attention %q, %q, %v {mask = #tessera.causal} : (tensor<1x1x100x16xf32>, tensor<1x1x100x16xf32>, tensor<1x1x100x60000xf32>) -> tensor<1x1x100x60000xf32>
  return %0 : tensor<1x1x100x60000xf32>
}

// -----

// Pass options far above the kernel limits are capped: 128 keys, and the
// query tile no larger than the sequence (rounded up to a multiple of 8).
// CHECK-OPT-LABEL: func.func private @__tessera_attention_task_
// CHECK-OPT: memref.alloca() {alignment = 64 : i64} : memref<256x128xf32>
// CHECK-OPT-LABEL: func.func @options
func.func @options(%q: tensor<1x1x256x16xf32>) -> tensor<1x1x256x16xf32> {
  %0 = tessera.attention %q, %q, %q : (tensor<1x1x256x16xf32>, tensor<1x1x256x16xf32>, tensor<1x1x256x16xf32>) -> tensor<1x1x256x16xf32>
  return %0 : tensor<1x1x256x16xf32>
}

// -----

// An empty result needs no kernel.
// CHECK-LABEL: func.func @empty
// CHECK-NEXT: %[[E:.*]] = tensor.empty() : tensor<1x1x0x16xf32>
// CHECK-NEXT: return %[[E]]
func.func @empty(%q: tensor<1x1x0x16xf32>, %k: tensor<1x1x5x16xf32>) -> tensor<1x1x0x16xf32> {
  %0 = tessera.attention %q, %k, %k : (tensor<1x1x0x16xf32>, tensor<1x1x5x16xf32>, tensor<1x1x5x16xf32>) -> tensor<1x1x0x16xf32>
  return %0 : tensor<1x1x0x16xf32>
}

// -----

// A rank-2 mask is viewed as [1, 1, Sq, Sk] before the i1 -> additive
// conversion and padding.
// CHECK-LABEL: func.func @rank2_mask
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] output_shape [1, 1, 40, 50] : tensor<40x50xi1> into tensor<1x1x40x50xi1>
func.func @rank2_mask(%q: tensor<1x2x40x16xf32>, %k: tensor<1x2x50x16xf32>, %m: tensor<40x50xi1>) -> tensor<1x2x40x16xf32> {
  %0 = tessera.attention %q, %k, %k mask(%m) : (tensor<1x2x40x16xf32>, tensor<1x2x50x16xf32>, tensor<1x2x50x16xf32>, tensor<40x50xi1>) -> tensor<1x2x40x16xf32>
  return %0 : tensor<1x2x40x16xf32>
}

// -----

// Masked keys: probability -0.0, and only partial tiles (scf.if on the
// table's partial bit) skip marked entries in P·V; full tiles run the
// plain FMA loop.
// CHECK-LABEL: func.func private @__tessera_attention_task_
// CHECK: arith.constant -0.000000e+00 : f32
// CHECK: scf.if %[[PARTIAL:.*]] {
// CHECK: arith.bitcast %{{.*}} : f32 to i32
// CHECK: %[[FMA:.*]] = vector.fma
// CHECK: arith.select %{{.*}}, %{{.*}}, %[[FMA]] : vector<16xf32>
// CHECK: } else {
// CHECK-NOT: arith.select
// CHECK: vector.fma
// CHECK-NOT: arith.select
// CHECK: scf.yield
// CHECK-LABEL: func.func @causal
func.func @causal(%q: tensor<1x1x128x16xf32>) -> tensor<1x1x128x16xf32> {
  %0 = tessera.attention %q, %q, %q {mask = #tessera.causal} : (tensor<1x1x128x16xf32>, tensor<1x1x128x16xf32>, tensor<1x1x128x16xf32>) -> tensor<1x1x128x16xf32>
  return %0 : tensor<1x1x128x16xf32>
}

// -----

// A run-time q_offset is clamped to [-2^61, 2^61].
// CHECK-LABEL: func.func @q_offset
// CHECK: %[[OFF:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK: %[[HI:.*]] = arith.minsi %[[OFF]], %{{.*}} : i64
// CHECK: arith.maxsi %[[HI]], %{{.*}} : i64
func.func @q_offset(%q: tensor<1x1x4x16xf32>, %k: tensor<1x1x64x16xf32>, %off: index) -> tensor<1x1x4x16xf32> {
  %0 = tessera.attention %q, %k, %k q_offset(%off) {mask = #tessera.causal} : (tensor<1x1x4x16xf32>, tensor<1x1x64x16xf32>, tensor<1x1x64x16xf32>, index) -> tensor<1x1x4x16xf32>
  return %0 : tensor<1x1x4x16xf32>
}
