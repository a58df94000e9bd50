func.func @main(%q: tensor<1x4x1x16xf32> {tessera.name = "q"}, %kc: tensor<1x2x64x16xf32> {tessera.name = "kc"}, %vc: tensor<1x2x64x16xf32> {tessera.name = "vc"}, %kn: tensor<1x2x1x16xf32> {tessera.name = "kn"}, %vn: tensor<1x2x1x16xf32> {tessera.name = "vn"}, %pos: tensor<i64> {tessera.name = "pos"}) -> (tensor<1x4x1x16xf32> {tessera.name = "y"}, tensor<1x2x64x16xf32> {tessera.name = "kcache"}) {
  %p = tensor.extract %pos[] : tensor<i64>
  %off = arith.index_cast %p : i64 to index
  %k = tessera.kv_cache_update %kc, %kn, %off : (tensor<1x2x64x16xf32>, tensor<1x2x1x16xf32>, index) -> tensor<1x2x64x16xf32>
  %v = tessera.kv_cache_update %vc, %vn, %off : (tensor<1x2x64x16xf32>, tensor<1x2x1x16xf32>, index) -> tensor<1x2x64x16xf32>
  %y = tessera.attention %q, %k, %v q_offset(%off) {mask = #tessera.causal} : (tensor<1x4x1x16xf32>, tensor<1x2x64x16xf32>, tensor<1x2x64x16xf32>, index) -> tensor<1x4x1x16xf32>
  return %y, %k : tensor<1x4x1x16xf32>, tensor<1x2x64x16xf32>
}
