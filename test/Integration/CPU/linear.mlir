// RUN: tesserac %s --entry=bias -o %t.bias
// RUN: %PYTHON %reference/check.py %t.bias "ops.linear(x, w, b)" | FileCheck %s
// RUN: tesserac %s --entry=nobias -o %t.nobias
// RUN: %PYTHON %reference/check.py %t.nobias "ops.linear(x, w)" | FileCheck %s
// RUN: tesserac %s --entry=rank4 -o %t.rank4
// RUN: %PYTHON %reference/check.py %t.rank4 "ops.linear(x, w, b)" | FileCheck %s

// CHECK: PASS y: max_err=

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
