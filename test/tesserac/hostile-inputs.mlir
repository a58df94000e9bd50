// Model files that are not regular files, too large, or that reach parts of
// the code generator the driver must initialise.
// RUN: not tesserac /dev/zero -o %t.a 2>&1 | FileCheck %s --check-prefix=CHECK-DEVICE
// RUN: not test -e %t.a
// RUN: rm -f %t.fifo && mkfifo %t.fifo
// RUN: not timeout 20 tesserac %t.fifo -o %t.a 2>&1 | FileCheck %s --check-prefix=CHECK-FIFO
// RUN: not tesserac %S -o %t.a 2>&1 | FileCheck %s --check-prefix=CHECK-DIR
// RUN: not timeout 60 tesserac - -o %t.a < /dev/zero 2>&1 | FileCheck %s --check-prefix=CHECK-STDIN
// RUN: not test -e %t.a
// RUN: not tesserac %S/Inputs/bad-entry-name.mlir -o %t.a 2>&1 | FileCheck %s --check-prefix=CHECK-ENTRY
// RUN: not tesserac %s --entry='x y}{' -o %t.a 2>&1 | FileCheck %s --check-prefix=CHECK-ENTRY-OPT
// RUN: not tesserac %s --compile-to=llvm --emit=obj -o %t.a 2>&1 | FileCheck %s --check-prefix=CHECK-EMIT
// RUN: not test -e %t.a
// RUN: tesserac %S/Inputs/inline-asm.mlir --emit=obj -o %t.o
// RUN: test -s %t.o

// CHECK-DEVICE: tesserac: error: cannot read input file '/dev/zero': not a regular file
// CHECK-FIFO: tesserac: error: cannot read input file '{{.*}}.fifo': not a regular file
// CHECK-DIR: tesserac: error: cannot read input file '{{.*}}tesserac': not a regular file
// CHECK-STDIN: tesserac: error: input file '-' is larger than 1024 MiB
// CHECK-ENTRY: error: entry function name must match [A-Za-z_][A-Za-z0-9_.-]* and be at most 200 bytes long
// CHECK-ENTRY-OPT: tesserac: error: entry function '@x y}{' not found
// CHECK-EMIT: tesserac: error: --compile-to prints MLIR; it cannot be combined with --emit other than mlir

func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tessera.silu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
