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
// A C header for the models of an object, under the same default prefix
// (the output's name), and the object's symbols under it.
// RUN: mkdir -p %t.dir
// RUN: tesserac %s --entry=prefill,decode --emit=header -o %t.dir/llama-7b.h
// RUN: FileCheck %s --check-prefix=CHECK-HEADER < %t.dir/llama-7b.h
// RUN: tesserac %s --entry=prefill,decode --emit=obj -o %t.dir/llama-7b.o
// RUN: llvm-nm %t.dir/llama-7b.o | FileCheck %s --check-prefix=CHECK-NM
// RUN: %cxx_compiler -x c -fsyntax-only -Wall -Werror -I%tessera_include -include %t.dir/llama-7b.h %S/Inputs/use_header.c
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
// CHECK-HEADER: #ifndef LLAMA_7B_H
// CHECK-HEADER: #include "tessera-c/Model.h"
// CHECK-HEADER: extern const TesseraModel llama_7b_models[];
// CHECK-HEADER: extern const int64_t llama_7b_num_models;
// CHECK-HEADER: /* llama_7b_models[0]:
// CHECK-HEADER-NEXT:  *   entry prefill
// CHECK-HEADER-NEXT:  *   input x f32 8
// CHECK-HEADER-NEXT:  *   output y f32 8
// CHECK-HEADER-NEXT:  */
// CHECK-HEADER-NEXT: #define LLAMA_7B_MODEL_PREFILL 0
// CHECK-HEADER: #define LLAMA_7B_MODEL_DECODE 1
// CHECK-NM-DAG: llama_7b_models
// CHECK-NM-DAG: llama_7b_num_models
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
