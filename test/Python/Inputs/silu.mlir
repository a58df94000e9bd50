// silu on one input; used by the Python tests.
func.func @main(%x: tensor<4x8xf32> {tessera.name = "x"}) -> (tensor<4x8xf32> {tessera.name = "y"}) {
  %0 = tessera.silu %x : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
