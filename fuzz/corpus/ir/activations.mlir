func.func @main(%x: tensor<4x64xf32>, %u: tensor<4x64xf32>) -> (tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>) {
  %0 = tessera.gelu %x : tensor<4x64xf32>
  %1 = tessera.gelu %x approximate(tanh) : tensor<4x64xf32>
  %2 = tessera.silu %x : tensor<4x64xf32>
  %3 = tessera.swiglu %x, %u : tensor<4x64xf32>
  return %0, %1, %2, %3 : tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>
}
