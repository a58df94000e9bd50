#!/usr/bin/env python3
"""Side-by-side DiT block benchmark: examples/dit_block.mlir vs PyTorch 2.

    bench/dit/run.py [--threads 2] [--iters 20] [--python PY] [--no-compile]

One DiT block (Peebles & Xie; hidden 384, 6 heads of 64, 256 tokens, batch 2,
with its timestep embedder and adaLN-Zero modulation) compiled by tesserac
for this CPU, against the same block written in PyTorch eager (and
`torch.compile` where it works on the machine), with the same weights and
inputs (written as safetensors / .npy and read by the executable) and the
same thread count. Prints the CPU and its vector ISA, the median times, the
ratio, and the largest difference between the two outputs. Nothing here is
a test: it never fails on a time.
"""
import argparse
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import textwrap

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.environ.get("BUILD_DIR", os.path.join(ROOT, "build"))
sys.path.insert(0, os.path.dirname(HERE))
from common import cpu_info, ensure_python, sh  # noqa: E402

B, S, HID, HEADS, FREQ, MLP = 2, 256, 384, 6, 256, 1536
SHAPES = {
    "t_embedder.mlp.0.weight": (HID, FREQ), "t_embedder.mlp.0.bias": (HID,),
    "t_embedder.mlp.2.weight": (HID, HID), "t_embedder.mlp.2.bias": (HID,),
    "adaLN_modulation.1.weight": (6 * HID, HID), "adaLN_modulation.1.bias": (6 * HID,),
    "attn.qkv.weight": (3 * HID, HID), "attn.qkv.bias": (3 * HID,),
    "attn.proj.weight": (HID, HID), "attn.proj.bias": (HID,),
    "mlp.fc1.weight": (MLP, HID), "mlp.fc1.bias": (MLP,),
    "mlp.fc2.weight": (HID, MLP), "mlp.fc2.bias": (HID,),
}


