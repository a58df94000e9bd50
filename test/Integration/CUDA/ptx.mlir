// Tier 1 with libdevice: PTX for each architecture, produced in-process,
// with the kernels' math resolved from libdevice (no unresolved __nv_*).
// REQUIRES: libdevice
// RUN: tesserac %s --emit=ptx --cuda-arch=sm_90a,sm_80 -o %t.ptx
// RUN: FileCheck %s < %t.ptx
// RUN: not grep -q "__nv_" %t.ptx
// RUN: tesserac %s --target=cuda --compile-to=llvm | FileCheck %s --check-prefix=HOST

// The lowest architecture comes first (its PTX goes into the fatbin).
// CHECK: // kernels of @{{.*}} for sm_80
// CHECK: .target sm_80
// CHECK: .visible .entry
// CHECK: // kernels of @{{.*}} for sm_90a
// CHECK: .version 8.0
// CHECK: .target sm_90a
// CHECK: .visible .entry

// The host launches one kernel (gelu and silu fused into one loop nest)
// and keeps the kernels as a gpu.binary holding one fatbin (its magic
// number is 0xBA55ED50).
// REQUIRES: ptxas
// HOST: llvm.func @tessera_model_main(
// HOST: gpu.launch_func
// HOST-NOT: gpu.launch_func
// HOST: gpu.binary @{{.*}}  [#gpu.object<#nvvm.target<O = 3, chip = "sm_80", features = "+ptx70", link = [{{[^]]*}}libdevice{{[^]]*}}]>, "P\EDU\BA

func.func @main(%x: tensor<4x300xf32> {tessera.name = "x"}) -> (tensor<4x300xf32> {tessera.name = "y"}) {
  %0 = tessera.gelu %x : tensor<4x300xf32>
  %1 = tessera.silu %0 : tensor<4x300xf32>
  return %1 : tensor<4x300xf32>
}
