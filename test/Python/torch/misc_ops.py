# REQUIRES: torch
# RUN: %torch_python %s %t | FileCheck %s
#
# The rest of the op table, one small module per group, each imported,
# compiled, run and compared with PyTorch in float64: elementwise ops with
# broadcasting and scalars, shape ops, reductions and softmax, matmul
# forms and einsum, constant sub-graphs folded at import time, norms over
# several dimensions, f16 / bf16 storage, and the naming of arguments and
# results.

import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from torch_check import check  # noqa: E402

work = sys.argv[1]
torch.manual_seed(0)


class Elementwise(nn.Module):
    def forward(self, a, b, c):
        # a [2, 3, 4], b [3, 1], c [4]
        x = a + b - c * 2.0
        x = torch.add(x, b, alpha=0.5) - torch.sub(a, c, alpha=3)
        x = x / (c.abs() + 1) + 1 - a
        y = (-x).exp() * 0.1 + torch.tanh(x) + torch.sigmoid(a)
        y = y + torch.rsqrt(a.abs() + 0.5) + torch.sqrt(b.abs())
        y = y + a.pow(3) + (a.abs() + 1).pow(-1.5) + (b.abs()).pow(0.5)
        y = y + torch.reciprocal(c.abs() + 1) + torch.clamp(a, -0.5, 0.7)
        y = y + F.relu(a) + torch.erf(a) + torch.log(a.abs() + 1)
        y = y + torch.where(a > b, a, b * 3) + a.masked_fill(a < c, -1.0)
        y = y + torch.maximum(a, c) + torch.minimum(a, b) + (1 - a)
        y = y + (a >= 0).float() + ((a < 0.2) & (c > 0)).float()
        y = y + torch.sin(a) * torch.cos(b) + 2 ** a + F.silu(c) + F.gelu(a)
        return y


class Shapes(nn.Module):
    def forward(self, x, y):
        # x [2, 3, 4], y [4, 6]
        r = x.reshape(3, 8).t().reshape(2, 4, 3).permute(2, 0, 1)
        e = y[None, :, :1].expand(3, 4, 6)
        s = torch.stack([x[:, 0], x[:, -1]], dim=1)
        c = torch.cat([x, x[:, :1] * 2, x.narrow(1, 1, 2)], dim=1)
        a, b = x.chunk(2, dim=2)
        p, q, w = torch.split(y, [1, 2, 3], dim=1)
        u = x[:, ::2, 1::2].flatten() + x.unbind(1)[1].flatten()
        z = x.unsqueeze(0).transpose(0, 3).squeeze(-1)
        return (r, e, s, c, a * b, p * q.sum(1, keepdim=True) + w[:, 2:],
                u, z, y.view(2, 12).unflatten(1, (3, 4)))


class Reductions(nn.Module):
    def forward(self, x):
        # x [3, 5, 7]
        return (x.sum(dim=(0, 2), keepdim=True), x.mean(), x.amax(dim=-1),
                x.amin(dim=(1,)), x.var(dim=1), x.std(dim=-1, unbiased=False),
                F.log_softmax(x, dim=1), F.softmax(x, dim=0), x.sum(),
                x.mean(dim=[-1, -2]), (x > 0).any(dim=-1).float(),
                (x > -2).all().float())


class Matmuls(nn.Module):
    def forward(self, v, m, t, b4, b3):
        # v [5], m [4, 5], t [3, 5, 6], b4 [2, 1, 4, 5], b3 [3, 5, 6]
        return (v @ v, m @ v, v @ t, b4 @ b3, torch.mm(m, t[0]),
                torch.bmm(t.transpose(1, 2), t),
                torch.einsum("...ij,...jk->...ik", b4, b3),
                torch.einsum("ij->", m), torch.einsum("bij->bji", t),
                torch.addmm(v[:4], m, m.t(), beta=0.5, alpha=2.0),
                torch.baddbmm(t[:, :1, :1], t, t.transpose(1, 2)),
                torch.outer(v, v[:3]))


class Constants(nn.Module):
    """Sub-graphs with no input are evaluated at import time."""

    def forward(self, x):
        s = x.shape[-1]
        pos = torch.arange(s, dtype=torch.float32)
        causal = torch.ones(s, s, dtype=torch.bool).tril()
        scores = x @ x.transpose(-1, -2) + pos
        scores = scores.masked_fill(~causal, float("-inf"))
        table = torch.tensor([0.5, -1.0, 2.0, 0.25])
        return scores.softmax(-1) * table.repeat(2)[:s] + torch.zeros(s)


