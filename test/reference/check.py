#!/usr/bin/env python3
"""Runs a tesserac-built executable on seeded random inputs and compares its
outputs against an independent NumPy float64 reference (ops.py, moe.py,
models.py, schedulers.py, sampling.py).

  check.py EXE "EXPR" [--range NAME=LO,HI]... [--set NAME=PYEXPR]... [--default-range LO,HI]
           [--nan NAME=INDEX]... [--exec PYSTMT]... [--stats NAME=MU,STD,TOL]...
           [--seed N] [--threads N]

EXPR is a Python expression over the entry's input names (as float64 arrays;
all inputs are also in the dict `I`) and the modules `ops`, `moe`,
`models`, `schedulers` and `sampling`; it evaluates to the reference output (or a tuple, one per
output). --nan NAME=INDEX sets the entries INDEX (a Python index expression,
e.g. `0,1,5` for a row) of input NAME to NaN after drawing it; --exec
statements run after that, with each input bound to its name (e.g.
`--exec "v[0, :, 7] = np.inf"`). --stats also checks an output's mean and
standard deviation.
Tolerance (DESIGN.md): max|err| <= 1e-4 * max(1, max|ref|) over the entries
where the reference is not NaN, for f32 outputs. f16 and bf16 are storage
types (computed in f32, rounded once): their inputs are drawn in f32 and
rounded to the type (the reference sees the rounded values), and an output
of such a type also gets its rounding, half an ulp: (1e-4 + 2^-11) and
(1e-4 + 2^-8) * max(1, max|ref|). NaN must appear exactly where the
reference has it (the count is printed as `nan=N` when non-zero).
Prints one `PASS`/`FAIL` line per output; exits 1 on any failure.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import models  # noqa: E402
import moe  # noqa: E402
import ops  # noqa: E402
import sampling  # noqa: E402
import schedulers  # noqa: E402

DTYPES = {"f32": np.float32, "f64": np.float64, "f16": np.float16,
          "i32": np.int32, "i64": np.int64, "i1": np.bool_}
# Half an ulp of each storage type, relative (its rounding of a result).
ROUNDING = {"f16": 2.0 ** -11, "bf16": 2.0 ** -8}


def to_bf16(values):
    """float -> bf16 bits (round to nearest, ties to even), as .npy's V2."""
    bits = np.asarray(values, np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype(np.uint16).view("V2")


def from_storage(arr):
    """float64 values of an array as stored (bf16 arrives as V2)."""
    if arr.dtype.kind == "V" and arr.dtype.itemsize == 2:
        return (arr.view(np.uint16).astype(np.uint32) << 16).view(
            np.float32).astype(np.float64)
    return arr.astype(np.float64) if arr.dtype.kind == "f" else arr


def storage(values, dtype):
    if dtype == "bf16":
        return to_bf16(values)
    return np.asarray(values, DTYPES[dtype])


def signature(exe):
    out = subprocess.run([exe, "--print-signature"], check=True,
                         capture_output=True, text=True).stdout
    inputs, outputs = [], []
    for line in out.splitlines():
        kind, rest = line.split(None, 1)
        if kind not in ("input", "output"):
            continue  # e.g. "scratch: N bytes"
        name, ty = rest.split(":", 1)
        dtype, dims = ty.strip().split("[", 1)
        shape = tuple(int(d) for d in dims.rstrip("]").split(",") if d)
        (inputs if kind == "input" else outputs).append((name.strip(), dtype, shape))
    return inputs, outputs


def main():
    p = argparse.ArgumentParser()
    p.add_argument("exe")
    p.add_argument("expr")
    p.add_argument("--range", action="append", default=[])
    p.add_argument("--set", action="append", default=[],
                   help="NAME=PYEXPR: a fixed value for an input")
    p.add_argument("--default-range", default="-1,1",
                   help="LO,HI for inputs without a --range")
    p.add_argument("--nan", action="append", default=[],
                   help="NAME=INDEX: entries of an input set to NaN")
    p.add_argument("--exec", action="append", default=[],
                   help="PYSTMT run on the drawn inputs (by name) before the run")
    p.add_argument("--stats", action="append", default=[],
                   help="NAME=MU,STD,TOL: output NAME's mean and standard "
                        "deviation must be within TOL of MU and STD")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    ranges = {}
    for r in a.range:
        name, lohi = r.split("=")
        ranges[name] = tuple(float(v) for v in lohi.split(","))
    default = tuple(float(v) for v in a.default_range.split(","))
    rng = np.random.default_rng(a.seed)
    inputs, outputs = signature(a.exe)
    env = {"ops": ops, "moe": moe, "models": models, "sampling": sampling,
           "schedulers": schedulers, "np": np, "I": {}}
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [a.exe, "--output", tmp, "--threads", str(a.threads)]
        fixed = dict(f.split("=", 1) for f in a.set)
        nans = {}
        for f in a.nan:
            name, index = f.split("=", 1)
            nans.setdefault(name, []).append(index)
        arrays = {}
        for name, dtype, shape in inputs:
            lo, hi = ranges.get(name, default)
            if name in fixed:
                arr = np.asarray(eval(fixed[name], {"np": np}))  # noqa: S307
            elif dtype == "i1":
                arr = rng.uniform(size=shape) < 0.7
            else:
                arr = rng.uniform(lo, hi, size=shape)
            arr = np.array(arr, np.float32 if dtype == "bf16" else DTYPES[dtype])
            for index in nans.get(name, []):
                arr[eval(f"np.s_[{index}]", {"np": np})] = np.nan  # noqa: S307
            arrays[name] = arr
        for stmt in a.exec:
            scope = {"np": np, **arrays}
            exec(stmt, scope)  # noqa: S102 - test-only statements
            arrays = {name: np.asarray(scope[name], arrays[name].dtype)
                      for name in arrays}
        for name, dtype, shape in inputs:
            arr = storage(arrays[name], dtype)
            path = os.path.join(tmp, f"in_{name}.npy")
            np.save(path, arr)
            cmd += ["--input", f"{name}={path}"]
            env["I"][name] = from_storage(arr)
            if name.isidentifier():
                env[name] = env["I"][name]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        refs = eval(a.expr, env)  # noqa: S307 - test-only expressions
        if not isinstance(refs, tuple):
            refs = (refs,)
        ok = True
        for (name, dtype, shape), ref in zip(outputs, refs):
            got = from_storage(np.load(os.path.join(tmp, f"{name}.npy"))).astype(np.float64)
            if got.shape != ref.shape:
                print(f"FAIL {name}: shape {got.shape} != reference {ref.shape}")
                ok = False
                continue
            nan = np.isnan(ref)
            if (np.isnan(got) != nan).any():
                print(f"FAIL {name}: NaN at {int(np.isnan(got).sum())} entries, "
                      f"reference at {int(nan.sum())}")
                ok = False
                continue
            got, ref = got[~nan], ref[~nan]
            err = float(np.max(np.abs(got - ref))) if ref.size else 0.0
            tol = (1e-4 + ROUNDING.get(dtype, 0.0)) * max(
                1.0, float(np.max(np.abs(ref))) if ref.size else 1.0)
            good = err <= tol
            ok &= good
            extra = f" nan={int(nan.sum())}" if nan.any() else ""
            print(f"{'PASS' if good else 'FAIL'} {name}: max_err={err:.3e} tol={tol:.3e}{extra}")
        for spec in a.stats:
            name, vals = spec.split("=")
            mu, sd, tol = (float(v) for v in vals.split(","))
            got = from_storage(np.load(os.path.join(tmp, f"{name}.npy"))).astype(np.float64)
            m, d = float(got.mean()), float(got.std())
            good = abs(m - mu) <= tol and abs(d - sd) <= tol
            ok &= good
            print(f"{'PASS' if good else 'FAIL'} stats {name}: mean={m:.4f} "
                  f"(want {mu:g}) std={d:.4f} (want {sd:g}) tol={tol:g}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
