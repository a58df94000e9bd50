// An AniMer+ block (family-aware animal pose and shape estimation with a
// mixture-of-experts ViT backbone): a pre-norm ViT block whose MLP holds
// taxa-specific experts and taxa-shared components. Each image's family
// (0 = mammal, 1 = bird) sends all of its tokens to that family's two
// experts, with equal weights and no learned gate, and every token also
// goes through one always-on shared expert. ViT-Tiny width (192, 3 heads
// of 64), 64 patches, 2 images (one of each family, say), hidden size 384.
//
//   tesserac examples/animer_block.mlir -o animer_block
//   ./animer_block --random-inputs --seed 0 --input family=family.npy

func.func @main(
    %x: tensor<2x64x192xf32> {tessera.name = "x"},
    %g1: tensor<192xf32> {tessera.name = "norm1.weight"},
    %b1: tensor<192xf32> {tessera.name = "norm1.bias"},
    %qw: tensor<576x192xf32> {tessera.name = "attn.qkv.weight"},
    %qb: tensor<576xf32> {tessera.name = "attn.qkv.bias"},
    %pw: tensor<192x192xf32> {tessera.name = "attn.proj.weight"},
    %pb: tensor<192xf32> {tessera.name = "attn.proj.bias"},
    %g2: tensor<192xf32> {tessera.name = "norm2.weight"},
    %b2: tensor<192xf32> {tessera.name = "norm2.bias"},
    %wu: tensor<4x384x192xf32> {tessera.name = "mlp.experts.fc1.weight"},
    %wd: tensor<4x192x384xf32> {tessera.name = "mlp.experts.fc2.weight"},
    %su: tensor<1x384x192xf32> {tessera.name = "mlp.shared.fc1.weight"},
    %sd: tensor<1x192x384xf32> {tessera.name = "mlp.shared.fc2.weight"},
    %family: tensor<2xi32> {tessera.name = "family"})
    -> (tensor<2x64x192xf32> {tessera.name = "y"}) {
  // Attention branch.
  %n1 = tessera.layer_norm %x weight(%g1) bias(%b1) {epsilon = 1.0e-6 : f32} : (tensor<2x64x192xf32>, tensor<192xf32>, tensor<192xf32>) -> tensor<2x64x192xf32>
  %qkv = tessera.linear %n1, %qw bias(%qb) : (tensor<2x64x192xf32>, tensor<576x192xf32>, tensor<576xf32>) -> tensor<2x64x576xf32>
  %qkv5 = tensor.expand_shape %qkv [[0], [1], [2, 3, 4]] output_shape [2, 64, 3, 3, 64] : tensor<2x64x576xf32> into tensor<2x64x3x3x64xf32>
  %qkvt_init = tensor.empty() : tensor<3x2x3x64x64xf32>
  %qkvt = linalg.transpose ins(%qkv5 : tensor<2x64x3x3x64xf32>) outs(%qkvt_init : tensor<3x2x3x64x64xf32>) permutation = [2, 0, 3, 1, 4]
  %q = tensor.extract_slice %qkvt[0, 0, 0, 0, 0] [1, 2, 3, 64, 64] [1, 1, 1, 1, 1] : tensor<3x2x3x64x64xf32> to tensor<2x3x64x64xf32>
  %k = tensor.extract_slice %qkvt[1, 0, 0, 0, 0] [1, 2, 3, 64, 64] [1, 1, 1, 1, 1] : tensor<3x2x3x64x64xf32> to tensor<2x3x64x64xf32>
  %v = tensor.extract_slice %qkvt[2, 0, 0, 0, 0] [1, 2, 3, 64, 64] [1, 1, 1, 1, 1] : tensor<3x2x3x64x64xf32> to tensor<2x3x64x64xf32>
  %a = tessera.attention %q, %k, %v : (tensor<2x3x64x64xf32>, tensor<2x3x64x64xf32>, tensor<2x3x64x64xf32>) -> tensor<2x3x64x64xf32>
  %at_init = tensor.empty() : tensor<2x64x3x64xf32>
  %at = linalg.transpose ins(%a : tensor<2x3x64x64xf32>) outs(%at_init : tensor<2x64x3x64xf32>) permutation = [0, 2, 1, 3]
  %a2 = tensor.collapse_shape %at [[0], [1], [2, 3]] : tensor<2x64x3x64xf32> into tensor<2x64x192xf32>
  %o = tessera.linear %a2, %pw bias(%pb) : (tensor<2x64x192xf32>, tensor<192x192xf32>, tensor<192xf32>) -> tensor<2x64x192xf32>
  %x1 = arith.addf %x, %o : tensor<2x64x192xf32>
  %n2 = tessera.layer_norm %x1 weight(%g2) bias(%b2) {epsilon = 1.0e-6 : f32} : (tensor<2x64x192xf32>, tensor<192xf32>, tensor<192xf32>) -> tensor<2x64x192xf32>
  // Family-aware MoE MLP: experts 0, 1 for mammals, 2, 3 for birds, plus
  // the shared expert.
  %m = tessera.moe %n2 experts(%wu, %wd) shared(%su, %sd) category(%family)
      routing(#tessera.category_conditioned<categories = 2, experts = [0, 1, 2, 3]>)
      activation(gelu)
      : (tensor<2x64x192xf32>, tensor<4x384x192xf32>, tensor<4x192x384xf32>, tensor<1x384x192xf32>, tensor<1x192x384xf32>, tensor<2xi32>)
      -> tensor<2x64x192xf32>
  %y = arith.addf %x1, %m : tensor<2x64x192xf32>
  return %y : tensor<2x64x192xf32>
}
