# The DiT example through the Python package matches the executable built
# from the same file bit for bit (same weights, inputs, CPU and threads).
# RUN: rm -rf %t && mkdir -p %t
# RUN: tesserac %S/../../examples/dit_block.mlir -o %t/dit_block
# RUN: %preload %PYTHON %s %t %S/../../examples/dit_block.mlir | FileCheck %s
# CHECK: inputs: x f32[2, 256, 384], t f32[2], 14 weights
# CHECK-NEXT: bit-exact: y f32[2, 256, 384]

import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
import testing  # noqa: E402,F401 - drops an inherited ASan preload

import tessera  # noqa: E402

out, source = sys.argv[1:]
lib = tessera.compile(source)
model = lib.model
rng = np.random.default_rng(0)
weights = {s.name: (rng.standard_normal(s.shape) * 0.05).astype(np.float32)
           for s in model.inputs if s.name not in ("x", "t")}
tessera.save_safetensors(os.path.join(out, "w.safetensors"), weights)
x = rng.standard_normal((2, 256, 384)).astype(np.float32)
t = np.float32([10, 500])
np.save(os.path.join(out, "x.npy"), x)
np.save(os.path.join(out, "t.npy"), t)
print(f"inputs: x f32{list(x.shape)}, t f32{list(t.shape)}, "
      f"{len(weights)} weights")

subprocess.run([os.path.join(out, "dit_block"), "--weights",
                os.path.join(out, "w.safetensors"), "--input",
                f"x={out}/x.npy", "--input", f"t={out}/t.npy", "--output",
                os.path.join(out, "exe"), "--threads", "2"],
               check=True, stdout=subprocess.DEVNULL)
expected = np.load(os.path.join(out, "exe", "y.npy"))

tessera.set_num_threads(2)
got = model(x, t, weights=os.path.join(out, "w.safetensors"))
assert got.dtype == expected.dtype and got.shape == expected.shape
assert np.array_equal(got.view(np.uint32), expected.view(np.uint32)), \
    f"max |diff| {np.max(np.abs(got - expected))}"
print(f"bit-exact: y f32{list(got.shape)}")
