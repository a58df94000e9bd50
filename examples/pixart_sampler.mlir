// A PixArt-alpha-style text-to-image sampler (Chen et al., "PixArt-α: Fast
// Training of Diffusion Transformer for Photorealistic Text-to-Image
// Synthesis", 2023): a DiT denoiser with cross-attention to text tokens,
// DPM-Solver++ 2M for 20 steps with the Stable-Diffusion noise schedule,
// classifier-free guidance 4.5. The latent is 64 tokens of 16 values (2×2
// patches of a 4×16×16 latent); one DiT block of width 128 (2 heads)
// stands in for the paper's 28, and the text embedding is 16 tokens of 96.
// Weight names follow the PyTorch modules. The whole loop runs in the
// executable.
//
//   tesserac examples/pixart_sampler.mlir -o pixart_sampler
//   ./pixart_sampler --random-inputs --seed 0

func.func @main(
    %latent: tensor<1x64x16xf32> {tessera.name = "latent"},
    %text: tensor<1x16x96xf32> {tessera.name = "cond"},
    %null: tensor<1x16x96xf32> {tessera.name = "uncond"},
    %tw1_w: tensor<128x128xf32> {tessera.name = "t_embedder.mlp.0.weight"},
    %tb1_w: tensor<128xf32> {tessera.name = "t_embedder.mlp.0.bias"},
    %tw2_w: tensor<128x128xf32> {tessera.name = "t_embedder.mlp.2.weight"},
    %tb2_w: tensor<128xf32> {tessera.name = "t_embedder.mlp.2.bias"},
    %pw_w: tensor<128x16xf32> {tessera.name = "x_embedder.proj.weight"},
    %pb_w: tensor<128xf32> {tessera.name = "x_embedder.proj.bias"},
    %qkvw_w: tensor<384x128xf32> {tessera.name = "attn.qkv.weight"},
    %ow_w: tensor<128x128xf32> {tessera.name = "attn.proj.weight"},
    %cqw_w: tensor<128x128xf32> {tessera.name = "cross_attn.q.weight"},
    %ckw_w: tensor<128x96xf32> {tessera.name = "cross_attn.k.weight"},
    %cvw_w: tensor<128x96xf32> {tessera.name = "cross_attn.v.weight"},
    %cow_w: tensor<128x128xf32> {tessera.name = "cross_attn.proj.weight"},
    %mw1_w: tensor<512x128xf32> {tessera.name = "mlp.fc1.weight"},
    %mb1_w: tensor<512xf32> {tessera.name = "mlp.fc1.bias"},
    %mw2_w: tensor<128x512xf32> {tessera.name = "mlp.fc2.weight"},
    %mb2_w: tensor<128xf32> {tessera.name = "mlp.fc2.bias"},
    %fw_w: tensor<16x128xf32> {tessera.name = "final_layer.linear.weight"},
    %fb_w: tensor<16xf32> {tessera.name = "final_layer.linear.bias"})
    -> (tensor<1x64x16xf32> {tessera.name = "sample"}) {
  %y = tessera.sample %latent cond(%text) uncond(%null) inputs(%tw1_w, %tb1_w, %tw2_w, %tb2_w, %pw_w, %pb_w, %qkvw_w, %ow_w, %cqw_w, %ckw_w, %cvw_w, %cow_w, %mw1_w, %mb1_w, %mw2_w, %mb2_w, %fw_w, %fb_w)
      scheduler(#tessera.dpm_solver_2m<beta_schedule = scaled_linear, beta_start = 0.00085, beta_end = 0.012>) steps(20) {guidance_scale = 4.5}
      : (tensor<1x64x16xf32>, tensor<1x16x96xf32>, tensor<1x16x96xf32>, tensor<128x128xf32>, tensor<128xf32>, tensor<128x128xf32>, tensor<128xf32>, tensor<128x16xf32>, tensor<128xf32>, tensor<384x128xf32>, tensor<128x128xf32>, tensor<128x128xf32>, tensor<128x96xf32>, tensor<128x96xf32>, tensor<128x128xf32>, tensor<512x128xf32>, tensor<512xf32>, tensor<128x512xf32>, tensor<128xf32>, tensor<16x128xf32>, tensor<16xf32>) -> tensor<1x64x16xf32> {
  ^bb0(%x: tensor<2x64x16xf32>, %t: tensor<2xf32>, %c: tensor<2x16x96xf32>, %tw1: tensor<128x128xf32>, %tb1: tensor<128xf32>, %tw2: tensor<128x128xf32>, %tb2: tensor<128xf32>, %pw: tensor<128x16xf32>, %pb: tensor<128xf32>, %qkvw: tensor<384x128xf32>, %ow: tensor<128x128xf32>, %cqw: tensor<128x128xf32>, %ckw: tensor<128x96xf32>, %cvw: tensor<128x96xf32>, %cow: tensor<128x128xf32>, %mw1: tensor<512x128xf32>, %mb1: tensor<512xf32>, %mw2: tensor<128x512xf32>, %mb2: tensor<128xf32>, %fw: tensor<16x128xf32>, %fb: tensor<16xf32>):
    // Timestep embedding and conditioning MLP.
    %temb = tessera.timestep_embedding %t : (tensor<2xf32>) -> tensor<2x128xf32>
    %te1 = tessera.linear %temb, %tw1 bias(%tb1) : (tensor<2x128xf32>, tensor<128x128xf32>, tensor<128xf32>) -> tensor<2x128xf32>
    %te2 = tessera.silu %te1 : tensor<2x128xf32>
    %te = tessera.linear %te2, %tw2 bias(%tb2) : (tensor<2x128xf32>, tensor<128x128xf32>, tensor<128xf32>) -> tensor<2x128xf32>
    // Patch embedding plus the timestep.
    %h0 = tessera.linear %x, %pw bias(%pb) : (tensor<2x64x16xf32>, tensor<128x16xf32>, tensor<128xf32>) -> tensor<2x64x128xf32>
    %te_e = tensor.empty() : tensor<2x64x128xf32>
    %teb = linalg.broadcast ins(%te : tensor<2x128xf32>) outs(%te_e : tensor<2x64x128xf32>) dimensions = [1]
    %h = arith.addf %h0, %teb : tensor<2x64x128xf32>
    // Self-attention.
    %n1 = tessera.layer_norm %h {epsilon = 1.0e-6 : f32} : (tensor<2x64x128xf32>) -> tensor<2x64x128xf32>
    %qkv = tessera.linear %n1, %qkvw : (tensor<2x64x128xf32>, tensor<384x128xf32>) -> tensor<2x64x384xf32>
    %qkv5 = tensor.expand_shape %qkv [[0], [1], [2, 3, 4]] output_shape [2, 64, 3, 2, 64] : tensor<2x64x384xf32> into tensor<2x64x3x2x64xf32>
    %qkvt_e = tensor.empty() : tensor<3x2x2x64x64xf32>
    %qkvt = linalg.transpose ins(%qkv5 : tensor<2x64x3x2x64xf32>) outs(%qkvt_e : tensor<3x2x2x64x64xf32>) permutation = [2, 0, 3, 1, 4]
    %q = tensor.extract_slice %qkvt[0, 0, 0, 0, 0] [1, 2, 2, 64, 64] [1, 1, 1, 1, 1] : tensor<3x2x2x64x64xf32> to tensor<2x2x64x64xf32>
    %k = tensor.extract_slice %qkvt[1, 0, 0, 0, 0] [1, 2, 2, 64, 64] [1, 1, 1, 1, 1] : tensor<3x2x2x64x64xf32> to tensor<2x2x64x64xf32>
    %v = tensor.extract_slice %qkvt[2, 0, 0, 0, 0] [1, 2, 2, 64, 64] [1, 1, 1, 1, 1] : tensor<3x2x2x64x64xf32> to tensor<2x2x64x64xf32>
    %a = tessera.attention %q, %k, %v : (tensor<2x2x64x64xf32>, tensor<2x2x64x64xf32>, tensor<2x2x64x64xf32>) -> tensor<2x2x64x64xf32>
    %at_e = tensor.empty() : tensor<2x64x2x64xf32>
    %at = linalg.transpose ins(%a : tensor<2x2x64x64xf32>) outs(%at_e : tensor<2x64x2x64xf32>) permutation = [0, 2, 1, 3]
    %a2 = tensor.collapse_shape %at [[0], [1], [2, 3]] : tensor<2x64x2x64xf32> into tensor<2x64x128xf32>
    %ao = tessera.linear %a2, %ow : (tensor<2x64x128xf32>, tensor<128x128xf32>) -> tensor<2x64x128xf32>
    %h1 = arith.addf %h, %ao : tensor<2x64x128xf32>
    // Cross-attention to the conditioning tokens.
    %n2 = tessera.layer_norm %h1 {epsilon = 1.0e-6 : f32} : (tensor<2x64x128xf32>) -> tensor<2x64x128xf32>
    %cq0 = tessera.linear %n2, %cqw : (tensor<2x64x128xf32>, tensor<128x128xf32>) -> tensor<2x64x128xf32>
    %ck0 = tessera.linear %c, %ckw : (tensor<2x16x96xf32>, tensor<128x96xf32>) -> tensor<2x16x128xf32>
    %cv0 = tessera.linear %c, %cvw : (tensor<2x16x96xf32>, tensor<128x96xf32>) -> tensor<2x16x128xf32>
    %cq1 = tensor.expand_shape %cq0 [[0], [1], [2, 3]] output_shape [2, 64, 2, 64] : tensor<2x64x128xf32> into tensor<2x64x2x64xf32>
    %cq_e = tensor.empty() : tensor<2x2x64x64xf32>
    %cq = linalg.transpose ins(%cq1 : tensor<2x64x2x64xf32>) outs(%cq_e : tensor<2x2x64x64xf32>) permutation = [0, 2, 1, 3]
    %ck1 = tensor.expand_shape %ck0 [[0], [1], [2, 3]] output_shape [2, 16, 2, 64] : tensor<2x16x128xf32> into tensor<2x16x2x64xf32>
    %ck_e = tensor.empty() : tensor<2x2x16x64xf32>
    %ck = linalg.transpose ins(%ck1 : tensor<2x16x2x64xf32>) outs(%ck_e : tensor<2x2x16x64xf32>) permutation = [0, 2, 1, 3]
    %cv1 = tensor.expand_shape %cv0 [[0], [1], [2, 3]] output_shape [2, 16, 2, 64] : tensor<2x16x128xf32> into tensor<2x16x2x64xf32>
    %cv_e = tensor.empty() : tensor<2x2x16x64xf32>
    %cv = linalg.transpose ins(%cv1 : tensor<2x16x2x64xf32>) outs(%cv_e : tensor<2x2x16x64xf32>) permutation = [0, 2, 1, 3]
    %ca = tessera.attention %cq, %ck, %cv : (tensor<2x2x64x64xf32>, tensor<2x2x16x64xf32>, tensor<2x2x16x64xf32>) -> tensor<2x2x64x64xf32>
    %cat_e = tensor.empty() : tensor<2x64x2x64xf32>
    %cat = linalg.transpose ins(%ca : tensor<2x2x64x64xf32>) outs(%cat_e : tensor<2x64x2x64xf32>) permutation = [0, 2, 1, 3]
    %ca2 = tensor.collapse_shape %cat [[0], [1], [2, 3]] : tensor<2x64x2x64xf32> into tensor<2x64x128xf32>
    %cao = tessera.linear %ca2, %cow : (tensor<2x64x128xf32>, tensor<128x128xf32>) -> tensor<2x64x128xf32>
    %h2 = arith.addf %h1, %cao : tensor<2x64x128xf32>
    // MLP and the output projection back to the latent channels.
    %n3 = tessera.layer_norm %h2 {epsilon = 1.0e-6 : f32} : (tensor<2x64x128xf32>) -> tensor<2x64x128xf32>
    %m1 = tessera.linear %n3, %mw1 bias(%mb1) : (tensor<2x64x128xf32>, tensor<512x128xf32>, tensor<512xf32>) -> tensor<2x64x512xf32>
    %m2 = tessera.gelu %m1 approximate(tanh) : tensor<2x64x512xf32>
    %m3 = tessera.linear %m2, %mw2 bias(%mb2) : (tensor<2x64x512xf32>, tensor<128x512xf32>, tensor<128xf32>) -> tensor<2x64x128xf32>
    %h3 = arith.addf %h2, %m3 : tensor<2x64x128xf32>
    %n4 = tessera.layer_norm %h3 {epsilon = 1.0e-6 : f32} : (tensor<2x64x128xf32>) -> tensor<2x64x128xf32>
    %out = tessera.linear %n4, %fw bias(%fb) : (tensor<2x64x128xf32>, tensor<16x128xf32>, tensor<16xf32>) -> tensor<2x64x16xf32>
    tessera.yield %out : tensor<2x64x16xf32>
  }
  return %y : tensor<1x64x16xf32>
}
