#!/usr/bin/env python3
"""Side-by-side linear-layer benchmark on a CUDA GPU: Tessera vs PyTorch, in one run.

    bench/linear/cuda.py [--iters 5] [--quick] [--python PY] [--arch sm_80,sm_90a]

y = x·Wᵀ + b in bf16 (f32 accumulation) for M = 4096 tokens and the
square layers K = N in {1024, 2048, 4096} of a DiT block (--quick: 1024 and
2048). Columns: ours (`tesserac --target=cuda`: the products on tensor
cores, mma.sync m16n8k16), PyTorch 2's `F.linear` in bf16 (cuBLAS), and
TFLOP/s at 2·M·N·K; the ratio is ours over PyTorch. Our time is the
executable's `--bench` median of whole calls (the bf16 → f32 widening of
the operands and the rounding of y included); torch's is timed with CUDA
events. Without a GPU it says so and exits 0: nothing here is a test.
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from common import cuda_bench_args, ours_cuda_ms, torch_json  # noqa: E402

BUILD = os.environ.get("BUILD_DIR", os.path.join(ROOT, "build"))
M = 4096


def model(k, n):
    x, w = f"tensor<{M}x{k}xbf16>", f"tensor<{n}x{k}xbf16>"
    b, y = f"tensor<{n}xbf16>", f"tensor<{M}x{n}xbf16>"
    return (f"func.func @main(%x: {x} {{tessera.name = \"x\"}}, %w: {w} "
            f"{{tessera.name = \"w\"}}, %b: {b} {{tessera.name = \"b\"}}) -> "
            f"({y} {{tessera.name = \"y\"}}) {{\n"
            f"  %y = tessera.linear %x, %w bias(%b) : ({x}, {w}, {b}) -> {y}\n"
            f"  return %y : {y}\n}}\n")


TORCH = r"""
import json, sys
import torch.nn.functional as F
M, K, N, iters = json.loads(sys.argv[1])
x = torch.randn(M, K, device="cuda", dtype=torch.bfloat16)
w = torch.randn(N, K, device="cuda", dtype=torch.bfloat16)
b = torch.randn(N, device="cuda", dtype=torch.bfloat16)
print(json.dumps(timed(lambda: F.linear(x, w, b), iters)))
"""


def main():
    a = cuda_bench_args(__doc__)
    if a is None:
        return 0
    sizes = [1024, 2048] if a.quick else [1024, 2048, 4096]
    print(f"linear bf16 M={M}, K=N; ours --target=cuda --cuda-arch={a.arch}; "
          f"torch F.linear bf16; TFLOP/s, ratio = ours / torch")
    print(f"{'K=N':>6} {'ours':>8} {'torch':>8} {'ratio':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for k in sizes:
            flops = 2.0 * M * k * k
            ms = ours_cuda_ms(BUILD, os.path.join(tmp, f"linear_{k}.mlir"), model(k, k),
                              a.iters, a.arch)
            tf = flops / (ms * 1e-3) / 1e12
            t = torch_json(a.python, TORCH, [M, k, k, a.iters])
            tt = flops / (t * 1e-3) / 1e12 if t else float("nan")
            ratio = f"{tf / tt:8.3f}" if t else "     n/a"
            print(f"{k:>6} {tf:8.3f} {tt:8.3f} {ratio}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
