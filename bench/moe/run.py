#!/usr/bin/env python3
"""Side-by-side MoE benchmark: tessera.moe vs baselines, in one run.

    bench/moe/run.py [--threads 2] [--quick] [--cases E8-T2048,E64] [--mcpu native]

fp32, d = 512, Mixtral-style routing (top-2, topk_then_softmax) and SwiGLU
experts. Rows: E = 8, f = 2048 at T in {512, 2048, 8192}; fine-grained
E = 64, f = 512 at T = 8192. Columns: ours; ours compiled as a dense mixture
(token_choice with k = E: every expert on every token, the cost routing
saves); a NumPy per-expert gather loop; PyTorch 2 with the per-expert
index_select / index_add_ loop of Hugging Face's MixtralSparseMoeBlock; an
estimate of the routing + permutation share (ours with f = 16 experts). The
header gives the CPU, its vector ISA, the SGEMM ceiling (NumPy and torch,
2048^3) and an FMA peak probe built for this ISA, all at the same thread
count. GFLOP/s count routed work only: 2*T*k*3*d*f (SwiGLU) + 2*T*d*E
(router). Nothing here is a test: it prints a table and never fails on a
time.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("BUILD_DIR", os.path.join(ROOT, "build"))
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from common import baseline_env, cpu_info, ensure_python, fma_peak, has_module, sh  # noqa: E402
D, K = 512, 2
ROUTING = "topk_then_softmax"

# (name, E, f, T); --quick keeps the first three with T <= 2048.
CASES = [("E8-T512", 8, 2048, 512), ("E8-T2048", 8, 2048, 2048),
         ("E8-T8192", 8, 2048, 8192), ("E64-T8192", 64, 512, 8192)]
QUICK = [("E8-T512", 8, 2048, 512), ("E8-T2048", 8, 2048, 2048),
         ("E64-T2048", 64, 512, 2048)]


def flops(t, e, f, k):
    """Useful work: k routed (token, expert) pairs per token, SwiGLU = three
    d x f matmuls, plus the router."""
    return 2.0 * t * k * 3 * D * f + 2.0 * t * D * e


def iters_for(work, seconds, gflops=60.0, lo=3, hi=50):
    """--bench count so that one measurement takes about `seconds`."""
    est_s = work / (gflops * 1e9)
    return max(lo, min(hi, int(seconds / max(est_s, 1e-4))))


PROBE = textwrap.dedent("""
    import ctypes, json, sys, time
    import numpy as np
    threads = int(sys.argv[1])
    out = {'numpy_version': np.__version__}
    def median(f, n):
        f(); t = []
        for _ in range(n):
            a = time.perf_counter(); f(); t.append(time.perf_counter() - a)
        return sorted(t)[len(t) // 2] * 1e3
    blas = None
    try:
        from threadpoolctl import threadpool_info
        for i in threadpool_info():
            if i.get('user_api') == 'blas':
                blas = f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')}"
                blas += f" ({i.get('num_threads')} threads, threadpoolctl)"
                break
    except ImportError:
        pass
    if blas is None:  # no threadpoolctl: ask OpenBLAS itself
        libs = {l.split()[-1] for l in open('/proc/self/maps') if 'openblas' in l.lower()}
        for lib in libs:
            for sym in ('openblas_get_corename', 'openblas_get_corename64_',
                        'scipy_openblas_get_corename64_', 'scipy_openblas_get_corename'):
                try:
                    f = getattr(ctypes.CDLL(lib), sym)
                except (AttributeError, OSError):
                    continue
                f.restype = ctypes.c_char_p
                blas = 'OpenBLAS ' + f().decode() + ' (corename)'
                break
            if blas:
                break
    out['numpy_blas'] = blas or 'unknown'
    a = np.random.rand(2048, 2048).astype(np.float32)
    out['numpy_sgemm'] = 2 * 2048**3 / median(lambda: a @ a, 5) * 1e-6
    try:
        import torch
        torch.set_num_threads(threads)
        out['torch_version'] = torch.__version__
        ta = torch.rand(2048, 2048)
        out['torch_sgemm'] = 2 * 2048**3 / median(lambda: ta @ ta, 5) * 1e-6
    except Exception as e:
        out['torch_error'] = f'{type(e).__name__}: {e}'
    print(json.dumps(out))
""")

# Both baselines on the same uniform [-1, 1) inputs as the executable's
# --random-inputs (same distribution, not the same values).
BASELINES = textwrap.dedent("""
    import json, os, sys, time
    import numpy as np
    cfg = json.loads(sys.argv[1])
    T, d, E, f, k, n = cfg['T'], cfg['d'], cfg['E'], cfg['f'], cfg['k'], cfg['iters']
    out = {}
    rng = np.random.default_rng(0)
    u = lambda *s: rng.uniform(-1, 1, s).astype(np.float32)
    x, wg, wu, wd, wgt = u(T, d), u(E, d), u(E, f, d), u(E, d, f), u(E, f, d)
    def median(fn, n):
        fn(); t = []
        for _ in range(n):
            a = time.perf_counter(); fn(); t.append(time.perf_counter() - a)
        return sorted(t)[len(t) // 2] * 1e3

    def numpy_moe():
        # Route in NumPy (top-k of the logits, softmax over the k), sort the
        # (token, slot) pairs by expert, then per expert: gather its rows,
        # SwiGLU (two up matmuls + one down), scale, scatter-add.
        logits = x @ wg.T
        top = np.argpartition(-logits, k - 1, axis=1)[:, :k] if k < E else \\
            np.broadcast_to(np.arange(E), (T, E))
        tl = np.take_along_axis(logits, top, 1)
        w = np.exp(tl - tl.max(1, keepdims=True))
        w /= w.sum(1, keepdims=True)
        flat = top.reshape(-1)
        order = np.argsort(flat, kind='stable')
        bounds = np.searchsorted(flat[order], np.arange(E + 1))
        tok_all, w_all = order // k, w.reshape(-1)[order]
        y = np.zeros_like(x)
        for e in range(E):
            lo, hi = bounds[e], bounds[e + 1]
            if lo == hi:
                continue
            tok = tok_all[lo:hi]
            xe = x[tok]
            g = xe @ wgt[e].T
            h = g / (1 + np.exp(-g)) * (xe @ wu[e].T)
            y[tok] += (h @ wd[e].T) * w_all[lo:hi, None]  # one slot per token per expert
        return y
    with np.errstate(over='ignore'):
        out['numpy'] = median(numpy_moe, n)
        y_np = numpy_moe()

    try:
        import torch
        import torch.nn.functional as F
        torch.set_num_threads(cfg['threads'])
        tx, twg, twu, twd, twgt = (torch.from_numpy(a) for a in (x, wg, wu, wd, wgt))
        w1 = [twgt[e] for e in range(E)]  # HF: w1 = gate, w3 = up, w2 = down
        w3 = [twu[e] for e in range(E)]
        w2 = [twd[e] for e in range(E)]
        def torch_moe(hidden_states):
            # Hugging Face transformers MixtralSparseMoeBlock.forward (eager).
            router_logits = F.linear(hidden_states, twg)
            routing_weights = F.softmax(router_logits, dim=1, dtype=torch.float)
            routing_weights, selected_experts = torch.topk(routing_weights, k, dim=-1)
            routing_weights /= routing_weights.sum(dim=-1, keepdim=True)
            final = torch.zeros_like(hidden_states)
            expert_mask = F.one_hot(selected_experts, num_classes=E).permute(2, 1, 0)
            expert_hit = torch.greater(expert_mask.sum(dim=(-1, -2)), 0).nonzero()
            for expert_idx in expert_hit:
                e = int(expert_idx)
                idx, top_x = torch.where(expert_mask[e])
                cur = hidden_states.index_select(0, top_x)
                cur = F.linear(F.silu(F.linear(cur, w1[e])) * F.linear(cur, w3[e]), w2[e])
                final.index_add_(0, top_x, cur * routing_weights[top_x, idx, None])
            return final
        with torch.inference_mode():
            out['torch'] = median(lambda: torch_moe(tx), n)
            y_t = torch_moe(tx).numpy()
        out['torch_vs_numpy'] = float(np.abs(y_t - y_np).max() / np.abs(y_np).max())
    except ImportError as e:
        out['torch_error'] = str(e)
    if cfg.get('save'):
        for name, a in dict(x=x, wg=wg, wu=wu, wd=wd, wgt=wgt, y_numpy=y_np).items():
            np.save(os.path.join(cfg['save'], name + '.npy'), a)
    print(json.dumps(out))
""")

COMPARE = textwrap.dedent("""
    import sys
    import numpy as np
    a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
    print(float(np.abs(a - b).max() / np.abs(b).max()))
""")


# --- ours ----------------------------------------------------------------

def mlir(t, e, f, k, d=D):
    """The f32 SwiGLU MoE model of T tokens of width d, E experts of f."""
    x, g = f"tensor<{t}x{d}xf32>", f"tensor<{e}x{d}xf32>"
    up, dn = f"tensor<{e}x{f}x{d}xf32>", f"tensor<{e}x{d}x{f}xf32>"
    return (
        f'func.func @main(%x: {x} {{tessera.name = "x"}}, %wg: {g} {{tessera.name = "wg"}}, '
        f'%wu: {up} {{tessera.name = "wu"}}, %wd: {dn} {{tessera.name = "wd"}}, '
        f'%wgt: {up} {{tessera.name = "wgt"}}) -> ({x} {{tessera.name = "y"}}) {{\n'
        f"  %y = tessera.moe %x router(%wg) experts(%wu, %wd) gate(%wgt) "
        f"routing(#tessera.token_choice<k = {k}, order = {ROUTING}>) activation(swiglu)\n"
        f"      : ({x}, {g}, {up}, {dn}, {up}) -> ({x})\n"
        f"  return %y : {x}\n}}\n")


def compile_ours(tmp, tag, t, e, f, k, mcpu):
    src = os.path.join(tmp, f"moe_{tag}.mlir")
    with open(src, "w") as fh:
        fh.write(mlir(t, e, f, k))
    exe = src[:-5]
    sh([os.path.join(BUILD, "bin", "tesserac"), src, f"--mcpu={mcpu}", "-o", exe])
    return exe


def run_ours(exe, threads, iters, extra=()):
    out = sh([exe, *extra, "--threads", str(threads), "--bench", str(iters)],
             env=dict(os.environ, OMP_WAIT_POLICY="PASSIVE"), merge=True)
    m = re.search(r"^bench: iters=\d+ median_ms=([0-9.]+)", out, re.M)
    if not m:
        raise RuntimeError(f"{exe}: no bench line in:\n{out}")
    return float(m.group(1))


# --- main ----------------------------------------------------------------

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--quick", action="store_true",
                   help="T <= 2048 only (E64 at T = 2048)")
    p.add_argument("--cases", default="",
                   help="comma-separated case names or substrings, e.g. E8-T2048,E64")
    p.add_argument("--mcpu", default="native", help="tesserac --mcpu (default native)")
    p.add_argument("--seconds", type=float, default=4.0,
                   help="target seconds per measurement (sets --bench N; min 3 iters, "
                        "dense mixture min 1)")
    p.add_argument("--iters", type=int, default=0,
                   help="fixed --bench N for every measurement (default: from --seconds)")
    p.add_argument("--tokens", default="",
                   help="comma-separated T values replacing each case's T (smoke tests)")
    p.add_argument("--python", default=shutil.which("python3") or sys.executable,
                   help="interpreter for the NumPy / PyTorch baselines")
    p.add_argument("--no-install", action="store_true", help="don't pip-install torch/numpy")
    p.add_argument("--no-dense", action="store_true", help="skip the dense-mixture column")
    p.add_argument("--no-route-estimate", action="store_true",
                   help="skip the f = 16 routing-share estimate")
    a = p.parse_args()
    if not os.path.exists(os.path.join(BUILD, "bin", "tesserac")):
        sys.exit(f"build Tessera first (scripts/demo.sh); no {BUILD}/bin/tesserac")
    cases = QUICK if a.quick else CASES
    if a.cases:
        want = [w.strip() for w in a.cases.split(",") if w.strip()]
        cases = [c for c in cases if any(w == c[0] or w in c[0] for w in want)]
        if not cases:
            sys.exit(f"--cases {a.cases}: no case matches {[c[0] for c in CASES + QUICK]}")

    if a.tokens:
        cases = [(f"E{e}-T{t}", e, f, t) for t in map(int, a.tokens.split(","))
                 for e, f in dict.fromkeys((c[1], c[2]) for c in cases)]
    bench_n = (lambda *args, **kw: a.iters) if a.iters else iters_for
    t_start = time.time()
    model, isa, flags = cpu_info()
    torch_reason = ensure_python(a.python, not a.no_install)
    benv = baseline_env(a.threads, flags)
    tmp = tempfile.mkdtemp(prefix="tessera-moe-bench-")
    fma, lanes, cxx = fma_peak(tmp, a.threads)
    probe = json.loads(sh([a.python, "-c", PROBE, str(a.threads)], env=benv)
                       .strip().splitlines()[-1])
    if "torch_error" in probe and not torch_reason:
        torch_reason = probe["torch_error"]
    sgemm_np, sgemm_t = probe["numpy_sgemm"], probe.get("torch_sgemm")
    sgemm = max(sgemm_np, sgemm_t or 0)
    sgemm_src = "torch" if sgemm_t and sgemm_t > sgemm_np else "NumPy"

    rows, check = [], None
    for i, (name, e, f, t) in enumerate(cases):
        work = flops(t, e, f, K)
        n = bench_n(work, a.seconds)
        r = dict(name=name, e=e, f=f, t=t, gf=None, dense=None, route=None)
        exe = compile_ours(tmp, name, t, e, f, K, a.mcpu)
        r["ms"] = run_ours(exe, a.threads, n, ["--random-inputs"])
        r["gf"] = work / r["ms"] * 1e-6
        if not a.no_dense:
            dexe = compile_ours(tmp, name + "-dense", t, e, f, e, a.mcpu)
            r["dense"] = run_ours(dexe, a.threads, bench_n(flops(t, e, f, e), a.seconds, lo=1),
                                  ["--random-inputs"])
        if not a.no_route_estimate:
            rexe = compile_ours(tmp, name + "-f16", t, e, 16, K, a.mcpu)
            r["route"] = run_ours(rexe, a.threads, a.iters or max(n, 10), ["--random-inputs"])
        cfg = dict(T=t, d=D, E=e, f=f, k=K, iters=n, threads=a.threads)
        if i == 0:  # same inputs through ours and NumPy: the baselines compute our function
            cfg["save"] = os.path.join(tmp, "check")
            os.makedirs(cfg["save"], exist_ok=True)
        py = json.loads(sh([a.python, "-c", BASELINES, json.dumps(cfg)], env=benv)
                        .strip().splitlines()[-1])
        r["numpy"], r["torch"] = py.get("numpy"), py.get("torch")
        if i == 0:
            s = cfg["save"]
            sh([exe, "--threads", str(a.threads), "--output", s,
                *[arg for v in ("x", "wg", "wu", "wd", "wgt")
                  for arg in ("--input", f"{v}={os.path.join(s, v + '.npy')}")]])
            err = float(sh([a.python, "-c", COMPARE, os.path.join(s, "y.npy"),
                            os.path.join(s, "y_numpy.npy")]))
            check = (name, err, py.get("torch_vs_numpy"))
        rows.append(r)
        print(f"  measured {name} ({time.time() - t_start:.0f} s)", file=sys.stderr, flush=True)

    # --- table ---
    print(f"\nMoE fp32 d={D}, top-{K} {ROUTING}, SwiGLU, threads={a.threads}")
    print(f"CPU: {model}; ISA: {isa}")
    peak = f"{fma:.0f} GFLOP/s ({lanes}-lane FMA probe, {cxx} -O2 -march=native)" if fma \
        else "probe failed"
    print(f"FMA peak: {peak}; SGEMM 2048^3: NumPy {sgemm_np:.0f} GFLOP/s "
          f"[{probe['numpy_blas']}, numpy {probe['numpy_version']}]"
          + (f", torch {sgemm_t:.0f} GFLOP/s [torch {probe['torch_version']}]" if sgemm_t else "")
          + (f" = {100 * sgemm / fma:.0f}% of FMA peak" if fma else ""))
    if torch_reason:
        print(f"torch column skipped: {torch_reason}")
    hdr = (f"{'case':<11}{'E':>3}{'f':>6}{'T':>6}{'ours ms':>9}{'GFLOP/s':>9}"
           f"{'%SGEMM':>8}{'dense ms':>10}{'x':>6}{'numpy ms':>10}{'x':>6}"
           f"{'torch ms':>10}{'x':>6}{'route%~':>9}")
    print(hdr)
    print("-" * len(hdr))
    fmt = lambda v: f"{v:10.1f}" if v else f"{'-':>10}"
    ratio = lambda base, ours_ms: f"{base / ours_ms:6.2f}" if base else f"{'-':>6}"
    for r in rows:
        route = f"{100 * r['route'] / r['ms']:8.0f}%" if r["route"] else f"{'-':>9}"
        print(f"{r['name']:<11}{r['e']:>3}{r['f']:>6}{r['t']:>6}{r['ms']:9.2f}{r['gf']:9.1f}"
              f"{100 * r['gf'] / sgemm:7.0f}%{fmt(r['dense'])}{ratio(r['dense'], r['ms'])}"
              f"{fmt(r['numpy'])}{ratio(r['numpy'], r['ms'])}"
              f"{fmt(r['torch'])}{ratio(r['torch'], r['ms'])}{route}")
    print(f"GFLOP/s = (2*T*k*3*d*f + 2*T*d*E) / ours ms (routed pairs only); %SGEMM of the "
          f"best 2048^3 SGEMM ({sgemm_src}, {sgemm:.0f}); x = baseline ms / ours ms "
          f"(> 1: ours faster); dense = ours with k = E; route%~ = ours with f = 16 / ours "
          f"(an ESTIMATE of routing + permute + combine share).")
    if check:
        tv = f", torch vs NumPy {check[2]:.1e}" if check[2] is not None else ""
        print(f"check ({check[0]}, same inputs): ours vs NumPy max|diff|/max|y| = "
              f"{check[1]:.1e}{tv}")
    print(f"total {time.time() - t_start:.0f} s")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
