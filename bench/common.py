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


