// Tier 2: a CUDA executable links, describes itself without a GPU, and on a
// machine without a usable GPU fails with one line and exit status 2
// before any compute.
// REQUIRES: ptxas
// UNSUPPORTED: cuda-device
// RUN: tesserac %s --target=cuda --cuda-arch=sm_80,sm_90a -o %t
// RUN: %t --print-signature | FileCheck %s --check-prefix=SIG
// RUN: %t --help | FileCheck %s --check-prefix=HELP
// RUN: sh -c '%t --random-inputs > %t.out 2> %t.err; echo "exit $?"' | FileCheck %s --check-prefix=EXIT
// RUN: FileCheck %s --check-prefix=ERR < %t.err
// RUN: count 1 < %t.err
// RUN: count 0 < %t.out
// RUN: not %t --random-inputs --device=x 2>&1 | FileCheck %s --check-prefix=BADDEV
// A shared library takes the runtime's driver calls along.
// RUN: tesserac %s --target=cuda --emit=shared -o %t.so
// RUN: nm -D --defined-only %t.so | FileCheck %s --check-prefix=SHARED
// A CPU executable has no --device.
// RUN: tesserac %s -o %t.cpu
// RUN: not %t.cpu --random-inputs --device 0 2>&1 | FileCheck %s --check-prefix=CPUDEV

// SIG: input  x: f32[4,300]
// SIG: output y: f32[4,300]
// SIG: target: cuda
// HELP: --device N
// EXIT: exit 2
// ERR: error: this executable runs its kernels on a CUDA GPU, and {{no NVIDIA driver was found|the NVIDIA driver did not initialise|none was found}}
// BADDEV: invalid value 'x' for option '--device' (expected a non-negative integer)
// SHARED-DAG: T mgpuLaunchKernel
// SHARED-DAG: {{[a-z_]+}}_models
// CPUDEV: --device applies to executables built with --target=cuda; this one runs on the CPU

func.func @main(%x: tensor<4x300xf32> {tessera.name = "x"}) -> (tensor<4x300xf32> {tessera.name = "y"}) {
  %0 = tessera.gelu %x : tensor<4x300xf32>
  return %0 : tensor<4x300xf32>
}
