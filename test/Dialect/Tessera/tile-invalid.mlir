// RUN: tessera-opt %s -split-input-file -verify-diagnostics

func.func @matmul_shapes(%a: memref<8x16xf32>, %b: memref<32x16xf32>, %c: memref<8x16xf32>) {
  // expected-error @+1 {{'tessera.tile_matmul' op expects B of shape [16, 16], got [32, 16]}}
  tessera.tile_matmul %a, %b into %c : memref<8x16xf32>, memref<32x16xf32>, memref<8x16xf32>
  return
}

// -----

func.func @matmul_dynamic(%a: memref<?x16xf32>, %b: memref<16x16xf32>, %c: memref<8x16xf32>) {
  // expected-error @+1 {{'tessera.tile_matmul' op expects A of static shape}}
  tessera.tile_matmul %a, %b into %c : memref<?x16xf32>, memref<16x16xf32>, memref<8x16xf32>
  return
}

// -----

func.func @matmul_f16(%a: memref<8x16xf16>, %b: memref<16x16xf32>, %c: memref<8x16xf32>) {
  // expected-error @+1 {{operand #0 must be 2D memref of 32-bit float values}}
  tessera.tile_matmul %a, %b into %c : memref<8x16xf16>, memref<16x16xf32>, memref<8x16xf32>
  return
}

// -----

func.func @score_mod_args(%s: memref<8x16xf32>, %i: index, %p: i64) {
  // expected-error @+1 {{'tessera.tile_score_mod' op expects body arguments (f32, index, index, index, index): the score, batch, head, query position and key position}}
  tessera.tile_score_mod %s at (%i, %i, %p, %p) : memref<8x16xf32> {
  ^bb0(%x: f32):
    tessera.yield %x : f32
  }
  return
}

// -----

func.func @score_mod_call(%s: memref<8x16xf32>, %i: index, %p: i64) {
  tessera.tile_score_mod %s at (%i, %i, %p, %p) : memref<8x16xf32> {
  ^bb0(%x: f32, %b: index, %h: index, %q: index, %k: index):
    // expected-error @+1 {{'tensor.empty' op is not allowed in a body region: only elementwise ops and constants are}}
    %t = tensor.empty() : tensor<4xf32>
    tessera.yield %x : f32
  }
  return
}

// -----

func.func @add_mask_shape(%m: memref<4x16xf32>, %s: memref<8x16xf32>) {
  // expected-error @+1 {{'tessera.tile_add_mask' op expects a mask whose dimensions are 1 or those of the scores [8, 16], got [4, 16]}}
  tessera.tile_add_mask %m into %s : memref<4x16xf32>, memref<8x16xf32>
  return
}

// -----

func.func @mask_nothing(%s: memref<8x16xf32>, %p: i64) {
  // expected-error @+1 {{'tessera.tile_mask' op expects a mask attribute, num_keys, or both}}
  tessera.tile_mask %s at (%p, %p) : memref<8x16xf32>
  return
}

// -----

func.func @mask_negative(%s: memref<8x16xf32>, %p: i64) {
  // expected-error @+1 {{'tessera.tile_mask' op expects num_keys >= 0}}
  tessera.tile_mask %s at (%p, %p) {num_keys = -1} : memref<8x16xf32>
  return
}

// -----

func.func @softmax_rows(%s: memref<8x16xf32>, %m: memref<4xf32>, %acc: memref<8x16xf32>) {
  // expected-error @+1 {{'tessera.tile_online_softmax' op expects max of shape [8], got [4]}}
  tessera.tile_online_softmax %s, %m, %m, %acc : memref<8x16xf32>, memref<4xf32>, memref<4xf32>, memref<8x16xf32>
  return
}

// -----

func.func @softmax_acc(%s: memref<8x16xf32>, %m: memref<8xf32>, %acc: memref<4x16xf32>) {
  // expected-error @+1 {{'tessera.tile_online_softmax' op expects acc of shape [8, 16], got [4, 16]}}
  tessera.tile_online_softmax %s, %m, %m, %acc : memref<8x16xf32>, memref<8xf32>, memref<8xf32>, memref<4x16xf32>
  return
}

// -----

func.func @normalize_larger(%acc: memref<8x16xf32>, %l: memref<8xf32>, %out: memref<8x32xf32>) {
  // expected-error @+1 {{'tessera.tile_normalize' op expects an output tile no larger than acc}}
  tessera.tile_normalize %acc, %l into %out : memref<8x16xf32>, memref<8xf32>, memref<8x32xf32>
  return
}

// -----

func.func @normalize_inputs(%acc: memref<8x16xf32>, %l: memref<8xf32>, %out: memref<8x16xf32>, %in: memref<8x16xf32>) {
  // expected-error @+1 {{'tessera.tile_normalize' op expects an epilogue region with inputs}}
  tessera.tile_normalize %acc, %l into %out inputs(%in : memref<8x16xf32>) : memref<8x16xf32>, memref<8xf32>, memref<8x16xf32>
  return
}

// -----

func.func @normalize_epilogue(%acc: memref<8x16xf32>, %l: memref<8xf32>, %out: memref<8x16xf32>, %in: memref<8x16xf32>) {
  // expected-error @+1 {{'tessera.tile_normalize' op expects epilogue arguments (f32, f32): the normalized value and one element of each input}}
  tessera.tile_normalize %acc, %l into %out inputs(%in : memref<8x16xf32>) : memref<8x16xf32>, memref<8xf32>, memref<8x16xf32> epilogue {
  ^bb0(%x: f32):
    tessera.yield %x : f32
  }
  return
}

// -----

func.func @normalize_input_shape(%acc: memref<8x16xf32>, %l: memref<8xf32>, %out: memref<8x16xf32>, %in: memref<4x16xf32>) {
  // expected-error @+1 {{'tessera.tile_normalize' op expects epilogue inputs of shape [8, 16], got [4, 16]}}
  tessera.tile_normalize %acc, %l into %out inputs(%in : memref<4x16xf32>) : memref<8x16xf32>, memref<8xf32>, memref<8x16xf32> epilogue {
  ^bb0(%x: f32, %y: f32):
    tessera.yield %x : f32
  }
  return
}

// -----

func.func @matmul_bias(%a: memref<8x16xf32>, %b: memref<16x16xf32>, %c: memref<8x16xf32>, %bias: memref<8xf32>) {
  // expected-error @+1 {{'tessera.tile_matmul' op expects bias of shape [16], got [8]}}
  tessera.tile_matmul %a, %b into %c bias(%bias : memref<8xf32>) : memref<8x16xf32>, memref<16x16xf32>, memref<8x16xf32>
  return
}

// -----

func.func @matmul_operand_type(%a: memref<8x16xf32>, %b: memref<16x16xf32>, %c: memref<8x16xf32>) {
  // expected-error @+1 {{'tessera.tile_matmul' op operand_type must be f16 or bf16, not 'f32'}}
  tessera.tile_matmul %a, %b into %c {operand_type = f32} : memref<8x16xf32>, memref<16x16xf32>, memref<8x16xf32>
  return
}
