// RUN: not tessera-opt %s --tessera-gpu-map-loops=max-threads=48 2>&1 | FileCheck %s --check-prefix=CHECK-THREADS
// RUN: not tessera-opt %s --tessera-gpu-emulate-launches 2>&1 | FileCheck %s --check-prefix=CHECK-EMULATE
// RUN: not tessera-opt %s --split-input-file --tessera-gpu-fatbin=toolkit=%t.nowhere 2>&1 | FileCheck %s --check-prefix=CHECK-FATBIN

// CHECK-THREADS: error: max-threads must be a multiple of 32 in [32, 1024], got 48
// CHECK-EMULATE: error: only a synchronous single-block launch without clusters or shared memory can be emulated
// CHECK-FATBIN: error: the CUDA toolkit's ptxas was not found in '{{.*}}.nowhere/bin'

func.func @async_launch(%t: !gpu.async.token) {
  %c1 = arith.constant 1 : index
  %token = gpu.launch async [%t] blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    gpu.terminator
  }
  return
}

gpu.binary @kernels [#gpu.object<#nvvm.target<chip = "sm_80">, assembly = "">]
