// Each phase of tesserac, printed with --compile-to, and the same phases run
// as registered pipelines by tessera-opt.
// RUN: tesserac %s --compile-to=input | FileCheck %s --check-prefix=INPUT
// RUN: tesserac %s --compile-to=decompose | FileCheck %s --check-prefix=INPUT
// RUN: tesserac %s --compile-to=fuse-and-tile | FileCheck %s --check-prefix=FUSE
// RUN: tessera-opt %s --tessera-phase-decompose --tessera-phase-fuse-and-tile | FileCheck %s --check-prefix=FUSE
// RUN: tesserac %s --compile-to=bufferize | FileCheck %s --check-prefix=BUF
// RUN: tesserac %s --compile-to=llvm | FileCheck %s --check-prefix=LLVM
// RUN: tessera-opt %s --tessera-cpu-pipeline | FileCheck %s --check-prefix=LLVM

// INPUT-LABEL: func.func @main
// INPUT: tessera.silu

// FUSE-LABEL: func.func @main
// FUSE-NOT: tessera.silu
// FUSE: linalg.generic
// FUSE-SAME: iterator_types = ["parallel", "parallel"]
// FUSE: math.exp
// FUSE: linalg.yield

// BUF: llvm.mlir.global external constant @tessera_signature("entry main\0Ainput x f32 4,8\0Aoutput y f32 4,8\0A\00")
// BUF-LABEL: func.func @tessera_model
// BUF-SAME: (%{{.*}}: memref<4x8xf32>) -> memref<4x8xf32> attributes {llvm.emit_c_interface}
// BUF: memref.alloc() {alignment = 64 : i64} : memref<4x8xf32>
// BUF: scf.parallel
// BUF-NOT: tensor<

// LLVM-NOT: func.func
// LLVM: llvm.mlir.global external constant @tessera_signature
// LLVM-LABEL: llvm.func @tessera_model
// LLVM: omp.parallel
// LLVM: omp.wsloop
// LLVM-LABEL: llvm.func @_mlir_ciface_tessera_model
// LLVM-LABEL: llvm.func @tessera_entry(%{{.*}}: !llvm.ptr)
// LLVM: llvm.call @_mlir_ciface_tessera_model
// LLVM-NOT: tensor<
// LLVM-NOT: memref<

func.func @main(%x: tensor<4x8xf32> {tessera.name = "x"}) -> (tensor<4x8xf32> {tessera.name = "y"}) {
  %0 = tessera.silu %x : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
