# REQUIRES: torch
# RUN: %torch_python %s %t | FileCheck %s
#
# A Llama-style decoder layer written as in Hugging Face transformers:
# RMSNorm spelled out (pow / mean / rsqrt, recognised as tessera.rms_norm)
# and nn.RMSNorm (aten.rms_norm), rotary embeddings in plain torch ops
# (slice / neg / cat / mul on cached cos and sin buffers), grouped-query
# attention through F.scaled_dot_product_attention(is_causal=True,
# enable_gqa=True) and a SwiGLU MLP. Compared with PyTorch in float64.

import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from torch_check import check  # noqa: E402


class LlamaRMSNorm(nn.Module):
    def __init__(self, hidden, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(1 + 0.1 * torch.randn(hidden))
        self.variance_epsilon = eps

    def forward(self, hidden_states):
        input_dtype = hidden_states.dtype
        hidden_states = hidden_states.to(torch.float32)
        variance = hidden_states.pow(2).mean(-1, keepdim=True)
        hidden_states = hidden_states * torch.rsqrt(
            variance + self.variance_epsilon)
        return self.weight * hidden_states.to(input_dtype)


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


class Rotary(nn.Module):
    def __init__(self, dim, max_len=128, base=10000.0):
        super().__init__()
        inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))
        t = torch.arange(max_len).float()
        emb = torch.cat([torch.outer(t, inv_freq)] * 2, dim=-1)
        self.register_buffer("cos_cached", emb.cos(), persistent=False)
        self.register_buffer("sin_cached", emb.sin(), persistent=False)

    def forward(self, q, k):
        s = q.shape[-2]
        cos = self.cos_cached[:s].unsqueeze(0).unsqueeze(0)
        sin = self.sin_cached[:s].unsqueeze(0).unsqueeze(0)
        return (q * cos + rotate_half(q) * sin,
                k * cos + rotate_half(k) * sin)


class Attention(nn.Module):
    def __init__(self, hidden, heads, kv_heads):
        super().__init__()
        self.heads, self.kv_heads = heads, kv_heads
        self.head_dim = hidden // heads
        self.q_proj = nn.Linear(hidden, heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(hidden, kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(hidden, kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(heads * self.head_dim, hidden, bias=False)
        self.rotary_emb = Rotary(self.head_dim)

    def forward(self, x):
        b, s, _ = x.shape
        q = self.q_proj(x).view(b, s, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, s, self.kv_heads, -1).transpose(1, 2)
        v = self.v_proj(x).view(b, s, self.kv_heads, -1).transpose(1, 2)
        q, k = self.rotary_emb(q, k)
        o = F.scaled_dot_product_attention(q, k, v, is_causal=True,
                                           enable_gqa=True)
        o = o.transpose(1, 2).contiguous().view(b, s, -1)
        return self.o_proj(o)


class MLP(nn.Module):
    def __init__(self, hidden, inter):
        super().__init__()
        self.gate_proj = nn.Linear(hidden, inter, bias=False)
        self.up_proj = nn.Linear(hidden, inter, bias=False)
        self.down_proj = nn.Linear(inter, hidden, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    def __init__(self, hidden=128, heads=8, kv_heads=2, inter=256):
        super().__init__()
        self.input_layernorm = LlamaRMSNorm(hidden)
        self.self_attn = Attention(hidden, heads, kv_heads)
        self.post_attention_layernorm = nn.RMSNorm(hidden, eps=1e-5)
        with torch.no_grad():
            self.post_attention_layernorm.weight.normal_(1.0, 0.1)
        self.mlp = MLP(hidden, inter)

    def forward(self, hidden_states):
        residual = hidden_states
        h = self.self_attn(self.input_layernorm(hidden_states))
        h = residual + h
        return h + self.mlp(self.post_attention_layernorm(h))


torch.manual_seed(0)
layer = DecoderLayer()
x = torch.randn(2, 32, 128)
check("llama_decoder", layer, (x,), sys.argv[1])

# CHECK-LABEL: func.func @main(
# CHECK-NEXT:    %hidden_states: tensor<2x32x128xf32> {tessera.name = "hidden_states"},
# CHECK:         {tessera.name = "input_layernorm.weight"},
# CHECK:         {tessera.name = "self_attn.k_proj.weight"},
# CHECK:         tensor<128x16xf32> {tessera.name = "self_attn.rotary_emb.cos_cached"},
# CHECK:         tessera.rms_norm %hidden_states weight(%p_input_layernorm_weight) {epsilon = 1.0e-06 : f32}
# CHECK:         tessera.linear
# CHECK:         tensor.concat dim(3)
# CHECK:         tessera.attention %{{.*}} {mask = #tessera.causal} : (tensor<2x8x32x16xf32>, tensor<2x2x32x16xf32>, tensor<2x2x32x16xf32>) -> tensor<2x8x32x16xf32>
# CHECK:         tessera.rms_norm %{{.*}} weight(%p_post_attention_layernorm_weight) {epsilon = 1.0e-05 : f32}
# CHECK:         tessera.swiglu %linear_4, %linear_5 : tensor<2x32x256xf32>
# CHECK:         return
# CHECK:       ok llama_decoder max_err=
