# Calling models through tessera.Model, against a hand-written library with
# tesserac's model table (Inputs/fake_models.c): inputs by position, by
# name, from weights; input checks; every dtype; strided, shared, aliasing
# and constant results; results freed exactly once.
# RUN: rm -rf %t && mkdir -p %t
# RUN: %preload %PYTHON %s %c_compiler %tessera_include %S/Inputs %t | FileCheck %s

import ctypes
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from testing import build_c_library, show_error  # noqa: E402

import tessera  # noqa: E402

compiler, include, inputs, out = sys.argv[1:]
path = build_c_library(compiler, include,
                       os.path.join(inputs, "fake_models.c"),
                       os.path.join(out, "fake.so"))
lib = tessera.load(path, symbol_prefix="fake")
print(repr(lib).replace(out, "OUT"))
# CHECK: <tessera.Library 'OUT/fake.so' entries=['affine', 'kinds', 'misc', 'big', 'address']>
affine = lib["affine"]
print(affine)
# CHECK-NEXT: <tessera.Model affine(x: f32[2,3], layer.scale: f32[], task: i64[2] range=[0,3)) -> (y: f32[2,3], yt: f32[3,2], flip: f32[3], x_view: f32[2,3], table: i32[4])>
print(affine.inputs[1], affine.inputs[1].numpy_dtype, lib.model is affine)
# CHECK-NEXT: layer.scale: f32[] float32 True

rng = np.random.default_rng(0)
x = rng.uniform(-4, 4, (2, 3)).astype(np.float32)
x_before = x.copy()
scale, task = np.float32(1.5), np.array([2, 0])
y_ref = x.astype(np.float64) * 1.5 + task[:, None]


def check_affine(results, label):
    y, yt, flip, x_view, table = results
    assert np.allclose(y, y_ref, rtol=1e-6, atol=1e-6), label
    assert np.array_equal(yt, y.T) and np.array_equal(flip, y[1, ::-1])
    assert np.array_equal(x_view, x) and table.tolist() == [10, 20, 30, 40]
    for r in results:
        assert r.flags.c_contiguous and r.flags.owndata and r.flags.writeable
    print(label, "ok")


check_affine(affine(x, scale, task), "positional")
# CHECK-NEXT: positional ok
check_affine(affine(x, task=task, **{"layer.scale": scale}), "by name")
# CHECK-NEXT: by name ok
check_affine(lib(x, 1.5, [2, 0]), "library call, Python values")
# CHECK-NEXT: library call, Python values ok
named = affine.run({"x": x, "layer.scale": scale, "task": task})
print(list(named))
check_affine(list(named.values()), "run")
# CHECK-NEXT: ['y', 'yt', 'flip', 'x_view', 'table']
# CHECK-NEXT: run ok
check_affine(affine(x, weights={"layer.scale": scale, "task": task,
                                "unused": None}), "weights dict")
# CHECK-NEXT: weights dict ok
weights = os.path.join(out, "w.safetensors")
tessera.save_safetensors(weights, {"layer.scale": scale, "task": task})
check_affine(affine(x, weights=weights), "weights file")
check_affine(affine(x, weights=tessera.SafeTensors(weights)), "SafeTensors")
# CHECK-NEXT: weights file ok
# CHECK-NEXT: SafeTensors ok
check_affine(affine(x.astype(np.float64), scale, task.astype(np.int32)),
             "converted f64 -> f32, i32 -> i64")
check_affine(affine(np.asfortranarray(x), scale, task.astype(np.uint64)),
             "converted Fortran order, u64 -> i64")
# CHECK-NEXT: converted f64 -> f32, i32 -> i64 ok
# CHECK-NEXT: converted Fortran order, u64 -> i64 ok
assert np.array_equal(x, x_before)

# Zero copy when the array is already right, a copy otherwise.
address = lib["address"]
v = np.arange(3, dtype=np.float32)
print("zero copy:", int(address(v)) == v.ctypes.data,
      int(address(v.astype(np.float64))) != v.ctypes.data,
      int(address(np.arange(6, dtype=np.float32)[::2])) != v.ctypes.data)
# CHECK-NEXT: zero copy: True True True

