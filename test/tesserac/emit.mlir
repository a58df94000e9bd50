// The driver's outputs: LLVM IR, object files, shared libraries and
// executables, for the host or a named CPU.
// RUN: tesserac %s --emit=llvm -o - | FileCheck %s --check-prefix=CHECK-LLVM
// RUN: tesserac %s --emit=llvm --mcpu=x86-64 -o - | FileCheck %s --check-prefix=CHECK-MCPU
// RUN: tesserac %s --emit=obj -o %t.o
// RUN: llvm-nm %t.o | FileCheck %s --check-prefix=CHECK-OBJ
// RUN: tesserac %s --emit=shared -o %t.so
// RUN: %preload %PYTHON %reference/call_shared.py %t.so | FileCheck %s --check-prefix=CHECK-SHARED
// RUN: tesserac %s -o %t.exe
// RUN: %t.exe --random-inputs | FileCheck %s --check-prefix=CHECK-EXE

// CHECK-LLVM-DAG: @tessera_signature_main = internal constant [{{[0-9]+}} x i8] c"entry main\0Ainput x f32 4,8\0Aoutput y f32 4,8\0A\00"
// CHECK-LLVM-DAG: @tessera_models = {{.*}}constant [1 x { ptr, i64, i64, i64, ptr }] [{ ptr, i64, i64, i64, ptr } { ptr @tessera_signature_main, i64 44, i64 1, i64 1, ptr @tessera_entry_main }]
// CHECK-LLVM-DAG: @tessera_num_models = {{.*}}constant i64 1
// CHECK-LLVM: define internal void @tessera_entry_main(ptr
// CHECK-MCPU: attributes #{{[0-9]+}} = {{.*}}"target-cpu"="x86-64"
// The prefix defaults to the output's name (emit.mlir.tmp.o).
// CHECK-OBJ-DAG: {{[DR]}} emit_mlir_tmp_models
// CHECK-OBJ-DAG: R emit_mlir_tmp_num_models
// CHECK-OBJ-DAG: R emit_mlir_tmp_cpu_features
// CHECK-OBJ-DAG: T _mlir_ciface_emit_mlir_tmp_model_main
// CHECK-SHARED: entry main
// CHECK-SHARED-NEXT: input x f32 4,8
// CHECK-SHARED-NEXT: output y f32 4,8
// CHECK-SHARED-NEXT: max_err={{[0-9]\.[0-9]e-(0[7-9]|[1-9][0-9])}}
// CHECK-EXE: output y: f32[4,8] sum=

func.func @main(%x: tensor<4x8xf32> {tessera.name = "x"}) -> (tensor<4x8xf32> {tessera.name = "y"}) {
  %0 = tessera.silu %x : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
