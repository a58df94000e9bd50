#!/usr/bin/env python3
"""call_shared.py LIB.so: loads a tesserac --emit=shared library with ctypes,
reads its model table, calls the first model's entry on seeded inputs, and
prints the signature and the max |error| of `silu` against NumPy (the
test's model)."""
import ctypes
import sys

import numpy as np

from model_table import default_prefix, models

lib = ctypes.CDLL(sys.argv[1])
sig, entry = models(lib, default_prefix(sys.argv[1]))[0]
print(sig.strip())
lines = [l.split() for l in sig.splitlines()]
inputs = [l for l in lines if l[0] == "input"]
outputs = [l for l in lines if l[0] == "output"]


def descriptor(shape, data_ptr=0):
    r = len(shape)
    words = (ctypes.c_int64 * (3 + 2 * r))()
    words[0] = words[1] = data_ptr
    strides = [int(np.prod(shape[i + 1:])) for i in range(r)]
    for i in range(r):
        words[3 + i] = shape[i]
        words[3 + r + i] = strides[i]
    return words


rng = np.random.default_rng(0)
arrays, descs = [], []
for _, name, dtype, dims in inputs:
    shape = [int(d) for d in dims.split(",")]
    a = np.ascontiguousarray(rng.uniform(-4, 4, shape).astype(np.float32))
    arrays.append(a)
    descs.append(descriptor(shape, a.ctypes.data))
out_shape = [int(d) for d in outputs[0][3].split(",")]
result = descriptor(out_shape)
args = (ctypes.c_void_p * (1 + len(descs)))(
    ctypes.addressof(result), *[ctypes.addressof(d) for d in descs])
entry(ctypes.cast(args, ctypes.POINTER(ctypes.c_void_p)))
n = int(np.prod(out_shape))
got = np.ctypeslib.as_array(ctypes.cast(result[1], ctypes.POINTER(ctypes.c_float)),
                            shape=(n,)).reshape(out_shape).astype(np.float64)
x = arrays[0].astype(np.float64)
print(f"max_err={np.max(np.abs(got - x / (1 + np.exp(-x)))):.1e}")
