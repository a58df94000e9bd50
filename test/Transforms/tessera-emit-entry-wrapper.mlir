// RUN: tessera-opt %s -split-input-file --tessera-emit-entry-wrapper -verify-diagnostics | FileCheck %s

// The packed entry loads one pointer per C-interface argument (result
// storage first) and forwards them; the table holds, per model, the
// signature, its length, the arity and the packed entry
// (include/tessera-c/Model.h).
// CHECK-NOT: tessera.exports
// CHECK: llvm.func internal @tessera_entry_main(%[[ARGS:.*]]: !llvm.ptr)
// CHECK: %[[P0:.*]] = llvm.getelementptr %[[ARGS]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: %[[A0:.*]] = llvm.load %[[P0]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[P1:.*]] = llvm.getelementptr %[[ARGS]][1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: %[[A1:.*]] = llvm.load %[[P1]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[P2:.*]] = llvm.getelementptr %[[ARGS]][2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: %[[A2:.*]] = llvm.load %[[P2]] : !llvm.ptr -> !llvm.ptr
// CHECK: llvm.call @_mlir_ciface_tessera_model_main(%[[A0]], %[[A1]], %[[A2]])
// CHECK-NEXT: llvm.return
// CHECK: llvm.mlir.global internal constant @tessera_signature_main("entry main\0Ainput a f32 2\0Ainput b f32 2\0Aoutput r f32 2\0A\00")
// CHECK: llvm.func internal @tessera_entry_step(
// CHECK: llvm.call @_mlir_ciface_tessera_model_step(
// CHECK: llvm.mlir.global internal constant @tessera_signature_step("entry step\0Ainput a f32 2\0Aoutput r f32 2\0A\00")
// CHECK: llvm.mlir.global external constant @tessera_models() {{.*}} : !llvm.array<2 x struct<(ptr, i64, i64, i64, ptr)>> {
// CHECK-DAG: %[[S0:.*]] = llvm.mlir.addressof @tessera_signature_main
// CHECK-DAG: %[[E0:.*]] = llvm.mlir.addressof @tessera_entry_main
// CHECK-DAG: %[[L0:.*]] = llvm.mlir.constant(54 : i64)
// CHECK-DAG: %[[N2:.*]] = llvm.mlir.constant(2 : i64)
// CHECK-DAG: %[[N1:.*]] = llvm.mlir.constant(1 : i64)
// CHECK: llvm.insertvalue %[[S0]], %{{.*}}[0, 0]
// CHECK: llvm.insertvalue %[[L0]], %{{.*}}[0, 1]
// CHECK: llvm.insertvalue %[[N2]], %{{.*}}[0, 2]
// CHECK: llvm.insertvalue %[[N1]], %{{.*}}[0, 3]
// CHECK: llvm.insertvalue %[[E0]], %{{.*}}[0, 4]
// CHECK: llvm.insertvalue %{{.*}}, %{{.*}}[1, 4]
// CHECK: llvm.mlir.global external constant @tessera_num_models(2 : i64)
module attributes {tessera.exports = {models = [
    {function = "tessera_model_main", inputs = 2 : i64, outputs = 1 : i64, signature = "entry main\0Ainput a f32 2\0Ainput b f32 2\0Aoutput r f32 2\0A"},
    {function = "tessera_model_step", inputs = 1 : i64, outputs = 1 : i64, signature = "entry step\0Ainput a f32 2\0Aoutput r f32 2\0A"}],
    prefix = "tessera"}} {
  llvm.func @_mlir_ciface_tessera_model_main(%res: !llvm.ptr, %a: !llvm.ptr, %b: !llvm.ptr) {
    llvm.return
  }
  llvm.func @_mlir_ciface_tessera_model_step(%res: !llvm.ptr, %a: !llvm.ptr) {
    llvm.return
  }
}

// -----

// expected-error @+1 {{no 'tessera.exports' attribute: run tessera-export-entry before lowering to the LLVM dialect}}
module {
  llvm.func @unrelated() {
    llvm.return
  }
}

// -----

// expected-error @+1 {{'_mlir_ciface_tessera_model_main' not found: run tessera-export-entry before lowering to the LLVM dialect}}
module attributes {tessera.exports = {models = [{function = "tessera_model_main", inputs = 1 : i64, outputs = 1 : i64, signature = "entry main\0A"}], prefix = "tessera"}} {
}

// -----

// expected-error @+1 {{symbol 'tessera_models' is already defined}}
module attributes {tessera.exports = {models = [{function = "tessera_model_main", inputs = 1 : i64, outputs = 1 : i64, signature = "entry main\0A"}], prefix = "tessera"}} {
  llvm.mlir.global external constant @tessera_models(0 : i64) : i64
}

// -----

// expected-error @+1 {{'tessera.exports' must list at least one model in 'models'}}
module attributes {tessera.exports = {models = [], prefix = "tessera"}} {
}
