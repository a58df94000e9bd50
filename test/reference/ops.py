"""Independent NumPy float64 references for the tessera ops.

Each function takes float64 arrays and returns a float64 array; none of them
shares code or structure with the compiler's lowering.
"""
import math

import numpy as np


def bf16(x):
    """x rounded to bfloat16 (to nearest, ties to even), as float64: the
    storage of an intermediate result."""
    bits = np.asarray(x, np.float32).view(np.uint32).astype(np.uint64)
    bits = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) << 16
    return bits.astype(np.uint32).view(np.float32).astype(np.float64)


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


def timestep_embedding(t, dim, max_period=10000.0, flip_sin_to_cos=True,
                       downscale_freq_shift=0.0, scale=1.0):
    """diffusers' get_timestep_embedding; the defaults are DiT / PixArt-α's."""
    half = dim // 2
    freqs = max_period ** (-np.arange(half) / (half - downscale_freq_shift))
    args = np.outer(scale * t, freqs)
    parts = [np.sin(args), np.cos(args)]
    if flip_sin_to_cos:
        parts.reverse()
    parts.append(np.zeros((t.shape[0], dim - 2 * half)))
    return np.concatenate(parts, axis=-1)


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


# Attention masks as NumPy predicates over (query position, key position)
# arrays, written from the definitions in the dialect docs. full_attention
# passes positions as arrays of Python ints, so the arithmetic is exact for
# any 64-bit mask parameter.
def causal():
    return lambda q, k: k <= q


def sliding_window(left, right):
    return lambda q, k: (k >= q - left) & (k <= q + right)


