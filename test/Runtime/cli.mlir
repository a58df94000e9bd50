// The executable's command line: --help, --print-signature, seeded random
// inputs, --bench, --threads, and .npy outputs that round-trip.
// RUN: rm -rf %t && mkdir -p %t
// RUN: tesserac %s -o %t/model
// RUN: %t/model --help | FileCheck %s --check-prefix=CHECK-HELP
// RUN: %t/model --print-signature | FileCheck %s --check-prefix=CHECK-SIG
// RUN: %t/model --random-inputs --seed 7 --threads 1 > %t/a.txt
// RUN: %t/model --random-inputs --seed 7 --threads 2 > %t/b.txt
// RUN: diff %t/a.txt %t/b.txt
// RUN: %t/model --random-inputs --seed 8 > %t/c.txt
// RUN: not diff %t/a.txt %t/c.txt
// RUN: %t/model --random-inputs --bench 3 --output %t/out | FileCheck %s --check-prefix=CHECK-BENCH
// RUN: %PYTHON -c "import numpy as n; a = n.load('%t/out/y.npy'); assert a.shape == (3, 5) and a.dtype == n.float32, a; print('npy ok')" | FileCheck %s --check-prefix=CHECK-NPY
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --bench 0 --random-inputs | FileCheck %s --check-prefix=CHECK-BADBENCH
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --threads x --random-inputs | FileCheck %s --check-prefix=CHECK-BADTHREADS

// CHECK-HELP: --input NAME=FILE.npy
// CHECK-HELP: --weights FILE
// CHECK-HELP: --random-inputs
// CHECK-HELP: --seed N
// CHECK-HELP: --output DIR
// CHECK-HELP: --bench N
// CHECK-HELP: --threads N
// CHECK-HELP: --print-signature
// CHECK-SIG: input  x: f32[3,5]
// CHECK-SIG-NEXT: output y: f32[3,5]
// CHECK-BENCH: output y: f32[3,5] sum={{.*}} mean_abs=
// CHECK-BENCH-NEXT: bench: iters=3 median_ms={{[0-9.]+}} min_ms={{[0-9.]+}} max_ms={{[0-9.]+}} peak_rss_mib={{[0-9.]+}}
// CHECK-NPY: npy ok
// CHECK-BADBENCH: error: invalid value '0' for option '--bench' (expected an integer >= 1)
// CHECK-BADTHREADS: error: invalid value 'x' for option '--threads'

func.func @main(%x: tensor<3x5xf32> {tessera.name = "x"}) -> (tensor<3x5xf32> {tessera.name = "y"}) {
  %0 = tessera.silu %x : tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}
