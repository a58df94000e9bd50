// Explicit masks of every rank broadcast against [B, Hq, Sq, Sk] as in
// PyTorch SDPA (trailing dimensions aligned, each 1 or full), i1 and
// additive, compared with ops.full_attention (NumPy broadcasting).
// B = 2, Hq = 4 (GQA over 2 K/V heads), Sq = 40, Sk = 50.

// RUN: tesserac %s --entry=rank2_bool -o %t.rank2_bool
// RUN: %PYTHON %reference/check.py %t.rank2_bool "ops.full_attention(q, k, v, explicit_mask=m)" | FileCheck %s
// RUN: tesserac %s --entry=rank2_additive -o %t.rank2_additive
// RUN: %PYTHON %reference/check.py %t.rank2_additive "ops.full_attention(q, k, v, explicit_mask=m)" --range m=-2,2 --exec "m[:, 3] = -np.inf; m[5, :] = -np.inf" | FileCheck %s
// RUN: tesserac %s --entry=rank3_bool -o %t.rank3_bool
// RUN: %PYTHON %reference/check.py %t.rank3_bool "ops.full_attention(q, k, v, explicit_mask=m, mask=ops.causal())" | FileCheck %s
// RUN: tesserac %s --entry=rank3_additive_heads -o %t.rank3_additive_heads
// RUN: %PYTHON %reference/check.py %t.rank3_additive_heads "ops.full_attention(q, k, v, explicit_mask=m)" --range m=-3,3 | FileCheck %s
// RUN: tesserac %s --entry=key_padding -o %t.key_padding
// RUN: %PYTHON %reference/check.py %t.key_padding "ops.full_attention(q, k, v, explicit_mask=m)" --exec "m[1, 0, 0, 30:] = False" | FileCheck %s
// RUN: tesserac %s --entry=rows_per_head -o %t.rows_per_head
// RUN: %PYTHON %reference/check.py %t.rows_per_head "ops.full_attention(q, k, v, explicit_mask=m)" | FileCheck %s
// RUN: tesserac %s --entry=rank1_bool -o %t.rank1_bool
// RUN: %PYTHON %reference/check.py %t.rank1_bool "ops.full_attention(q, k, v, explicit_mask=m)" | FileCheck %s

// CHECK: PASS y: max_err=

// [Sq, Sk] i1: the same mask for every batch and head.
func.func @rank2_bool(%q: tensor<2x4x40x16xf32> {tessera.name = "q"}, %k: tensor<2x2x50x16xf32> {tessera.name = "k"}, %v: tensor<2x2x50x16xf32> {tessera.name = "v"}, %m: tensor<40x50xi1> {tessera.name = "m"}) -> (tensor<2x4x40x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v mask(%m) : (tensor<2x4x40x16xf32>, tensor<2x2x50x16xf32>, tensor<2x2x50x16xf32>, tensor<40x50xi1>) -> tensor<2x4x40x16xf32>
  return %y : tensor<2x4x40x16xf32>
}

// [Sq, Sk] additive, with a -inf column and a fully masked row.
func.func @rank2_additive(%q: tensor<2x4x40x16xf32> {tessera.name = "q"}, %k: tensor<2x2x50x16xf32> {tessera.name = "k"}, %v: tensor<2x2x50x16xf32> {tessera.name = "v"}, %m: tensor<40x50xf32> {tessera.name = "m"}) -> (tensor<2x4x40x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v mask(%m) : (tensor<2x4x40x16xf32>, tensor<2x2x50x16xf32>, tensor<2x2x50x16xf32>, tensor<40x50xf32>) -> tensor<2x4x40x16xf32>
  return %y : tensor<2x4x40x16xf32>
}

// [Hq, Sq, Sk] i1 with a causal mask attribute: per head, every batch.
func.func @rank3_bool(%q: tensor<2x4x40x16xf32> {tessera.name = "q"}, %k: tensor<2x2x50x16xf32> {tessera.name = "k"}, %v: tensor<2x2x50x16xf32> {tessera.name = "v"}, %m: tensor<4x40x50xi1> {tessera.name = "m"}) -> (tensor<2x4x40x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v mask(%m) {mask = #tessera.causal} : (tensor<2x4x40x16xf32>, tensor<2x2x50x16xf32>, tensor<2x2x50x16xf32>, tensor<4x40x50xi1>) -> tensor<2x4x40x16xf32>
  return %y : tensor<2x4x40x16xf32>
}

// [Hq, 1, Sk] additive: a per-head key bias.
func.func @rank3_additive_heads(%q: tensor<2x4x40x16xf32> {tessera.name = "q"}, %k: tensor<2x2x50x16xf32> {tessera.name = "k"}, %v: tensor<2x2x50x16xf32> {tessera.name = "v"}, %m: tensor<4x1x50xf32> {tessera.name = "m"}) -> (tensor<2x4x40x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v mask(%m) : (tensor<2x4x40x16xf32>, tensor<2x2x50x16xf32>, tensor<2x2x50x16xf32>, tensor<4x1x50xf32>) -> tensor<2x4x40x16xf32>
  return %y : tensor<2x4x40x16xf32>
}

// [B, 1, 1, Sk] i1: a key padding mask.
func.func @key_padding(%q: tensor<2x4x40x16xf32> {tessera.name = "q"}, %k: tensor<2x2x50x16xf32> {tessera.name = "k"}, %v: tensor<2x2x50x16xf32> {tessera.name = "v"}, %m: tensor<2x1x1x50xi1> {tessera.name = "m"}) -> (tensor<2x4x40x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v mask(%m) : (tensor<2x4x40x16xf32>, tensor<2x2x50x16xf32>, tensor<2x2x50x16xf32>, tensor<2x1x1x50xi1>) -> tensor<2x4x40x16xf32>
  return %y : tensor<2x4x40x16xf32>
}

// [1, Hq, Sq, 1] i1: whole rows on or off per head (off rows are 0).
func.func @rows_per_head(%q: tensor<2x4x40x16xf32> {tessera.name = "q"}, %k: tensor<2x2x50x16xf32> {tessera.name = "k"}, %v: tensor<2x2x50x16xf32> {tessera.name = "v"}, %m: tensor<1x4x40x1xi1> {tessera.name = "m"}) -> (tensor<2x4x40x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v mask(%m) : (tensor<2x4x40x16xf32>, tensor<2x2x50x16xf32>, tensor<2x2x50x16xf32>, tensor<1x4x40x1xi1>) -> tensor<2x4x40x16xf32>
  return %y : tensor<2x4x40x16xf32>
}

// [Sk] i1.
func.func @rank1_bool(%q: tensor<2x4x40x16xf32> {tessera.name = "q"}, %k: tensor<2x2x50x16xf32> {tessera.name = "k"}, %v: tensor<2x2x50x16xf32> {tessera.name = "v"}, %m: tensor<50xi1> {tessera.name = "m"}) -> (tensor<2x4x40x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v mask(%m) : (tensor<2x4x40x16xf32>, tensor<2x2x50x16xf32>, tensor<2x2x50x16xf32>, tensor<50xi1>) -> tensor<2x4x40x16xf32>
  return %y : tensor<2x4x40x16xf32>
}
