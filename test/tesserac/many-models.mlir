// Several entries in one build, several models in one binary.
//
// One executable with two models; --entry picks one (default: the first).
// RUN: tesserac %s --entry=prefill,decode -o %t.exe
// RUN: %t.exe --print-signature | FileCheck %s --check-prefix=CHECK-FIRST
// RUN: %t.exe --entry decode --print-signature | FileCheck %s --check-prefix=CHECK-DECODE
// RUN: %t.exe --entry=decode --random-inputs | FileCheck %s --check-prefix=CHECK-EXEC
// RUN: not %t.exe --entry nope --random-inputs 2>&1 | FileCheck %s --check-prefix=CHECK-NOPE
// RUN: %t.exe --help | FileCheck %s --check-prefix=CHECK-HELP
//
// Two objects with different symbol prefixes link into one C program.
// RUN: tesserac %s --entry=prefill --emit=obj --symbol-prefix=first -o %t.first.o
// RUN: tesserac %S/Inputs/second_model.mlir --emit=obj --symbol-prefix=second -o %t.second.o
// RUN: %cxx_compiler -x c %S/Inputs/two_models.c -x none %t.first.o %t.second.o -I%tessera_include %sanitize_flags -L%openmp_lib_dir -lomp -Wl,-rpath,%openmp_lib_dir -lm -o %t.two
// RUN: %t.two | FileCheck %s --check-prefix=CHECK-TWO
//
// A shared library lists its models under its prefix.
// RUN: tesserac %s --entry=decode,prefill --emit=shared --symbol-prefix=llm -o %t.so
// RUN: %preload %PYTHON %reference/model_table.py %t.so llm | FileCheck %s --check-prefix=CHECK-SO
//
// RUN: not tesserac %s --symbol-prefix=first -o %t.bad 2>&1 | FileCheck %s --check-prefix=CHECK-EXE-PREFIX
// RUN: not tesserac %s --entry=prefill --emit=obj --symbol-prefix=1st -o %t.bad.o 2>&1 | FileCheck %s --check-prefix=CHECK-BAD-PREFIX
// RUN: not tesserac %s --entry=prefill,nothere -o %t.bad 2>&1 | FileCheck %s --check-prefix=CHECK-MISSING

// CHECK-FIRST: input  x: f32[8]
// CHECK-FIRST-NEXT: output y: f32[8]
// CHECK-DECODE: input  x: f32[8]
// CHECK-DECODE-NEXT: input  h: f32[8]
// CHECK-DECODE-NEXT: output z: f32[8]
// CHECK-EXEC: output z: f32[8] sum=
// CHECK-NOPE: error: --entry: the executable has no model 'nope' (it has prefill, decode)
// CHECK-HELP: --entry NAME
// CHECK-HELP: model signature:
// CHECK-TWO: entry prefill max_err_ok=1
// CHECK-TWO-NEXT: entry twice max_err_ok=1
// CHECK-SO: entry decode
// CHECK-SO: entry prefill
// CHECK-EXE-PREFIX: tesserac: error: --symbol-prefix applies to --emit=obj and --emit=shared
// CHECK-BAD-PREFIX: error: symbol prefix '1st' must be a C identifier of at most 64 characters
// CHECK-MISSING: tesserac: error: entry function '@nothere' not found in {{.*}}many-models.mlir (use --entry=NAME)

func.func @prefill(%x: tensor<8xf32> {tessera.name = "x"}) -> (tensor<8xf32> {tessera.name = "y"}) {
  %y = tessera.silu %x : tensor<8xf32>
  return %y : tensor<8xf32>
}
func.func @decode(%x: tensor<8xf32> {tessera.name = "x"}, %h: tensor<8xf32> {tessera.name = "h"}) -> (tensor<8xf32> {tessera.name = "z"}) {
  %y = arith.addf %x, %h : tensor<8xf32>
  return %y : tensor<8xf32>
}
