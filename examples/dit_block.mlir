// One DiT block (Peebles & Xie, "Scalable Diffusion Models with
// Transformers"; the block PixArt-alpha builds on): the timestep embedder
// (sinusoidal embedding + MLP), adaLN-Zero modulation from the conditioning
// vector, layer norm, multi-head self-attention, a GELU(tanh) MLP and gated
// residuals. Hidden size 384, 6 heads of 64, 256 tokens, batch 2.
// Argument names follow the PyTorch module names, so a safetensors export of
// a DiT block (prefix stripped) feeds it directly.
//
//   tesserac examples/dit_block.mlir -o dit_block
//   ./dit_block --random-inputs --seed 0 --bench 10

func.func @main(
    %x: tensor<2x256x384xf32> {tessera.name = "x"},
    %t: tensor<2xf32> {tessera.name = "t"},
    %tw1: tensor<384x256xf32> {tessera.name = "t_embedder.mlp.0.weight"},
    %tb1: tensor<384xf32> {tessera.name = "t_embedder.mlp.0.bias"},
    %tw2: tensor<384x384xf32> {tessera.name = "t_embedder.mlp.2.weight"},
    %tb2: tensor<384xf32> {tessera.name = "t_embedder.mlp.2.bias"},
    %aw: tensor<2304x384xf32> {tessera.name = "adaLN_modulation.1.weight"},
    %ab: tensor<2304xf32> {tessera.name = "adaLN_modulation.1.bias"},
    %qw: tensor<1152x384xf32> {tessera.name = "attn.qkv.weight"},
    %qb: tensor<1152xf32> {tessera.name = "attn.qkv.bias"},
    %pw: tensor<384x384xf32> {tessera.name = "attn.proj.weight"},
    %pb: tensor<384xf32> {tessera.name = "attn.proj.bias"},
    %w1: tensor<1536x384xf32> {tessera.name = "mlp.fc1.weight"},
    %b1: tensor<1536xf32> {tessera.name = "mlp.fc1.bias"},
    %w2: tensor<384x1536xf32> {tessera.name = "mlp.fc2.weight"},
    %b2: tensor<384xf32> {tessera.name = "mlp.fc2.bias"})
    -> (tensor<2x256x384xf32> {tessera.name = "y"}) {
  // Conditioning c = MLP(timestep_embedding(t)).
  %temb = tessera.timestep_embedding %t : (tensor<2xf32>) -> tensor<2x256xf32>
  %c0 = tessera.linear %temb, %tw1 bias(%tb1) : (tensor<2x256xf32>, tensor<384x256xf32>, tensor<384xf32>) -> tensor<2x384xf32>
  %c1 = tessera.silu %c0 : tensor<2x384xf32>
  %c = tessera.linear %c1, %tw2 bias(%tb2) : (tensor<2x384xf32>, tensor<384x384xf32>, tensor<384xf32>) -> tensor<2x384xf32>

  // adaLN-Zero: six modulation vectors from silu(c).
  %cs = tessera.silu %c : tensor<2x384xf32>
  %mod = tessera.linear %cs, %aw bias(%ab) : (tensor<2x384xf32>, tensor<2304x384xf32>, tensor<2304xf32>) -> tensor<2x2304xf32>
  %shift_msa = tensor.extract_slice %mod[0, 0] [2, 384] [1, 1] : tensor<2x2304xf32> to tensor<2x384xf32>
  %scale_msa = tensor.extract_slice %mod[0, 384] [2, 384] [1, 1] : tensor<2x2304xf32> to tensor<2x384xf32>
  %gate_msa = tensor.extract_slice %mod[0, 768] [2, 384] [1, 1] : tensor<2x2304xf32> to tensor<2x384xf32>
  %shift_mlp = tensor.extract_slice %mod[0, 1152] [2, 384] [1, 1] : tensor<2x2304xf32> to tensor<2x384xf32>
  %scale_mlp = tensor.extract_slice %mod[0, 1536] [2, 384] [1, 1] : tensor<2x2304xf32> to tensor<2x384xf32>
  %gate_mlp = tensor.extract_slice %mod[0, 1920] [2, 384] [1, 1] : tensor<2x2304xf32> to tensor<2x384xf32>

  // Self-attention branch.
  %n1 = tessera.layer_norm %x {epsilon = 1.0e-6 : f32} : (tensor<2x256x384xf32>) -> tensor<2x256x384xf32>
  %h1 = tessera.modulate %n1, %shift_msa, %scale_msa : (tensor<2x256x384xf32>, tensor<2x384xf32>, tensor<2x384xf32>) -> tensor<2x256x384xf32>
  %qkv = tessera.linear %h1, %qw bias(%qb) : (tensor<2x256x384xf32>, tensor<1152x384xf32>, tensor<1152xf32>) -> tensor<2x256x1152xf32>
  %qkv5 = tensor.expand_shape %qkv [[0], [1], [2, 3, 4]] output_shape [2, 256, 3, 6, 64] : tensor<2x256x1152xf32> into tensor<2x256x3x6x64xf32>
  %qkvt_init = tensor.empty() : tensor<3x2x6x256x64xf32>
  %qkvt = linalg.transpose ins(%qkv5 : tensor<2x256x3x6x64xf32>) outs(%qkvt_init : tensor<3x2x6x256x64xf32>) permutation = [2, 0, 3, 1, 4]
  %q = tensor.extract_slice %qkvt[0, 0, 0, 0, 0] [1, 2, 6, 256, 64] [1, 1, 1, 1, 1] : tensor<3x2x6x256x64xf32> to tensor<2x6x256x64xf32>
  %k = tensor.extract_slice %qkvt[1, 0, 0, 0, 0] [1, 2, 6, 256, 64] [1, 1, 1, 1, 1] : tensor<3x2x6x256x64xf32> to tensor<2x6x256x64xf32>
  %v = tensor.extract_slice %qkvt[2, 0, 0, 0, 0] [1, 2, 6, 256, 64] [1, 1, 1, 1, 1] : tensor<3x2x6x256x64xf32> to tensor<2x6x256x64xf32>
  %a = tessera.attention %q, %k, %v : (tensor<2x6x256x64xf32>, tensor<2x6x256x64xf32>, tensor<2x6x256x64xf32>) -> tensor<2x6x256x64xf32>
  %at_init = tensor.empty() : tensor<2x256x6x64xf32>
  %at = linalg.transpose ins(%a : tensor<2x6x256x64xf32>) outs(%at_init : tensor<2x256x6x64xf32>) permutation = [0, 2, 1, 3]
  %a2 = tensor.collapse_shape %at [[0], [1], [2, 3]] : tensor<2x256x6x64xf32> into tensor<2x256x384xf32>
  %o = tessera.linear %a2, %pw bias(%pb) : (tensor<2x256x384xf32>, tensor<384x384xf32>, tensor<384xf32>) -> tensor<2x256x384xf32>
  %g1_init = tensor.empty() : tensor<2x256x384xf32>
  %g1 = linalg.broadcast ins(%gate_msa : tensor<2x384xf32>) outs(%g1_init : tensor<2x256x384xf32>) dimensions = [1]
  %go = arith.mulf %g1, %o : tensor<2x256x384xf32>
  %x1 = arith.addf %x, %go : tensor<2x256x384xf32>

  // MLP branch.
  %n2 = tessera.layer_norm %x1 {epsilon = 1.0e-6 : f32} : (tensor<2x256x384xf32>) -> tensor<2x256x384xf32>
  %h2 = tessera.modulate %n2, %shift_mlp, %scale_mlp : (tensor<2x256x384xf32>, tensor<2x384xf32>, tensor<2x384xf32>) -> tensor<2x256x384xf32>
  %f1 = tessera.linear %h2, %w1 bias(%b1) : (tensor<2x256x384xf32>, tensor<1536x384xf32>, tensor<1536xf32>) -> tensor<2x256x1536xf32>
  %f1g = tessera.gelu %f1 approximate(tanh) : tensor<2x256x1536xf32>
  %f2 = tessera.linear %f1g, %w2 bias(%b2) : (tensor<2x256x1536xf32>, tensor<384x1536xf32>, tensor<384xf32>) -> tensor<2x256x384xf32>
  %g2_init = tensor.empty() : tensor<2x256x384xf32>
  %g2 = linalg.broadcast ins(%gate_mlp : tensor<2x384xf32>) outs(%g2_init : tensor<2x256x384xf32>) dimensions = [1]
  %gm = arith.mulf %g2, %f2 : tensor<2x256x384xf32>
  %y = arith.addf %x1, %gm : tensor<2x256x384xf32>
  return %y : tensor<2x256x384xf32>
}
