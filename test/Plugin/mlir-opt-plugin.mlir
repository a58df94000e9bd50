// The stock mlir-opt (a client nobody here wrote) loads Tessera as a plugin,
// parses tessera ops, and runs a tessera pass and a tessera pipeline.
// RUN: %mlir_opt %s --load-dialect-plugin=%tessera_plugin | FileCheck %s --check-prefix=CHECK-PARSE
// RUN: %mlir_opt %s --load-dialect-plugin=%tessera_plugin --load-pass-plugin=%tessera_plugin --pass-pipeline="builtin.module(convert-tessera-to-linalg)" | FileCheck %s --check-prefix=CHECK-LOWER
// RUN: %mlir_opt %s --load-dialect-plugin=%tessera_plugin --load-pass-plugin=%tessera_plugin --pass-pipeline="builtin.module(tessera-cpu-pipeline)" | FileCheck %s --check-prefix=CHECK-PIPE

// CHECK-PARSE: tessera.rms_norm %{{.*}} weight(%{{.*}})
// CHECK-LOWER-NOT: tessera.rms_norm
// CHECK-LOWER: linalg.generic
// CHECK-LOWER: math.rsqrt
// CHECK-PIPE: llvm.func internal @tessera_entry_main
func.func @main(%x: tensor<4x64xf32>, %g: tensor<64xf32>) -> tensor<4x64xf32> {
  %0 = tessera.rms_norm %x weight(%g) : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %0 : tensor<4x64xf32>
}
