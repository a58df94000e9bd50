# tessera.save_safetensors / SafeTensors / load_safetensors: a round trip of
# every dtype, a file written by hand to the format's specification, the C++
# runtime reading a file written here, and corrupt files, each rejected with
# a ValueError naming the file and the problem.
# RUN: rm -rf %t && mkdir -p %t
# RUN: tesserac %S/Inputs/silu.mlir -o %t/silu
# RUN: %PYTHON %s %t | FileCheck %s

import json
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from testing import show_error  # noqa: E402

import tessera  # noqa: E402

out = sys.argv[1]
rng = np.random.default_rng(0)

# Round trip.
tensors = {
    "f64": rng.standard_normal((2, 3)),
    "f32": rng.standard_normal((4,)).astype(np.float32),
    "f16": rng.standard_normal((3, 1)).astype(np.float16),
    "bf16": np.array([0x3F80, 0xC000], np.uint16),
    "i64": np.array([-(2**62), 5], np.int64),
    "i32": np.arange(6, dtype=np.int32).reshape(2, 3),
    "i16": np.array([-7], np.int16),
    "i8": np.array([-128, 127], np.int8),
    "u8": np.array([0, 255], np.uint8),
    "bool": np.array([True, False, True]),
    "layer.0.scalar": np.float32(2.5),
    "empty": np.zeros((0, 4), np.float32),
    "big_endian": np.array([1.5, -2.0], ">f4"),
    "strided": np.arange(12, dtype=np.int32).reshape(3, 4)[:, ::2],
}
path = os.path.join(out, "all.safetensors")
tessera.save_safetensors(path, tensors, metadata={"format": "pt"})
with open(path, "rb") as file:
    header_size = int.from_bytes(file.read(8), "little")
    header = json.loads(file.read(header_size))
assert header_size % 8 == 0
print("dtypes", {name: header[name]["dtype"] for name in tensors})
# CHECK: dtypes {'f64': 'F64', 'f32': 'F32', 'f16': 'F16', 'bf16': 'BF16', 'i64': 'I64', 'i32': 'I32', 'i16': 'I16', 'i8': 'I8', 'u8': 'U8', 'bool': 'BOOL', 'layer.0.scalar': 'F32', 'empty': 'F32', 'big_endian': 'F32', 'strided': 'I32'}
for name, entry in header.items():
    if name != "__metadata__":
        itemsize = tessera.safetensors.DTYPES[entry["dtype"]].itemsize
        assert entry["data_offsets"][0] % itemsize == 0, name

st = tessera.SafeTensors(path)
loaded = tessera.load_safetensors(path)
for name, value in tensors.items():
    for got in (st[name], loaded[name]):
        assert got.shape == np.shape(value), name
        assert got.dtype == np.asarray(value).dtype.newbyteorder("="), name
        assert np.array_equal(got, value), name
print("round trip ok:", len(st), "tensors, metadata", st.metadata)
# CHECK: round trip ok: 14 tensors, metadata {'format': 'pt'}
print("views read-only:", not st["f32"].flags.writeable,
      "loaded writable:", loaded["f32"].flags.writeable)
# CHECK: views read-only: True loaded writable: True
show_error("missing tensor", lambda: st["nope"])
# CHECK: missing tensor: KeyError: 'nope'
show_error("save complex", tessera.save_safetensors,
           os.path.join(out, "c.safetensors"), {"c": np.zeros(2, complex)})
# CHECK: save complex: TypeError: tensor 'c': dtype complex128 cannot be stored in a safetensors file
show_error("save metadata name", tessera.save_safetensors,
           os.path.join(out, "c.safetensors"), {"__metadata__": np.zeros(2)})
# CHECK: save metadata name: ValueError: invalid tensor name '__metadata__'
show_error("save bad metadata", tessera.save_safetensors,
           os.path.join(out, "c.safetensors"), {}, metadata={"n": 1})
# CHECK: save bad metadata: ValueError: metadata must map strings to strings


# A file built by hand: header padded with spaces, tensors out of order.
def write(name, header, data=b"", raw_header=None):
    text = json.dumps(header).encode() if raw_header is None else raw_header
    path = os.path.join(out, name)
    with open(path, "wb") as file:
        file.write(len(text).to_bytes(8, "little") + text + data)
    return path


manual_header = json.dumps({
    "b": {"dtype": "I64", "shape": [], "data_offsets": [12, 20]},
    "a": {"dtype": "F32", "shape": [3], "data_offsets": [0, 12]},
    "z": {"dtype": "F32", "shape": [0], "data_offsets": [20, 20]},
}).encode() + b"   "
manual = write("manual.safetensors", None,
               np.float32([1, 2, 3]).tobytes() + np.int64([7]).tobytes(),
               raw_header=manual_header)
got = tessera.load_safetensors(manual)
print("manual:", list(got), got["a"].tolist(), got["b"][()], got["z"].shape)
# CHECK: manual: ['b', 'a', 'z'] [1.0, 2.0, 3.0] 7 (0,)

# The C++ runtime reads a file written here (as a compiled model's
# --weights) and its result matches NumPy.
x = rng.uniform(-4, 4, (4, 8)).astype(np.float32)
weights = os.path.join(out, "silu.safetensors")
tessera.save_safetensors(weights, {"x": x, "unused": np.zeros(3, np.int8)})
subprocess.run([os.path.join(out, "silu"), "--weights", weights, "--output",
                os.path.join(out, "silu-out")], check=True,
               stdout=subprocess.DEVNULL)
