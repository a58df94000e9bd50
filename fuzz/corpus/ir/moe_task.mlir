func.func @main(%x: tensor<2x5x8xf32>, %wg: tensor<2x4x8xf32>, %wu: tensor<4x6x8xf32>, %wd: tensor<4x8x6xf32>, %task: tensor<i32>) -> (tensor<2x5x8xf32>, tensor<4xi64>) {
  %y, %n = tessera.moe %x router(%wg) experts(%wu, %wd) task(%task) routing(#tessera.task_conditioned<tasks = 2, gate = #tessera.token_choice<k = 2>, experts = [0, 1, 2, 1, 2, 3]>) activation(gelu) {capacity_factor = 1.5 : f64} : (tensor<2x5x8xf32>, tensor<2x4x8xf32>, tensor<4x6x8xf32>, tensor<4x8x6xf32>, tensor<i32>) -> (tensor<2x5x8xf32>, tensor<4xi64>)
  return %y, %n : tensor<2x5x8xf32>, tensor<4xi64>
}
