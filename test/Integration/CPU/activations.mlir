// RUN: tesserac %s --entry=gelu_erf -o %t.a
// RUN: %PYTHON %reference/check.py %t.a "ops.gelu(x)" --range x=-6,6 | FileCheck %s
// RUN: tesserac %s --entry=gelu_tanh -o %t.b
// RUN: %PYTHON %reference/check.py %t.b "ops.gelu(x, 'tanh')" --range x=-6,6 | FileCheck %s
// RUN: tesserac %s --entry=silu -o %t.c
// RUN: %PYTHON %reference/check.py %t.c "ops.silu(x)" --range x=-8,8 | FileCheck %s
// RUN: tesserac %s --entry=swiglu -o %t.d
// RUN: %PYTHON %reference/check.py %t.d "ops.swiglu(x, u)" --range x=-8,8 | FileCheck %s

// CHECK: PASS y: max_err=

func.func @gelu_erf(%x: tensor<4x257xf32> {tessera.name = "x"}) -> (tensor<4x257xf32> {tessera.name = "y"}) {
  %0 = tessera.gelu %x : tensor<4x257xf32>
  return %0 : tensor<4x257xf32>
}

func.func @gelu_tanh(%x: tensor<4x257xf32> {tessera.name = "x"}) -> (tensor<4x257xf32> {tessera.name = "y"}) {
  %0 = tessera.gelu %x approximate(tanh) : tensor<4x257xf32>
  return %0 : tensor<4x257xf32>
}

func.func @silu(%x: tensor<3x2x100xf32> {tessera.name = "x"}) -> (tensor<3x2x100xf32> {tessera.name = "y"}) {
  %0 = tessera.silu %x : tensor<3x2x100xf32>
  return %0 : tensor<3x2x100xf32>
}

func.func @swiglu(%x: tensor<6x96xf32> {tessera.name = "x"}, %u: tensor<6x96xf32> {tessera.name = "u"}) -> (tensor<6x96xf32> {tessera.name = "y"}) {
  %0 = tessera.swiglu %x, %u : tensor<6x96xf32>
  return %0 : tensor<6x96xf32>
}
