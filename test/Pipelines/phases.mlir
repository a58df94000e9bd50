// Each phase of tesserac, printed with --compile-to, and the same phases run
// as registered pipelines by tessera-opt.
// RUN: tesserac %s --compile-to=input | FileCheck %s --check-prefix=CHECK-INPUT
// RUN: tesserac %s --compile-to=decompose | FileCheck %s --check-prefix=CHECK-INPUT
// RUN: tesserac %s --compile-to=fuse-and-tile | FileCheck %s --check-prefix=CHECK-FUSE
// RUN: tessera-opt %s --tessera-phase-decompose --tessera-phase-fuse-and-tile | FileCheck %s --check-prefix=CHECK-FUSE
// RUN: tesserac %s --compile-to=bufferize | FileCheck %s --check-prefix=CHECK-BUF
// RUN: tesserac %s --compile-to=llvm | FileCheck %s --check-prefix=CHECK-LLVM
// RUN: tessera-opt %s --tessera-cpu-pipeline | FileCheck %s --check-prefix=CHECK-LLVM

// CHECK-INPUT-LABEL: func.func @main
// CHECK-INPUT: tessera.silu

// CHECK-FUSE-LABEL: func.func @main
// CHECK-FUSE-NOT: tessera.silu
// CHECK-FUSE: linalg.generic
// CHECK-FUSE-SAME: iterator_types = ["parallel", "parallel"]
// CHECK-FUSE: math.exp
// CHECK-FUSE: linalg.yield

// CHECK-BUF: tessera.exports = {models = [{function = "tessera_model_main", inputs = 1 : i64, outputs = 1 : i64, signature = "entry main\0Ainput x f32 4,8\0Aoutput y f32 4,8\0A"}], prefix = "tessera"}
// CHECK-BUF-LABEL: func.func @tessera_model_main
// CHECK-BUF-SAME: (%{{.*}}: memref<4x8xf32>) -> memref<4x8xf32> attributes {llvm.emit_c_interface}
// CHECK-BUF: memref.alloc() {alignment = 64 : i64} : memref<4x8xf32>
// CHECK-BUF: scf.parallel
// CHECK-BUF-NOT: tensor<

// CHECK-LLVM-NOT: func.func
// CHECK-LLVM-LABEL: llvm.func @tessera_model_main
// CHECK-LLVM: omp.parallel
// CHECK-LLVM: omp.wsloop
// CHECK-LLVM-LABEL: llvm.func @_mlir_ciface_tessera_model_main
// CHECK-LLVM-LABEL: llvm.func internal @tessera_entry_main(%{{.*}}: !llvm.ptr)
// CHECK-LLVM: llvm.call @_mlir_ciface_tessera_model_main
// CHECK-LLVM: llvm.mlir.global internal constant @tessera_signature_main
// CHECK-LLVM: llvm.mlir.global external constant @tessera_models()
// CHECK-LLVM: llvm.mlir.global external constant @tessera_num_models(1 : i64)
// CHECK-LLVM-NOT: tensor<
// CHECK-LLVM-NOT: memref<

func.func @main(%x: tensor<4x8xf32> {tessera.name = "x"}) -> (tensor<4x8xf32> {tessera.name = "y"}) {
  %0 = tessera.silu %x : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
