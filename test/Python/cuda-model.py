# A library compiled for the CUDA target is refused by the Python runtime,
# which hands models host memory: one clear error, no crash.
# REQUIRES: ptxas
# RUN: %preload %PYTHON %s | FileCheck %s

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
import testing  # noqa: E402,F401 - the sanitizer build's LD_PRELOAD

import tessera  # noqa: E402

MODEL = """\
func.func @main(%x: tensor<4x8xf32> {tessera.name = "x"})
    -> (tensor<4x8xf32> {tessera.name = "y"}) {
  %y = tessera.silu %x : tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
"""

try:
    tessera.compile(text=MODEL, extra_args=["--target=cuda"])
    print("loaded")
except ValueError as error:
    print("ValueError:", error)
# CHECK-NOT: loaded
# CHECK: ValueError: {{.*}}model 'main' was compiled with --target=cuda; this runtime calls CPU models on host memory (run a CUDA model as an executable)

# The same model for the CPU loads and runs.
lib = tessera.compile(text=MODEL)
print("cpu", lib["main"].outputs[0].name)
# CHECK: cpu y
