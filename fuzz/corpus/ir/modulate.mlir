func.func @main(%x: tensor<2x16x8xf32>, %shift: tensor<2x8xf32>, %scale: tensor<2x8xf32>) -> tensor<2x16x8xf32> {
  %0 = tessera.modulate %x, %shift, %scale : (tensor<2x16x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x16x8xf32>
  return %0 : tensor<2x16x8xf32>
}
