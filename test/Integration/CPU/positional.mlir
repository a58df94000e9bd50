// RUN: tesserac %s --entry=rope_half -o %t.a
// RUN: %PYTHON %reference/check.py %t.a "ops.rope(x)" | FileCheck %s
// RUN: tesserac %s --entry=rope_interleaved -o %t.b
// RUN: %PYTHON %reference/check.py %t.b "ops.rope(x, theta=500000.0, offset=7, interleaved=True)" | FileCheck %s
// RUN: tesserac %s --entry=timestep -o %t.c
// RUN: %PYTHON %reference/check.py %t.c "ops.timestep_embedding(x, 256)" --range x=0,1000 | FileCheck %s
// RUN: tesserac %s --entry=timestep_odd -o %t.d
// RUN: %PYTHON %reference/check.py %t.d "ops.timestep_embedding(x, 33, max_period=1000.0)" --range x=0,50 | FileCheck %s
// RUN: tesserac %s --entry=modulate -o %t.e
// RUN: %PYTHON %reference/check.py %t.e "ops.modulate(x, shift, scale)" | FileCheck %s

// CHECK: PASS y: max_err=

func.func @rope_half(%x: tensor<2x3x40x64xf32> {tessera.name = "x"}) -> (tensor<2x3x40x64xf32> {tessera.name = "y"}) {
  %0 = tessera.rope %x : tensor<2x3x40x64xf32>
  return %0 : tensor<2x3x40x64xf32>
}

func.func @rope_interleaved(%x: tensor<1x2x17x32xf32> {tessera.name = "x"}) -> (tensor<1x2x17x32xf32> {tessera.name = "y"}) {
  %0 = tessera.rope %x {theta = 500000.0 : f64, position_offset = 7 : i64, interleaved} : tensor<1x2x17x32xf32>
  return %0 : tensor<1x2x17x32xf32>
}

func.func @timestep(%x: tensor<5xf32> {tessera.name = "x"}) -> (tensor<5x256xf32> {tessera.name = "y"}) {
  %0 = tessera.timestep_embedding %x : (tensor<5xf32>) -> tensor<5x256xf32>
  return %0 : tensor<5x256xf32>
}

func.func @timestep_odd(%x: tensor<3xf32> {tessera.name = "x"}) -> (tensor<3x33xf32> {tessera.name = "y"}) {
  %0 = tessera.timestep_embedding %x {max_period = 1000.0 : f64} : (tensor<3xf32>) -> tensor<3x33xf32>
  return %0 : tensor<3x33xf32>
}

func.func @modulate(%x: tensor<2x50x24xf32> {tessera.name = "x"}, %shift: tensor<2x24xf32> {tessera.name = "shift"}, %scale: tensor<2x24xf32> {tessera.name = "scale"}) -> (tensor<2x50x24xf32> {tessera.name = "y"}) {
  %0 = tessera.modulate %x, %shift, %scale : (tensor<2x50x24xf32>, tensor<2x24xf32>, tensor<2x24xf32>) -> tensor<2x50x24xf32>
  return %0 : tensor<2x50x24xf32>
}
