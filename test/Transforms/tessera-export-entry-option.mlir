// RUN: tessera-opt %s --tessera-export-entry=entry=other | FileCheck %s

// CHECK: @tessera_signature("entry other\0Ainput arg0 f32 2\0Aoutput result0 f32 2\0A\00")
// CHECK-LABEL: func.func private @main
// CHECK-NOT: llvm.emit_c_interface
// CHECK-LABEL: func.func @tessera_model
// CHECK-SAME: llvm.emit_c_interface
func.func @main(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  return %x : tensor<2x3xf32>
}
func.func @other(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
