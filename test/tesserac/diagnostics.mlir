// Bad compiler input gets one clear diagnostic and a non-zero exit, and no
// output file.
// RUN: not tesserac %S/Inputs/unparsable.mlir -o %t.a 2>&1 | FileCheck %s --check-prefix=CHECK-PARSE
// RUN: not test -e %t.a
// RUN: not tesserac %S/Inputs/unverified.mlir -o %t.b 2>&1 | FileCheck %s --check-prefix=CHECK-VERIFY
// RUN: not test -e %t.b
// RUN: not tesserac %s --target=cuda -o %t.c 2>&1 | FileCheck %s --check-prefix=CHECK-CUDA
// RUN: not tesserac %s --target=tpu -o %t.c 2>&1 | FileCheck %s --check-prefix=CHECK-TARGET
// RUN: not tesserac %s --compile-to=optimize 2>&1 | FileCheck %s --check-prefix=CHECK-PHASE
// RUN: not tesserac %s --entry=nothere -o %t.d 2>&1 | FileCheck %s --check-prefix=CHECK-ENTRY
// RUN: not tesserac %s --mcpu=pentium9000 -o %t.e 2>&1 | FileCheck %s --check-prefix=CHECK-MCPU
// RUN: not tesserac %S/Inputs/does-not-exist.mlir 2>&1 | FileCheck %s --check-prefix=CHECK-MISSING
// RUN: tesserac --help | FileCheck %s --check-prefix=CHECK-HELP

// CHECK-PARSE: unparsable.mlir:3:{{[0-9]+}}: error: expected ':'
// CHECK-VERIFY: unverified.mlir:{{[0-9]+}}:{{[0-9]+}}: error: 'tessera.linear' op expects weight of shape [8, 16], got [8, 12]
// CHECK-VERIFY-NOT: see current operation
// CHECK-CUDA: tesserac: error: the CUDA target (--target=cuda, --emit=ptx) is not implemented yet; use --target=cpu
// CHECK-TARGET: tesserac: error: unknown --target 'tpu' (expected cpu or cuda)
// CHECK-PHASE: tesserac: error: unknown --compile-to phase 'optimize' (expected input, decompose, fuse-and-tile, bufferize or llvm)
// CHECK-ENTRY: tesserac: error: entry function '@nothere' not found in {{.*}}diagnostics.mlir (use --entry=NAME)
// CHECK-MCPU: tesserac: error: unknown CPU 'pentium9000'
// CHECK-MISSING: tesserac: error: cannot open input file '{{.*}}does-not-exist.mlir': No such file or directory
// CHECK-HELP: --compile-to=<phase>
// CHECK-HELP: --emit=<value>
// CHECK-HELP: --entry=<name>
// CHECK-HELP: --mcpu=<string>
// CHECK-HELP: --mlir-print-ir-after-all
// CHECK-HELP: --mlir-timing
// CHECK-HELP: --symbol-prefix=<identifier>
// CHECK-HELP: --target=<string>

func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tessera.silu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
