func.func @main(%q: tensor<1x2x64x16xf32> {tessera.name = "q"}, %k: tensor<1x2x64x16xf32> {tessera.name = "k"}, %v: tensor<1x2x64x16xf32> {tessera.name = "v"}, %bi: tensor<1x1x4x3xi32> {tessera.name = "bi"}) -> (tensor<1x2x64x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v block_index(%bi) {block_sizes = array<i64: 16, 16>} : (tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, tensor<1x1x4x3xi32>) -> tensor<1x2x64x16xf32>
  return %y : tensor<1x2x64x16xf32>
}
