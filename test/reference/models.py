"""NumPy float64 references for the example models in examples/ that
combine several ops (the MoE vision-transformer blocks). Built only from
ops.py and moe.py; `I` maps the examples' argument names to arrays."""

import numpy as np

import moe
import ops


def vit_attention(I, heads):
    """x + proj(MHSA(LN1(x))) and LN2 of it: the pre-norm ViT block up to
    its MLP. Returns (x1, LN2(x1))."""
    x = I["x"]
    b, s, h = x.shape
    hdn = ops.layer_norm(x, I["norm1.weight"], I["norm1.bias"], eps=1e-6)
    qkv = ops.linear(hdn, I["attn.qkv.weight"], I["attn.qkv.bias"])
    q, k, v = np.transpose(qkv.reshape(b, s, 3, heads, h // heads), (2, 0, 3, 1, 4))
    a = ops.attention(q, k, v).transpose(0, 2, 1, 3).reshape(b, s, h)
    x1 = x + ops.linear(a, I["attn.proj.weight"], I["attn.proj.bias"])
    return x1, ops.layer_norm(x1, I["norm2.weight"], I["norm2.bias"], eps=1e-6)


def _samples(x):
    b, n, _ = x.shape
    return [i // n for i in range(b * n)]


# Task 0 may use experts 0..11, task 1 experts 4..15 (examples/m3vit_block.mlir).
M3VIT_EXPERTS = list(range(0, 12)) + list(range(4, 16))


def m3vit_block(I):
    x1, h = vit_attention(I, heads=3)
    routes = moe.task_conditioned(h.reshape(-1, h.shape[-1]), I["mlp.gate.w_gate"],
                                  _samples(h), I["task"], tasks=2, k=4,
                                  order="softmax_then_topk",
                                  experts=M3VIT_EXPERTS)
    y = x1 + moe.moe(h, routes, I["mlp.experts.fc1.weight"], I["mlp.experts.fc2.weight"],
                     "gelu", b_up=I["mlp.experts.fc1.bias"],
                     b_down=I["mlp.experts.fc2.bias"])
    return y, moe.tokens_per_expert(routes, 16)


def animer_block(I):
    x1, h = vit_attention(I, heads=3)
    routes = moe.category_conditioned(h.shape[0] * h.shape[1], _samples(h),
                                      I["family"], categories=2,
                                      experts=[0, 1, 2, 3])
    return x1 + moe.moe(h, routes, I["mlp.experts.fc1.weight"], I["mlp.experts.fc2.weight"],
                        "gelu", shared_up=I["mlp.shared.fc1.weight"],
                        shared_down=I["mlp.shared.fc2.weight"])


def uoe_block(I):
    x1, h = vit_attention(I, heads=3)
    routes = moe.expert_choice(h.reshape(-1, h.shape[-1]), I["mlp.router.weight"], 2.0)
    y = x1 + moe.moe(h, routes, I["mlp.experts.fc1.weight"], I["mlp.experts.fc2.weight"],
                     "gelu")
    return y, moe.tokens_per_expert(routes, 8)
