func.func @main(%x: tensor<1x2x4xf32>, %c: tensor<1x3xf32>, %u: tensor<1x3xf32>, %w: tensor<4x4xf32>) -> tensor<1x2x4xf32> {
  %y = tessera.sample %x cond(%c) uncond(%u) inputs(%w) scheduler(#tessera.dpm_solver_2m<>) steps(3) {guidance_scale = 4.5, guidance_rescale = 0.7} : (tensor<1x2x4xf32>, tensor<1x3xf32>, tensor<1x3xf32>, tensor<4x4xf32>) -> tensor<1x2x4xf32> {
  ^bb0(%xi: tensor<2x2x4xf32>, %t: tensor<2xf32>, %ci: tensor<2x3xf32>, %wi: tensor<4x4xf32>):
    %o = tessera.linear %xi, %wi : (tensor<2x2x4xf32>, tensor<4x4xf32>) -> tensor<2x2x4xf32>
    tessera.yield %o : tensor<2x2x4xf32>
  }
  return %y : tensor<1x2x4xf32>
}
