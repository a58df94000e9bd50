"""Independent NumPy float64 references for the tessera ops.

Each function takes float64 arrays and returns a float64 array; none of them
shares code or structure with the compiler's lowering.
"""
import math

import numpy as np


def linear(x, w, b=None):
    y = x @ w.T
    return y if b is None else y + b


def layer_norm(x, w=None, b=None, eps=1e-5):
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    y = (x - mu) / np.sqrt(var + eps)
    if w is not None:
        y = y * w
    if b is not None:
        y = y + b
    return y


def rms_norm(x, w=None, eps=1e-6):
    y = x / np.sqrt((x * x).mean(axis=-1, keepdims=True) + eps)
    return y if w is None else y * w


def gelu(x, approximate="none"):
    if approximate == "tanh":
        return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))


def silu(x):
    return x / (1 + np.exp(-x))


def swiglu(gate, up):
    return silu(gate) * up


def rope(x, theta=10000.0, offset=0, interleaved=False):
    *_, s, d = x.shape
    half = d // 2
    inv = theta ** (-np.arange(half) * 2.0 / d)
    ang = (np.arange(s)[:, None] + offset) * inv[None, :]
    c, sn = np.cos(ang), np.sin(ang)
    if interleaved:
        a, b = x[..., 0::2], x[..., 1::2]
    else:
        a, b = x[..., :half], x[..., half:]
    ya, yb = a * c - b * sn, b * c + a * sn
    out = np.empty_like(x)
    if interleaved:
        out[..., 0::2], out[..., 1::2] = ya, yb
    else:
        out[..., :half], out[..., half:] = ya, yb
    return out


def modulate(x, shift, scale):
    expand = (slice(None),) + (None,) * (x.ndim - 2) + (slice(None),)
    return x * (1 + scale[expand]) + shift[expand]


def timestep_embedding(t, dim, max_period=10000.0):
    half = dim // 2
    freqs = np.exp(-math.log(max_period) * np.arange(half) / half)
    args = t[:, None] * freqs[None, :]
    emb = np.concatenate([np.cos(args), np.sin(args)], axis=-1)
    if dim % 2:
        emb = np.concatenate([emb, np.zeros_like(emb[:, :1])], axis=-1)
    return emb


def softmax(s):
    s = s - s.max(axis=-1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(axis=-1, keepdims=True)


def attention(q, k, v, scale=None):
    hq, hkv = q.shape[1], k.shape[1]
    k = np.repeat(k, hq // hkv, axis=1)
    v = np.repeat(v, hq // hkv, axis=1)
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    return softmax(scale * q @ np.swapaxes(k, -1, -2)) @ v


def dit_block(I, heads=6):
    """One DiT block with its timestep embedder and adaLN-Zero conditioning
    (Peebles & Xie, 2023); `I` maps the PyTorch parameter names to arrays."""
    x, t = I["x"], I["t"]
    b, s, h = x.shape
    temb = timestep_embedding(t, I["t_embedder.mlp.0.weight"].shape[1])
    c = linear(silu(linear(temb, I["t_embedder.mlp.0.weight"], I["t_embedder.mlp.0.bias"])),
               I["t_embedder.mlp.2.weight"], I["t_embedder.mlp.2.bias"])
    mod = linear(silu(c), I["adaLN_modulation.1.weight"], I["adaLN_modulation.1.bias"])
    shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = np.split(mod, 6, axis=-1)
    hdn = modulate(layer_norm(x, eps=1e-6), shift_msa, scale_msa)
    qkv = linear(hdn, I["attn.qkv.weight"], I["attn.qkv.bias"]).reshape(b, s, 3, heads, h // heads)
    q, k, v = np.transpose(qkv, (2, 0, 3, 1, 4))
    a = attention(q, k, v).transpose(0, 2, 1, 3).reshape(b, s, h)
    x = x + gate_msa[:, None, :] * linear(a, I["attn.proj.weight"], I["attn.proj.bias"])
    hdn = modulate(layer_norm(x, eps=1e-6), shift_mlp, scale_mlp)
    mlp = linear(gelu(linear(hdn, I["mlp.fc1.weight"], I["mlp.fc1.bias"]), "tanh"),
                 I["mlp.fc2.weight"], I["mlp.fc2.bias"])
    return x + gate_mlp[:, None, :] * mlp
