func.func @main(%x: tensor<2x8xf32>, %m: tensor<2x8xf32>, %i: tensor<i32>, %z: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %y = tessera.scheduler_step %x, %m, %i noise(%z) scheduler(#tessera.ddim<eta = 0.5, prediction_type = v_prediction, timestep_spacing = trailing>) steps(10) : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<i32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}
