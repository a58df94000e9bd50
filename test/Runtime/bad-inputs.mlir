// Every malformed or mismatched input is reported before any compute: exit
// status 2, one line naming the file, the tensor and the problem, and no
// output written.
// RUN: rm -rf %t && mkdir -p %t
// RUN: tesserac %s -o %t/model
// RUN: %PYTHON %reference/make_bad_files.py %t/in
// RUN: %PYTHON %reference/expect_exit.py 0 %t/model --input x=%t/in/x.npy --weights %t/in/good.safetensors --output %t/good | FileCheck %s --check-prefix=GOOD
// RUN: test -f %t/good/y.npy

// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x_wrong_shape.npy --input w=%t/in/w.npy --output %t/o1 | FileCheck %s --check-prefix=SHAPE
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x_wrong_rank.npy --input w=%t/in/w.npy --output %t/o1 | FileCheck %s --check-prefix=RANK
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x_f64.npy --input w=%t/in/w.npy --output %t/o1 | FileCheck %s --check-prefix=DTYPE
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x_truncated.npy --input w=%t/in/w.npy --output %t/o1 | FileCheck %s --check-prefix=TRUNC
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x_bad_magic.npy --input w=%t/in/w.npy --output %t/o1 | FileCheck %s --check-prefix=MAGIC
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x_garbage_header.npy --input w=%t/in/w.npy --output %t/o1 | FileCheck %s --check-prefix=HEADER
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x_fortran.npy --input w=%t/in/w.npy --output %t/o1 | FileCheck %s --check-prefix=FORTRAN
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/nonexistent.npy --input w=%t/in/w.npy --output %t/o1 | FileCheck %s --check-prefix=NOFILE
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/oversized_header.safetensors --output %t/o1 | FileCheck %s --check-prefix=OVERSIZED
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/header_past_end.safetensors --output %t/o1 | FileCheck %s --check-prefix=PASTEND
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/out_of_bounds.safetensors --output %t/o1 | FileCheck %s --check-prefix=BOUNDS
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/overlap.safetensors --output %t/o1 | FileCheck %s --check-prefix=OVERLAP
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/unknown_dtype.safetensors --output %t/o1 | FileCheck %s --check-prefix=UNKDTYPE
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/size_mismatch.safetensors --output %t/o1 | FileCheck %s --check-prefix=SIZE
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/wrong_shape.safetensors --output %t/o1 | FileCheck %s --check-prefix=STSHAPE
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/missing.safetensors --output %t/o1 | FileCheck %s --check-prefix=MISSING
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/not_json.safetensors --output %t/o1 | FileCheck %s --check-prefix=JSON
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/bad_utf8.safetensors --output %t/o1 | FileCheck %s --check-prefix=UTF8
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/tiny.safetensors --output %t/o1 | FileCheck %s --check-prefix=TINY
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input w=%t/in/w.npy --output %t/o1 | FileCheck %s --check-prefix=NOTGIVEN
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input z=%t/in/x.npy --random-inputs | FileCheck %s --check-prefix=UNKNOWN
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --bogus | FileCheck %s --check-prefix=OPTION
// No failing run wrote anything.
// RUN: not test -e %t/o1

// GOOD: output y: f32[2,4] sum=
// GOOD: exit status: 0
// SHAPE: error: {{.*}}x_wrong_shape.npy: tensor 'x': expected shape [2,3], got [2,4]
// RANK: error: {{.*}}x_wrong_rank.npy: tensor 'x': expected rank 2, got 1
// DTYPE: error: {{.*}}x_f64.npy: tensor 'x': expected dtype f32, got f64
// TRUNC: error: {{.*}}x_truncated.npy: truncated data: expected 24 bytes, got 19
// MAGIC: error: {{.*}}x_bad_magic.npy: bad magic (not a .npy file)
// HEADER: error: {{.*}}x_garbage_header.npy: invalid header
// FORTRAN: error: {{.*}}x_fortran.npy: fortran_order=True is not supported
// NOFILE: error: {{.*}}nonexistent.npy: cannot open: No such file or directory
// OVERSIZED: error: {{.*}}oversized_header.safetensors: header length 200000000 exceeds the limit of 100000000
// PASTEND: error: {{.*}}header_past_end.safetensors: header length 10000 exceeds the file size
// BOUNDS: error: {{.*}}out_of_bounds.safetensors: tensor 'w': "data_offsets" end 48 exceeds the data size 40
// OVERLAP: error: {{.*}}overlap.safetensors: tensor 'v': data overlaps tensor 'w'
// UNKDTYPE: error: {{.*}}unknown_dtype.safetensors: tensor 'w': unknown dtype 'F7'
// SIZE: error: {{.*}}size_mismatch.safetensors: tensor 'w': byte size mismatch: f32[4,4] needs 64 bytes, data_offsets span 48
// STSHAPE: error: {{.*}}wrong_shape.safetensors: tensor 'w': expected shape [4,3], got [3,4]
// MISSING: error: {{.*}}missing.safetensors: tensor 'w': not found
// JSON: error: {{.*}}not_json.safetensors: invalid header
// UTF8: error: {{.*}}bad_utf8.safetensors: invalid header: invalid UTF-8
// TINY: error: {{.*}}tiny.safetensors: file too short for a safetensors header (2 bytes)
// NOTGIVEN: error: input 'x' not provided (use --input, --weights or --random-inputs)
// UNKNOWN: error: --input: the model has no input named 'z'
// OPTION: error: unknown option '--bogus'
// SHAPE: exit status: 2

func.func @main(%x: tensor<2x3xf32> {tessera.name = "x"}, %w: tensor<4x3xf32> {tessera.name = "w"}) -> (tensor<2x4xf32> {tessera.name = "y"}) {
  %0 = tessera.linear %x, %w : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
