func.func @main(%x: tensor<2x3xf32> {tessera.name = "x"}) -> tensor<2x3xf32> {
  %0 = tessera.gelu %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
