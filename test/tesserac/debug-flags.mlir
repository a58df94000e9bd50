// MLIR's debugging options apply to tesserac's pass manager.
// RUN: tesserac %s --emit=obj -o %t.o --mlir-print-ir-after=tessera-export-entry 2>&1 | FileCheck %s --check-prefix=CHECK-PRINT
// RUN: tesserac %s --emit=obj -o %t.o --mlir-timing 2>&1 | FileCheck %s --check-prefix=CHECK-TIMING
// RUN: rm -f %t.repro.mlir
// RUN: not tesserac %S/Inputs/dynamic.mlir --emit=obj -o %t.bad.o --mlir-pass-pipeline-crash-reproducer=%t.repro.mlir 2>&1 | FileCheck %s --check-prefix=CHECK-FAIL
// RUN: FileCheck %s --check-prefix=CHECK-REPRO < %t.repro.mlir
// RUN: not test -e %t.bad.o
// --compile-to prints MLIR only; it never writes MLIR text into an object.
// RUN: not tesserac %s --compile-to=bufferize --emit=obj -o %t.c.o 2>&1 | FileCheck %s --check-prefix=CHECK-COMPILE-TO
// RUN: not test -e %t.c.o

// CHECK-PRINT: IR Dump After TesseraExportEntryPass (tessera-export-entry)
// CHECK-PRINT: func.func @debug_flags_mlir_tmp_model_main
// CHECK-TIMING: Execution time report
// CHECK-TIMING: TesseraFlashAttentionPass
// CHECK-FAIL: error: entry input 'arg0' must be a statically shaped tensor, got 'tensor<?xf32>'
// CHECK-REPRO: func.func @main(%{{.*}}: tensor<?xf32>)
// CHECK-REPRO: pipeline: "builtin.module(
// CHECK-REPRO-SAME: tessera-export-entry
// CHECK-COMPILE-TO: tesserac: error: --compile-to prints MLIR; it cannot be combined with --emit other than mlir

func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tessera.silu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
