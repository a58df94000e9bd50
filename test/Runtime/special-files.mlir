// Inputs that are not regular files are rejected before anything is read
// (a FIFO without a writer would otherwise block forever, /dev/zero never
// ends), and results are never written through a symbolic link.
// RUN: rm -rf %t && mkdir -p %t/out %t/fresh
// RUN: tesserac %s -o %t/model
// RUN: mkfifo %t/fifo.npy %t/fifo.safetensors
// RUN: %PYTHON %reference/expect_exit.py 2 timeout 20 %t/model --input x=%t/fifo.npy | FileCheck %s --check-prefix=CHECK-FIFO
// RUN: %PYTHON %reference/expect_exit.py 2 timeout 20 %t/model --weights %t/fifo.safetensors | FileCheck %s --check-prefix=CHECK-FIFOW
// RUN: %PYTHON %reference/expect_exit.py 2 timeout 20 %t/model --weights /dev/zero | FileCheck %s --check-prefix=CHECK-ZERO
// RUN: %PYTHON %reference/expect_exit.py 2 timeout 20 %t/model --input x=%t | FileCheck %s --check-prefix=CHECK-DIR
// RUN: echo outside > %t/outside.txt
// RUN: ln -s ../outside.txt %t/out/y.npy
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --random-inputs --output %t/out | FileCheck %s --check-prefix=CHECK-LINK
// RUN: FileCheck %s --check-prefix=CHECK-OUTSIDE --input-file %t/outside.txt
// RUN: test -L %t/out/y.npy
// RUN: %t/model --random-inputs --output %t/fresh
// RUN: test -f %t/fresh/y.npy && not test -L %t/fresh/y.npy

// CHECK-FIFO: error: {{.*}}fifo.npy: cannot open: not a regular file (FIFO)
// CHECK-FIFO-NEXT: exit status: 2
// CHECK-FIFOW: error: {{.*}}fifo.safetensors: cannot open: not a regular file (FIFO)
// CHECK-FIFOW-NEXT: exit status: 2
// CHECK-ZERO: error: /dev/zero: cannot open: not a regular file (character device)
// CHECK-ZERO-NEXT: exit status: 2
// CHECK-DIR: error: {{.*}}: cannot open: Is a directory
// CHECK-DIR-NEXT: exit status: 2
// CHECK-LINK-NOT: output y
// CHECK-LINK: error: {{.*}}out/y.npy: refusing to write through a symbolic link
// CHECK-LINK-NEXT: exit status: 2
// CHECK-OUTSIDE: {{^outside$}}

func.func @main(%x: tensor<3x5xf32> {tessera.name = "x"}) -> (tensor<3x5xf32> {tessera.name = "y"}) {
  %0 = tessera.silu %x : tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}
