// Tier 2: a CUDA executable links, describes itself without a GPU, and on a
// machine without a usable GPU (forced here with CUDA_VISIBLE_DEVICES=, so
// that the test runs on GPU machines too) fails with one line and exit
// status 2 before any compute.
// REQUIRES: ptxas
// RUN: tesserac %s --target=cuda --cuda-arch=sm_80,sm_90a -o %t
// RUN: %t --print-signature | FileCheck %s --check-prefix=CHECK-SIG
// RUN: %t --help | FileCheck %s --check-prefix=CHECK-HELP
// RUN: env CUDA_VISIBLE_DEVICES= sh -c '%t --random-inputs > %t.out 2> %t.err; echo "exit $?"' | FileCheck %s --check-prefix=CHECK-EXIT
// RUN: FileCheck %s --check-prefix=CHECK-ERR < %t.err
// RUN: count 1 < %t.err
// RUN: count 0 < %t.out
// RUN: not env CUDA_VISIBLE_DEVICES= %t --random-inputs --device=x 2>&1 | FileCheck %s --check-prefix=CHECK-BADDEV
// A shared library takes the runtime's driver calls along.
// RUN: tesserac %s --target=cuda --emit=shared -o %t.so
// RUN: nm -D --defined-only %t.so | FileCheck %s --check-prefix=CHECK-SHARED
// A CPU executable has no --device.
// RUN: tesserac %s -o %t.cpu
// RUN: not %t.cpu --random-inputs --device 0 2>&1 | FileCheck %s --check-prefix=CHECK-CPUDEV

// CHECK-SIG: input  x: f32[4,300]
// CHECK-SIG: output y: f32[4,300]
// CHECK-SIG: target: cuda
// CHECK-HELP: --device N
// CHECK-EXIT: exit 2
// CHECK-ERR: error: this executable runs its kernels on a CUDA GPU, and {{no NVIDIA driver was found|the NVIDIA driver did not initialise|none was found}}
// CHECK-BADDEV: invalid value 'x' for option '--device' (expected a non-negative integer)
// CHECK-SHARED-DAG: T mgpuLaunchKernel
// CHECK-SHARED-DAG: {{[a-z_]+}}_models
// CHECK-CPUDEV: --device applies to executables built with --target=cuda; this one runs on the CPU

func.func @main(%x: tensor<4x300xf32> {tessera.name = "x"}) -> (tensor<4x300xf32> {tessera.name = "y"}) {
  %0 = tessera.gelu %x : tensor<4x300xf32>
  return %0 : tensor<4x300xf32>
}
