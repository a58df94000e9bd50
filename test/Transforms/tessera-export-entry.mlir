// RUN: tessera-opt %s -split-input-file --tessera-export-entry -verify-diagnostics | FileCheck %s

// Names come from tessera.name, else arg<i>/result<i>; the attributes move
// into the signature and the entry is renamed.
// The signature and the entry's arity are recorded for the model table.
// CHECK: module attributes {tessera.exports = {models = [{function = "tessera_model_main", inputs = 3 : i64, outputs = 2 : i64, signature = "entry main\0Ainput x f32 2,3\0Ainput arg1 i64 4\0Ainput s f32 \0Aoutput result0 f32 2,3\0Aoutput z i32 1\0A"}], prefix = "tessera"}}
// CHECK-LABEL: func.func @tessera_model_main
// Inputs belong to the caller: bufferization never writes into them.
// CHECK-SAME: (%{{.*}}: tensor<2x3xf32> {bufferization.writable = false}, %{{.*}}: tensor<4xi64> {bufferization.writable = false}, %{{.*}}: tensor<f32> {bufferization.writable = false}) -> (tensor<2x3xf32>, tensor<1xi32>)
// CHECK-SAME: attributes {llvm.emit_c_interface}
// Other functions become private (nothing but the entry is exported).
// CHECK-LABEL: func.func private @caller
// CHECK: call @tessera_model_main
// CHECK-LABEL: func.func private @other
func.func @main(%x: tensor<2x3xf32> {tessera.name = "x"}, %i: tensor<4xi64>, %s: tensor<f32> {tessera.name = "s"}) -> (tensor<2x3xf32>, tensor<1xi32> {tessera.name = "z"}) {
  %c = arith.constant dense<1> : tensor<1xi32>
  return %x, %c : tensor<2x3xf32>, tensor<1xi32>
}
func.func @caller(%x: tensor<2x3xf32>, %i: tensor<4xi64>, %s: tensor<f32>) -> tensor<2x3xf32> {
  %0:2 = call @main(%x, %i, %s) : (tensor<2x3xf32>, tensor<4xi64>, tensor<f32>) -> (tensor<2x3xf32>, tensor<1xi32>)
  return %0#0 : tensor<2x3xf32>
}
func.func @other(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

// expected-error @+1 {{entry function '@main' not found (use --entry=NAME)}}
module {
  func.func @other(%x: tensor<2xf32>) -> tensor<2xf32> {
    return %x : tensor<2xf32>
  }
}

// -----

// expected-error @+1 {{entry input 'arg0' must be a statically shaped tensor, got 'tensor<?xf32>'}}
func.func @main(%x: tensor<?xf32>) -> tensor<?xf32> {
  return %x : tensor<?xf32>
}

// -----

// expected-error @+1 {{entry input 'arg0' has unsupported element type 'complex<f32>'}}
func.func @main(%x: tensor<2xcomplex<f32>>) -> tensor<2xcomplex<f32>> {
  return %x : tensor<2xcomplex<f32>>
}

// -----

// An explicit name may clash with a default one.
// expected-error @+1 {{entry tensor name 'arg1' is used twice}}
func.func @main(%x: tensor<2xf32> {tessera.name = "arg1"}, %y: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

func.func @"main\0Ainput x f32 2"(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

// expected-error @+1 {{entry function '@main' must return at least one tensor}}
func.func @main(%x: tensor<2xf32>) {
  return
}

// -----

// A symbol the export would create must not exist already.
func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
// expected-error @+1 {{symbol '@tessera_model_main' is reserved for the exported entry '@main'}}
func.func @tessera_model_main(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
