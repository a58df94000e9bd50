// RUN: tesserac %s --entry=mha -o %t.a
// RUN: %PYTHON %reference/check.py %t.a "ops.attention(q, k, v)" --range q=-3,3 --range k=-3,3 | FileCheck %s
// RUN: tesserac %s --entry=gqa_cross -o %t.b
// RUN: %PYTHON %reference/check.py %t.b "ops.attention(q, k, v)" | FileCheck %s
// RUN: tesserac %s --entry=mqa_scale -o %t.c
// RUN: %PYTHON %reference/check.py %t.c "ops.attention(q, k, v, scale=0.5)" | FileCheck %s

// CHECK: PASS y: max_err=

// Multi-head self-attention, sequence not a multiple of any tile size.
func.func @mha(%q: tensor<2x3x37x32xf32> {tessera.name = "q"}, %k: tensor<2x3x37x32xf32> {tessera.name = "k"}, %v: tensor<2x3x37x32xf32> {tessera.name = "v"}) -> (tensor<2x3x37x32xf32> {tessera.name = "y"}) {
  %0 = tessera.attention %q, %k, %v : (tensor<2x3x37x32xf32>, tensor<2x3x37x32xf32>, tensor<2x3x37x32xf32>) -> tensor<2x3x37x32xf32>
  return %0 : tensor<2x3x37x32xf32>
}

// Grouped-query cross-attention: 8 query heads over 2 KV heads, Sq != Sk,
// Dv != D.
func.func @gqa_cross(%q: tensor<1x8x20x16xf32> {tessera.name = "q"}, %k: tensor<1x2x45x16xf32> {tessera.name = "k"}, %v: tensor<1x2x45x24xf32> {tessera.name = "v"}) -> (tensor<1x8x20x24xf32> {tessera.name = "y"}) {
  %0 = tessera.attention %q, %k, %v : (tensor<1x8x20x16xf32>, tensor<1x2x45x16xf32>, tensor<1x2x45x24xf32>) -> tensor<1x8x20x24xf32>
  return %0 : tensor<1x8x20x24xf32>
}

// Multi-query decode step (Sq = 1) with an explicit scale.
func.func @mqa_scale(%q: tensor<2x4x1x64xf32> {tessera.name = "q"}, %k: tensor<2x1x70x64xf32> {tessera.name = "k"}, %v: tensor<2x1x70x64xf32> {tessera.name = "v"}) -> (tensor<2x4x1x64xf32> {tessera.name = "y"}) {
  %0 = tessera.attention %q, %k, %v {scale = 0.5 : f32} : (tensor<2x4x1x64xf32>, tensor<2x1x70x64xf32>, tensor<2x1x70x64xf32>) -> tensor<2x4x1x64xf32>
  return %0 : tensor<2x4x1x64xf32>
}
