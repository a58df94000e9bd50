#!/usr/bin/env python3
"""check_math.py EXE: runs a model returning (exp, tanh, erf) of its input x
on a dense grid over [-87, 88] and over [-5, 5], and checks the accuracy of
the polynomial approximations against float64: exp within 2 ulp, tanh and
erf within 5e-7 absolute. Prints the measured worst cases."""
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

exe = sys.argv[1]
ok = True
with tempfile.TemporaryDirectory() as tmp:
    for lo, hi in ((-87.0, 88.0), (-5.0, 5.0)):
        x = np.linspace(lo, hi, 100000).astype(np.float32)
        np.save(os.path.join(tmp, "x.npy"), x)
        subprocess.run([exe, "--input", f"x={tmp}/x.npy", "--output", tmp],
                       check=True, stdout=subprocess.DEVNULL)
        got = {n: np.load(os.path.join(tmp, f"{n}.npy")).astype(np.float64)
               for n in ("e", "t", "f")}
        xd = x.astype(np.float64)
        ref_e = np.exp(xd)
        ulp = np.spacing(ref_e.astype(np.float32)).astype(np.float64)
        e_ulp = float(np.max(np.abs(got["e"] - ref_e) / ulp))
        t_abs = float(np.max(np.abs(got["t"] - np.tanh(xd))))
        f_abs = float(np.max(np.abs(got["f"] - np.vectorize(math.erf)(xd))))
        good = e_ulp <= 2 and t_abs <= 5e-7 and f_abs <= 5e-7
        ok &= good
        print(f"{'PASS' if good else 'FAIL'} [{lo:g}, {hi:g}]: exp {e_ulp:.2f} ulp, "
              f"tanh {t_abs:.1e}, erf {f_abs:.1e}")
sys.exit(0 if ok else 1)
