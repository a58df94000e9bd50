// Linear layers on f16/bf16 storage: their tile products carry the storage
// type (operand_type), which the CUDA target computes on tensor cores
// (mma.sync m16n8k16); the CPU computes them in f32. The shapes cover
// whole and partial 16 × 8 blocks, several 128-deep chunks of K (the
// accumulating products), rows of eight blocks and a linear fed by a
// linear. Under --param tessera_target=cuda-emulate the same products run
// through the emulated instruction on the host.
// RUN: tesserac %s --entry=wide_bf16 -o %t.a
// RUN: %PYTHON %reference/check.py %t.a "ops.linear(x, w, b)" | FileCheck %s
// RUN: tesserac %s --entry=small_f16 -o %t.b
// RUN: %PYTHON %reference/check.py %t.b "ops.linear(x, w)" | FileCheck %s
// RUN: tesserac %s --entry=mlp_bf16 -o %t.c
// RUN: %PYTHON %reference/check.py %t.c "ops.linear(ops.bf16(ops.linear(x, w1, b1)), w2)" | FileCheck %s
// RUN: %tessera_obj_root/bin/tesserac %s --entry=wide_bf16 --compile-to=fuse-and-tile | FileCheck %s --check-prefix=CHECK-TILE
// RUN: %tessera_obj_root/bin/tesserac %s --entry=small_f16 --compile-to=fuse-and-tile | FileCheck %s --check-prefix=CHECK-F16
// RUN: %tessera_obj_root/bin/tesserac %s --entry=wide_bf16 --target=cuda --compile-to=fuse-and-tile | FileCheck %s --check-prefix=CHECK-CUDA

// CHECK: PASS y: max_err=

// The CPU lowers the products whatever their operand type; the CUDA
// target keeps them for the warps (three 128-deep chunks of K: the first
// with the bias, then accumulating).
// CHECK-TILE-NOT: tessera.tile_matmul
// CHECK-F16-NOT: tessera.tile_matmul
// CHECK-CUDA: tessera.tile_matmul {{.*}} bias({{.*}}) {operand_type = bf16} : memref<64x128xf32
// CHECK-CUDA: tessera.tile_matmul {{.*}} {accumulate, operand_type = bf16} : memref<64x128xf32
// CHECK-CUDA: tessera.tile_matmul {{.*}} {accumulate, operand_type = bf16} : memref<64x64xf32

func.func @wide_bf16(%x: tensor<2x64x320xbf16> {tessera.name = "x"}, %w: tensor<192x320xbf16> {tessera.name = "w"}, %b: tensor<192xbf16> {tessera.name = "b"}) -> (tensor<2x64x192xbf16> {tessera.name = "y"}) {
  %0 = tessera.linear %x, %w bias(%b) : (tensor<2x64x320xbf16>, tensor<192x320xbf16>, tensor<192xbf16>) -> tensor<2x64x192xbf16>
  return %0 : tensor<2x64x192xbf16>
}

func.func @small_f16(%x: tensor<5x40xf16> {tessera.name = "x"}, %w: tensor<9x40xf16> {tessera.name = "w"}) -> (tensor<5x9xf16> {tessera.name = "y"}) {
  %0 = tessera.linear %x, %w : (tensor<5x40xf16>, tensor<9x40xf16>) -> tensor<5x9xf16>
  return %0 : tensor<5x9xf16>
}

func.func @mlp_bf16(%x: tensor<48x96xbf16> {tessera.name = "x"}, %w1: tensor<136x96xbf16> {tessera.name = "w1"}, %b1: tensor<136xbf16> {tessera.name = "b1"}, %w2: tensor<24x136xbf16> {tessera.name = "w2"}) -> (tensor<48x24xbf16> {tessera.name = "y"}) {
  %0 = tessera.linear %x, %w1 bias(%b1) : (tensor<48x96xbf16>, tensor<136x96xbf16>, tensor<136xbf16>) -> tensor<48x136xbf16>
  %1 = tessera.linear %0, %w2 : (tensor<48x136xbf16>, tensor<24x136xbf16>) -> tensor<48x24xbf16>
  return %1 : tensor<48x24xbf16>
}
