func.func @main(%x: tensor<4x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>) -> (tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>) {
  %0 = tessera.layer_norm %x weight(%g) bias(%b) {epsilon = 1.0e-6 : f32} : (tensor<4x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  %1 = tessera.layer_norm %x bias(%b) : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  %2 = tessera.rms_norm %x weight(%g) : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  %3 = tessera.rms_norm %x {epsilon = 1.0e-3 : f32} : (tensor<4x64xf32>) -> tensor<4x64xf32>
  return %0, %1, %2, %3 : tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>
}
