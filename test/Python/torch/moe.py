# REQUIRES: torch
# RUN: %torch_python %s %t | FileCheck %s
#
# Mixture-of-experts layers. The importer has no translation for top-k
# routing (aten.topk: data-dependent selection), so a top-k layer raises
# UnsupportedOpError naming the op and the line; dense (soft) MoE layers,
# where every expert sees every token weighted by the router's softmax,
# import and run: one with stacked expert weights (einsum) and a shared
# expert, one with an nn.ModuleList of SwiGLU experts.

import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from torch_check import check  # noqa: E402

from tessera.from_torch import UnsupportedOpError, import_module  # noqa: E402


class SwiGLU(nn.Module):
    def __init__(self, d, f):
        super().__init__()
        self.w1 = nn.Linear(d, f, bias=False)
        self.w3 = nn.Linear(d, f, bias=False)
        self.w2 = nn.Linear(f, d, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class TopKMoE(nn.Module):
    """Mixtral-style routing: top-2 experts per token."""

    def __init__(self, d=32, f=64, experts=4, k=2):
        super().__init__()
        self.k = k
        self.gate = nn.Linear(d, experts, bias=False)
        self.experts = nn.ModuleList(SwiGLU(d, f) for _ in range(experts))

    def forward(self, x):
        logits = self.gate(x)
        weights, chosen = torch.topk(logits, self.k, dim=-1)
        weights = weights.softmax(dim=-1)
        y = torch.zeros_like(x)
        for e, expert in enumerate(self.experts):
            w = (weights * (chosen == e)).sum(dim=-1, keepdim=True)
            y = y + w * expert(x)
        return y


class SoftMoE(nn.Module):
    """Dense MoE with stacked expert weights [E, f, d] and a shared
    expert."""

    def __init__(self, d=64, f=96, experts=4):
        super().__init__()
        self.router = nn.Linear(d, experts, bias=False)
        self.w_gate = nn.Parameter(torch.randn(experts, f, d) * d ** -0.5)
        self.w_up = nn.Parameter(torch.randn(experts, f, d) * d ** -0.5)
        self.w_down = nn.Parameter(torch.randn(experts, d, f) * f ** -0.5)
        self.shared = SwiGLU(d, f)

    def forward(self, x):
        probs = self.router(x).softmax(dim=-1)
        g = torch.einsum("btd,efd->btef", x, self.w_gate)
        u = torch.einsum("btd,efd->btef", x, self.w_up)
        h = F.silu(g) * u
        y = torch.einsum("btef,edf->bted", h, self.w_down)
        return torch.einsum("bted,bte->btd", y, probs) + self.shared(x)


class ListMoE(nn.Module):
    """Dense MoE over an nn.ModuleList, router with temperature."""

    def __init__(self, d=48, f=64, experts=3):
        super().__init__()
        self.router = nn.Linear(d, experts)
        self.experts = nn.ModuleList(SwiGLU(d, f) for _ in range(experts))

    def forward(self, x):
        probs = F.softmax(self.router(x) / 0.7, dim=-1)
        out = 0
        for e, expert in enumerate(self.experts):
            out = out + probs[..., e:e + 1] * expert(x)
        return out


torch.manual_seed(0)

# The line of the torch.topk call, from this file's text.
with open(__file__) as f:
    line = next(i for i, text in enumerate(f, 1) if "= torch.topk(" in text)
print(f"topk call at moe.py:{line}")
try:
    import_module(TopKMoE().eval(), (torch.randn(2, 8, 32),))
    print("no error")
except UnsupportedOpError as e:
    assert isinstance(e, NotImplementedError)
    print(f"topk: {e}")
    print(f"op={e.op} line={e.lineno}")
# CHECK: topk call at moe.py:[[LINE:[0-9]+]]
# CHECK-NEXT: topk: unsupported op aten.topk.default at moe.py:[[LINE]] in forward
# CHECK-NEXT: op=aten.topk.default line=[[LINE]]

check("soft_moe", SoftMoE(), (torch.randn(2, 16, 64),), sys.argv[1])
# CHECK-LABEL: func.func @main(
# CHECK:         tensor<4x96x64xf32> {tessera.name = "w_gate"}
# CHECK:         tessera.linear %x, %p_router_weight
# CHECK:         %[[W:.*]] = tensor.collapse_shape %p_w_gate {{\[\[}}0, 1], [2]] : tensor<4x96x64xf32> into tensor<384x64xf32>
# CHECK:         tessera.linear %{{.*}}, %[[W]] : (tensor<32x64xf32>, tensor<384x64xf32>) -> tensor<32x384xf32>
# CHECK:         tessera.swiglu %{{.*}} : tensor<2x16x4x96xf32>
# CHECK:       ok soft_moe max_err=

check("list_moe", ListMoE(), (torch.randn(2, 16, 48),), sys.argv[1])
# CHECK-LABEL: func.func @main(
# CHECK:         {tessera.name = "experts.2.w2.weight"}
# CHECK:       ok list_moe max_err=
