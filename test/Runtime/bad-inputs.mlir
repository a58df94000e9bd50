// Every malformed or mismatched input is reported before any compute: exit
// status 2, one line naming the file, the tensor and the problem, and no
// output written.
// RUN: rm -rf %t && mkdir -p %t
// RUN: tesserac %s -o %t/model
// RUN: %PYTHON %reference/make_bad_files.py %t/in
// RUN: %PYTHON %reference/expect_exit.py 0 %t/model --input x=%t/in/x.npy --weights %t/in/good.safetensors --output %t/good | FileCheck %s --check-prefix=CHECK-GOOD
// RUN: test -f %t/good/y.npy

// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x_wrong_shape.npy --input w=%t/in/w.npy --output %t/o1 | FileCheck %s --check-prefix=CHECK-SHAPE
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x_wrong_rank.npy --input w=%t/in/w.npy --output %t/o1 | FileCheck %s --check-prefix=CHECK-RANK
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x_f64.npy --input w=%t/in/w.npy --output %t/o1 | FileCheck %s --check-prefix=CHECK-DTYPE
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x_truncated.npy --input w=%t/in/w.npy --output %t/o1 | FileCheck %s --check-prefix=CHECK-TRUNC
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x_bad_magic.npy --input w=%t/in/w.npy --output %t/o1 | FileCheck %s --check-prefix=CHECK-MAGIC
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x_garbage_header.npy --input w=%t/in/w.npy --output %t/o1 | FileCheck %s --check-prefix=CHECK-HEADER
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x_fortran.npy --input w=%t/in/w.npy --output %t/o1 | FileCheck %s --check-prefix=CHECK-FORTRAN
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/nonexistent.npy --input w=%t/in/w.npy --output %t/o1 | FileCheck %s --check-prefix=CHECK-NOFILE
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/oversized_header.safetensors --output %t/o1 | FileCheck %s --check-prefix=CHECK-OVERSIZED
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/header_past_end.safetensors --output %t/o1 | FileCheck %s --check-prefix=CHECK-PASTEND
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/out_of_bounds.safetensors --output %t/o1 | FileCheck %s --check-prefix=CHECK-BOUNDS
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/overlap.safetensors --output %t/o1 | FileCheck %s --check-prefix=CHECK-OVERLAP
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/unknown_dtype.safetensors --output %t/o1 | FileCheck %s --check-prefix=CHECK-UNKDTYPE
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/size_mismatch.safetensors --output %t/o1 | FileCheck %s --check-prefix=CHECK-SIZE
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/wrong_shape.safetensors --output %t/o1 | FileCheck %s --check-prefix=CHECK-STSHAPE
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/missing.safetensors --output %t/o1 | FileCheck %s --check-prefix=CHECK-MISSING
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/not_json.safetensors --output %t/o1 | FileCheck %s --check-prefix=CHECK-JSON
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/bad_utf8.safetensors --output %t/o1 | FileCheck %s --check-prefix=CHECK-UTF8
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input x=%t/in/x.npy --weights %t/in/tiny.safetensors --output %t/o1 | FileCheck %s --check-prefix=CHECK-TINY
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input w=%t/in/w.npy --output %t/o1 | FileCheck %s --check-prefix=CHECK-NOTGIVEN
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --input z=%t/in/x.npy --random-inputs | FileCheck %s --check-prefix=CHECK-UNKNOWN
// RUN: %PYTHON %reference/expect_exit.py 2 %t/model --bogus | FileCheck %s --check-prefix=CHECK-OPTION
// No failing run wrote anything.
// RUN: not test -e %t/o1

// CHECK-GOOD: output y: f32[2,4] sum=
// CHECK-GOOD: exit status: 0
// CHECK-SHAPE: error: {{.*}}x_wrong_shape.npy: tensor 'x': expected shape [2,3], got [2,4]
// CHECK-RANK: error: {{.*}}x_wrong_rank.npy: tensor 'x': expected rank 2, got 1
// CHECK-DTYPE: error: {{.*}}x_f64.npy: tensor 'x': expected dtype f32, got f64
// CHECK-TRUNC: error: {{.*}}x_truncated.npy: truncated data: expected 24 bytes, got 19
// CHECK-MAGIC: error: {{.*}}x_bad_magic.npy: bad magic (not a .npy file)
// CHECK-HEADER: error: {{.*}}x_garbage_header.npy: invalid header
// CHECK-FORTRAN: error: {{.*}}x_fortran.npy: fortran_order=True is not supported
// CHECK-NOFILE: error: {{.*}}nonexistent.npy: cannot open: No such file or directory
// CHECK-OVERSIZED: error: {{.*}}oversized_header.safetensors: header length 200000000 exceeds the limit of 100000000
// CHECK-PASTEND: error: {{.*}}header_past_end.safetensors: header length 10000 exceeds the file size
// CHECK-BOUNDS: error: {{.*}}out_of_bounds.safetensors: tensor 'w': "data_offsets" end 48 exceeds the data size 40
// CHECK-OVERLAP: error: {{.*}}overlap.safetensors: tensor 'v': data overlaps tensor 'w'
// CHECK-UNKDTYPE: error: {{.*}}unknown_dtype.safetensors: tensor 'w': unknown dtype 'F7'
// CHECK-SIZE: error: {{.*}}size_mismatch.safetensors: tensor 'w': byte size mismatch: f32[4,4] needs 64 bytes, data_offsets span 48
// CHECK-STSHAPE: error: {{.*}}wrong_shape.safetensors: tensor 'w': expected shape [4,3], got [3,4]
// CHECK-MISSING: error: {{.*}}missing.safetensors: tensor 'w': not found
// CHECK-JSON: error: {{.*}}not_json.safetensors: invalid header
// CHECK-UTF8: error: {{.*}}bad_utf8.safetensors: invalid header: invalid UTF-8
// CHECK-TINY: error: {{.*}}tiny.safetensors: file too short for a safetensors header (2 bytes)
// CHECK-NOTGIVEN: error: input 'x' not provided (use --input, --weights or --random-inputs)
// CHECK-UNKNOWN: error: --input: the model has no input named 'z'
// CHECK-OPTION: error: unknown option '--bogus'
// CHECK-SHAPE: exit status: 2

func.func @main(%x: tensor<2x3xf32> {tessera.name = "x"}, %w: tensor<4x3xf32> {tessera.name = "w"}) -> (tensor<2x4xf32> {tessera.name = "y"}) {
  %0 = tessera.linear %x, %w : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