# Input errors.
show_error("dtype", affine, x.astype(np.int64), scale, task)
# CHECK: dtype: TypeError: input 'x': expected f32, got int64 (no safe conversion; convert it explicitly)
show_error("float to int", affine, x, scale, np.array([0.0, 1.0]))
# CHECK: float to int: TypeError: input 'task': expected i64, got float64 (no safe conversion; convert it explicitly)
show_error("int too big", affine, x, scale, np.array([2**63, 0], np.uint64))
# CHECK: int too big: ValueError: input 'task': uint64 values out of range for i64
show_error("shape", affine, x.T, scale, task)
# CHECK: shape: ValueError: input 'x': expected shape (2, 3), got (3, 2)
show_error("rank 0", affine, x, [1.5], task)
# CHECK: rank 0: ValueError: input 'layer.scale': expected shape (), got (1,)
show_error("range high", affine, x, scale, [0, 3])
# CHECK: range high: ValueError: input 'task': element [1] is 3, outside the valid range [0, 3)
show_error("range low", affine, x, scale, [-1, 0])
# CHECK: range low: ValueError: input 'task': element [0] is -1, outside the valid range [0, 3)
show_error("too many", affine, x, scale, task, task)
# CHECK: too many: TypeError: model 'affine' takes 3 inputs, 4 given
show_error("unknown", affine, x, scale, task, bias=x)
# CHECK: unknown: TypeError: model 'affine' has no input 'bias'
show_error("twice", affine, x, scale, task, x=x)
# CHECK: twice: TypeError: model 'affine': input 'x' given by position and by name
show_error("missing", affine, x, scale)
# CHECK: missing: TypeError: model 'affine': input 'task' not given
show_error("missing weights", affine, x, weights={"task": task})
# CHECK: missing weights: TypeError: model 'affine': input 'layer.scale' not given and not in weights
show_error("missing file", affine, x, weights=os.path.join(out, "none"))
# CHECK: missing file: FileNotFoundError:
bad = os.path.join(out, "bad.safetensors")
tessera.save_safetensors(bad, {"layer.scale": np.zeros(2, np.float32),
                               "task": np.zeros(2, np.float32)})
show_error("weights shape", affine, x, weights=bad, task=task)
# CHECK: weights shape: ValueError: input 'layer.scale' (from {{.*}}bad.safetensors): expected shape (), got (2,)
show_error("weights dtype", affine, x, scale, weights=bad)
# CHECK: weights dtype: TypeError: input 'task' (from {{.*}}bad.safetensors): expected i64, got float32
show_error("weights type", affine, x, weights=42)
# CHECK: weights type: TypeError: weights must be a .safetensors path, a SafeTensors or a dict of arrays, not int
show_error("no model", lambda: lib["nope"])
# CHECK: no model: KeyError: "no model 'nope' (entries: ['affine', 'kinds', 'misc', 'big', 'address'])"

# Every dtype: i1, f16, bf16 (uint16 bits), f64, i8.
kinds = lib["kinds"]
m = np.array([True, False, True, True])
h = np.array([0.5, 1.25, -3.0, 65504.0], np.float16)
g = np.array([0x3F80, 0xC020, 0x3E20, 0x7F7F], np.uint16)  # 1 -2.5 .15625 max
g32 = (g.astype(np.uint32) << 16).view(np.float32)
d = rng.standard_normal(4)
b = np.array([-128, 0, 7, 127], np.int8)
total, not_m, g_out, h2 = kinds(m, h, g, d, b)
ref = np.where(m, h.astype(np.float64) + g32.astype(np.float64) + d +
               b.astype(np.float64), -1.0)
assert total.dtype == np.float64 and np.array_equal(total, ref)
assert not_m.dtype == np.bool_ and np.array_equal(not_m, ~m)
assert g_out.dtype == np.uint16 and np.array_equal(g_out, g)
assert h2.dtype == np.float16 and np.array_equal(h2, h * np.float16(2))
print("dtypes ok")
# CHECK: dtypes ok
show_error("bf16 from float", kinds, m, h, g32, d, b)
# CHECK: bf16 from float: TypeError: input 'g': expected bf16 (np.uint16 bit patterns or ml_dtypes.bfloat16), got float32
show_error("i1 from int", kinds, m.astype(np.int8), h, g, d, b)
# CHECK: i1 from int: TypeError: input 'm': expected i1, got int8

# Rank 0 and zero-size tensors.
o, s2 = lib["misc"](np.zeros((0, 3), np.float32), 1.25)
print("misc:", o.shape, o.dtype, s2.shape, s2.dtype, s2[()])
# CHECK: misc: (0, 3) float32 () float64 2.5

# Results are freed: 200 calls of a model returning 1 MiB leave the heap
# (glibc's count; zero, and the check void, under ASan) as it was.
big = lib["big"]
xb = np.ones((256, 1024), np.float32)
assert np.array_equal(big(xb), xb + 1)


class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
        "fsmblks", "uordblks", "fordblks", "keepcost")]


mallinfo2 = ctypes.CDLL(None).mallinfo2
mallinfo2.restype = MallInfo2


def heap_in_use():
    info = mallinfo2()
    return info.uordblks + info.hblkhd


before = heap_in_use()
for _ in range(200):
    big(xb)
growth = heap_in_use() - before
assert growth < 16 << 20, growth
print("no leak")
# CHECK: no leak

# Thread counts: this library has no libomp, so nothing to set.
tessera.set_num_threads(2)
show_error("threads", tessera.set_num_threads, 0)
# CHECK: threads: ValueError: thread count must be an int >= 1, got 0
