// RUN: tesserac %s --entry=ln_affine -o %t.a
// RUN: %PYTHON %reference/check.py %t.a "ops.layer_norm(x, g, b, eps=1e-5)" | FileCheck %s
// RUN: tesserac %s --entry=ln_plain -o %t.b
// RUN: %PYTHON %reference/check.py %t.b "ops.layer_norm(x, eps=1e-6)" --range x=-4,9 | FileCheck %s
// Large means, small spread: the shifted two-pass moments keep the error at
// ~4e-7 (a mean rounded to f32 gave ~2e-3 at 1e4 ± 1).
// RUN: tesserac %s --entry=ln_large_mean -o %t.e
// RUN: %PYTHON %reference/check.py %t.e "ops.layer_norm(x, g, b, eps=1e-5)" --range x=999.9,1000.1 | FileCheck %s
// RUN: %PYTHON %reference/check.py %t.e "ops.layer_norm(x, g, b, eps=1e-5)" --range x=999,1001 --seed 1 | FileCheck %s
// RUN: %PYTHON %reference/check.py %t.e "ops.layer_norm(x, g, b, eps=1e-5)" --range x=9999,10001 | FileCheck %s
// RUN: %PYTHON %reference/check.py %t.e "ops.layer_norm(x, g, b, eps=1e-5)" --range x=-10001,-9999 --seed 2 | FileCheck %s
// RUN: tesserac %s --entry=rms_weight -o %t.c
// RUN: %PYTHON %reference/check.py %t.c "ops.rms_norm(x, g, eps=1e-6)" | FileCheck %s
// RUN: tesserac %s --entry=rms_plain -o %t.d
// RUN: %PYTHON %reference/check.py %t.d "ops.rms_norm(x, eps=1e-3)" | FileCheck %s

// CHECK: PASS y: max_err=

func.func @ln_affine(%x: tensor<2x33x384xf32> {tessera.name = "x"}, %g: tensor<384xf32> {tessera.name = "g"}, %b: tensor<384xf32> {tessera.name = "b"}) -> (tensor<2x33x384xf32> {tessera.name = "y"}) {
  %0 = tessera.layer_norm %x weight(%g) bias(%b) : (tensor<2x33x384xf32>, tensor<384xf32>, tensor<384xf32>) -> tensor<2x33x384xf32>
  return %0 : tensor<2x33x384xf32>
}

func.func @ln_plain(%x: tensor<7x100xf32> {tessera.name = "x"}) -> (tensor<7x100xf32> {tessera.name = "y"}) {
  %0 = tessera.layer_norm %x {epsilon = 1.0e-6 : f32} : (tensor<7x100xf32>) -> tensor<7x100xf32>
  return %0 : tensor<7x100xf32>
}

func.func @ln_large_mean(%x: tensor<2x64x384xf32> {tessera.name = "x"}, %g: tensor<384xf32> {tessera.name = "g"}, %b: tensor<384xf32> {tessera.name = "b"}) -> (tensor<2x64x384xf32> {tessera.name = "y"}) {
  %0 = tessera.layer_norm %x weight(%g) bias(%b) : (tensor<2x64x384xf32>, tensor<384xf32>, tensor<384xf32>) -> tensor<2x64x384xf32>
  return %0 : tensor<2x64x384xf32>
}

func.func @rms_weight(%x: tensor<3x5x64xf32> {tessera.name = "x"}, %g: tensor<64xf32> {tessera.name = "g"}) -> (tensor<3x5x64xf32> {tessera.name = "y"}) {
  %0 = tessera.rms_norm %x weight(%g) : (tensor<3x5x64xf32>, tensor<64xf32>) -> tensor<3x5x64xf32>
  return %0 : tensor<3x5x64xf32>
}

func.func @rms_plain(%x: tensor<9x31xf32> {tessera.name = "x"}) -> (tensor<9x31xf32> {tessera.name = "y"}) {
  %0 = tessera.rms_norm %x {epsilon = 1.0e-3 : f32} : (tensor<9x31xf32>) -> tensor<9x31xf32>
  return %0 : tensor<9x31xf32>
}
