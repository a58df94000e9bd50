# REQUIRES: torch
# RUN: %torch_python %s %t | FileCheck %s
#
# F.scaled_dot_product_attention forms: a boolean attn_mask (input) with an
# explicit scale, an additive float mask with -inf entries (buffer,
# broadcast over heads), is_causal with fewer queries than keys (PyTorch's
# top-left alignment: q_offset 0), grouped-query attention with a mask, and
# 3-D (batch * heads) inputs. Compared with PyTorch in float64.

import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from torch_check import check  # noqa: E402


class Masks(nn.Module):
    def __init__(self, sq, sk):
        super().__init__()
        bias = torch.randn(2, 1, sq, sk)
        bias[torch.rand(2, 1, sq, sk) < 0.3] = float("-inf")
        bias[..., 0] = 0.0  # every query sees at least key 0
        self.register_buffer("bias", bias)

    def forward(self, q, k, v, keep, kg, vg):
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=keep, scale=0.2)
        b = F.scaled_dot_product_attention(q, k, v, attn_mask=self.bias)
        c = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        d = F.scaled_dot_product_attention(q, kg, vg, attn_mask=keep,
                                           enable_gqa=True)
        e = F.scaled_dot_product_attention(q.flatten(0, 1), k.flatten(0, 1),
                                           v.flatten(0, 1), scale=0.5)
        return a, b, c, d, e


torch.manual_seed(0)
B, H, HKV, SQ, SK, D = 2, 4, 2, 12, 20, 16
q = torch.randn(B, H, SQ, D)
k = torch.randn(B, H, SK, D)
v = torch.randn(B, H, SK, D)
keep = torch.rand(SQ, SK) < 0.6
keep[:, 3] = True
kg = torch.randn(B, HKV, SK, D)
vg = torch.randn(B, HKV, SK, D)
check("sdpa_masks", Masks(SQ, SK), (q, k, v, keep, kg, vg), sys.argv[1])

# CHECK-LABEL: func.func @main(
# CHECK:         %keep: tensor<12x20xi1> {tessera.name = "keep"},
# CHECK:         %b_bias: tensor<2x1x12x20xf32> {tessera.name = "bias"})
# CHECK:         tessera.attention %q, %k, %v mask(%keep) {scale = 0.2 : f32} : (tensor<2x4x12x16xf32>, tensor<2x4x20x16xf32>, tensor<2x4x20x16xf32>, tensor<12x20xi1>) -> tensor<2x4x12x16xf32>
# CHECK:         tessera.attention %q, %k, %v mask(%b_bias) : ({{.*}}, tensor<2x1x12x20xf32>)
# CHECK:         %[[C0:.*]] = arith.constant 0 : index
# CHECK:         tessera.attention %q, %k, %v q_offset(%[[C0]]) {mask = #tessera.causal} : ({{.*}}, index)
# CHECK:         tessera.attention %q, %kg, %vg mask(%keep) : (tensor<2x4x12x16xf32>, tensor<2x2x20x16xf32>, tensor<2x2x20x16xf32>, tensor<12x20xi1>) -> tensor<2x4x12x16xf32>
# CHECK:         tessera.attention {{.*}} {scale = 0.5 : f32} : (tensor<1x8x12x16xf32>
# CHECK:       ok sdpa_masks max_err=
