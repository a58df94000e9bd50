func.func @main(%q: tensor<1x1x100x16xf32> {tessera.name = "q"}, %k: tensor<1x1x100x16xf32> {tessera.name = "k"}, %v: tensor<1x1x100x16xf32> {tessera.name = "v"}) -> (tensor<1x1x100x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.any_of<[#tessera.block_diagonal<block = 32>, #tessera.sliding_window<left = 8, right = 8>]>} : (tensor<1x1x100x16xf32>, tensor<1x1x100x16xf32>, tensor<1x1x100x16xf32>) -> tensor<1x1x100x16xf32>
  return %y : tensor<1x1x100x16xf32>
}