y = np.load(os.path.join(out, "silu-out", "y.npy")).astype(np.float64)
x64 = x.astype(np.float64)
err = np.max(np.abs(y - x64 / (1 + np.exp(-x64))))
assert err <= 1e-6, err
print(f"runtime reads it: ok max_err={err:.1e}")
# CHECK: runtime reads it: ok max_err=

# Corrupt files.
f32 = {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}
data = bytes(8)
with open(os.path.join(out, "short.safetensors"), "wb") as file:
    file.write(b"abc")
with open(os.path.join(out, "huge.safetensors"), "wb") as file:
    file.write((1 << 40).to_bytes(8, "little") + b"{}")
with open(os.path.join(out, "past-end.safetensors"), "wb") as file:
    file.write((100).to_bytes(8, "little") + b"{}")
os.mkfifo(os.path.join(out, "fifo.safetensors"))
corrupt = [
    ("fifo", os.path.join(out, "fifo.safetensors")),
    ("directory", out),
    ("short", os.path.join(out, "short.safetensors")),
    ("huge header", os.path.join(out, "huge.safetensors")),
    ("header past end", os.path.join(out, "past-end.safetensors")),
    ("bad utf-8", write("utf8.safetensors", None, raw_header=b'{"\xff": 1}')),
    ("bad json", write("json.safetensors", None, raw_header=b'{"a": ')),
    ("not an object", write("list.safetensors", [1, 2])),
    ("deep", write("deep.safetensors", None, raw_header=b"[" * 100000)),
    ("duplicate", write("dup.safetensors", None, data, raw_header=(
        b'{"a": %s, "a": %s}' % ((json.dumps(f32).encode(),) * 2)))),
    ("entry", write("entry.safetensors", {"a": [1]})),
    ("dtype", write("dtype.safetensors", {"a": dict(f32, dtype="F8")}, data)),
    ("shape", write("shape.safetensors", {"a": dict(f32, shape=[-2])}, data)),
    ("shape bool", write("bool.safetensors", {"a": dict(f32, shape=[True])},
                         data)),
    ("offsets", write("off.safetensors", {"a": dict(f32, data_offsets=[0])},
                      data)),
    ("begin > end", write("order.safetensors",
                          {"a": dict(f32, data_offsets=[8, 0])}, data)),
    ("out of range", write("range.safetensors",
                           {"a": dict(f32, data_offsets=[4, 12])}, data)),
    ("size mismatch", write("size.safetensors",
                            {"a": dict(f32, shape=[3])}, data)),
    ("too large", write("large.safetensors", {
        "a": dict(f32, shape=[0, 2**62], data_offsets=[0, 0])}, data)),
    ("overlap", write("overlap.safetensors", {
        "a": f32, "b": dict(f32, shape=[1], data_offsets=[4, 8])}, data)),
    ("metadata", write("meta.safetensors", {"__metadata__": {"k": 1}})),
]
for label, path in corrupt:
    show_error(label, tessera.SafeTensors, path)
show_error("load_safetensors", tessera.load_safetensors, corrupt[-1][1])
# CHECK: fifo: ValueError: {{.*}}fifo.safetensors: not a regular file
# CHECK: directory: IsADirectoryError:
# CHECK: short: ValueError: {{.*}}short.safetensors: file too short for a safetensors header (3 bytes)
# CHECK: huge header: ValueError: {{.*}}huge.safetensors: header length 1099511627776 exceeds the limit of 100000000
# CHECK: header past end: ValueError: {{.*}}past-end.safetensors: header length 100 exceeds the file size
# CHECK: bad utf-8: ValueError: {{.*}}utf8.safetensors: invalid header: 'utf-8' codec can't decode byte 0xff
# CHECK: bad json: ValueError: {{.*}}json.safetensors: invalid header: Expecting value
# CHECK: not an object: ValueError: {{.*}}list.safetensors: invalid header: not a JSON object
# CHECK: deep: ValueError: {{.*}}deep.safetensors: invalid header:
# CHECK: duplicate: ValueError: {{.*}}dup.safetensors: invalid header: duplicate key 'a'
# CHECK: entry: ValueError: {{.*}}entry.safetensors: tensor 'a': entry is not an object
# CHECK: dtype: ValueError: {{.*}}dtype.safetensors: tensor 'a': missing or unknown dtype 'F8'
# CHECK: shape: ValueError: {{.*}}shape.safetensors: tensor 'a': "shape" must be a list of non-negative integers
# CHECK: shape bool: ValueError: {{.*}}bool.safetensors: tensor 'a': "shape" must be a list of non-negative integers
# CHECK: offsets: ValueError: {{.*}}off.safetensors: tensor 'a': "data_offsets" must be [begin, end] with non-negative integers
# CHECK: begin > end: ValueError: {{.*}}order.safetensors: tensor 'a': invalid "data_offsets" [8, 0]: begin > end
# CHECK: out of range: ValueError: {{.*}}range.safetensors: tensor 'a': "data_offsets" end 12 exceeds the data size 8
# CHECK: size mismatch: ValueError: {{.*}}size.safetensors: tensor 'a': byte size mismatch: F32 [3] needs 12 bytes, data_offsets span 8
# CHECK: too large: ValueError: {{.*}}large.safetensors: tensor 'a': shape [0, 4611686018427387904] is too large
# CHECK: overlap: ValueError: {{.*}}overlap.safetensors: tensor 'b': data overlaps tensor 'a'
# CHECK: metadata: ValueError: {{.*}}meta.safetensors: invalid header: "__metadata__" must be a string-to-string map
# CHECK: load_safetensors: ValueError: {{.*}}meta.safetensors: invalid header: "__metadata__" must be
