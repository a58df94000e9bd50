// RUN: tesserac %s --entry=rope_half -o %t.a
// RUN: %PYTHON %reference/check.py %t.a "ops.rope(x)" | FileCheck %s
// RUN: tesserac %s --entry=rope_interleaved -o %t.b
// RUN: %PYTHON %reference/check.py %t.b "ops.rope(x, theta=500000.0, offset=7, interleaved=True)" | FileCheck %s
// RUN: tesserac %s --entry=timestep -o %t.c
// RUN: %PYTHON %reference/check.py %t.c "ops.timestep_embedding(x, 256)" --range x=0,1000 | FileCheck %s
// RUN: tesserac %s --entry=timestep_odd -o %t.d
// RUN: %PYTHON %reference/check.py %t.d "ops.timestep_embedding(x, 33, max_period=1000.0)" --range x=0,50 | FileCheck %s
// diffusers' flip_sin_to_cos / downscale_freq_shift / scale, every combination
// of the first two, odd dimensions padded with a zero column.
// RUN: tesserac %s --entry=ts_flip_shift1 -o %t.f
// RUN: %PYTHON %reference/check.py %t.f "ops.timestep_embedding(x, 256, downscale_freq_shift=1.0)" --range x=0,1000 | FileCheck %s
// RUN: tesserac %s --entry=ts_sin_shift1 -o %t.g
// RUN: %PYTHON %reference/check.py %t.g "ops.timestep_embedding(x, 64, flip_sin_to_cos=False, downscale_freq_shift=1.0)" --range x=0,1000 | FileCheck %s
// RUN: tesserac %s --entry=ts_sin_shift0_odd -o %t.h
// RUN: %PYTHON %reference/check.py %t.h "ops.timestep_embedding(x, 33, flip_sin_to_cos=False)" --range x=0,1000 | FileCheck %s
// RUN: tesserac %s --entry=ts_scale_odd -o %t.i
// RUN: %PYTHON %reference/check.py %t.i "ops.timestep_embedding(x, 31, downscale_freq_shift=1.0, scale=1000.0)" --range x=0,1 | FileCheck %s
// RUN: tesserac %s --entry=ts_fractional_shift -o %t.j
// RUN: %PYTHON %reference/check.py %t.j "ops.timestep_embedding(x, 16, max_period=500.0, flip_sin_to_cos=False, downscale_freq_shift=0.5, scale=0.25)" --range x=-50,50 | FileCheck %s
// The flag matters: the sin-first executable disagrees with cos first.
// RUN: not %PYTHON %reference/check.py %t.g "ops.timestep_embedding(x, 64, downscale_freq_shift=1.0)" --range x=0,1000 | FileCheck %s --check-prefix=CHECK-WRONG
// CHECK-WRONG: FAIL y: max_err=
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

func.func @ts_flip_shift1(%x: tensor<5xf32> {tessera.name = "x"}) -> (tensor<5x256xf32> {tessera.name = "y"}) {
  %0 = tessera.timestep_embedding %x {downscale_freq_shift = 1.0 : f64} : (tensor<5xf32>) -> tensor<5x256xf32>
  return %0 : tensor<5x256xf32>
}

func.func @ts_sin_shift1(%x: tensor<4xf32> {tessera.name = "x"}) -> (tensor<4x64xf32> {tessera.name = "y"}) {
  %0 = tessera.timestep_embedding %x {flip_sin_to_cos = false, downscale_freq_shift = 1.0 : f64} : (tensor<4xf32>) -> tensor<4x64xf32>
  return %0 : tensor<4x64xf32>
}

func.func @ts_sin_shift0_odd(%x: tensor<3xf32> {tessera.name = "x"}) -> (tensor<3x33xf32> {tessera.name = "y"}) {
  %0 = tessera.timestep_embedding %x {flip_sin_to_cos = false} : (tensor<3xf32>) -> tensor<3x33xf32>
  return %0 : tensor<3x33xf32>
}

func.func @ts_scale_odd(%x: tensor<6xf32> {tessera.name = "x"}) -> (tensor<6x31xf32> {tessera.name = "y"}) {
  %0 = tessera.timestep_embedding %x {downscale_freq_shift = 1.0 : f64, scale = 1000.0 : f64} : (tensor<6xf32>) -> tensor<6x31xf32>
  return %0 : tensor<6x31xf32>
}

func.func @ts_fractional_shift(%x: tensor<7xf32> {tessera.name = "x"}) -> (tensor<7x16xf32> {tessera.name = "y"}) {
  %0 = tessera.timestep_embedding %x {max_period = 500.0 : f64, flip_sin_to_cos = false, downscale_freq_shift = 0.5 : f64, scale = 0.25 : f64} : (tensor<7xf32>) -> tensor<7x16xf32>
  return %0 : tensor<7x16xf32>
}

func.func @modulate(%x: tensor<2x50x24xf32> {tessera.name = "x"}, %shift: tensor<2x24xf32> {tessera.name = "shift"}, %scale: tensor<2x24xf32> {tessera.name = "scale"}) -> (tensor<2x50x24xf32> {tessera.name = "y"}) {
  %0 = tessera.modulate %x, %shift, %scale : (tensor<2x50x24xf32>, tensor<2x24xf32>, tensor<2x24xf32>) -> tensor<2x50x24xf32>
  return %0 : tensor<2x50x24xf32>
}
