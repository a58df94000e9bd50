#!/usr/bin/env python3
"""Writes the test inputs for run_tests.sh into the directory argv[1].

Creates good and corrupted .npy / .safetensors files for the fake model and
expected.txt (the output lines the runtime must print for the good inputs),
plus expected .npy files for --output.
"""
import json
import os
import random
import struct
import sys

os.chdir(sys.argv[1])

# name -> (npy descr, safetensors dtype, struct format, size)
DTYPES = {
    'f32': ('<f4', 'F32', 'f', 4), 'f64': ('<f8', 'F64', 'd', 8),
    'f16': ('<f2', 'F16', 'e', 2), 'bf16': ('<V2', 'BF16', None, 2),
    'i8': ('|i1', 'I8', 'b', 1), 'i32': ('<i4', 'I32', 'i', 4),
    'i64': ('<i8', 'I64', 'q', 8), 'i1': ('|b1', 'BOOL', 'B', 1),
}

X = [((n % 7) - 3) * 0.5 for n in range(24)]
INPUTS = [
    ('x', 'f32', [2, 3, 4], X), ('t', 'f32', [2], [1.5, -2.0]),
    ('s', 'f32', [], [2.0]), ('h', 'f16', [3], [1.0, -2.5, 0.25]),
    ('b', 'bf16', [3], [1.0, -3.0, 0.5]), ('d', 'f64', [2], [1.25, -0.5]),
    ('i', 'i32', [2, 2], [1, 2, 3, -4]), ('k', 'i8', [4], [1, -2, 3, -4]),
    ('l', 'i64', [2], [10, -20]), ('m', 'i1', [3], [1, 0, 1]),
]
OUTPUTS = [
    ('result0', 'f32', [2, 3, 4], [X[n] * 2 + [1.5, -2.0][n // 12] for n in range(24)]),
    ('result1', 'f32', [4, 3], [X[12 + q * 4 + p] for p in range(4) for q in range(3)]),
    ('result2', 'i64', [2], [7, -3]), ('result3', 'f16', [3], [1.0, -2.5, 0.25]),
    ('result4', 'bf16', [3], [1.0, -3.0, 0.5]), ('result5', 'f64', [2], [2.5, -1.0]),
    ('result6', 'i32', [2, 2], [11, 12, 13, 6]), ('result7', 'i8', [4], [1, -2, 3, -4]),
    ('result8', 'i1', [3], [1, 0, 1]), ('result9', 'f32', [], [sum(X)]),
]


def pack(dtype, values):
    if dtype == 'bf16':
        return b''.join(struct.pack('<f', v)[2:] for v in values)
    return struct.pack('<%d%s' % (len(values), DTYPES[dtype][2]), *values)


def shape_str(shape):
    return '(%s)' % ''.join('%d, ' % d for d in shape)[:-2] if len(shape) != 1 \
        else '(%d,)' % shape[0]


def write(path, data):
    with open(path, 'wb') as f:
        f.write(data)


def npy(descr, shape, data, version=(1, 0), fortran=False, header=None,
        raw_header=None):
    if header is None and raw_header is None:
        header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
            descr, fortran, shape_str(shape))
    hb = raw_header if raw_header is not None else header.encode('latin1')
    prefix = 10 if version[0] == 1 else 12
    total = (prefix + len(hb) + 1 + 63) // 64 * 64
    hb += b' ' * (total - prefix - len(hb) - 1) + b'\n'
    size = struct.pack('<H' if version[0] == 1 else '<I', len(hb))
    return b'\x93NUMPY' + bytes(version) + size + hb + data


def safetensors(tensors, metadata=None, pad=0, reverse=False):
    """tensors: list of (name, st_dtype, shape, bytes)."""
    header, blob = {}, b''
    order = list(reversed(tensors)) if reverse else tensors
    offsets = {}
    for name, _, _, data in order:
        offsets[name] = [len(blob), len(blob) + len(data)]
        blob += data
    if metadata is not None:
        header['__metadata__'] = metadata
    for name, dtype, shape, _ in tensors:
        header[name] = {'dtype': dtype, 'shape': shape,
                        'data_offsets': offsets[name]}
    return raw_st(json.dumps(header).encode() + b' ' * pad, blob)


def raw_st(header_bytes, blob=b''):
    return struct.pack('<Q', len(header_bytes)) + header_bytes + blob


# --- Good files -----------------------------------------------------------
st_all = []
for name, dtype, shape, values in INPUTS:
    data = pack(dtype, values)
    write('in_%s.npy' % name, npy(DTYPES[dtype][0], shape, data))
    st_all.append((name, DTYPES[dtype][1], shape, data))
xdata = pack('f32', X)
write('x_v2.npy', npy('<f4', [2, 3, 4], xdata, version=(2, 0)))
write('x_v3.npy', npy('<f4', [2, 3, 4], xdata, version=(3, 0)))
write('t_alt.npy', npy(None, None, pack('f32', [1.5, -2.0]),
                       header='{"shape": (2,), "fortran_order": False,'
                              ' "descr": "<f4"}'))
write('k_alt.npy', npy('<i1', [4], pack('i8', [1, -2, 3, -4])))
write('all.safetensors',
      safetensors(st_all + [('unused', 'F32', [2], pack('f32', [9, 9]))],
                  metadata={'format': 'pt', 'note': '\u00e9\U0001f600'},
                  pad=7, reverse=True))
write('part.safetensors', safetensors(st_all[:3]))
# 'x' spelled with a \u escape in the JSON header.
hdr = json.dumps({'\\u0078': {'dtype': 'F32', 'shape': [2, 3, 4],
                              'data_offsets': [0, 96]}}).replace('\\\\', '\\')
write('escaped.safetensors', raw_st(hdr.encode(), xdata))

with open('expected.txt', 'w') as f:
    for name, dtype, shape, values in OUTPUTS:
        if dtype == 'f16':
            values = [struct.unpack('<e', struct.pack('<e', v))[0] for v in values]
        total = sum(float(v) for v in values)
        mean_abs = sum(abs(float(v)) for v in values) / len(values)
        f.write('output %s: %s[%s] sum=%.6e mean_abs=%.6e\n' % (
            name, dtype, ','.join(map(str, shape)), total, mean_abs))
        os.makedirs('expected_out', exist_ok=True)
        write('expected_out/%s.npy' % name,
              npy(DTYPES[dtype][0], shape, pack(dtype, values)))

# --- Bad .npy files (used as --input x=FILE) -------------------------------
good_x = npy('<f4', [2, 3, 4], xdata)
BAD_NPY = {
    'bad_magic': b'\x93NUMPX' + good_x[6:],
    'short': b'\x93NU',
    'empty': b'',
    'ver40': good_x[:6] + b'\x04\x00' + good_x[8:],
    'ver21': npy('<f4', [2, 3, 4], xdata, version=(2, 1)),
    'trunc_prefix': b'\x93NUMPY\x02\x00\x10',
    'hlen': good_x[:8] + struct.pack('<H', 1000) + good_x[10:40],
    'nodict': npy(None, None, xdata, header='hello'),
    'missing_key': npy(None, None, xdata,
                       header="{'descr': '<f4', 'shape': (2, 3, 4), }"),
    'extra_key': npy(None, None, xdata, header="{'descr': '<f4', "
                     "'fortran_order': False, 'shape': (2, 3, 4), 'foo': 1, }"),
    'dup_key': npy(None, None, xdata, header="{'descr': '<f4', 'descr': '<f4',"
                   " 'fortran_order': False, 'shape': (2, 3, 4), }"),
    'neg_shape': npy(None, None, xdata, header="{'descr': '<f4', "
                     "'fortran_order': False, 'shape': (2, -3, 4), }"),
    'not_tuple': npy(None, None, xdata, header="{'descr': '<f4', "
                     "'fortran_order': False, 'shape': (24), }"),
    'unterminated': npy(None, None, xdata, header="{'descr': '<f4'"),
    'bad_bool': npy(None, None, xdata, header="{'descr': '<f4', "
                    "'fortran_order': maybe, 'shape': (2, 3, 4), }"),
    'structured': npy(None, None, xdata, header="{'descr': [('a', '<f4')], "
                      "'fortran_order': False, 'shape': (2, 3, 4), }"),
    'fortran': npy('<f4', [2, 3, 4], xdata, fortran=True),
    'big_endian': npy('>f4', [2, 3, 4], xdata),
    'unknown_dtype': npy('<u2', [2, 3, 4], xdata),
    'truncated': good_x[:-4],
    'trailing': good_x + b'\0',
    'shape_mismatch': npy('<f4', [2, 3, 5], pack('f32', [0.0] * 30)),
    'dtype_mismatch': npy('<f2', [2, 3, 4], pack('f16', [0.0] * 24)),
    'bf16_mismatch': npy('<V2', [2, 3, 4], pack('bf16', [0.0] * 24)),
    'rank_mismatch': npy('<f4', [6, 4], xdata),
    'overflow': npy('<f4', [2 ** 62, 2 ** 62], xdata),
    'int64_overflow': npy('<f4', [2 ** 63], xdata),
    'v3_utf8': npy(None, None, xdata, version=(3, 0),
                   raw_header=b"{'descr': '<f4\xff', 'fortran_order': False, "
                              b"'shape': (2, 3, 4), }"),
}
for name, data in BAD_NPY.items():
    write('bad_%s.npy' % name, data)


# --- Bad .safetensors files (used as --weights) ------------------------------
def st_header(obj, blob=xdata):
    return raw_st(json.dumps(obj).encode(), blob)


def x_entry(**kw):
    entry = {'dtype': 'F32', 'shape': [2, 3, 4], 'data_offsets': [0, 96]}
    entry.update(kw)
    return {'x': entry}


BAD_ST = {
    'short': b'\x05\0\0\0\0',
    'huge_header': struct.pack('<Q', 100000001) + b'{}',
    'header_eof': struct.pack('<Q', 500) + b'{}' * 6,
    'utf8': raw_st(b'{"x\xff": 1}'),
    'overlong': raw_st(b'{"\xc0\xaf": 1}'),
    'surrogate_utf8': raw_st(b'{"\xed\xa0\x80": 1}'),
    'trailing_comma': raw_st(b'{"a": "b",}'),
    'single_quote': raw_st(b"{'a': 1}"),
    'bad_escape': raw_st(b'{"a\\q": 1}'),
    'lone_surrogate': raw_st(b'{"a\\ud800": 1}'),
    'control_char': raw_st(b'{"a\nb": 1}'),
    'bad_number': raw_st(b'{"a": 01}'),
    'deep': raw_st(b'{"a": ' + b'[' * 100 + b']' * 100 + b'}'),
    'dup_key': raw_st(b'{"a": 1, "a": 2}'),
    'not_object': raw_st(b'[]'),
    'garbage': raw_st(b'{} x'),
    'unterminated': raw_st(b'{"a": "b'),
    'unknown_dtype': st_header(x_entry(dtype='U8')),
    'no_dtype': st_header({'x': {'shape': [2], 'data_offsets': [0, 8]}}),
    'entry_not_object': st_header({'x': [1, 2]}),
    'neg_shape': st_header(x_entry(shape=[2, -3, 4])),
    'float_shape': st_header(x_entry(shape=[2, 1.5, 4])),
    'bad_offsets': st_header(x_entry(data_offsets=[0])),
    'begin_gt_end': st_header(x_entry(data_offsets=[8, 4])),
    'end_past_data': st_header(x_entry(data_offsets=[0, 1000])),
    'size_mismatch': st_header(x_entry(data_offsets=[0, 92])),
    'overflow': st_header(x_entry(shape=[2 ** 62, 2 ** 62])),
    'overlap': st_header({'x': {'dtype': 'F32', 'shape': [2, 3, 4],
                                'data_offsets': [0, 96]},
                          'y': {'dtype': 'F32', 'shape': [1],
                                'data_offsets': [92, 96]}}),
    'bad_metadata': st_header({'__metadata__': {'a': 1}, **x_entry()}),
    'dtype_mismatch': st_header(x_entry(dtype='I32')),
    'shape_mismatch': st_header(x_entry(shape=[4, 3, 2])),
    'missing': safetensors(st_all[:-1]),
}
for name, data in BAD_ST.items():
    write('bad_%s.safetensors' % name, data)

# --- Fuzz corpus: truncations and byte flips of good files -------------------
rng = random.Random(1234)
os.makedirs('fuzz', exist_ok=True)
n = 0
for base, ext in ((good_x, 'npy'), (open('all.safetensors', 'rb').read(),
                                    'safetensors')):
    cuts = sorted(set(list(range(0, 140)) + [rng.randrange(len(base))
                                              for _ in range(20)]))
    variants = [base[:c] for c in cuts if c < len(base)]
    for _ in range(150):
        b = bytearray(base)
        for _ in range(rng.randrange(1, 4)):
            pos = rng.randrange(min(len(b), 700))
            b[pos] = rng.randrange(256)
        variants.append(bytes(b))
    for v in variants:
        write('fuzz/%04d.%s' % (n, ext), v)
        n += 1

# --- Large headers (run under `ulimit -v`) -----------------------------------
# A valid 10 MB header: the good tensors, 100,000 metadata entries and an
# unused empty tensor with 4,000,000 dimensions (8 bytes of text per 2).
big = {'__metadata__': {'k%d' % i: '' for i in range(100000)}}
blob = b''
for name, dtype, shape, data in st_all:
    big[name] = {'dtype': dtype, 'shape': shape,
                 'data_offsets': [len(blob), len(blob) + len(data)]}
    blob += data
big['unused_wide'] = {'dtype': 'F32', 'shape': [0] * 4000000,
                      'data_offsets': [0, 0]}
write('big_header.safetensors',
      raw_st(json.dumps(big, separators=(',', ':')).encode(), blob))
# 10 MB of small values, then a syntax error at the very end.
write('big_bad_header.safetensors',
      raw_st(b'{"x":[' + b'[0,1],' * 1700000 + b'[]}'))
# More values than the parser accepts (10,000,000).
write('too_many_values.safetensors', raw_st(b'[' + b'0,' * 10000001 + b'0]'))
# A header as large as allowed (100,000,000 bytes), sparse on disk: the
# runtime must report running out of memory, not crash.
with open('max_header.safetensors', 'wb') as f:
    f.write(struct.pack('<Q', 100000000))
    f.truncate(8 + 100000000)
