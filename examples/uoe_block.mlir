// A Union-of-Experts style block (Yang et al., 2025): patch-wise data
// selection, where each expert picks the tokens it processes. A pre-norm
// ViT block whose MLP is an expert-choice mixture of 8 GELU experts with
// capacity factor 2: each expert takes its top ceil(2·96/8) = 24 tokens by
// router probability, so a token may be processed by any number of experts
// (including none, leaving only its residual). ViT-Tiny width (192, 3
// heads of 64), 96 patches, hidden size 384. The second result counts the
// tokens each expert took.
//
//   tesserac examples/uoe_block.mlir -o uoe_block
//   ./uoe_block --random-inputs --seed 0

func.func @main(
    %x: tensor<1x96x192xf32> {tessera.name = "x"},
    %g1: tensor<192xf32> {tessera.name = "norm1.weight"},
    %b1: tensor<192xf32> {tessera.name = "norm1.bias"},
    %qw: tensor<576x192xf32> {tessera.name = "attn.qkv.weight"},
    %qb: tensor<576xf32> {tessera.name = "attn.qkv.bias"},
    %pw: tensor<192x192xf32> {tessera.name = "attn.proj.weight"},
    %pb: tensor<192xf32> {tessera.name = "attn.proj.bias"},
    %g2: tensor<192xf32> {tessera.name = "norm2.weight"},
    %b2: tensor<192xf32> {tessera.name = "norm2.bias"},
    %wg: tensor<8x192xf32> {tessera.name = "mlp.router.weight"},
    %wu: tensor<8x384x192xf32> {tessera.name = "mlp.experts.fc1.weight"},
    %wd: tensor<8x192x384xf32> {tessera.name = "mlp.experts.fc2.weight"})
    -> (tensor<1x96x192xf32> {tessera.name = "y"},
        tensor<8xi32> {tessera.name = "tokens_per_expert"}) {
  // Attention branch.
  %n1 = tessera.layer_norm %x weight(%g1) bias(%b1) {epsilon = 1.0e-6 : f32} : (tensor<1x96x192xf32>, tensor<192xf32>, tensor<192xf32>) -> tensor<1x96x192xf32>
  %qkv = tessera.linear %n1, %qw bias(%qb) : (tensor<1x96x192xf32>, tensor<576x192xf32>, tensor<576xf32>) -> tensor<1x96x576xf32>
  %qkv5 = tensor.expand_shape %qkv [[0], [1], [2, 3, 4]] output_shape [1, 96, 3, 3, 64] : tensor<1x96x576xf32> into tensor<1x96x3x3x64xf32>
  %qkvt_init = tensor.empty() : tensor<3x1x3x96x64xf32>
  %qkvt = linalg.transpose ins(%qkv5 : tensor<1x96x3x3x64xf32>) outs(%qkvt_init : tensor<3x1x3x96x64xf32>) permutation = [2, 0, 3, 1, 4]
  %q = tensor.extract_slice %qkvt[0, 0, 0, 0, 0] [1, 1, 3, 96, 64] [1, 1, 1, 1, 1] : tensor<3x1x3x96x64xf32> to tensor<1x3x96x64xf32>
  %k = tensor.extract_slice %qkvt[1, 0, 0, 0, 0] [1, 1, 3, 96, 64] [1, 1, 1, 1, 1] : tensor<3x1x3x96x64xf32> to tensor<1x3x96x64xf32>
  %v = tensor.extract_slice %qkvt[2, 0, 0, 0, 0] [1, 1, 3, 96, 64] [1, 1, 1, 1, 1] : tensor<3x1x3x96x64xf32> to tensor<1x3x96x64xf32>
  %a = tessera.attention %q, %k, %v : (tensor<1x3x96x64xf32>, tensor<1x3x96x64xf32>, tensor<1x3x96x64xf32>) -> tensor<1x3x96x64xf32>
  %at_init = tensor.empty() : tensor<1x96x3x64xf32>
  %at = linalg.transpose ins(%a : tensor<1x3x96x64xf32>) outs(%at_init : tensor<1x96x3x64xf32>) permutation = [0, 2, 1, 3]
  %a2 = tensor.collapse_shape %at [[0], [1], [2, 3]] : tensor<1x96x3x64xf32> into tensor<1x96x192xf32>
  %o = tessera.linear %a2, %pw bias(%pb) : (tensor<1x96x192xf32>, tensor<192x192xf32>, tensor<192xf32>) -> tensor<1x96x192xf32>
  %x1 = arith.addf %x, %o : tensor<1x96x192xf32>
  %n2 = tessera.layer_norm %x1 weight(%g2) bias(%b2) {epsilon = 1.0e-6 : f32} : (tensor<1x96x192xf32>, tensor<192xf32>, tensor<192xf32>) -> tensor<1x96x192xf32>
  // Expert-choice MoE MLP.
  %m, %n = tessera.moe %n2 router(%wg) experts(%wu, %wd)
      routing(#tessera.expert_choice<capacity_factor = 2.0>) activation(gelu)
      : (tensor<1x96x192xf32>, tensor<8x192xf32>, tensor<8x384x192xf32>, tensor<8x192x384xf32>)
      -> (tensor<1x96x192xf32>, tensor<8xi32>)
  %y = arith.addf %x1, %m : tensor<1x96x192xf32>
  return %y, %n : tensor<1x96x192xf32>, tensor<8xi32>
}
