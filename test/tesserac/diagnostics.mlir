// Bad compiler input gets one clear diagnostic and a non-zero exit, and no
// output file.
// RUN: not tesserac %S/Inputs/unparsable.mlir -o %t.a 2>&1 | FileCheck %s --check-prefix=CHECK-PARSE
// RUN: not test -e %t.a
// RUN: not tesserac %S/Inputs/unverified.mlir -o %t.b 2>&1 | FileCheck %s --check-prefix=CHECK-VERIFY
// RUN: not test -e %t.b
// RUN: not tesserac %s --target=cuda --cuda-arch=sm_70 -o %t.c 2>&1 | FileCheck %s --check-prefix=CHECK-CUDA-ARCH
// RUN: not test -e %t.c
// RUN: not tesserac %s --cuda-arch=sm_80 -o %t.c 2>&1 | FileCheck %s --check-prefix=CHECK-CUDA-CPU
// RUN: not tesserac %s --target=cpu --emit=ptx 2>&1 | FileCheck %s --check-prefix=CHECK-CUDA-PTX
// RUN: not tesserac %s --target=cuda --cuda-emulate --emit=ptx 2>&1 | FileCheck %s --check-prefix=CHECK-CUDA-EMU
// RUN: not tesserac %s --target=tpu -o %t.c 2>&1 | FileCheck %s --check-prefix=CHECK-TARGET
// RUN: not tesserac %s --compile-to=optimize 2>&1 | FileCheck %s --check-prefix=CHECK-PHASE
// RUN: not tesserac %s --entry=nothere -o %t.d 2>&1 | FileCheck %s --check-prefix=CHECK-ENTRY
// RUN: not tesserac %s --mcpu=pentium9000 -o %t.e 2>&1 | FileCheck %s --check-prefix=CHECK-MCPU
// RUN: not tesserac %S/Inputs/does-not-exist.mlir 2>&1 | FileCheck %s --check-prefix=CHECK-MISSING
// RUN: tesserac --help | FileCheck %s --check-prefix=CHECK-HELP

// CHECK-PARSE: unparsable.mlir:3:{{[0-9]+}}: error: expected ':'
// CHECK-VERIFY: unverified.mlir:{{[0-9]+}}:{{[0-9]+}}: error: 'tessera.linear' op expects weight of shape [8, 16], got [8, 12]
// CHECK-VERIFY-NOT: see current operation
// CHECK-CUDA-ARCH: tesserac: error: unsupported --cuda-arch 'sm_70' (expected sm_75, sm_80, {{.*}}sm_90a{{.*}})
// CHECK-CUDA-CPU: tesserac: error: --cuda-arch, --cuda-toolkit and --cuda-emulate apply to --target=cuda
// CHECK-CUDA-PTX: tesserac: error: --emit=ptx prints CUDA kernels; it needs --target=cuda
// CHECK-CUDA-EMU: tesserac: error: --cuda-emulate builds CPU code; it has no PTX
// CHECK-TARGET: tesserac: error: unknown --target 'tpu' (expected cpu or cuda)
// CHECK-PHASE: tesserac: error: unknown --compile-to phase 'optimize' (expected input, decompose, fuse-and-tile, bufferize or llvm)
// CHECK-ENTRY: tesserac: error: entry function '@nothere' not found in {{.*}}diagnostics.mlir (use --entry=NAME)
// CHECK-MCPU: tesserac: error: unknown CPU 'pentium9000'
// CHECK-MISSING: tesserac: error: cannot open input file '{{.*}}does-not-exist.mlir': No such file or directory
// CHECK-HELP: --compile-to=<phase>
// CHECK-HELP: --cuda-arch=<sm_80,sm_90a>
// CHECK-HELP: --cuda-emulate
// CHECK-HELP: --cuda-toolkit=<dir>
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
