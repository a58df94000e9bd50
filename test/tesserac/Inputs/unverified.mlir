// Parses, but tessera.linear fails verification.
func.func @main(%x: tensor<4x16xf32>, %w: tensor<8x12xf32>) -> tensor<4x8xf32> {
  %0 = tessera.linear %x, %w : (tensor<4x16xf32>, tensor<8x12xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
