// Tier 1 (no toolkit): the CUDA target runs the same schedule as the CPU.
// The compile-time key-tile table of a sliding-window mask is the same
// constant on both targets, and the CUDA kernels carry it to the device;
// each task works on 64x64 tiles in its own scratch, and nothing of size
// Sq x Sk exists on either side.
// RUN: tessera-opt %s --pass-pipeline='builtin.module(tessera-phase-decompose,tessera-phase-fuse-and-tile,tessera-phase-bufferize)' | FileCheck %s --check-prefixes=CHECK,CHECK-CPU
// RUN: tessera-opt %s --pass-pipeline='builtin.module(tessera-phase-decompose,tessera-phase-fuse-and-tile,tessera-phase-bufferize,tessera-gpu-map-loops,func.func(convert-parallel-loops-to-gpu),gpu-kernel-outlining,tessera-gpu-host-memory,symbol-dce,canonicalize)' | FileCheck %s --check-prefixes=CHECK,CHECK-CUDA

// CHECK-NOT: 512x512
// CHECK-CPU: memref.global "private" constant @__tessera_attention_tiles_0 : memref<30xi32> = dense<[1, 0, 3, 0, 2, 5, 0, 2, 4, 7, 1, 2, 4, 6, 9, 3, 4, 6, 8, 11, 5, 6, 8, 10, 13, 7, 8, 10, 12, 15]>
// CHECK-CPU: func.func @tessera_model_main
// CHECK-CPU: scf.parallel
// CHECK-CPU-NOT: gpu.

// The host launches the attention grid (2 heads x 8 query tiles, a thread
// per query tile, 16 in one block) and reads nothing itself.
// CHECK-CUDA: func.func @tessera_model_main
// CHECK-CUDA: gpu.alloc  host_shared () : memref<1x2x512x64xf32>
// CHECK-CUDA: gpu.launch_func  @[[K:.*]]::@{{.*}} blocks in (%c1, %c1, %c1) threads in (%c16, %c1, %c1)
// CHECK-CUDA: gpu.module @[[K]]
// CHECK-CUDA: gpu.func @{{.*}} kernel
// CHECK-CUDA: gpu.block_id  x
// CHECK-CUDA: gpu.thread_id  x
// CHECK-CUDA: func.call @__tessera_attention_task_0
// CHECK-CUDA-DAG: memref.global "private" constant @__tessera_attention_tiles_0 : memref<30xi32> = dense<[1, 0, 3, 0, 2, 5, 0, 2, 4, 7, 1, 2, 4, 6, 9, 3, 4, 6, 8, 11, 5, 6, 8, 10, 13, 7, 8, 10, 12, 15]>
// CHECK-CUDA-DAG: memref.alloca() {alignment = 64 : i64} : memref<64x64xf32>
// CHECK-NOT: 512x512

func.func @main(%q: tensor<1x2x512x64xf32> {tessera.name = "q"}, %k: tensor<1x2x512x64xf32> {tessera.name = "k"}, %v: tensor<1x2x512x64xf32> {tessera.name = "v"}) -> (tensor<1x2x512x64xf32> {tessera.name = "y"}) {
  %o = tessera.attention %q, %k, %v {mask = #tessera.sliding_window<left = 256, right = 0>} : (tensor<1x2x512x64xf32>, tensor<1x2x512x64xf32>, tensor<1x2x512x64xf32>) -> tensor<1x2x512x64xf32>
  return %o : tensor<1x2x512x64xf32>
}
