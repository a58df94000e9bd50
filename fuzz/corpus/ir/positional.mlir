func.func @main(%x: tensor<1x2x8x16xf32>, %t: tensor<3xf32>) -> (tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32>, tensor<3x33xf32>) {
  %0 = tessera.rope %x : tensor<1x2x8x16xf32>
  %1 = tessera.rope %x {theta = 500000.0 : f64, position_offset = 5 : i64, interleaved} : tensor<1x2x8x16xf32>
  %2 = tessera.timestep_embedding %t {max_period = 1000.0 : f64} : (tensor<3xf32>) -> tensor<3x33xf32>
  return %0, %1, %2 : tensor<1x2x8x16xf32>, tensor<1x2x8x16xf32>, tensor<3x33xf32>
}
