// RUN: tessera-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{invalid tensor name "a\nb" on argument #0: expected [A-Za-z_][A-Za-z0-9_.-]*, 1 to 200 bytes}}
func.func @newline(%x: tensor<2xf32> {tessera.name = "a\0Ab"}) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

// expected-error @+1 {{invalid tensor name "a\x00b" on argument #0}}
func.func @nul(%x: tensor<2xf32> {tessera.name = "a\00b"}) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

// expected-error @+1 {{invalid tensor name "../../x" on result #0}}
func.func @path(%x: tensor<2xf32>) -> (tensor<2xf32> {tessera.name = "../../x"}) {
  return %x : tensor<2xf32>
}

// -----

// expected-error @+1 {{invalid tensor name "a b" on argument #0}}
func.func @space(%x: tensor<2xf32> {tessera.name = "a b"}) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

// expected-error @+1 {{invalid tensor name "x}" on argument #0}}
func.func @brace(%x: tensor<2xf32> {tessera.name = "x}"}) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

// expected-error @+1 {{invalid tensor name "" on argument #0}}
func.func @empty(%x: tensor<2xf32> {tessera.name = ""}) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

// expected-error @+1 {{invalid tensor name "-x" on argument #0}}
func.func @leading_dash(%x: tensor<2xf32> {tessera.name = "-x"}) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

// 201 bytes.
// expected-error @+1 {{invalid tensor name "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa..." on argument #0}}
func.func @too_long(%x: tensor<2xf32> {tessera.name = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

// expected-error @+1 {{'tessera.name' of argument #0 must be a string}}
func.func @not_string(%x: tensor<2xf32> {tessera.name = 3 : i64}) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

// expected-error @+1 {{unknown result attribute 'tessera.nmae'}}
func.func @unknown(%x: tensor<2xf32>) -> (tensor<2xf32> {tessera.nmae = "y"}) {
  return %x : tensor<2xf32>
}

// -----

// expected-error @+1 {{tensor name "w" on argument #1 is already used by argument #0}}
func.func @dup_args(%x: tensor<2xf32> {tessera.name = "w"}, %y: tensor<2xf32> {tessera.name = "w"}) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// -----

// expected-error @+1 {{tensor name "w" on result #0 is already used by argument #0}}
func.func @dup_arg_result(%x: tensor<2xf32> {tessera.name = "w"}) -> (tensor<2xf32> {tessera.name = "w"}) {
  return %x : tensor<2xf32>
}

// -----

// expected-error @+1 {{tensor name "o" on result #1 is already used by result #0}}
func.func @dup_results(%x: tensor<2xf32>) -> (tensor<2xf32> {tessera.name = "o"}, tensor<2xf32> {tessera.name = "o"}) {
  return %x, %x : tensor<2xf32>, tensor<2xf32>
}

// -----

func.func @huge(%x: tensor<4611686018427387904x2xf32>) -> tensor<4611686018427387904x2xf32> {
  // expected-error @+1 {{'tessera.silu' op expects tensors of at most 2^62 bytes, got 'tensor<4611686018427387904x2xf32>'}}
  %0 = tessera.silu %x : tensor<4611686018427387904x2xf32>
  return %0 : tensor<4611686018427387904x2xf32>
}

// -----

// expected-error @+1 {{'tessera.valid_range' of argument #0 must be array<i64: lo, hi> with lo < hi}}
func.func @range_empty(%t: tensor<2xi64> {tessera.valid_range = array<i64: 3, 3>}) {
  return
}

// -----

// expected-error @+1 {{'tessera.valid_range' of argument #0 needs an integer tensor argument}}
func.func @range_on_float(%t: tensor<2xf32> {tessera.valid_range = array<i64: 0, 3>}) {
  return
}
