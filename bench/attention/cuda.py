#!/usr/bin/env python3
"""Side-by-side attention benchmark on a CUDA GPU: Tessera vs PyTorch, in one run.

    bench/attention/cuda.py [--iters 5] [--quick] [--python PY] [--arch sm_90a]

B=4, H=16, D=128. Rows: S in {1024, 4096, 16384}, dense, causal and a
sliding window of 1024 (--quick: S=1024 and 4096). Columns: ours
(`tesserac --target=cuda`) in f32 and in bf16 storage (bf16: the products
on tensor cores, mma.sync m16n8k16), PyTorch 2's
`scaled_dot_product_attention` in f32 and in bf16 (its flash backend), and
a cuBLAS GEMM ceiling probe (torch.matmul 8192^3, f32 and bf16). TFLOP/s
count 4·S²·D per head for dense attention and 4·D per allowed (query, key)
pair under a mask; ratios are ours over torch in the same type. Our time is the executable's `--bench` median of whole calls
(each launch waits for the GPU); torch's is timed with CUDA events. Without
a GPU it says so and exits 0: nothing here is a test.
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from common import cuda_bench_args, ours_cuda_ms, torch_json  # noqa: E402

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


def model(mask, s, dtype):
    t = f"tensor<{B}x{H}x{s}x{D}x{dtype}>"
    attr = f" {{mask = {MASKS[mask]}}}" if MASKS[mask] else ""
    return (f"func.func @main(%q: {t} {{tessera.name = \"q\"}}, %k: {t} "
            f"{{tessera.name = \"k\"}}, %v: {t} {{tessera.name = \"v\"}}) -> "
            f"({t} {{tessera.name = \"o\"}}) {{\n"
            f"  %o = tessera.attention %q, %k, %v{attr} : ({t}, {t}, {t}) -> {t}\n"
            f"  return %o : {t}\n}}\n")


TORCH = r"""
import json, sys
import torch.nn.functional as F
B, H, D, S, mask, iters = json.loads(sys.argv[1])
res = {}
for name, dt in (("f32", torch.float32), ("bf16", torch.bfloat16)):
    q, k, v = (torch.randn(B, H, S, D, device="cuda", dtype=dt) for _ in range(3))
    if mask == "window1024":
        i = torch.arange(S, device="cuda")
        m = (i[None, :] <= i[:, None]) & (i[None, :] >= i[:, None] - 1024)
        res[name] = timed(lambda: F.scaled_dot_product_attention(q, k, v, attn_mask=m), iters)
    else:
        res[name] = timed(lambda: F.scaled_dot_product_attention(q, k, v, is_causal=mask == "causal"), iters)
    del q, k, v
n = 8192
for name, dt in (("gemm_f32", torch.float32), ("gemm_bf16", torch.bfloat16)):
    a, b = (torch.randn(n, n, device="cuda", dtype=dt) for _ in range(2))
    res[name] = 2 * n ** 3 / (timed(lambda: a @ b, iters) * 1e-3) / 1e12
print(json.dumps(res))
"""


def main():
    a = cuda_bench_args(__doc__)
    if a is None:
        return 0
    sizes = [1024, 4096] if a.quick else [1024, 4096, 16384]
    print(f"attention B={B} H={H} D={D}; ours f32 and bf16 (--target=cuda --cuda-arch={a.arch}); "
          f"torch SDPA f32 and bf16; TFLOP/s, ratio = ours / torch in the same type")
    print(f"{'S':>6} {'mask':>10} {'ours32':>8} {'ours16':>8} {'sdpa32':>8} {'sdpa16':>8} "
          f"{'/sdpa32':>8} {'/sdpa16':>8} {'%gemm32':>8} {'%gemm16':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for s in sizes:
            for mask in MASKS:
                flops = 4.0 * D * allowed_pairs(mask, s) * B * H
                tf = lambda ms: flops / (ms * 1e-3) / 1e12  # noqa: E731
                ours = [tf(ours_cuda_ms(BUILD, os.path.join(tmp, f"{mask}_{s}_{dt}.mlir"),
                                        model(mask, s, dt), a.iters, a.arch))
                        for dt in ("f32", "bf16")]
                t = torch_json(a.python, TORCH, [B, H, D, s, mask, a.iters]) or {}
                theirs = [tf(t[key]) if key in t else float("nan") for key in ("f32", "bf16")]
                line = f"{s:>6} {mask:>10} " + " ".join(f"{c:8.3f}" for c in ours + theirs)
                line += " " + " ".join(f"{o / c:8.3f}" if c == c else "     n/a"
                                       for o, c in zip(ours, theirs))
                for o, key in zip(ours, ("gemm_f32", "gemm_bf16")):
                    line += f" {100 * o / t[key]:7.1f}%" if key in t else "     n/a"
                print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
