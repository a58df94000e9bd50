// Linear layers and attention on bf16 and f16 storage multiply on tensor
// cores: their tasks' tile ops stay through bufferization, a task runs on
// one warp, and its products become m16n8k16 mma.sync with f32
// accumulation, for every architecture; attention's other tile ops run row
// by row across the lanes, between warp barriers. An f32 layer keeps its
// exact f32 products (on a warp too, row by row), and so does a build that
// includes sm_75 (which has no bf16 m16n8k16).
// REQUIRES: libdevice
// RUN: tesserac %s --entry=linear_bf16 --emit=ptx --cuda-arch=sm_80,sm_90a -o %t.bf16.ptx
// RUN: FileCheck %s --check-prefix=CHECK-BF16 < %t.bf16.ptx
// RUN: tesserac %s --entry=linear_f16 --emit=ptx -o %t.f16.ptx
// RUN: FileCheck %s --check-prefix=CHECK-F16 < %t.f16.ptx
// RUN: tesserac %s --entry=linear_f32 --emit=ptx -o %t.f32.ptx
// RUN: FileCheck %s --check-prefix=CHECK-F32 < %t.f32.ptx
// RUN: tesserac %s --entry=linear_bf16 --emit=ptx --cuda-arch=sm_75,sm_80 -o %t.sm75.ptx
// RUN: FileCheck %s --check-prefix=CHECK-F32 < %t.sm75.ptx
// RUN: tesserac %s --entry=linear_bf16 --target=cuda --compile-to=bufferize | FileCheck %s --check-prefix=CHECK-TILE
// RUN: tesserac %s --entry=causal_bf16 --emit=ptx --cuda-arch=sm_80,sm_90a -o %t.attn.ptx
// RUN: FileCheck %s --check-prefix=CHECK-ATTN < %t.attn.ptx
// RUN: tesserac %s --entry=causal_f32 --emit=ptx -o %t.attn32.ptx
// RUN: FileCheck %s --check-prefix=CHECK-F32 < %t.attn32.ptx

// CHECK-ATTN: .target sm_80
// CHECK-ATTN: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// CHECK-ATTN: bar.warp.sync
// CHECK-ATTN: .target sm_90a
// CHECK-ATTN: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32

// CHECK-TILE: tessera.tile_matmul {{.*}}operand_type = bf16

// CHECK-BF16: .target sm_80
// CHECK-BF16: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// CHECK-BF16: .target sm_90a
// CHECK-BF16: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32

// CHECK-F16: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32

// CHECK-F32: .visible .entry
// CHECK-F32-NOT: mma.sync
// CHECK-F32: bar.warp.sync
// CHECK-F32-NOT: mma.sync

func.func @linear_bf16(%x: tensor<4x100x256xbf16> {tessera.name = "x"}, %w: tensor<192x256xbf16> {tessera.name = "w"}, %b: tensor<192xbf16> {tessera.name = "b"}) -> (tensor<4x100x192xbf16> {tessera.name = "y"}) {
  %0 = tessera.linear %x, %w bias(%b) : (tensor<4x100x256xbf16>, tensor<192x256xbf16>, tensor<192xbf16>) -> tensor<4x100x192xbf16>
  return %0 : tensor<4x100x192xbf16>
}

func.func @linear_f16(%x: tensor<33x72xf16> {tessera.name = "x"}, %w: tensor<40x72xf16> {tessera.name = "w"}) -> (tensor<33x40xf16> {tessera.name = "y"}) {
  %0 = tessera.linear %x, %w : (tensor<33x72xf16>, tensor<40x72xf16>) -> tensor<33x40xf16>
  return %0 : tensor<33x40xf16>
}

func.func @linear_f32(%x: tensor<33x72xf32> {tessera.name = "x"}, %w: tensor<40x72xf32> {tessera.name = "w"}) -> (tensor<33x40xf32> {tessera.name = "y"}) {
  %0 = tessera.linear %x, %w : (tensor<33x72xf32>, tensor<40x72xf32>) -> tensor<33x40xf32>
  return %0 : tensor<33x40xf32>
}

func.func @causal_bf16(%q: tensor<2x4x200x64xbf16> {tessera.name = "q"}, %k: tensor<2x2x200x64xbf16> {tessera.name = "k"}, %v: tensor<2x2x200x64xbf16> {tessera.name = "v"}) -> (tensor<2x4x200x64xbf16> {tessera.name = "o"}) {
  %0 = tessera.attention %q, %k, %v {mask = #tessera.causal} : (tensor<2x4x200x64xbf16>, tensor<2x2x200x64xbf16>, tensor<2x2x200x64xbf16>) -> tensor<2x4x200x64xbf16>
  return %0 : tensor<2x4x200x64xbf16>
}

func.func @causal_f32(%q: tensor<1x2x100x32xf32> {tessera.name = "q"}, %k: tensor<1x2x100x32xf32> {tessera.name = "k"}, %v: tensor<1x2x100x32xf32> {tessera.name = "v"}) -> (tensor<1x2x100x32xf32> {tessera.name = "o"}) {
  %0 = tessera.attention %q, %k, %v {mask = #tessera.causal} : (tensor<1x2x100x32xf32>, tensor<1x2x100x32xf32>, tensor<1x2x100x32xf32>) -> tensor<1x2x100x32xf32>
  return %0 : tensor<1x2x100x32xf32>
}
