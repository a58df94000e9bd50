#!/usr/bin/env python3
"""make_weights.py EXE OUT.safetensors [--seed N] [--skip NAME]...

Writes a safetensors file with one tensor per input of a tesserac-built
executable (read from its --print-signature), initialised like PyTorch's
nn.Linear: uniform in ±1/sqrt(fan_in) for matrices and their biases. Inputs
named with --skip are left out (give them with --input or --random-inputs).
"""
import argparse
import json
import struct
import subprocess

import numpy as np

p = argparse.ArgumentParser()
p.add_argument("exe")
p.add_argument("out")
p.add_argument("--seed", type=int, default=0)
p.add_argument("--skip", action="append", default=[])
a = p.parse_args()

sig = subprocess.run([a.exe, "--print-signature"], check=True,
                     capture_output=True, text=True).stdout
rng = np.random.default_rng(a.seed)
tensors, fan_in = {}, {}
for line in sig.splitlines():
    kind, rest = line.split(None, 1)
    if kind != "input":
        continue
    name, ty = (s.strip() for s in rest.split(":", 1))
    if name in a.skip:
        continue
    assert ty.startswith("f32["), f"{name}: only f32 inputs are generated"
    shape = tuple(int(d) for d in ty[4:-1].split(",") if d)
    tensors[name] = shape
    if len(shape) == 2:
        fan_in[name.rsplit(".", 1)[0]] = shape[1]

header, blobs, offset = {}, [], 0
for name, shape in tensors.items():
    bound = 1.0 / np.sqrt(fan_in.get(name.rsplit(".", 1)[0], shape[-1]))
    data = rng.uniform(-bound, bound, shape).astype("<f4").tobytes()
    header[name] = {"dtype": "F32", "shape": list(shape),
                    "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
text = json.dumps(header).encode()
text += b" " * (-len(text) % 8)
with open(a.out, "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
print(f"wrote {len(tensors)} tensors ({offset / 1e6:.1f} MB) to {a.out}")
