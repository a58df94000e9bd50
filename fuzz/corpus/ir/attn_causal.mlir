func.func @main(%q: tensor<1x2x150x32xf32> {tessera.name = "q"}, %k: tensor<1x2x150x32xf32> {tessera.name = "k"}, %v: tensor<1x2x150x32xf32> {tessera.name = "v"}) -> (tensor<1x2x150x32xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.causal} : (tensor<1x2x150x32xf32>, tensor<1x2x150x32xf32>, tensor<1x2x150x32xf32>) -> tensor<1x2x150x32xf32>
  return %y : tensor<1x2x150x32xf32>
}
