// Limits of composite masks and overflow-safe verification: each
// diagnostic once, plus nestings generated far past the limit, which must
// be refused before the parser recurses (no stack overflow).
// RUN: tessera-opt %s -split-input-file -verify-diagnostics

// 5000 levels of all_of/any_of: one clear error, no crash.
// RUN: %PYTHON -c "n = 5000; print('func.func @f(%%q: tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> {\n  %%0 = tessera.attention %%q, %%q, %%q {mask = ' + '#tessera.all_of<[#tessera.any_of<[' * n + '#tessera.causal' + ']>]>' * n + '} : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32>\n  return %%0 : tensor<1x1x4x16xf32>\n}')" > %t.deep.mlir
// RUN: not tessera-opt %t.deep.mlir 2>&1 | FileCheck %s --check-prefix=CHECK-DEEP
// CHECK-DEEP: error: expects masks nested at most 32 levels deep
// CHECK-DEEP-NOT: error

// Exactly 32 levels parse, print and parse again.
// RUN: %PYTHON -c "n = 32; print('func.func @f(%%q: tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> {\n  %%0 = tessera.attention %%q, %%q, %%q {mask = ' + '#tessera.all_of<[' * n + '#tessera.causal' + ']>' * n + '} : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32>\n  return %%0 : tensor<1x1x4x16xf32>\n}')" > %t.32.mlir
// RUN: tessera-opt %t.32.mlir | tessera-opt | FileCheck %s --check-prefix=CHECK-32
// CHECK-32: {mask = #tessera.all_of<[#tessera.all_of<[
// CHECK-32-SAME: #tessera.causal]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>}

// A chain of 5000 aliases, each one level deeper: refused by
// the attribute verifier (#m33, 33 levels).
// RUN: %PYTHON -c "print('#m0 = #tessera.causal'); [print('#m%%d = #tessera.any_of<[#m%%d]>' %% (i, i - 1)) for i in range(1, 5001)]; print('func.func @f(%%q: tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> {\n  %%0 = tessera.attention %%q, %%q, %%q {mask = #m5000} : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32>\n  return %%0 : tensor<1x1x4x16xf32>\n}')" > %t.alias.mlir
// RUN: not tessera-opt %t.alias.mlir 2>&1 | FileCheck %s --check-prefix=CHECK-ALIAS
// CHECK-ALIAS: 34:{{[0-9]+}}: error: expects masks nested at most 32 levels deep
// CHECK-ALIAS-NEXT: #m33 = #tessera.any_of<[#m32]>
// CHECK-ALIAS-NOT: error

func.func @depth_33(%q: tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> {
  // expected-error @+1 {{expects masks nested at most 32 levels deep}}
  %0 = tessera.attention %q, %q, %q {mask = #tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.all_of<[#tessera.causal]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>]>} : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32>
  return %0 : tensor<1x1x4x16xf32>
}

// -----

// A nested plain array is refused before the generic parser descends.
func.func @nested_array(%q: tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> {
  // expected-error @+1 {{expects mask attributes, got an array}}
  %0 = tessera.attention %q, %q, %q {mask = #tessera.any_of<[[[#tessera.causal]]]>} : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32>
  return %0 : tensor<1x1x4x16xf32>
}

// -----

// Aliases repeated in a DAG: #m8 expands to 511 masks.
#m0 = #tessera.causal
#m1 = #tessera.all_of<[#m0, #m0]>
#m2 = #tessera.all_of<[#m1, #m1]>
#m3 = #tessera.all_of<[#m2, #m2]>
#m4 = #tessera.all_of<[#m3, #m3]>
#m5 = #tessera.all_of<[#m4, #m4]>
#m6 = #tessera.all_of<[#m5, #m5]>
#m7 = #tessera.all_of<[#m6, #m6]>
// expected-error @+1 {{expects at most 256 masks in all (counting repeats)}}
#m8 = #tessera.all_of<[#m7, #m7]>
func.func @too_many(%q: tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> {
  %0 = tessera.attention %q, %q, %q {mask = #m8} : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32>
  return %0 : tensor<1x1x4x16xf32>
}

// -----

// Tensors past 2^62 bytes are refused before any size arithmetic.
func.func @block_index_huge(%q: tensor<1x1x9223372036854775807x16xf32>, %bi: tensor<1x1x1x1xi32>) -> tensor<1x1x9223372036854775807x16xf32> {
  // expected-error @+1 {{'tessera.attention' op expects tensors of at most 2^62 bytes}}
  %0 = tessera.attention %q, %q, %q block_index(%bi) {block_sizes = array<i64: 2, 16>} : (tensor<1x1x9223372036854775807x16xf32>, tensor<1x1x9223372036854775807x16xf32>, tensor<1x1x9223372036854775807x16xf32>, tensor<1x1x1x1xi32>) -> tensor<1x1x9223372036854775807x16xf32>
  return %0 : tensor<1x1x9223372036854775807x16xf32>
}

// -----

// ceil(Sq / BQ) is computed without overflow: BQ = INT64_MAX gives one
// query block.
func.func @block_index_huge_block(%q: tensor<1x1x2305843009213693952x1xf16>, %bi: tensor<1x1x1x1xi32>) -> tensor<1x1x2305843009213693952x1xf16> {
  %0 = tessera.attention %q, %q, %q block_index(%bi) {block_sizes = array<i64: 9223372036854775807, 9223372036854775792>} : (tensor<1x1x2305843009213693952x1xf16>, tensor<1x1x2305843009213693952x1xf16>, tensor<1x1x2305843009213693952x1xf16>, tensor<1x1x1x1xi32>) -> tensor<1x1x2305843009213693952x1xf16>
  return %0 : tensor<1x1x2305843009213693952x1xf16>
}

// -----

// Masks with the largest parameters verify (and mean "unbounded").
func.func @huge_params(%q: tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32> {
  %0 = tessera.attention %q, %q, %q {mask = #tessera.all_of<[#tessera.sliding_window<left = 9223372036854775807, right = 9223372036854775807>, #tessera.neighborhood_2d<height = 9223372036854775807, width = 9223372036854775807, radius_h = 9223372036854775807, radius_w = 9223372036854775807>, #tessera.block_causal<frame = 9223372036854775807>, #tessera.block_diagonal<block = 9223372036854775807>]>} : (tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>, tensor<1x1x4x16xf32>) -> tensor<1x1x4x16xf32>
  return %0 : tensor<1x1x4x16xf32>
}