def write_safetensors(path, tensors):
    header, offset = {}, 0
    for name, a in tensors.items():
        header[name] = {"dtype": "F32", "shape": list(a.shape),
                        "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for a in tensors.values():
            f.write(np.ascontiguousarray(a, np.float32).tobytes())


TORCH = textwrap.dedent("""
    import json, math, sys, time
    import numpy as np
    import torch
    import torch.nn.functional as F
    tmp, threads, iters, compile_too = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == '1'
    torch.set_num_threads(threads)
    names = json.load(open(tmp + '/names.json'))
    W = {n: torch.from_numpy(np.load(f'{tmp}/w{i}.npy')) for i, n in enumerate(names)}
    x = torch.from_numpy(np.load(tmp + '/x.npy'))
    t = torch.from_numpy(np.load(tmp + '/t.npy'))

    def block(x, t):
        # DiT's TimestepEmbedder.timestep_embedding (cos first) and MLP.
        half = 128
        freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
        args = t[:, None] * freqs[None]
        temb = torch.cat([torch.cos(args), torch.sin(args)], dim=-1)
        c = F.linear(F.silu(F.linear(temb, W['t_embedder.mlp.0.weight'], W['t_embedder.mlp.0.bias'])),
                     W['t_embedder.mlp.2.weight'], W['t_embedder.mlp.2.bias'])
        mod = F.linear(F.silu(c), W['adaLN_modulation.1.weight'], W['adaLN_modulation.1.bias'])
        shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = mod.chunk(6, dim=1)
        b, s, h = x.shape
        hdn = F.layer_norm(x, (h,), eps=1e-6) * (1 + scale_msa[:, None]) + shift_msa[:, None]
        qkv = F.linear(hdn, W['attn.qkv.weight'], W['attn.qkv.bias']).reshape(b, s, 3, 6, h // 6)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)
        a = F.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(b, s, h)
        x = x + gate_msa[:, None] * F.linear(a, W['attn.proj.weight'], W['attn.proj.bias'])
        hdn = F.layer_norm(x, (h,), eps=1e-6) * (1 + scale_mlp[:, None]) + shift_mlp[:, None]
        mlp = F.linear(F.gelu(F.linear(hdn, W['mlp.fc1.weight'], W['mlp.fc1.bias']), approximate='tanh'),
                       W['mlp.fc2.weight'], W['mlp.fc2.bias'])
        return x + gate_mlp[:, None] * mlp

    def median(f):
        for _ in range(3):
            f()
        ts = []
        for _ in range(iters):
            a = time.perf_counter(); f(); ts.append(time.perf_counter() - a)
        return sorted(ts)[len(ts) // 2] * 1e3

    out = {'version': torch.__version__}
    with torch.inference_mode():
        y = block(x, t)
        np.save(tmp + '/y_torch.npy', y.numpy())
        out['eager'] = median(lambda: block(x, t))
        if compile_too:
            try:
                cb = torch.compile(block)
                cb(x, t)
                out['compiled'] = median(lambda: cb(x, t))
            except Exception as e:
                out['compile_error'] = f'{type(e).__name__}: {str(e).splitlines()[0][:120]}'
    print(json.dumps(out))
""")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--iters", type=int, default=20)
    p.add_argument("--mcpu", default="native")
    p.add_argument("--python", default=sys.executable)
    p.add_argument("--no-install", action="store_true")
    p.add_argument("--no-compile", action="store_true", help="skip torch.compile")
    a = p.parse_args()
    tesserac = os.path.join(BUILD, "bin", "tesserac")
    if not os.path.exists(tesserac):
        sys.exit(f"build Tessera first (scripts/demo.sh); no {tesserac}")
    model, isa, _ = cpu_info()
    torch_reason = ensure_python(a.python, not a.no_install)
    tmp = tempfile.mkdtemp(prefix="tessera-dit-")
    exe = os.path.join(tmp, "dit_block")
    sh([tesserac, os.path.join(ROOT, "examples", "dit_block.mlir"), f"--mcpu={a.mcpu}",
        "-o", exe])

    # Weights as a trained block's are scaled (N(0, 0.02)); inputs O(1).
    rng = np.random.default_rng(0)
    weights = {n: (0.02 * rng.standard_normal(s)).astype(np.float32)
               for n, s in SHAPES.items()}
    x = rng.standard_normal((B, S, HID)).astype(np.float32)
    t = np.array([10.0, 500.0], np.float32)
    write_safetensors(os.path.join(tmp, "w.safetensors"), weights)
    np.save(os.path.join(tmp, "x.npy"), x)
    np.save(os.path.join(tmp, "t.npy"), t)
    json.dump(list(weights), open(os.path.join(tmp, "names.json"), "w"))
    for i, w in enumerate(weights.values()):
        np.save(os.path.join(tmp, f"w{i}.npy"), w)

    run = [exe, "--weights", os.path.join(tmp, "w.safetensors"),
           "--input", f"x={tmp}/x.npy", "--input", f"t={tmp}/t.npy",
           "--output", os.path.join(tmp, "out"), "--threads", str(a.threads)]
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE")
    out = sh(run + ["--bench", str(a.iters)], env=env, merge=True)
    ours = float(re.search(r"median_ms=([0-9.]+)", out).group(1))
    y = np.load(os.path.join(tmp, "out", "y.npy"))

    print(f"{model}; vector ISA {isa}; threads={a.threads}; --mcpu={a.mcpu}")
    print(f"DiT block B={B} S={S} hidden={HID} heads={HEADS} fp32")
    print(f"  tessera          {ours:8.2f} ms")
    if torch_reason:
        print(f"  torch            -        ({torch_reason})")
        return
    res = json.loads(sh([a.python, "-c", TORCH, tmp, str(a.threads), str(a.iters),
                         "0" if a.no_compile else "1"],
                        env=dict(env, OMP_NUM_THREADS=str(a.threads))).strip().splitlines()[-1])
    y_t = np.load(os.path.join(tmp, "y_torch.npy"))
    err = float(np.abs(y - y_t).max() / max(1.0, np.abs(y_t).max()))
    print(f"  torch {res['version']} eager {res['eager']:8.2f} ms   tessera {res['eager'] / ours:.2f}x"
          " (target >= 1.3x)")
    if "compiled" in res:
        print(f"  torch.compile    {res['compiled']:8.2f} ms   tessera {res['compiled'] / ours:.2f}x")
    elif not a.no_compile:
        print(f"  torch.compile    -           ({res.get('compile_error')})")
    print(f"  max |tessera - torch| / max(1, max|torch|) = {err:.2e}")


if __name__ == "__main__":
    main()
