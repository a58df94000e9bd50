// f32 -> bf16 rounds to nearest, ties to even, without compiler-rt; bf16 ->
// f32 is exact. The reference picks the nearer of the two neighbouring bf16
// values in float64 (ties: the even one).
// RUN: tesserac %s -o %t.exe
// RUN: rm -rf %t.out && mkdir -p %t.out
// RUN: %PYTHON -c "import numpy as np; r = np.random.default_rng(0); x = np.concatenate([r.standard_normal(4000).astype(np.float32) * np.float32(1000), (np.arange(96, dtype=np.uint32) * np.uint32(0x8000) + np.uint32(0x3f800000)).view(np.float32)]); np.save('%t.out/x.npy', x.reshape(4, 1024))"
// RUN: %t.exe --input x=%t.out/x.npy --output %t.out
// RUN: %PYTHON %reference/bf16_rounding.py %t.out | FileCheck %s
// CHECK: rounding ok: 4096 values, 48 ties
// CHECK: widening ok

func.func @main(%x: tensor<4x1024xf32> {tessera.name = "x"}) -> (tensor<4x1024xbf16> {tessera.name = "y"}, tensor<4x1024xf32> {tessera.name = "back"}) {
  %y = arith.truncf %x : tensor<4x1024xf32> to tensor<4x1024xbf16>
  %b = arith.extf %y : tensor<4x1024xbf16> to tensor<4x1024xf32>
  return %y, %b : tensor<4x1024xbf16>, tensor<4x1024xf32>
}
