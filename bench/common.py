"""Helpers shared by the benchmarks: the machine (CPU, vector ISA, an FMA
peak probe built for that ISA), the baselines' best environment, and the
Python that runs them (NumPy and PyTorch 2 from PyPI, installed if
missing)."""
import os
import re
import shutil
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))


def sh(cmd, env=None, merge=False):
    return subprocess.run(cmd, check=True, text=True, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT if merge else subprocess.PIPE).stdout


# --- machine -------------------------------------------------------------

def cpu_info():
    text = open("/proc/cpuinfo").read()
    model = re.search(r"^model name\s*:\s*(.*)$", text, re.M)
    flags = set((re.search(r"^flags\s*:\s*(.*)$", text, re.M) or [None, ""])[1].split())
    if "avx512f" in flags:
        isa = "AVX-512 (16-lane FMA)"
    elif "avx2" in flags and "fma" in flags:
        isa = "AVX2+FMA (8-lane FMA)"
    else:
        isa = "SSE/AVX without FMA"
    fam, mod = (re.search(rf"^{k}\s*:\s*(\d+)$", text, re.M) for k in ("cpu family", "model"))
    name = model.group(1).strip() if model else "unknown CPU"
    if fam and mod:
        name += f" (family {fam.group(1)}, model {mod.group(1)}; {os.cpu_count()} CPUs)"
    return name, isa, flags


def fma_peak(tmp, threads):
    cxx = shutil.which("clang++-22") or shutil.which("clang++") or shutil.which("g++")
    exe = os.path.join(tmp, "fma_peak")
    try:
        sh([cxx, "-O2", "-march=native", os.path.join(BENCH, "fma_peak.cpp"), "-o", exe,
            "-pthread"])
        gf, lanes = sh([exe, str(threads)]).split()
        return float(gf), int(lanes), os.path.basename(cxx)
    except (subprocess.CalledProcessError, ValueError, TypeError) as e:
        print(f"  fma_peak probe failed: {e}", file=sys.stderr)
        return None, None, cxx


def baseline_env(threads, flags):
    """OpenBLAS-backed baselines in their best configuration: no preset
    OPENBLAS_* (they slow a current NumPy), the real core type (Debian's
    OpenBLAS 0.3.21 misdetects newer Xeons), passive OpenMP waits so idle
    threads don't steal the second core."""
    core = "SkylakeX" if "avx512f" in flags else "Haswell"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENBLAS_")}
    env.update(OPENBLAS_CORETYPE=core, OPENBLAS_NUM_THREADS=str(threads),
               OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads),
               OMP_WAIT_POLICY="PASSIVE")
    return env


# --- baseline interpreter --------------------------------------------------

def has_module(py, mod):
    return subprocess.run([py, "-c", f"import {mod}"], capture_output=True).returncode == 0


def pip_busy():
    """Another `pip install ... torch` in progress (it would race ours)."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            cmd = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
        except OSError:
            continue
        if b"pip" in b" ".join(cmd) and b"install" in cmd and b"torch" in cmd:
            return True
    return False


def ensure_python(py, install):
    """NumPy and PyTorch 2 in `py`, pip-installed if missing (waits for an
    install already under way). Returns a reason string if torch is out."""
    if install:
        for _ in range(120):  # up to 20 minutes
            if not pip_busy():
                break
            if _ == 0:
                print("waiting for a pip install of torch already in progress...",
                      file=sys.stderr, flush=True)
            time.sleep(10)
        missing = [m for m in ("numpy", "torch") if not has_module(py, m)]
        if missing:
            print(f"installing into {py}: {' '.join(missing)}", file=sys.stderr, flush=True)
            subprocess.run([py, "-m", "pip", "install", "-q", *missing], check=False)
    if not has_module(py, "numpy"):
        sys.exit(f"{py} has no numpy (python3 -m pip install numpy)")
    if not has_module(py, "torch"):
        return "torch not importable" + ("" if install else " (--no-install)")
    return None




# --- CUDA ----------------------------------------------------------------

# Times a callable `fn` with CUDA events, its median over `iters` calls
# after one warm-up: the prologue of the PyTorch snippets.
TORCH_CUDA_TIMER = r"""
import torch
def timed(fn, iters):
    fn(); torch.cuda.synchronize()
    ts = []
    for _ in range(iters):
        a = torch.cuda.Event(enable_timing=True); b = torch.cuda.Event(enable_timing=True)
        a.record(); fn(); b.record(); torch.cuda.synchronize(); ts.append(a.elapsed_time(b))
    ts.sort(); return ts[len(ts) // 2]
"""


def cuda_device_found():
    """Whether the driver finds a GPU (the probe of lit's cuda-device)."""
    probe = ("import ctypes,sys; c=ctypes.CDLL('libcuda.so.1'); n=ctypes.c_int(0); "
             "sys.exit(not(c.cuInit(0)==0 and c.cuDeviceGetCount(ctypes.byref(n))==0 and n.value>0))")
    return subprocess.run([sys.executable, "-c", probe], capture_output=True).returncode == 0


def cuda_bench_args(doc):
    """The command line of the CUDA benchmarks, or None (said so) when the
    driver finds no GPU: there is nothing to measure then."""
    import argparse
    p = argparse.ArgumentParser(description=doc.split("\n")[0])
    p.add_argument("--iters", type=int, default=5)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--python", default=sys.executable)
    p.add_argument("--arch", default="sm_80,sm_90a")
    args = p.parse_args()
    if not cuda_device_found():
        print("no CUDA device found by the driver: nothing to measure")
        return None
    return args


def ours_cuda_ms(build, src, text, iters, arch):
    """Compiles model `text` (written to `src`) for CUDA and returns the
    executable's --bench median in ms."""
    exe = src[:-5]
    with open(src, "w") as f:
        f.write(text)
    subprocess.run([os.path.join(build, "bin", "tesserac"), src, "--target=cuda",
                    f"--cuda-arch={arch}", "-o", exe], check=True)
    out = subprocess.run([exe, "--random-inputs", "--bench", str(iters)],
                         capture_output=True, text=True, check=True).stdout
    return float(re.search(r"median_ms=([0-9.]+)", out).group(1))


def torch_json(python, snippet, args):
    """Runs `snippet` (after TORCH_CUDA_TIMER) with `args` as JSON in argv[1];
    its last line of output parsed as JSON, or None if it fails."""
    import json
    r = subprocess.run([python, "-c", TORCH_CUDA_TIMER + snippet, json.dumps(args)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return json.loads(r.stdout.strip().splitlines()[-1])
