# REQUIRES: torch
# RUN: %torch_python %s %t | FileCheck %s
#
# A DiT block (Peebles & Xie; timm's Attention and Mlp): adaLN modulation
# from the conditioning vector, layer norms without affine parameters,
# self-attention through F.scaled_dot_product_attention, a GELU(tanh) MLP
# and gated residuals. Imported, compiled, run and compared with PyTorch in
# float64.

import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from torch_check import check  # noqa: E402


def modulate(x, shift, scale):
    return x * (1 + scale.unsqueeze(1)) + shift.unsqueeze(1)


class Attention(nn.Module):
    def __init__(self, dim, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.qkv = nn.Linear(dim, dim * 3, bias=True)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, self.head_dim)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
        x = F.scaled_dot_product_attention(q, k, v)
        x = x.transpose(1, 2).reshape(B, N, C)
        return self.proj(x)


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU(approximate="tanh")
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class DiTBlock(nn.Module):
    def __init__(self, hidden, num_heads, mlp_ratio=4.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(hidden, elementwise_affine=False, eps=1e-6)
        self.attn = Attention(hidden, num_heads)
        self.norm2 = nn.LayerNorm(hidden, elementwise_affine=False, eps=1e-6)
        self.mlp = Mlp(hidden, int(hidden * mlp_ratio))
        self.adaLN_modulation = nn.Sequential(
            nn.SiLU(), nn.Linear(hidden, 6 * hidden, bias=True))

    def forward(self, x, c):
        (shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp,
         gate_mlp) = self.adaLN_modulation(c).chunk(6, dim=1)
        x = x + gate_msa.unsqueeze(1) * self.attn(
            modulate(self.norm1(x), shift_msa, scale_msa))
        x = x + gate_mlp.unsqueeze(1) * self.mlp(
            modulate(self.norm2(x), shift_mlp, scale_mlp))
        return x


torch.manual_seed(0)
block = DiTBlock(96, 4)
x = torch.randn(2, 64, 96)
c = torch.randn(2, 96)
check("dit_block", block, (x, c), sys.argv[1])

# CHECK-LABEL: func.func @main(
# CHECK-NEXT:    %x: tensor<2x64x96xf32> {tessera.name = "x"},
# CHECK-NEXT:    %c: tensor<2x96xf32> {tessera.name = "c"},
# CHECK-NEXT:    %p_attn_qkv_weight: tensor<288x96xf32> {tessera.name = "attn.qkv.weight"},
# CHECK:         -> (tensor<2x64x96xf32> {tessera.name = "output0"}) {
# CHECK:         tessera.silu %c
# CHECK:         tessera.linear %silu, %p_adaln_modulation_1_weight bias(%p_adaln_modulation_1_bias)
# CHECK:         tessera.layer_norm %x {epsilon = 1.0e-06 : f32} : (tensor<2x64x96xf32>) -> tensor<2x64x96xf32>
# CHECK:         tessera.attention %{{.*}} : (tensor<2x4x64x24xf32>, tensor<2x4x64x24xf32>, tensor<2x4x64x24xf32>) -> tensor<2x4x64x24xf32>
# CHECK:         tessera.gelu %{{.*}} approximate(tanh) : tensor<2x64x384xf32>
# CHECK:         return
# CHECK:       ok dit_block max_err=