class Norms(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln = nn.LayerNorm((4, 6), eps=1e-5)
        self.rms = nn.RMSNorm((4, 6), eps=1e-4, elementwise_affine=False)
        self.lin = nn.Linear(6, 3, bias=False)
        with torch.no_grad():
            self.ln.weight.normal_()
            self.ln.bias.normal_()

    def forward(self, x, v):
        # x [2, 4, 6], v [6]
        h = self.ln(x) + self.rms(x)
        h = F.layer_norm(h, (6,)) * 2
        h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + 1e-5)
        return self.lin(h), self.lin(v), F.gelu(h)


class Cpu(nn.Module):
    """The CPU SDPA kernel op, as older torch.export programs hold it."""

    def forward(self, q, k, v):
        out = torch.ops.aten._scaled_dot_product_flash_attention_for_cpu(
            q, k, v, 0.0, True, scale=0.3)
        return out[0]


class Reuse(nn.Module):
    """A weight read by several products, with others of the same shape in
    between (a regression test: the compiler once handed the later
    tessera.linear the other weight)."""

    def __init__(self):
        super().__init__()
        self.a = nn.Linear(16, 16)
        self.b = nn.Linear(16, 16)

    def forward(self, x, q, k):
        y = self.a(self.b(self.a(x)))
        kt = k.transpose(1, 2)
        return y, torch.bmm(q, kt), torch.bmm(q * 0.5, kt).softmax(-1)


