# tessera.compile with the build's tesserac: MLIR text or a file, one or
# two entries, symbol prefixes, output paths; the results against a NumPy
# float64 reference; compile errors carrying tesserac's diagnostics.
# RUN: rm -rf %t && mkdir -p %t
# RUN: %preload %PYTHON %s %t %S/Inputs | FileCheck %s

import os
import pathlib
import shutil
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from testing import show_error  # noqa: E402

import tessera  # noqa: E402

out, inputs = sys.argv[1:]

MODEL = """\
func.func @main(%x: tensor<4x8xf32> {tessera.name = "x"},
                %w: tensor<16x8xf32> {tessera.name = "fc.weight"},
                %b: tensor<16xf32> {tessera.name = "fc.bias"},
                %g: tensor<16xf32> {tessera.name = "norm.weight"})
    -> (tensor<4x16xf32> {tessera.name = "y"},
        tensor<4x8xf32> {tessera.name = "act"}) {
  %a = tessera.silu %x : tensor<4x8xf32>
  %h = tessera.linear %a, %w bias(%b)
      : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  %y = tessera.layer_norm %h weight(%g) {epsilon = 1.0e-05 : f32}
      : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  return %y, %a : tensor<4x16xf32>, tensor<4x8xf32>
}
func.func @pick(%x: tensor<4x8xf32> {tessera.name = "x"},
                %t: tensor<2xi64> {tessera.name = "task",
                                   tessera.valid_range = array<i64: 0, 3>})
    -> (tensor<4x8xf32> {tessera.name = "y"}) {
  %0 = tessera.silu %x : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
"""

rng = np.random.default_rng(0)
x = rng.uniform(-4, 4, (4, 8)).astype(np.float32)
params = {
    "fc.weight": rng.standard_normal((16, 8)).astype(np.float32) / 3,
    "fc.bias": rng.standard_normal(16).astype(np.float32),
    "norm.weight": rng.uniform(0.5, 1.5, 16).astype(np.float32),
}


def silu(v):
    v = v.astype(np.float64)
    return v / (1 + np.exp(-v))


def reference(x, p):
    act = silu(x)
    h = act @ p["fc.weight"].astype(np.float64).T + p["fc.bias"]
    mean = h.mean(-1, keepdims=True)
    var = ((h - mean) ** 2).mean(-1, keepdims=True)
    return (h - mean) / np.sqrt(var + 1e-5) * p["norm.weight"], act


def check(label, results, expected, tol=1e-5):
    err = max(float(np.max(np.abs(r.astype(np.float64) - e)))
              for r, e in zip(results, expected))
    assert err <= tol, (label, err)
    print(f"{label}: ok max_err={err:.1e}")


expected = reference(x, params)
lib = tessera.compile(MODEL, entry=["main", "pick"])
print(lib, lib.entries)
print(lib["main"])
# CHECK: <tessera.Library (temporary) entries=['main', 'pick']> ['main', 'pick']
# CHECK-NEXT: <tessera.Model main(x: f32[4,8], fc.weight: f32[16,8], fc.bias: f32[16], norm.weight: f32[16]) -> (y: f32[4,16], act: f32[4,8])>
main = lib["main"]
check("positional", main(x, *params.values()), expected)
check("by name", main(x=x, **params), expected)
check("weights dict", main(x, weights=params), expected)
weights = os.path.join(out, "params.safetensors")
tessera.save_safetensors(weights, params)
check("weights file", main(x, weights=weights), expected)
check("run", main.run({"x": x}, weights=weights).values(), expected)
check("float64 input", lib(x.astype(np.float64), weights=params), expected)
# CHECK-NEXT: positional: ok max_err=
# CHECK-NEXT: by name: ok max_err=
# CHECK-NEXT: weights dict: ok max_err=
# CHECK-NEXT: weights file: ok max_err=
# CHECK-NEXT: run: ok max_err=
# CHECK-NEXT: float64 input: ok max_err=

pick = lib["pick"]
print(pick)
check("second entry", [pick(x, np.array([2, 0]))], [silu(x)])
# CHECK-NEXT: <tessera.Model pick(x: f32[4,8], task: i64[2] range=[0,3)) -> (y: f32[4,8])>
# CHECK-NEXT: second entry: ok max_err=
show_error("range", pick, x, [0, 3])
# CHECK-NEXT: range: ValueError: input 'task': element [1] is 3, outside the valid range [0, 3)
show_error("dtype", main, x.astype(np.int64), weights=params)
# CHECK-NEXT: dtype: TypeError: input 'x': expected f32, got int64
show_error("shape", main, x[:2], weights=params)
# CHECK-NEXT: shape: ValueError: input 'x': expected shape (4, 8), got (2, 8)

tessera.set_num_threads(1)
check("one thread", main(x, weights=params), expected)
tessera.set_num_threads(2)
# CHECK-NEXT: one thread: ok max_err=

