// RUN: tessera-opt %s -split-input-file --tessera-emit-entry-wrapper -verify-diagnostics | FileCheck %s

// The packed entry loads one pointer per C-interface argument (result
// storage first) and forwards them.
// CHECK: llvm.func @tessera_entry(%[[ARGS:.*]]: !llvm.ptr)
// CHECK: %[[P0:.*]] = llvm.getelementptr %[[ARGS]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: %[[A0:.*]] = llvm.load %[[P0]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[P1:.*]] = llvm.getelementptr %[[ARGS]][1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: %[[A1:.*]] = llvm.load %[[P1]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[P2:.*]] = llvm.getelementptr %[[ARGS]][2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: %[[A2:.*]] = llvm.load %[[P2]] : !llvm.ptr -> !llvm.ptr
// CHECK: llvm.call @_mlir_ciface_tessera_model(%[[A0]], %[[A1]], %[[A2]])
// CHECK-NEXT: llvm.return
llvm.func @_mlir_ciface_tessera_model(%res: !llvm.ptr, %a: !llvm.ptr, %b: !llvm.ptr) {
  llvm.return
}

// -----

// expected-error @+1 {{'_mlir_ciface_tessera_model' not found: run tessera-export-entry before lowering to the LLVM dialect}}
module {
  llvm.func @unrelated() {
    llvm.return
  }
}
