#!/usr/bin/env python3
"""Side-by-side attention benchmark on a CUDA GPU: Tessera vs PyTorch, in one run.

    bench/attention/cuda.py [--iters 5] [--quick] [--python PY] [--arch sm_90a]

B=4, H=16, D=128. Rows: S in {1024, 4096, 16384}, dense, causal and a
sliding window of 1024 (--quick: S=1024 and 4096). Columns: ours
(`tesserac --target=cuda`, f32: the CUDA target has no f16/bf16 storage
yet), PyTorch 2's `scaled_dot_product_attention` in f32 and in bf16 (its
flash backend), and a cuBLAS GEMM ceiling probe (torch.matmul 8192^3, f32
and bf16). TFLOP/s count 4·S²·D per head for dense attention and 4·D per
allowed (query, key) pair under a mask; ratios are ours over each
baseline. Our time is the executable's `--bench` median of whole calls
(each launch waits for the GPU); torch's is timed with CUDA events. Without
a GPU it says so and exits 0: nothing here is a test.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("BUILD_DIR", os.path.join(ROOT, "build"))
B, H, D = 4, 16, 128

MASKS = {
    "dense": "",
    "causal": "#tessera.causal",
    "window1024": "#tessera.sliding_window<left = 1024, right = 0>",
}


def allowed_pairs(mask, s):
    if mask == "dense":
        return s * s
    if mask == "causal":
        return s * (s + 1) // 2
    return sum(min(q + 1, 1025) for q in range(s))


def model(mask, s):
    t = f"tensor<{B}x{H}x{s}x{D}xf32>"
    attr = f" {{mask = {MASKS[mask]}}}" if MASKS[mask] else ""
    return (f"func.func @main(%q: {t} {{tessera.name = \"q\"}}, %k: {t} "
            f"{{tessera.name = \"k\"}}, %v: {t} {{tessera.name = \"v\"}}) -> "
            f"({t} {{tessera.name = \"o\"}}) {{\n"
            f"  %o = tessera.attention %q, %k, %v{attr} : ({t}, {t}, {t}) -> {t}\n"
            f"  return %o : {t}\n}}\n")


def ours(tmp, mask, s, iters, arch):
    src = os.path.join(tmp, f"{mask}_{s}.mlir")
    exe = src[:-5]
    open(src, "w").write(model(mask, s))
    subprocess.run([os.path.join(BUILD, "bin", "tesserac"), src, "--target=cuda",
                    f"--cuda-arch={arch}", "-o", exe], check=True)
    out = subprocess.run([exe, "--random-inputs", "--bench", str(iters)],
                         capture_output=True, text=True, check=True).stdout
    return float(re.search(r"median_ms=([0-9.]+)", out).group(1))


TORCH = r"""
import json, sys, torch
import torch.nn.functional as F
B, H, D, S, mask, iters = json.loads(sys.argv[1])
def timed(fn):
    fn(); torch.cuda.synchronize()
    ts = []
    for _ in range(iters):
        a = torch.cuda.Event(enable_timing=True); b = torch.cuda.Event(enable_timing=True)
        a.record(); fn(); b.record(); torch.cuda.synchronize(); ts.append(a.elapsed_time(b))
    ts.sort(); return ts[len(ts) // 2]
res = {}
for name, dt in (("f32", torch.float32), ("bf16", torch.bfloat16)):
    q, k, v = (torch.randn(B, H, S, D, device="cuda", dtype=dt) for _ in range(3))
    if mask == "window1024":
        i = torch.arange(S, device="cuda")
        m = (i[None, :] <= i[:, None]) & (i[None, :] >= i[:, None] - 1024)
        res[name] = timed(lambda: F.scaled_dot_product_attention(q, k, v, attn_mask=m))
    else:
        res[name] = timed(lambda: F.scaled_dot_product_attention(q, k, v, is_causal=mask == "causal"))
    del q, k, v
n = 8192
for name, dt in (("gemm_f32", torch.float32), ("gemm_bf16", torch.bfloat16)):
    a, b = (torch.randn(n, n, device="cuda", dtype=dt) for _ in range(2))
    res[name] = 2 * n ** 3 / (timed(lambda: a @ b) * 1e-3) / 1e12
print(json.dumps(res))
"""


def torch_times(python, mask, s, iters):
    import json
    r = subprocess.run([python, "-c", TORCH, json.dumps([B, H, D, s, mask, iters])],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return json.loads(r.stdout.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--iters", type=int, default=5)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--python", default=sys.executable)
    p.add_argument("--arch", default="sm_80,sm_90a")
    a = p.parse_args()
    probe = ("import ctypes,sys; c=ctypes.CDLL('libcuda.so.1'); n=ctypes.c_int(0); "
             "sys.exit(not(c.cuInit(0)==0 and c.cuDeviceGetCount(ctypes.byref(n))==0 and n.value>0))")
    if subprocess.run([sys.executable, "-c", probe], capture_output=True).returncode:
        print("no CUDA device found by the driver: nothing to measure")
        return 0
    sizes = [1024, 4096] if a.quick else [1024, 4096, 16384]
    print(f"attention B={B} H={H} D={D}; ours f32 (--target=cuda --cuda-arch={a.arch}); "
          f"torch SDPA f32 and bf16; TFLOP/s, ratio = ours / baseline")
    print(f"{'S':>6} {'mask':>10} {'ours':>8} {'sdpa32':>8} {'sdpa16':>8} "
          f"{'/sdpa32':>8} {'/sdpa16':>8} {'%gemm32':>8} {'%gemm16':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for s in sizes:
            for mask in MASKS:
                flops = 4.0 * D * allowed_pairs(mask, s) * B * H
                ms = ours(tmp, mask, s, a.iters, a.arch)
                tf = flops / (ms * 1e-3) / 1e12
                t = torch_times(a.python, mask, s, a.iters) or {}
                cols = [tf]
                for key in ("f32", "bf16"):
                    cols.append(flops / (t[key] * 1e-3) / 1e12 if key in t else float("nan"))
                line = f"{s:>6} {mask:>10} " + " ".join(f"{c:8.3f}" for c in cols)
                line += " " + " ".join(f"{tf / c:8.3f}" if c == c else "     n/a" for c in cols[1:])
                for key in ("gemm_f32", "gemm_bf16"):
                    line += f" {100 * tf / t[key]:7.1f}%" if key in t else "     n/a"
                print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
