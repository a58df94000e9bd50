// RUN: tessera-opt %s --tessera-export-entry=entry=other | FileCheck %s
// RUN: tessera-opt %s "--tessera-export-entry=entry=other,main symbol-prefix=llama_7b" | FileCheck %s --check-prefix=CHECK-TWO
// RUN: tessera-opt %s -split-input-file -verify-diagnostics "--tessera-export-entry=entry=main,main"
// RUN: not tessera-opt %s "--tessera-export-entry=symbol-prefix=9lives" 2>&1 | FileCheck %s --check-prefix=CHECK-PREFIX

// CHECK: tessera.exports = {models = [{function = "tessera_model_other", inputs = 1 : i64, outputs = 1 : i64, signature = "entry other\0Ainput arg0 f32 2\0Aoutput result0 f32 2\0A"}], prefix = "tessera"}
// CHECK-LABEL: func.func private @main
// CHECK-NOT: llvm.emit_c_interface
// CHECK-LABEL: func.func @tessera_model_other
// CHECK-SAME: llvm.emit_c_interface

// Several entries, in the order given, under one prefix.
// CHECK-TWO: tessera.exports = {models = [{function = "llama_7b_model_other", {{.*}}signature = "entry other\0A{{.*}}"}, {function = "llama_7b_model_main", {{.*}}signature = "entry main\0A{{.*}}"}], prefix = "llama_7b"}
// CHECK-TWO-DAG: func.func @llama_7b_model_main({{.*}} attributes {llvm.emit_c_interface}
// CHECK-TWO-DAG: func.func @llama_7b_model_other({{.*}} attributes {llvm.emit_c_interface}

// CHECK-PREFIX: symbol prefix '9lives' must be a C identifier of at most 64 characters

// expected-error @+1 {{entry function '@main' is listed twice}}
module {
func.func @main(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  return %x : tensor<2x3xf32>
}
func.func @other(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
}
