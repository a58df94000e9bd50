"""bf16_rounding.py DIR: checks the outputs of
test/Integration/CPU/bf16-convert.mlir against an independent rounding."""
import sys

import numpy as np

out = sys.argv[1]
x = np.load(f"{out}/x.npy").ravel()
y = np.load(f"{out}/y.npy").view(np.uint16).ravel().astype(np.uint32)
back = np.load(f"{out}/back.npy").ravel()
bits = x.view(np.uint32)
lo = bits & np.uint32(0xFFFF0000)
hi = lo + np.uint32(0x10000)
xd = x.astype(np.float64)
dlo = np.abs(xd - lo.view(np.float32).astype(np.float64))
dhi = np.abs(xd - hi.view(np.float32).astype(np.float64))
ties = dlo == dhi
even_lo = ((lo >> 16) & 1) == 0
expect = np.where(dlo < dhi, lo, np.where(dhi < dlo, hi, np.where(even_lo, lo, hi))) >> 16
bad = np.flatnonzero(expect != y)
assert bad.size == 0, f"{bad.size} mismatches, first at {bad[0]}: x={x[bad[0]]!r}"
print(f"rounding ok: {x.size} values, {int(ties.sum())} ties")
assert np.array_equal(back.view(np.uint32), y << 16)
print("widening ok")
