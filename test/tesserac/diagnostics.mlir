// Bad compiler input gets one clear diagnostic and a non-zero exit, and no
// output file.
// RUN: not tesserac %S/Inputs/unparsable.mlir -o %t.a 2>&1 | FileCheck %s --check-prefix=PARSE
// RUN: not test -e %t.a
// RUN: not tesserac %S/Inputs/unverified.mlir -o %t.b 2>&1 | FileCheck %s --check-prefix=VERIFY
// RUN: not test -e %t.b
// RUN: not tesserac %s --target=cuda -o %t.c 2>&1 | FileCheck %s --check-prefix=CUDA
// RUN: not tesserac %s --target=tpu -o %t.c 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not tesserac %s --compile-to=optimize 2>&1 | FileCheck %s --check-prefix=PHASE
// RUN: not tesserac %s --entry=nothere -o %t.d 2>&1 | FileCheck %s --check-prefix=ENTRY
// RUN: not tesserac %s --mcpu=pentium9000 -o %t.e 2>&1 | FileCheck %s --check-prefix=MCPU
// RUN: not tesserac %S/Inputs/does-not-exist.mlir 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: tesserac --help | FileCheck %s --check-prefix=HELP

// PARSE: unparsable.mlir:3:{{[0-9]+}}: error: expected ':'
// VERIFY: unverified.mlir:{{[0-9]+}}:{{[0-9]+}}: error: 'tessera.linear' op expects weight of shape [8, 16], got [8, 12]
// VERIFY-NOT: see current operation
// CUDA: tesserac: error: the CUDA target (--target=cuda, --emit=ptx) is not implemented yet; use --target=cpu
// TARGET: tesserac: error: unknown --target 'tpu' (expected cpu or cuda)
// PHASE: tesserac: error: unknown --compile-to phase 'optimize' (expected input, decompose, fuse-and-tile, bufferize or llvm)
// ENTRY: tesserac: error: entry function '@nothere' not found in {{.*}}diagnostics.mlir (use --entry=NAME)
// MCPU: tesserac: error: unknown --mcpu 'pentium9000'
// MISSING: tesserac: error: cannot open input file '{{.*}}does-not-exist.mlir': No such file or directory
// HELP: --compile-to=<phase>
// HELP: --emit=<value>
// HELP: --entry=<string>
// HELP: --mcpu=<string>
// HELP: --target=<string>

func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tessera.silu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
