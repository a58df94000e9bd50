#!/usr/bin/env python3
"""Side-by-side attention benchmark: Tessera vs baselines, in one run.

    bench/attention/run.py [--threads 2] [--iters 5] [--quick] [--python PY]

B=1, H=8, D=64, fp32. Rows: S in {512, 1024, 2048, 4096} non-causal and
causal, sliding window 256 at S in {4096, 16384}, GQA 8:2 at S=2048.
Columns: ours; a naive C++ attention that materialises S×S; NumPy (OpenBLAS
with its core type set for this CPU); PyTorch 2's
`scaled_dot_product_attention` (`is_causal=True` for causal, a boolean mask
for the window; torch from PyPI, pip-installed into --python if missing);
the SGEMM ceiling (the better of NumPy's and torch's 2048³) and an FMA peak
probe built for this CPU's vector ISA, all with the same thread count.
GFLOP/s count 4·S²·D per head for dense attention and 4·D per *allowed*
(query, key) pair under a mask. Baselines that would materialise an S×S
matrix of 512 MiB or more are skipped. Nothing here is a test: it prints a
table and never fails on a time.
"""
import argparse
import ctypes
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("BUILD_DIR", os.path.join(ROOT, "build"))
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from common import baseline_env, cpu_info, ensure_python, fma_peak, sh  # noqa: E402
D, H = 64, 8