# A file, kept at `output`, loaded again with tessera.load.
silu_mlir = pathlib.Path(inputs, "silu.mlir")
so = os.path.join(out, "silu.so")
first = tessera.compile(silu_mlir, output=so, mcpu="x86-64")
print(first.entries, first.path == so, os.path.isfile(so))
# CHECK-NEXT: ['main'] True True
check("file", [tessera.load(so)(x)], [silu(x)])
check("text=", [tessera.compile(text=silu_mlir.read_text())(x)], [silu(x)])
# CHECK-NEXT: file: ok max_err=
# CHECK-NEXT: text=: ok max_err=
one_line = ("func.func @main(%x: tensor<3xf32>) -> tensor<3xf32> { "
            "%0 = tessera.silu %x : tensor<3xf32> return %0 : tensor<3xf32> }")
v = np.float32([-1, 0, 2])
check("one-line text", [tessera.compile(one_line)(v)], [silu(v)])
# CHECK-NEXT: one-line text: ok max_err=

# Replacing the file: the new library is loaded, the old one still runs.
second = tessera.compile(MODEL, output=so, entry="pick", symbol_prefix="m2")
print(second.entries, second.symbol_prefix)
# CHECK-NEXT: ['pick'] m2
check("old library", [first(x)], [silu(x)])
# CHECK-NEXT: old library: ok max_err=
print(sorted(os.listdir(out)))
# CHECK-NEXT: ['params.safetensors', 'silu.so']
# (Under a new path: the dynamic loader would return the library already
# loaded from `so`.)
copy = os.path.join(out, "m2.so")
shutil.copy(so, copy)
show_error("prefix", tessera.load, copy, symbol_prefix="other")
# CHECK-NEXT: prefix: ValueError: {{.*}}m2.so: no symbol 'other_num_models' (not a library compiled by tesserac with symbol prefix 'other'?)
check("load m2", [tessera.load(copy, symbol_prefix="m2")(x, [1, 1])],
      [silu(x)])
# CHECK-NEXT: load m2: ok max_err=
# By default the prefix comes from the file name, as tesserac's does.
check("load m2.so", [tessera.load(copy)(x, [1, 1])], [silu(x)])
# CHECK-NEXT: load m2.so: ok max_err=

# A library built for a CPU level this one lacks is refused on loading,
# naming what is missing (not an illegal instruction on the first call).
flags = next(line for line in open("/proc/cpuinfo") if line.startswith("flags"))
if "avx512f" in flags.split():
    print("newer CPU: RuntimeError: (skipped: this CPU has AVX-512) uses avx512f")
else:
    show_error("newer CPU", tessera.compile, silu_mlir, mcpu="x86-64-v4")
# CHECK-NEXT: newer CPU: RuntimeError: {{.*}}uses {{.*}}avx512f

# Failures.
show_error("diagnostic", tessera.compile,
           "func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {\n"
           "  %0 = tessera.silu %x : tensor<8xf32>\n"
           "  return %0 : tensor<4xf32>\n}")
# CHECK-NEXT: diagnostic: CompileError: <stdin>:2:21: error: use of value '%x' expects different type than prior uses: 'tensor<8xf32>' vs 'tensor<4xf32>'
show_error("no entry", tessera.compile, MODEL, entry="nope")
# CHECK-NEXT: no entry: CompileError: {{.*}}error: entry function '@nope' not found
show_error("bad option", tessera.compile, MODEL, extra_args=["--bogus"])
# CHECK-NEXT: bad option: CompileError: {{.*}}--bogus
show_error("args str", tessera.compile, MODEL, extra_args="-O1")
# CHECK-NEXT: args str: TypeError: extra_args must be a sequence of strings, not a str
show_error("no file", tessera.compile, os.path.join(out, "none.mlir"))
# CHECK-NEXT: no file: FileNotFoundError: no such MLIR file: {{.*}}none.mlir
show_error("a path", tessera.compile, "modules/x.mlir")
# CHECK-NEXT: a path: FileNotFoundError: no such MLIR file: {{.*}}modules/x.mlir
show_error("no source", tessera.compile)
# CHECK-NEXT: no source: TypeError: compile() takes either source or text=
os.environ["TESSERA_TESSERAC"] = os.path.join(out, "missing-tesserac")
show_error("bad env", tessera.compile, MODEL)
# CHECK-NEXT: bad env: CompileError: TESSERA_TESSERAC={{.*}}missing-tesserac is not an executable file
del os.environ["TESSERA_TESSERAC"]
os.environ["PATH"] = out
show_error("no tesserac", tessera.compile, MODEL)
# CHECK-NEXT: no tesserac: CompileError: cannot find tesserac: put it on PATH or set TESSERA_TESSERAC to its path
