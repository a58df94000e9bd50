# Signature parsing (the rules of runtime/Signature.cpp) and model tables
# that tessera.load rejects before calling anything.
# RUN: rm -rf %t && mkdir -p %t
# RUN: %preload %PYTHON %s %c_compiler %tessera_include %S/Inputs %t | FileCheck %s

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from testing import build_c_library, show_error  # noqa: E402

import tessera  # noqa: E402
from tessera._runtime import parse_signature  # noqa: E402

compiler, include, inputs, out = sys.argv[1:]

entry, ins, outs = parse_signature(
    "entry main\n"
    "input x f32 2,256,384\n"
    "input s f32\n"
    "\n"
    "input task\ti64  2 range=0,3\r\n"
    "note unknown kinds are ignored\n"
    "input layer.0-norm.weight bf16 0,7 \n"
    "output result0 f32 2,256,384")
print(entry)
for spec in ins + outs:
    print(tuple(spec), spec.numpy_dtype)
# CHECK: main
# CHECK-NEXT: ('x', 'f32', (2, 256, 384), None) float32
# CHECK-NEXT: ('s', 'f32', (), None) float32
# CHECK-NEXT: ('task', 'i64', (2,), (0, 3)) int64
# CHECK-NEXT: ('layer.0-norm.weight', 'bf16', (0, 7), None) uint16
# CHECK-NEXT: ('result0', 'f32', (2, 256, 384), None) float32
print(ins[2])
# CHECK-NEXT: task: i64[2] range=[0,3)

bad = [
    ("entry words", "entry a b"),
    ("two entries", "entry a\nentry b"),
    ("entry control", "entry a\x01b"),
    ("no entry", "input x f32 2"),
    ("name", "entry a\ninput 1x f32 2"),
    ("long name", "entry a\ninput " + "n" * 201 + " f32 2"),
    ("duplicate", "entry a\ninput x f32 2\noutput x f32 2"),
    ("dtype", "entry a\ninput x f8 2"),
    ("empty dim", "entry a\ninput x f32 2,,3"),
    ("trailing comma", "entry a\ninput x f32 2,"),
    ("dim overflow", "entry a\ninput x f32 9223372036854775808"),
    ("too large", "entry a\ninput x f32 4611686018427387904,2"),
    ("too large with 0", "entry a\ninput x f32 0,4611686018427387904"),
    ("empty range", "entry a\ninput t i64 2 range=3,3"),
    ("range syntax", "entry a\ninput t i64 2 range=1"),
    ("output range", "entry a\noutput t i64 2 range=0,1"),
    ("words", "entry a\ninput x"),
]
for label, text in bad:
    show_error(label, parse_signature, text)
# CHECK: entry words: ValueError: malformed embedded signature: line 1: expected 'entry NAME'
# CHECK: two entries: ValueError: malformed embedded signature: line 2: more than one 'entry' line
# CHECK: entry control: ValueError: malformed embedded signature: line 1: invalid entry name 'a\x01b'
# CHECK: no entry: ValueError: malformed embedded signature: no 'entry' line
# CHECK: name: ValueError: malformed embedded signature: line 2: invalid tensor name '1x'
# CHECK: long name: ValueError: malformed embedded signature: line 2: invalid tensor name 'nnnn
# CHECK: duplicate: ValueError: malformed embedded signature: line 3: duplicate name 'x'
# CHECK: dtype: ValueError: malformed embedded signature: line 2: unknown dtype 'f8'
# CHECK: empty dim: ValueError: malformed embedded signature: line 2: invalid dimensions '2,,3'
# CHECK: trailing comma: ValueError: malformed embedded signature: line 2: invalid dimensions '2,'
# CHECK: dim overflow: ValueError: malformed embedded signature: line 2: invalid dimensions '9223372036854775808'
# CHECK: too large: ValueError: malformed embedded signature: line 2: tensor 'x': shape [4611686018427387904, 2] is too large
# CHECK: too large with 0: ValueError: malformed embedded signature: line 2: tensor 'x': shape [0, 4611686018427387904] is too large
# CHECK: empty range: ValueError: malformed embedded signature: line 2: invalid range 'range=3,3'
# CHECK: range syntax: ValueError: malformed embedded signature: line 2: invalid range 'range=1'
# CHECK: output range: ValueError: malformed embedded signature: line 2: expected 'output NAME DTYPE DIMS'
# CHECK: words: ValueError: malformed embedded signature: line 2: expected 'input NAME DTYPE DIMS'

# Libraries.
for variant in range(1, 10):
    library = build_c_library(compiler, include,
                              os.path.join(inputs, "bad_models.c"),
                              os.path.join(out, f"bad{variant}.so"),
                              f"-DVARIANT={variant}")
    show_error(f"variant {variant}", tessera.load, library,
               symbol_prefix="bad")
# CHECK: variant 1: ValueError: {{.*}}bad1.so: model 0: malformed embedded signature: signature_size is 38 but the text is 37 bytes long
# CHECK: variant 2: ValueError: {{.*}}bad2.so: model 0: malformed embedded signature: 1 inputs in the text, but num_inputs is 2
# CHECK: variant 3: ValueError: {{.*}}bad3.so: model 0: malformed embedded signature: 1 outputs in the text, but num_outputs is 0
# CHECK: variant 4: ValueError: {{.*}}bad4.so: model 0: no signature
# CHECK: variant 5: ValueError: {{.*}}bad5.so: model 0: no entry point
# CHECK: variant 6: ValueError: {{.*}}bad6.so: model 1: malformed embedded signature: line 2: unknown dtype 'f7'
# CHECK: variant 7: ValueError: {{.*}}bad7.so: two models named 'a'
# CHECK: variant 8: ValueError: {{.*}}bad8.so: bad_num_models is 0
# CHECK: variant 9: ValueError: {{.*}}bad9.so: bad_num_models is -1
show_error("wrong prefix", tessera.load, os.path.join(out, "bad1.so"))
# CHECK: wrong prefix: ValueError: {{.*}}bad1.so: no symbol 'tessera_num_models' (not a library compiled by tesserac with symbol prefix 'tessera'?)
show_error("missing file", tessera.load, os.path.join(out, "none.so"))
# CHECK: missing file: OSError: {{.*}}none.so: cannot open shared object file
