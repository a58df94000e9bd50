#!/usr/bin/env python3
"""Side-by-side MoE benchmark on a CUDA GPU: Tessera vs PyTorch, in one run.

    bench/moe/cuda.py [--iters 5] [--quick] [--python PY] [--arch sm_80,sm_90a]

f32, d = 1024, Mixtral-style routing (top-2, topk_then_softmax) and SwiGLU
experts of f = 2816. Rows: E = 8 at T in {1024, 4096, 16384} tokens
(--quick: 1024 and 4096). Columns: ours (`tesserac --target=cuda`: the
grouped GEMMs' register blocks shared by a warp's lanes, f32, not on
tensor cores), PyTorch 2 with the per-expert index_select / index_add_ loop
of Hugging Face's MixtralSparseMoeBlock in f32 (its default: no TF32 for
matmuls), and GFLOP/s of the routed work, 2·T·k·3·d·f + 2·T·d·E; the ratio
is ours over PyTorch. Our time is the executable's `--bench` median of
whole calls; torch's is timed with CUDA events. Without a GPU it says so
and exits 0: nothing here is a test.
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from common import cuda_bench_args, ours_cuda_ms, torch_json  # noqa: E402
sys.path.insert(0, HERE)
from run import mlir  # noqa: E402

BUILD = os.environ.get("BUILD_DIR", os.path.join(ROOT, "build"))
D, F, E, K = 1024, 2816, 8, 2


TORCH = r"""
import json, sys
import torch.nn.functional as F
T, D, Fd, E, K, iters = json.loads(sys.argv[1])
dev = "cuda"
x = torch.randn(T, D, device=dev)
wg = torch.randn(E, D, device=dev) * D ** -0.5
w1 = [torch.randn(Fd, D, device=dev) * D ** -0.5 for _ in range(E)]
w3 = [torch.randn(Fd, D, device=dev) * D ** -0.5 for _ in range(E)]
w2 = [torch.randn(D, Fd, device=dev) * Fd ** -0.5 for _ in range(E)]
def moe(h):
    # Hugging Face transformers MixtralSparseMoeBlock.forward (eager).
    logits = F.linear(h, wg)
    weights = F.softmax(logits, dim=1, dtype=torch.float)
    weights, experts = torch.topk(weights, K, dim=-1)
    weights /= weights.sum(dim=-1, keepdim=True)
    out = torch.zeros_like(h)
    mask = F.one_hot(experts, num_classes=E).permute(2, 1, 0)
    for e in torch.greater(mask.sum(dim=(-1, -2)), 0).nonzero():
        e = int(e)
        idx, top = torch.where(mask[e])
        cur = h.index_select(0, top)
        cur = F.linear(F.silu(F.linear(cur, w1[e])) * F.linear(cur, w3[e]), w2[e])
        out.index_add_(0, top, cur * weights[top, idx, None])
    return out
with torch.inference_mode():
    print(json.dumps(timed(lambda: moe(x), iters)))
"""


def main():
    a = cuda_bench_args(__doc__)
    if a is None:
        return 0
    tokens = [1024, 4096] if a.quick else [1024, 4096, 16384]
    print(f"MoE f32 d={D} f={F} E={E} top-{K} SwiGLU; ours --target=cuda "
          f"--cuda-arch={a.arch}; torch MixtralSparseMoeBlock loop f32; "
          f"GFLOP/s (routed work), ratio = ours / torch")
    print(f"{'T':>6} {'ours':>9} {'torch':>9} {'ratio':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for t in tokens:
            flops = 2.0 * t * K * 3 * D * F + 2.0 * t * D * E
            ms = ours_cuda_ms(BUILD, os.path.join(tmp, f"moe_{t}.mlir"), mlir(t, E, F, K, d=D),
                              a.iters, a.arch)
            gf = flops / (ms * 1e-3) / 1e9
            tm = torch_json(a.python, TORCH, [t, D, F, E, K, a.iters])
            tg = flops / (tm * 1e-3) / 1e9 if tm else float("nan")
            ratio = f"{gf / tg:8.3f}" if tm else "     n/a"
            print(f"{t:>6} {gf:9.1f} {tg:9.1f} {ratio}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
