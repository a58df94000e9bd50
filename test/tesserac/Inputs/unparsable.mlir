// Not valid IR: the type is missing.
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tessera.silu %x
  return %0 : tensor<4xf32>
}