def block_causal(frame):
    return lambda q, k: (k // frame) <= (q // frame)


def block_diagonal(block):
    return lambda q, k: (k // block) == (q // block)


def neighborhood_2d(height, width, radius_h, radius_w):
    def allowed(q, k):
        return ((np.abs(q // width - k // width) <= radius_h) &
                (np.abs(q % width - k % width) <= radius_w))
    return allowed


def all_of(*masks):
    return lambda q, k: np.logical_and.reduce(
        [np.asarray(m(q, k), bool) for m in masks])


def any_of(*masks):
    return lambda q, k: np.logical_or.reduce(
        [np.asarray(m(q, k), bool) for m in masks])


def full_attention(q, k, v, scale=None, mask=None, q_offset=None,
                   score_mod=None, explicit_mask=None, block_index=None,
                   block_sizes=None):
    """Materialises every score: the reference for tessera.attention.

    mask: predicate on positions; score_mod(s, b, h, qpos, kpos) on
    broadcast arrays; explicit_mask: bool (True = attend) or additive,
    broadcast against [B, H, Sq, Sk] as in NumPy; block_index: [B|1, H|1,
    nQB, N] key-block lists (-1 ends a list).

    A key is masked for a query when the mask predicate, a False entry of a
    bool mask, a -inf entry of an additive mask, block_index or a -inf
    score_mod result exclude it. Only unmasked keys enter the softmax and
    P·V, so a masked key's k and v (NaN, Inf) never matter, while a NaN in
    an unmasked one makes that query's row NaN. Rows with no unmasked key
    are 0."""
    b, hq, sq, d = q.shape
    hkv, sk = k.shape[1], k.shape[2]
    k = np.repeat(k, hq // hkv, axis=1)
    v = np.repeat(v, hq // hkv, axis=1)
    if scale is None:
        scale = 1.0 / math.sqrt(d)
    shift = sk - sq if q_offset is None else int(q_offset)
    shift = max(-2**61, min(shift, 2**61))  # the op clamps q_offset
    qpos = (np.arange(sq) + shift)[:, None]
    kpos = np.arange(sk)[None, :]
    with np.errstate(invalid="ignore", over="ignore"):
        s = scale * (q @ np.swapaxes(k, -1, -2))
    allowed = np.ones(s.shape, bool)
    if score_mod is not None:
        bi = np.arange(b)[:, None, None, None]
        hi = np.arange(hq)[None, :, None, None]
        s = score_mod(s, bi, hi, qpos[None, None], kpos[None, None])
        allowed &= s != -np.inf
    if explicit_mask is not None:
        if explicit_mask.dtype == bool:
            allowed &= np.broadcast_to(explicit_mask, s.shape)
        else:
            ninf = explicit_mask == -np.inf
            allowed &= ~np.broadcast_to(ninf, s.shape)
            s = s + np.where(ninf, 0.0, explicit_mask)
    if mask is not None:
        exact_q, exact_k = qpos.astype(object), kpos.astype(object)
        allowed &= np.broadcast_to(np.asarray(mask(exact_q, exact_k), bool),
                                   s.shape)
    if block_index is not None:
        bq, bk = block_sizes
        visit = np.zeros(s.shape, bool)
        idx = np.broadcast_to(block_index, (b, hq) + block_index.shape[2:])
        for bb in range(b):
            for h in range(hq):
                for qb in range(idx.shape[2]):
                    for kb in idx[bb, h, qb]:
                        if kb < 0:
                            break
                        visit[bb, h, qb * bq:(qb + 1) * bq, kb * bk:(kb + 1) * bk] = True
        allowed &= visit
    live = allowed.any(axis=-1)
    with np.errstate(invalid="ignore", over="ignore"):
        s = np.where(allowed, s, -np.inf)
        rowmax = s.max(axis=-1, keepdims=True)  # NaN if an unmasked score is
        e = np.where(allowed, np.exp(s - np.where(rowmax == -np.inf, 0.0, rowmax)), 0.0)
        den = e.sum(axis=-1, keepdims=True)
        p = e / np.where(den == 0, 1.0, den)
        if np.isfinite(v).all():
            out = p @ v  # p is exactly 0 for masked keys
        else:
            prod = p[..., None] * v[:, :, None, :, :]
            out = np.where(allowed[..., None], prod, 0.0).sum(axis=-2)
    return np.where(live[..., None], out, 0.0)


def kv_cache_update(cache, update, offset):
    offset = max(0, min(int(offset), cache.shape[2] - update.shape[2]))
    out = cache.copy()
    out[:, :, offset:offset + update.shape[2]] = update
    return out


def probsparse_samples(seed, sq, u, sk):
    """The key sampler of the op description: entry [i, j] is the n-th
    splitmix64 output (n = i*u + j + 1) for `seed`, modulo sk."""
    m64 = (1 << 64) - 1
    gamma = 0x9E3779B97F4A7C15
    out = np.zeros((sq, u), dtype=np.int64)
    for i in range(sq):
        for j in range(u):
            z = (seed + (i * u + j + 1) * gamma) & m64
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & m64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & m64
            out[i, j] = (z ^ (z >> 31)) % sk
    return out


def probsparse_budget(factor, n):
    """factor * ceil(ln n), at most n (Informer's U_part and u)."""
    return min(n, factor * math.ceil(math.log(n)))


def probsparse_attention(q, k, v, factor=5, seed=0, causal=False, sample_mean=False):
    """Informer's ProbAttention (zhouhaoyi/Informer2020, models/attn.py) with
    the deterministic key sampler of the op description, one (batch, head,
    query) at a time. sample_mean: M = max - mean of the samples, cumulative
    mean of V for causal lazy queries."""
    b, h, sq, d = q.shape
    sk = k.shape[2]
    n_samples = max(1, probsparse_budget(factor, sk))
    n_top = probsparse_budget(factor, sq)
    keys = probsparse_samples(seed % (1 << 64), sq, n_samples, sk)
    out = np.empty((b, h, sq, v.shape[-1]))
    for bb in range(b):
        for hh in range(h):
            qm, km, vm = q[bb, hh], k[bb, hh], v[bb, hh]
            m = np.empty(sq)
            for i in range(sq):
                s = np.array([qm[i] @ km[j] for j in keys[i]])
                m[i] = s.max() - s.sum() / (n_samples if sample_mean else sk)
            # NaN first, then larger M, ties to the lower index.
            order = sorted(range(sq), key=lambda i: (0, 0.0, i) if np.isnan(m[i])
                           else (1, -m[i], i))
            for i in range(sq):
                if causal:
                    lazy = vm[:i + 1].sum(axis=0)
                    out[bb, hh, i] = lazy / (i + 1) if sample_mean else lazy
                else:
                    out[bb, hh, i] = vm.mean(axis=0)
            for i in order[:n_top]:
                last = i + 1 if causal else sk
                s = km[:last] @ qm[i] / math.sqrt(d)
                p = np.exp(s - s.max())
                out[bb, hh, i] = (p / p.sum()) @ vm[:last]
    return out


def strip_attention(q, k, v, wq, wk, pool):
    """S2AFormer strip attention: pooled K/V, channel-compressed Q/K."""
    def avg(x):
        b, h, s, c = x.shape
        return x.reshape(b, h, s // pool, pool, c).mean(axis=3)
    return attention(q @ wq.T, avg(k) @ wk.T, avg(v))
