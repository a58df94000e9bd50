// A Next-Frame-Diffusion step (Cheng et al., "Playing with Transformer at
// 30+ FPS via Next-Frame Diffusion", 2025): the next video frame (16 patch
// tokens of 16 values) is drawn with 4 consistency (LCM) steps by a DiT
// whose self-attention reads the keys and values of the 4 previous, clean
// frames from a KV cache (64 tokens, written by tessera.kv_cache_update as
// in examples/next_frame_diffusion.mlir) and is block-causal over frames:
// the new frame's tokens (positions 64..79, bottom-right aligned) see the
// cached frames and their own frame. The consistency steps re-noise from
// the run-time seed (Philox: the same for any thread count). No guidance.
//
//   tesserac examples/nfd_sampler.mlir -o nfd_sampler
//   ./nfd_sampler --random-inputs --seed 0

func.func @main(
    %latent: tensor<1x16x16xf32> {tessera.name = "latent"},
    %kc_w: tensor<1x2x64x64xf32> {tessera.name = "k_cache"},
    %vc_w: tensor<1x2x64x64xf32> {tessera.name = "v_cache"},
    %tw1_w: tensor<128x128xf32> {tessera.name = "t_embedder.mlp.0.weight"},
    %tb1_w: tensor<128xf32> {tessera.name = "t_embedder.mlp.0.bias"},
    %tw2_w: tensor<128x128xf32> {tessera.name = "t_embedder.mlp.2.weight"},
    %tb2_w: tensor<128xf32> {tessera.name = "t_embedder.mlp.2.bias"},
    %pw_w: tensor<128x16xf32> {tessera.name = "x_embedder.proj.weight"},
    %pb_w: tensor<128xf32> {tessera.name = "x_embedder.proj.bias"},
    %qkvw_w: tensor<384x128xf32> {tessera.name = "attn.qkv.weight"},
    %ow_w: tensor<128x128xf32> {tessera.name = "attn.proj.weight"},
    %mw1_w: tensor<512x128xf32> {tessera.name = "mlp.fc1.weight"},
    %mb1_w: tensor<512xf32> {tessera.name = "mlp.fc1.bias"},
    %mw2_w: tensor<128x512xf32> {tessera.name = "mlp.fc2.weight"},
    %mb2_w: tensor<128xf32> {tessera.name = "mlp.fc2.bias"},
    %fw_w: tensor<16x128xf32> {tessera.name = "final_layer.linear.weight"},
    %fb_w: tensor<16xf32> {tessera.name = "final_layer.linear.bias"},
    %seed: tensor<i64> {tessera.name = "seed"})
    -> (tensor<1x16x16xf32> {tessera.name = "sample"}) {
  %y = tessera.sample %latent inputs(%kc_w, %vc_w, %tw1_w, %tb1_w, %tw2_w, %tb2_w, %pw_w, %pb_w, %qkvw_w, %ow_w, %mw1_w, %mb1_w, %mw2_w, %mb2_w, %fw_w, %fb_w) seed(%seed)
      scheduler(#tessera.lcm<>) steps(4)
      : (tensor<1x16x16xf32>, tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>, tensor<128x128xf32>, tensor<128xf32>, tensor<128x128xf32>, tensor<128xf32>, tensor<128x16xf32>, tensor<128xf32>, tensor<384x128xf32>, tensor<128x128xf32>, tensor<512x128xf32>, tensor<512xf32>, tensor<128x512xf32>, tensor<128xf32>, tensor<16x128xf32>, tensor<16xf32>, tensor<i64>) -> tensor<1x16x16xf32> {
  ^bb0(%x: tensor<1x16x16xf32>, %t: tensor<1xf32>, %kc: tensor<1x2x64x64xf32>, %vc: tensor<1x2x64x64xf32>, %tw1: tensor<128x128xf32>, %tb1: tensor<128xf32>, %tw2: tensor<128x128xf32>, %tb2: tensor<128xf32>, %pw: tensor<128x16xf32>, %pb: tensor<128xf32>, %qkvw: tensor<384x128xf32>, %ow: tensor<128x128xf32>, %mw1: tensor<512x128xf32>, %mb1: tensor<512xf32>, %mw2: tensor<128x512xf32>, %mb2: tensor<128xf32>, %fw: tensor<16x128xf32>, %fb: tensor<16xf32>):
    // Timestep embedding and conditioning MLP.
    %temb = tessera.timestep_embedding %t : (tensor<1xf32>) -> tensor<1x128xf32>
    %te1 = tessera.linear %temb, %tw1 bias(%tb1) : (tensor<1x128xf32>, tensor<128x128xf32>, tensor<128xf32>) -> tensor<1x128xf32>
    %te2 = tessera.silu %te1 : tensor<1x128xf32>
    %te = tessera.linear %te2, %tw2 bias(%tb2) : (tensor<1x128xf32>, tensor<128x128xf32>, tensor<128xf32>) -> tensor<1x128xf32>
    // Patch embedding plus the timestep.
    %h0 = tessera.linear %x, %pw bias(%pb) : (tensor<1x16x16xf32>, tensor<128x16xf32>, tensor<128xf32>) -> tensor<1x16x128xf32>
    %te_e = tensor.empty() : tensor<1x16x128xf32>
    %teb = linalg.broadcast ins(%te : tensor<1x128xf32>) outs(%te_e : tensor<1x16x128xf32>) dimensions = [1]
    %h = arith.addf %h0, %teb : tensor<1x16x128xf32>
    // Self-attention (#tessera.block_causal<frame = 16>).
    %n1 = tessera.layer_norm %h {epsilon = 1.0e-6 : f32} : (tensor<1x16x128xf32>) -> tensor<1x16x128xf32>
    %qkv = tessera.linear %n1, %qkvw : (tensor<1x16x128xf32>, tensor<384x128xf32>) -> tensor<1x16x384xf32>
    %qkv5 = tensor.expand_shape %qkv [[0], [1], [2, 3, 4]] output_shape [1, 16, 3, 2, 64] : tensor<1x16x384xf32> into tensor<1x16x3x2x64xf32>
    %qkvt_e = tensor.empty() : tensor<3x1x2x16x64xf32>
    %qkvt = linalg.transpose ins(%qkv5 : tensor<1x16x3x2x64xf32>) outs(%qkvt_e : tensor<3x1x2x16x64xf32>) permutation = [2, 0, 3, 1, 4]
    %q = tensor.extract_slice %qkvt[0, 0, 0, 0, 0] [1, 1, 2, 16, 64] [1, 1, 1, 1, 1] : tensor<3x1x2x16x64xf32> to tensor<1x2x16x64xf32>
    %k = tensor.extract_slice %qkvt[1, 0, 0, 0, 0] [1, 1, 2, 16, 64] [1, 1, 1, 1, 1] : tensor<3x1x2x16x64xf32> to tensor<1x2x16x64xf32>
    %v = tensor.extract_slice %qkvt[2, 0, 0, 0, 0] [1, 1, 2, 16, 64] [1, 1, 1, 1, 1] : tensor<3x1x2x16x64xf32> to tensor<1x2x16x64xf32>
    // Keys and values of the new frame after the cached context frames.
    %ke = tensor.empty() : tensor<1x2x80x64xf32>
    %k0 = tensor.insert_slice %kc into %ke[0, 0, 0, 0] [1, 2, 64, 64] [1, 1, 1, 1] : tensor<1x2x64x64xf32> into tensor<1x2x80x64xf32>
    %kall = tensor.insert_slice %k into %k0[0, 0, 64, 0] [1, 2, 16, 64] [1, 1, 1, 1] : tensor<1x2x16x64xf32> into tensor<1x2x80x64xf32>
    %ve = tensor.empty() : tensor<1x2x80x64xf32>
    %v0 = tensor.insert_slice %vc into %ve[0, 0, 0, 0] [1, 2, 64, 64] [1, 1, 1, 1] : tensor<1x2x64x64xf32> into tensor<1x2x80x64xf32>
    %vall = tensor.insert_slice %v into %v0[0, 0, 64, 0] [1, 2, 16, 64] [1, 1, 1, 1] : tensor<1x2x16x64xf32> into tensor<1x2x80x64xf32>
    %a = tessera.attention %q, %kall, %vall {mask = #tessera.block_causal<frame = 16>} : (tensor<1x2x16x64xf32>, tensor<1x2x80x64xf32>, tensor<1x2x80x64xf32>) -> tensor<1x2x16x64xf32>
    %at_e = tensor.empty() : tensor<1x16x2x64xf32>
    %at = linalg.transpose ins(%a : tensor<1x2x16x64xf32>) outs(%at_e : tensor<1x16x2x64xf32>) permutation = [0, 2, 1, 3]
    %a2 = tensor.collapse_shape %at [[0], [1], [2, 3]] : tensor<1x16x2x64xf32> into tensor<1x16x128xf32>
    %ao = tessera.linear %a2, %ow : (tensor<1x16x128xf32>, tensor<128x128xf32>) -> tensor<1x16x128xf32>
    %h1 = arith.addf %h, %ao : tensor<1x16x128xf32>
    // MLP and the output projection back to the latent channels.
    %n3 = tessera.layer_norm %h1 {epsilon = 1.0e-6 : f32} : (tensor<1x16x128xf32>) -> tensor<1x16x128xf32>
    %m1 = tessera.linear %n3, %mw1 bias(%mb1) : (tensor<1x16x128xf32>, tensor<512x128xf32>, tensor<512xf32>) -> tensor<1x16x512xf32>
    %m2 = tessera.gelu %m1 approximate(tanh) : tensor<1x16x512xf32>
    %m3 = tessera.linear %m2, %mw2 bias(%mb2) : (tensor<1x16x512xf32>, tensor<128x512xf32>, tensor<128xf32>) -> tensor<1x16x128xf32>
    %h3 = arith.addf %h1, %m3 : tensor<1x16x128xf32>
    %n4 = tessera.layer_norm %h3 {epsilon = 1.0e-6 : f32} : (tensor<1x16x128xf32>) -> tensor<1x16x128xf32>
    %out = tessera.linear %n4, %fw bias(%fb) : (tensor<1x16x128xf32>, tensor<16x128xf32>, tensor<16xf32>) -> tensor<1x16x16xf32>
    tessera.yield %out : tensor<1x16x16xf32>
  }
  return %y : tensor<1x16x16xf32>
}
