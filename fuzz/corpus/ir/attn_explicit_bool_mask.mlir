func.func @main(%q: tensor<1x2x70x16xf32> {tessera.name = "q"}, %k: tensor<1x2x70x16xf32> {tessera.name = "k"}, %v: tensor<1x2x70x16xf32> {tessera.name = "v"}, %m: tensor<1x1x70x70xi1> {tessera.name = "m"}) -> (tensor<1x2x70x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v mask(%m) : (tensor<1x2x70x16xf32>, tensor<1x2x70x16xf32>, tensor<1x2x70x16xf32>, tensor<1x1x70x70xi1>) -> tensor<1x2x70x16xf32>
  return %y : tensor<1x2x70x16xf32>
}
