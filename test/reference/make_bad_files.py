#!/usr/bin/env python3
"""make_bad_files.py DIR: writes good and malformed .npy / .safetensors files
for the runtime's input-validation tests. The model under test takes
x: f32[2,3] and w: f32[4,3]."""
import json
import os
import struct
import sys

import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
x = rng.standard_normal((2, 3)).astype(np.float32)
w = rng.standard_normal((4, 3)).astype(np.float32)


def path(name):
    return os.path.join(out, name)


np.save(path("x.npy"), x)
np.save(path("w.npy"), w)
np.save(path("x_wrong_shape.npy"), np.zeros((2, 4), np.float32))
np.save(path("x_wrong_rank.npy"), np.zeros((6,), np.float32))
np.save(path("x_f64.npy"), x.astype(np.float64))
with open(path("x.npy"), "rb") as f:
    blob = f.read()
with open(path("x_truncated.npy"), "wb") as f:
    f.write(blob[:-5])
with open(path("x_bad_magic.npy"), "wb") as f:
    f.write(b"\x93NUMPX" + blob[6:])
with open(path("x_garbage_header.npy"), "wb") as f:
    f.write(blob[:10] + b"{'descr': <f4', 'fortran_order': False}".ljust(len(blob) - 10 - 24) + blob[-24:])
np.save(path("x_fortran.npy"), np.asfortranarray(np.zeros((2, 3), np.float32)))


def safetensors(name, tensors, header_extra=None, header_len=None, data=None):
    """tensors: name -> (dtype, shape, begin, end)."""
    header = {k: {"dtype": d, "shape": s, "data_offsets": [b, e]}
              for k, (d, s, b, e) in tensors.items()}
    if header_extra:
        header.update(header_extra)
    text = json.dumps(header).encode()
    n = len(text) if header_len is None else header_len
    with open(path(name), "wb") as f:
        f.write(struct.pack("<Q", n) + text + (data if data is not None else b""))


wb = w.tobytes()
xb = x.tobytes()
safetensors("good.safetensors", {"w": ("F32", [4, 3], 0, 48), "x": ("F32", [2, 3], 48, 72)},
            {"__metadata__": {"format": "pt"}}, data=wb + xb)
safetensors("oversized_header.safetensors", {"w": ("F32", [4, 3], 0, 48)},
            header_len=200_000_000, data=wb)
safetensors("header_past_end.safetensors", {"w": ("F32", [4, 3], 0, 48)},
            header_len=10_000, data=wb)
safetensors("out_of_bounds.safetensors", {"w": ("F32", [4, 3], 0, 48)}, data=wb[:40])
safetensors("overlap.safetensors", {"w": ("F32", [4, 3], 0, 48), "v": ("F32", [2, 3], 24, 48)},
            data=wb)
safetensors("unknown_dtype.safetensors", {"w": ("F7", [4, 3], 0, 48)}, data=wb)
safetensors("size_mismatch.safetensors", {"w": ("F32", [4, 4], 0, 48)}, data=wb)
safetensors("wrong_shape.safetensors", {"w": ("F32", [3, 4], 0, 48)}, data=wb)
safetensors("missing.safetensors", {"v": ("F32", [4, 3], 0, 48)}, data=wb)
with open(path("not_json.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", 9) + b"{'w': 1,}" + wb)
with open(path("bad_utf8.safetensors"), "wb") as f:
    text = b'{"\xff\xfe": {"dtype": "F32", "shape": [4, 3], "data_offsets": [0, 48]}}'
    f.write(struct.pack("<Q", len(text)) + text + wb)
with open(path("tiny.safetensors"), "wb") as f:
    f.write(b"\x01\x02")