def ensure_openblas():
    """OpenBLAS for NumPy's column, installed if missing (Debian)."""
    ok = subprocess.run(["dpkg-query", "-W", "-f=${Status}", "libopenblas0-pthread"],
                        capture_output=True, text=True).stdout
    if "install ok installed" not in ok and os.geteuid() == 0:
        print("installing libopenblas0-pthread", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "libopenblas0-pthread"],
                       check=False, stdout=subprocess.DEVNULL,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def masks(s):
    """(label, MLIR attribute, allowed(q, k) predicate, allowed-pair count)."""
    return {
        "dense": ("", s * s),
        "causal": ("#tessera.causal", s * (s + 1) // 2),
        "window256": ("#tessera.sliding_window<left = 256, right = 0>",
                      sum(min(q + 1, 257) for q in range(s))),
    }


CONFIGS = [(s, "dense", 8) for s in (512, 1024, 2048, 4096)] + \
          [(s, "causal", 8) for s in (512, 1024, 2048, 4096)] + \
          [(4096, "window256", 8), (16384, "window256", 8), (2048, "dense", 2)]


def ours(tmp, s, mask, hkv, threads, iters):
    attr, _ = masks(s)[mask]
    q = f"tensor<1x{H}x{s}x{D}xf32>"
    kv = f"tensor<1x{hkv}x{s}x{D}xf32>"
    a = f" {{mask = {attr}}}" if attr else ""
    src = os.path.join(tmp, f"att_{s}_{mask}_{hkv}.mlir")
    with open(src, "w") as f:
        f.write(f"""func.func @main(%q: {q}, %k: {kv}, %v: {kv}) -> {q} {{
  %0 = tessera.attention %q, %k, %v{a} : ({q}, {kv}, {kv}) -> {q}
  return %0 : {q}
}}
""")
    exe = src[:-5]
    sh([os.path.join(BUILD, "bin", "tesserac"), src, "-o", exe])
    out = sh(["/usr/bin/time", "-f", "maxrss_kb=%M", exe, "--random-inputs",
              "--threads", str(threads), "--bench", str(iters)],
             env=dict(os.environ, OMP_WAIT_POLICY="PASSIVE"), merge=True)
    ms = float(re.search(r"median_ms=([0-9.]+)", out).group(1))
    rss = int(re.search(r"maxrss_kb=(\d+)", out).group(1))
    return ms, rss


PY_BASELINES = textwrap.dedent("""
    import ctypes, json, sys, time
    import numpy as np
    cfg = json.loads(sys.argv[1])
    out = {}
    def median(f, n):
        f(); t = []
        for _ in range(n):
            a = time.perf_counter(); f(); t.append(time.perf_counter() - a)
        return sorted(t)[len(t) // 2] * 1e3
    blas = [l.split()[-1] for l in open('/proc/self/maps') if 'openblas' in l]
    if blas:
        lib = ctypes.CDLL(blas[0])
        out['numpy_blas'] = 'OpenBLAS'
        # Debian's and PyPI's (scipy-openblas, symbols suffixed) builds.
        for sym in ('openblas_get_corename', 'scipy_openblas_get_corename64_',
                    'openblas_get_corename64_'):
            if hasattr(lib, sym):
                f = getattr(lib, sym)
                f.restype = ctypes.c_char_p
                out['numpy_blas'] += ' ' + f().decode()
                break
    else:
        out['numpy_blas'] = 'reference BLAS'
    a = np.random.rand(2048, 2048).astype(np.float32)
    out['numpy_sgemm'] = 2 * 2048**3 / median(lambda: a @ a, 5) * 1e-6
    s, hkv, mask, D, H = cfg['s'], cfg['hkv'], cfg['mask'], cfg['D'], cfg['H']
    rng = np.random.default_rng(0)
    q = rng.standard_normal((H, s, D), dtype=np.float32)
    k = rng.standard_normal((hkv, s, D), dtype=np.float32)
    v = rng.standard_normal((hkv, s, D), dtype=np.float32)
    allowed = None
    if cfg['run_numpy'] and mask != 'dense':  # S×S booleans
        qi, ki = np.arange(s)[:, None], np.arange(s)[None, :]
        allowed = (ki <= qi) if mask == 'causal' else (ki <= qi) & (ki >= qi - 256)
    def np_att():
        for h in range(H):
            sc = (q[h] @ k[h * hkv // H].T) * np.float32(D ** -0.5)
            if allowed is not None:
                sc = np.where(allowed, sc, np.float32(-np.inf))
            sc -= sc.max(-1, keepdims=True)
            np.exp(sc, out=sc)
            sc /= sc.sum(-1, keepdims=True)
            sc @ v[h * hkv // H]
    if cfg['run_numpy']:
        out['numpy'] = median(np_att, cfg['iters'])
    try:
        import torch
        torch.set_num_threads(cfg['threads'])
        out['torch_version'] = torch.__version__
        tq = torch.from_numpy(q)[None]
        tk = torch.from_numpy(k)[None]
        tv = torch.from_numpy(v)[None]
        ta = torch.randn(2048, 2048)
        out['torch_sgemm'] = 2 * 2048**3 / median(lambda: ta @ ta, 5) * 1e-6
        sdpa = torch.nn.functional.scaled_dot_product_attention
        kw = {}
        if mask == 'causal':
            kw['is_causal'] = True
        elif allowed is not None:
            kw['attn_mask'] = torch.from_numpy(allowed)
        if hkv != H:
            kw['enable_gqa'] = True
        def t_att():
            with torch.inference_mode():
                return sdpa(tq, tk, tv, **kw)
        if cfg['run_numpy'] or mask == 'causal':
            out['torch'] = median(t_att, cfg['iters'])
    except Exception as e:  # no torch: the column says so
        out['torch_error'] = type(e).__name__
    print(json.dumps(out))
""")


def py_baselines(py, env, s, mask, hkv, threads, iters, run_numpy):
    cfg = dict(s=s, mask=mask, hkv=hkv, threads=threads, iters=iters, D=D, H=H,
               run_numpy=run_numpy)
    out = sh([py, "-c", PY_BASELINES, json.dumps(cfg)], env=env)
    return json.loads(out.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--iters", type=int, default=5)
    p.add_argument("--quick", action="store_true", help="S <= 2048 only")
    p.add_argument("--python", default=sys.executable,
                   help="Python for the NumPy and PyTorch columns (default: this one)")
    p.add_argument("--no-install", action="store_true", help="don't pip-install torch/numpy")
    a = p.parse_args()
    if not os.path.exists(os.path.join(BUILD, "bin", "tesserac")):
        sys.exit(f"build Tessera first (scripts/demo.sh); no {BUILD}/bin/tesserac")
    ensure_openblas()
    model, isa, flags = cpu_info()
    torch_reason = ensure_python(a.python, not a.no_install)
    benv = baseline_env(a.threads, flags)
    tmp = tempfile.mkdtemp(prefix="tessera-bench-")
    cxx = shutil.which("g++") or "c++"
    sh([cxx, "-O3", "-march=native", "-fopenmp", os.path.join(HERE, "naive.cpp"),
        "-o", os.path.join(tmp, "naive")])
    penv = dict(os.environ, OMP_WAIT_POLICY="PASSIVE")
    fma, lanes, fma_cxx = fma_peak(tmp, a.threads)

    rows, sgemm, blas, torch_info = [], None, "", ""
    configs = [c for c in CONFIGS if not a.quick or c[0] <= 2048]
    for s, mask, hkv in configs:
        _, pairs = masks(s)[mask]
        flops = 4.0 * pairs * D * H
        ms, rss = ours(tmp, s, mask, hkv, a.threads, a.iters)
        big = s * s * 4 >= 512 << 20  # one materialised S×S matrix of 512 MiB+
        naive = None
        if not big and s <= 4096:
            naive = float(sh([os.path.join(tmp, "naive"), str(s), str(H), str(D),
                              str(int(mask == "causal")),
                              "256" if mask == "window256" else "0",
                              str(max(1, a.iters // 2)), str(a.threads)], env=penv))
        py = py_baselines(a.python, benv, s, mask, hkv, a.threads, a.iters,
                          run_numpy=not big)
        sgemm = sgemm or max(py["numpy_sgemm"], py.get("torch_sgemm", 0))
        blas = py.get("numpy_blas", "")
        if "torch_version" in py:
            torch_info = f"torch {py['torch_version']} (SGEMM {py['torch_sgemm']:.0f} GFLOP/s)"
        else:
            torch_info = f"torch unavailable ({torch_reason or py.get('torch_error')})"
        rows.append(dict(label=f"S={s} {mask}{' GQA 8:' + str(hkv) if hkv != H else ''}",
                         s=s, mask=mask, hkv=hkv, ms=ms, gf=flops / ms * 1e-6, rss=rss,
                         naive=naive, numpy=py.get("numpy"), torch=py.get("torch")))
        print(f"  measured {rows[-1]['label']}", file=sys.stderr, flush=True)

    print(f"\n{model}; vector ISA {isa}")
    fma_text = f"{fma:.0f} GFLOP/s ({lanes}-lane, {fma_cxx})" if fma else "failed"
    print(f"attention B=1 H={H} D={D} fp32, threads={a.threads}; "
          f"SGEMM ceiling (best of NumPy {blas} and torch, 2048³) {sgemm:.0f} GFLOP/s; "
          f"FMA peak probe {fma_text}; {torch_info} scaled_dot_product_attention")
    hdr = f"{'config':<26}{'ours ms':>9}{'GFLOP/s':>9}{'%SGEMM':>8}" \
          f"{'naive ms':>10}{'x':>7}{'numpy ms':>10}{'x':>7}{'torch ms':>10}{'x':>7}"
    print(hdr)
    print("-" * len(hdr))
    fmt = lambda v: f"{v:10.1f}" if v else f"{'-':>10}"
    ratio = lambda base, ours_ms: f"{base / ours_ms:7.1f}" if base else f"{'-':>7}"
    for r in rows:
        print(f"{r['label']:<26}{r['ms']:9.2f}{r['gf']:9.1f}{100 * r['gf'] / sgemm:7.0f}%"
              f"{fmt(r['naive'])}{ratio(r['naive'], r['ms'])}"
              f"{fmt(r['numpy'])}{ratio(r['numpy'], r['ms'])}"
              f"{fmt(r['torch'])}{ratio(r['torch'], r['ms'])}")

    by = {(r["s"], r["mask"], r["hkv"]): r for r in rows}
    print("\ntargets:")
    for s in (2048, 4096):
        r = by.get((s, "dense", H))
        c = by.get((s, "causal", H))
        if r:
            print(f"  S={s}: {100 * r['gf'] / sgemm:.0f}% of SGEMM (target >= 70%)"
                  + (f", {r['numpy'] / r['ms']:.1f}x NumPy" if r['numpy'] else ""))
        for x in (r, c):
            if x and x['torch']:
                print(f"  S={s} {x['mask']}: {x['torch'] / x['ms']:.2f}x torch SDPA "
                      "(target >= 1.3x)")
        if r and c:
            print(f"  S={s}: causal {r['ms'] / c['ms']:.2f}x faster than non-causal (target >= 1.8x)")
    w1, w2 = by.get((4096, "window256", H)), by.get((16384, "window256", H))
    if w1 and w2:
        print(f"  sliding window 256: time x{w2['ms'] / w1['ms']:.2f} for S x4 (linear: ~4); "
              f"peak RSS at S=16384 {w2['rss'] / 1024:.0f} MiB "
              f"(inputs+output {4 * 4 * H * 16384 * D / 2**20:.0f} MiB; an S×S score "
              f"matrix alone would be {16384**2 * 4 / 2**20:.0f} MiB per head)")


if __name__ == "__main__":
    main()
