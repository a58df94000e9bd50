// RUN: tesserac %s --entry=bias -o %t.bias
// RUN: %PYTHON %reference/check.py %t.bias "ops.linear(x, w, b)" | FileCheck %s
// RUN: tesserac %s --entry=nobias -o %t.nobias
// RUN: %PYTHON %reference/check.py %t.nobias "ops.linear(x, w)" | FileCheck %s
// RUN: tesserac %s --entry=rank4 -o %t.rank4
// RUN: %PYTHON %reference/check.py %t.rank4 "ops.linear(x, w, b)" | FileCheck %s
// Operands shared by several kernels: a weight read again after another
// kernel with a same-shaped weight, and an intermediate read again after an
// elementwise op that could have been computed in place into it.
// RUN: tesserac %s --entry=reuse -o %t.reuse
// RUN: %PYTHON %reference/check.py %t.reuse "(ops.linear(q0, w0), ops.linear(q1, w1), ops.linear(p0, w0), ops.linear(ops.silu(x), w0), 2 * ops.silu(x), ops.linear(ops.silu(x), w1))" | FileCheck %s --check-prefix=CHECK-REUSE

// CHECK: PASS y: max_err=
// CHECK-REUSE: PASS y0:
// CHECK-REUSE: PASS y1:
// CHECK-REUSE: PASS z0:
// CHECK-REUSE: PASS a:
// CHECK-REUSE: PASS b:
// CHECK-REUSE: PASS c:

func.func @bias(%x: tensor<3x37x67xf32> {tessera.name = "x"}, %w: tensor<29x67xf32> {tessera.name = "w"}, %b: tensor<29xf32> {tessera.name = "b"}) -> (tensor<3x37x29xf32> {tessera.name = "y"}) {
  %0 = tessera.linear %x, %w bias(%b) : (tensor<3x37x67xf32>, tensor<29x67xf32>, tensor<29xf32>) -> tensor<3x37x29xf32>
  return %0 : tensor<3x37x29xf32>
}

func.func @nobias(%x: tensor<5x128xf32> {tessera.name = "x"}, %w: tensor<96x128xf32> {tessera.name = "w"}) -> (tensor<5x96xf32> {tessera.name = "y"}) {
  %0 = tessera.linear %x, %w : (tensor<5x128xf32>, tensor<96x128xf32>) -> tensor<5x96xf32>
  return %0 : tensor<5x96xf32>
}

func.func @rank4(%x: tensor<2x3x4x16xf32> {tessera.name = "x"}, %w: tensor<8x16xf32> {tessera.name = "w"}, %b: tensor<8xf32> {tessera.name = "b"}) -> (tensor<2x3x4x8xf32> {tessera.name = "y"}) {
  %0 = tessera.linear %x, %w bias(%b) : (tensor<2x3x4x16xf32>, tensor<8x16xf32>, tensor<8xf32>) -> tensor<2x3x4x8xf32>
  return %0 : tensor<2x3x4x8xf32>
}

func.func @reuse(%q0: tensor<12x16xf32> {tessera.name = "q0"}, %q1: tensor<12x16xf32> {tessera.name = "q1"}, %p0: tensor<12x16xf32> {tessera.name = "p0"}, %x: tensor<12x16xf32> {tessera.name = "x"}, %w0: tensor<20x16xf32> {tessera.name = "w0"}, %w1: tensor<20x16xf32> {tessera.name = "w1"})
    -> (tensor<12x20xf32> {tessera.name = "y0"}, tensor<12x20xf32> {tessera.name = "y1"}, tensor<12x20xf32> {tessera.name = "z0"},
        tensor<12x20xf32> {tessera.name = "a"}, tensor<12x16xf32> {tessera.name = "b"}, tensor<12x20xf32> {tessera.name = "c"}) {
  %y0 = tessera.linear %q0, %w0 : (tensor<12x16xf32>, tensor<20x16xf32>) -> tensor<12x20xf32>
  %y1 = tessera.linear %q1, %w1 : (tensor<12x16xf32>, tensor<20x16xf32>) -> tensor<12x20xf32>
  %z0 = tessera.linear %p0, %w0 : (tensor<12x16xf32>, tensor<20x16xf32>) -> tensor<12x20xf32>
  %h = tessera.silu %x : tensor<12x16xf32>
  %a = tessera.linear %h, %w0 : (tensor<12x16xf32>, tensor<20x16xf32>) -> tensor<12x20xf32>
  %b = arith.addf %h, %h : tensor<12x16xf32>
  %c = tessera.linear %h, %w1 : (tensor<12x16xf32>, tensor<20x16xf32>) -> tensor<12x20xf32>
  return %y0, %y1, %z0, %a, %b, %c : tensor<12x20xf32>, tensor<12x20xf32>, tensor<12x20xf32>, tensor<12x20xf32>, tensor<12x16xf32>, tensor<12x20xf32>
}
