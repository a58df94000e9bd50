func.func @main(%q: tensor<1x8x4x16xf32>, %k: tensor<1x2x6x16xf32>, %v: tensor<1x2x6x32xf32>) -> (tensor<1x8x4x32xf32>, tensor<1x8x4x32xf32>) {
  %0 = tessera.attention %q, %k, %v : (tensor<1x8x4x16xf32>, tensor<1x2x6x16xf32>, tensor<1x2x6x32xf32>) -> tensor<1x8x4x32xf32>
  %1 = tessera.attention %q, %k, %v {scale = 0.5 : f32} : (tensor<1x8x4x16xf32>, tensor<1x2x6x16xf32>, tensor<1x2x6x32xf32>) -> tensor<1x8x4x32xf32>
  return %0, %1 : tensor<1x8x4x32xf32>, tensor<1x8x4x32xf32>
}
