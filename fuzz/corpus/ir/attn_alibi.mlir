func.func @main(%q: tensor<1x4x90x16xf32> {tessera.name = "q"}, %k: tensor<1x4x90x16xf32> {tessera.name = "k"}, %v: tensor<1x4x90x16xf32> {tessera.name = "v"}) -> (tensor<1x4x90x16xf32> {tessera.name = "y"}) {
  %y = tessera.attention %q, %k, %v {mask = #tessera.causal} : (tensor<1x4x90x16xf32>, tensor<1x4x90x16xf32>, tensor<1x4x90x16xf32>) -> tensor<1x4x90x16xf32> score_mod {
  ^bb0(%s: f32, %b: index, %h: index, %i: index, %j: index):
    %one = arith.constant 1 : index
    %h1 = arith.addi %h, %one : index
    %hi = arith.index_cast %h1 : index to i64
    %hf = arith.sitofp %hi : i64 to f32
    %nh = arith.negf %hf : f32
    %slope = math.exp2 %nh : f32
    %d = arith.subi %j, %i : index
    %di = arith.index_cast %d : index to i64
    %df = arith.sitofp %di : i64 to f32
    %bias = arith.mulf %slope, %df : f32
    %r = arith.addf %s, %bias : f32
    tessera.yield %r : f32
  }
  return %y : tensor<1x4x90x16xf32>
}