class Named(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_parameter("w x", nn.Parameter(torch.randn(3)))
        self.register_parameter("w_x", nn.Parameter(torch.randn(3)))

    def forward(self, x):
        return {"y": x * getattr(self, "w x"), "x": x + self.w_x}


class Half(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 16)
        self.norm = nn.LayerNorm(16)

    def forward(self, x):
        return F.gelu(self.norm(self.fc(x)))


class Decomposed(nn.Module):
    """Ops without a translation of their own go through PyTorch's
    decompositions (softplus, mish, logsumexp, glu, F.normalize's
    linalg_vector_norm)."""

    def __init__(self):
        super().__init__()
        self.gn = nn.GroupNorm(2, 4)

    def forward(self, x):
        y = F.elu(x) + F.leaky_relu(x, 0.1) + F.softplus(x) + F.hardswish(x)
        y = y + F.mish(x) + torch.logsumexp(x, dim=-1, keepdim=True)
        y = y + F.glu(torch.cat([x, x * 2], -1), -1)
        return (self.gn(y), F.normalize(x, dim=-1), x.repeat(1, 2, 1),
                torch.flip(x, [-1]))


a, b, c = torch.randn(2, 3, 4), torch.randn(3, 1), torch.randn(4)
check("elementwise", Elementwise(), (a, b, c), work, print_mlir=False)
# CHECK: ok elementwise max_err=

check("shapes", Shapes(), (torch.randn(2, 3, 4), torch.randn(4, 6)), work,
      print_mlir=False)
# CHECK: ok shapes max_err=

check("reductions", Reductions(), (torch.randn(3, 5, 7),), work,
      print_mlir=False)
# CHECK: ok reductions max_err=

check("matmuls", Matmuls(), (torch.randn(5), torch.randn(4, 5),
                             torch.randn(3, 5, 6), torch.randn(2, 1, 4, 5),
                             torch.randn(3, 5, 6)), work)
# CHECK-LABEL: func.func @main(
# CHECK:         tessera.linear %{{.*}} : (tensor<1x5xf32>, tensor<1x5xf32>) -> tensor<1x1xf32>
# v is the right operand again: another tessera.linear.
# CHECK:         tessera.linear %m, %{{.*}} : (tensor<4x5xf32>, tensor<1x5xf32>) -> tensor<4x1xf32>
# Batched products: one tessera.linear per batch entry.
# CHECK-COUNT-3: tessera.linear %{{.*}} : (tensor<1x5xf32>, tensor<6x5xf32>) -> tensor<1x6xf32>
# CHECK:       ok matmuls max_err=

check("constants", Constants(), (torch.randn(2, 4, 4),), work)
# CHECK-LABEL: func.func @main(
# CHECK:         arith.constant dense<[0.0, 1.0, 2.0, 3.0]> : tensor<4xf32>
# CHECK:         arith.constant dense<{{\[\[}}false, true, true, true], [false, false, true, true], [false, false, false, true], [false, false, false, false]]> : tensor<4x4xi1>
# CHECK:       ok constants max_err=

check("norms", Norms(), (torch.randn(2, 4, 6), torch.randn(6)), work)
# CHECK-LABEL: func.func @main(
# CHECK:         tensor.collapse_shape %x {{\[\[}}0], [1, 2]] : tensor<2x4x6xf32> into tensor<2x24xf32>
# CHECK:         tessera.layer_norm %{{.*}} weight(%{{.*}}) bias(%{{.*}}) {epsilon = 1.0e-05 : f32} : (tensor<2x24xf32>, tensor<24xf32>, tensor<24xf32>) -> tensor<2x24xf32>
# CHECK:         tessera.rms_norm %{{.*}} {epsilon = 0.0001 : f32} : (tensor<2x24xf32>) -> tensor<2x24xf32>
# CHECK:         tessera.rms_norm %{{.*}} {epsilon = 1.0e-05 : f32} : (tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
# CHECK:         tessera.linear %mul_1, %p_lin_weight : (tensor<2x4x6xf32>, tensor<3x6xf32>) -> tensor<2x4x3xf32>
# The second product with the same weight is a tessera.linear too.
# CHECK:         tessera.linear %{{.*}}, %p_lin_weight
# CHECK:         tessera.gelu %{{[^ ]*}} : tensor<2x4x6xf32>
# CHECK:       ok norms max_err=

q = torch.randn(1, 2, 6, 8)
check("cpu_sdpa", Cpu(), (q, torch.randn(1, 2, 9, 8), torch.randn(1, 2, 9, 8)),
      work)
# CHECK-LABEL: func.func @main(
# CHECK:         tessera.attention %q, %k, %v q_offset(%{{.*}}) {mask = #tessera.causal, scale = 0.3 : f32}
# CHECK:       ok cpu_sdpa max_err=

check("reuse", Reuse(), (torch.randn(4, 16), torch.randn(3, 5, 8),
                         torch.randn(3, 7, 8)), work)
# CHECK-LABEL: func.func @main(
# CHECK:         tessera.linear %x, %p_a_weight bias(%p_a_bias)
# CHECK:         tessera.linear %linear, %p_b_weight bias(%p_b_bias)
# CHECK:         tessera.linear %{{.*}}, %p_a_weight bias(%p_a_bias)
# CHECK-NOT:     linalg.matmul
# CHECK:       ok reuse max_err=

check("named", Named(), (torch.randn(2, 3),), work)
# CHECK-LABEL: func.func @main(
# CHECK-NEXT:    %x: tensor<2x3xf32> {tessera.name = "x"},
# CHECK-NEXT:    %p_w_x: tensor<3xf32> {tessera.name = "w_x"},
# CHECK-NEXT:    %p_w_x_1: tensor<3xf32> {tessera.name = "w_x_1"})
# CHECK-NEXT:    -> (tensor<2x3xf32> {tessera.name = "y"}, tensor<2x3xf32> {tessera.name = "x_1"}) {
# CHECK:       ok named max_err=

check("half", Half().half(), (torch.randn(4, 8).half(),), work, tol=2e-3)
# CHECK-LABEL: func.func @main(
# CHECK-NEXT:    %x: tensor<4x8xf16> {tessera.name = "x"},
# CHECK-NEXT:    %p_fc_weight: tensor<16x8xf16> {tessera.name = "fc.weight"},
# CHECK:         -> (tensor<4x16xf16> {tessera.name = "output0"}) {
# CHECK-NEXT:    %x.f32 = arith.extf %x : tensor<4x8xf16> to tensor<4x8xf32>
# CHECK:         arith.truncf %{{.*}} : tensor<4x16xf32> to tensor<4x16xf16>
# CHECK:       ok half max_err=

check("decomposed", Decomposed(), (torch.randn(2, 4, 6),), work,
      print_mlir=False)
# CHECK: ok decomposed max_err=

check("bfloat16", Half().bfloat16(), (torch.randn(4, 8).bfloat16(),), work,
      tol=1e-2, print_mlir=False)
# CHECK: ok bfloat16 max_err=
