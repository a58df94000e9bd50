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

// CHECK-LLVM: @tessera_signature = {{.*}}constant [{{[0-9]+}} x i8] c"entry main\0Ainput x f32 4,8\0Aoutput y f32 4,8\0A\00"
// CHECK-LLVM: define void @tessera_entry(ptr
// CHECK-MCPU: attributes #{{[0-9]+}} = {{.*}}"target-cpu"="x86-64"
// CHECK-OBJ-DAG: T tessera_entry
// CHECK-OBJ-DAG: R tessera_signature
// CHECK-OBJ-DAG: T _mlir_ciface_tessera_model
// CHECK-SHARED: entry main
// CHECK-SHARED-NEXT: input x f32 4,8
// CHECK-SHARED-NEXT: output y f32 4,8
// CHECK-SHARED-NEXT: max_err={{[0-9]\.[0-9]e-(0[7-9]|[1-9][0-9])}}
// CHECK-EXE: output y: f32[4,8] sum=

func.func @main(%x: tensor<4x8xf32> {tessera.name = "x"}) -> (tensor<4x8xf32> {tessera.name = "y"}) {
  %0 = tessera.silu %x : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
