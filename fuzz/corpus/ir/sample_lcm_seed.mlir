func.func @main(%x: tensor<2x8xf32>, %s: tensor<i64>) -> tensor<2x8xf32> {
  %y = tessera.sample %x seed(%s) scheduler(#tessera.lcm<>) steps(2) : (tensor<2x8xf32>, tensor<i64>) -> tensor<2x8xf32> {
  ^bb0(%xi: tensor<2x8xf32>, %t: tensor<2xf32>, %a: tensor<2xf32>):
    %g = tessera.silu %xi : tensor<2x8xf32>
    tessera.yield %g : tensor<2x8xf32>
  }
  return %y : tensor<2x8xf32>
}
