// A next-frame video diffusion transformer block: the tokens of 4 frames
// (64 tokens each) attend with a frame-causal mask (a frame sees itself and
// earlier frames: #tessera.block_causal<frame = 64>), with DiT-style adaLN
// conditioning, a GELU MLP and gated residuals. Hidden 256, 4 heads of 64.
//
// @decode_frame denoises one new frame against a KV cache of the earlier
// frames: it writes the new frame's K/V rows at position `pos` with
// tessera.kv_cache_update and attends with q_offset = pos, so the same
// frame-causal mask lets the new frame see itself and every cached frame.
//
//   tesserac examples/next_frame_diffusion.mlir -o next_frame
//   ./next_frame --random-inputs --seed 0 --bench 10
//   tesserac examples/next_frame_diffusion.mlir --entry=decode_frame -o decode_frame
//   ./decode_frame --random-inputs --seed 0

func.func @main(
    %x: tensor<1x256x256xf32> {tessera.name = "x"},
    %c: tensor<1x256xf32> {tessera.name = "c"},
    %wada: tensor<1536x256xf32> {tessera.name = "adaLN_modulation.1.weight"},
    %bada: tensor<1536xf32> {tessera.name = "adaLN_modulation.1.bias"},
    %wqkv: tensor<768x256xf32> {tessera.name = "attn.qkv.weight"},
    %bqkv: tensor<768xf32> {tessera.name = "attn.qkv.bias"},
    %wo: tensor<256x256xf32> {tessera.name = "attn.proj.weight"},
    %bo: tensor<256xf32> {tessera.name = "attn.proj.bias"},
    %w1: tensor<1024x256xf32> {tessera.name = "mlp.fc1.weight"},
    %b1: tensor<1024xf32> {tessera.name = "mlp.fc1.bias"},
    %w2: tensor<256x1024xf32> {tessera.name = "mlp.fc2.weight"},
    %b2: tensor<256xf32> {tessera.name = "mlp.fc2.bias"})
    -> (tensor<1x256x256xf32> {tessera.name = "y"}) {
  %cs = tessera.silu %c : tensor<1x256xf32>
  %mod = tessera.linear %cs, %wada bias(%bada) : (tensor<1x256xf32>, tensor<1536x256xf32>, tensor<1536xf32>) -> tensor<1x1536xf32>
  %shift_msa = tensor.extract_slice %mod[0, 0] [1, 256] [1, 1] : tensor<1x1536xf32> to tensor<1x256xf32>
  %scale_msa = tensor.extract_slice %mod[0, 256] [1, 256] [1, 1] : tensor<1x1536xf32> to tensor<1x256xf32>
  %gate_msa = tensor.extract_slice %mod[0, 512] [1, 256] [1, 1] : tensor<1x1536xf32> to tensor<1x256xf32>
  %shift_mlp = tensor.extract_slice %mod[0, 768] [1, 256] [1, 1] : tensor<1x1536xf32> to tensor<1x256xf32>
  %scale_mlp = tensor.extract_slice %mod[0, 1024] [1, 256] [1, 1] : tensor<1x1536xf32> to tensor<1x256xf32>
  %gate_mlp = tensor.extract_slice %mod[0, 1280] [1, 256] [1, 1] : tensor<1x1536xf32> to tensor<1x256xf32>
  %n1 = tessera.layer_norm %x {epsilon = 1.0e-6 : f32} : (tensor<1x256x256xf32>) -> tensor<1x256x256xf32>
  %h1 = tessera.modulate %n1, %shift_msa, %scale_msa : (tensor<1x256x256xf32>, tensor<1x256xf32>, tensor<1x256xf32>) -> tensor<1x256x256xf32>
  %qkv = tessera.linear %h1, %wqkv bias(%bqkv) : (tensor<1x256x256xf32>, tensor<768x256xf32>, tensor<768xf32>) -> tensor<1x256x768xf32>
  %qkv5 = tensor.expand_shape %qkv [[0], [1], [2, 3, 4]] output_shape [1, 256, 3, 4, 64] : tensor<1x256x768xf32> into tensor<1x256x3x4x64xf32>
  %qkvt_i = tensor.empty() : tensor<3x1x4x256x64xf32>
  %qkvt = linalg.transpose ins(%qkv5 : tensor<1x256x3x4x64xf32>) outs(%qkvt_i : tensor<3x1x4x256x64xf32>) permutation = [2, 0, 3, 1, 4]
  %q = tensor.extract_slice %qkvt[0, 0, 0, 0, 0] [1, 1, 4, 256, 64] [1, 1, 1, 1, 1] : tensor<3x1x4x256x64xf32> to tensor<1x4x256x64xf32>
  %k = tensor.extract_slice %qkvt[1, 0, 0, 0, 0] [1, 1, 4, 256, 64] [1, 1, 1, 1, 1] : tensor<3x1x4x256x64xf32> to tensor<1x4x256x64xf32>
  %v = tensor.extract_slice %qkvt[2, 0, 0, 0, 0] [1, 1, 4, 256, 64] [1, 1, 1, 1, 1] : tensor<3x1x4x256x64xf32> to tensor<1x4x256x64xf32>
  %o = tessera.attention %q, %k, %v {mask = #tessera.block_causal<frame = 64>} : (tensor<1x4x256x64xf32>, tensor<1x4x256x64xf32>, tensor<1x4x256x64xf32>) -> tensor<1x4x256x64xf32>
  %om_i = tensor.empty() : tensor<1x256x4x64xf32>
  %om = linalg.transpose ins(%o : tensor<1x4x256x64xf32>) outs(%om_i : tensor<1x256x4x64xf32>) permutation = [0, 2, 1, 3]
  %o2 = tensor.collapse_shape %om [[0], [1], [2, 3]] : tensor<1x256x4x64xf32> into tensor<1x256x256xf32>
  %a = tessera.linear %o2, %wo bias(%bo) : (tensor<1x256x256xf32>, tensor<256x256xf32>, tensor<256xf32>) -> tensor<1x256x256xf32>
  %ga_i = tensor.empty() : tensor<1x256x256xf32>
  %ga_g = linalg.broadcast ins(%gate_msa : tensor<1x256xf32>) outs(%ga_i : tensor<1x256x256xf32>) dimensions = [1]
  %ga_m = arith.mulf %ga_g, %a : tensor<1x256x256xf32>
  %x1 = arith.addf %x, %ga_m : tensor<1x256x256xf32>
  %n2 = tessera.layer_norm %x1 {epsilon = 1.0e-6 : f32} : (tensor<1x256x256xf32>) -> tensor<1x256x256xf32>
  %h2 = tessera.modulate %n2, %shift_mlp, %scale_mlp : (tensor<1x256x256xf32>, tensor<1x256xf32>, tensor<1x256xf32>) -> tensor<1x256x256xf32>
  %f1 = tessera.linear %h2, %w1 bias(%b1) : (tensor<1x256x256xf32>, tensor<1024x256xf32>, tensor<1024xf32>) -> tensor<1x256x1024xf32>
  %f1g = tessera.gelu %f1 approximate(tanh) : tensor<1x256x1024xf32>
  %f2 = tessera.linear %f1g, %w2 bias(%b2) : (tensor<1x256x1024xf32>, tensor<256x1024xf32>, tensor<256xf32>) -> tensor<1x256x256xf32>
  %gm_i = tensor.empty() : tensor<1x256x256xf32>
  %gm_g = linalg.broadcast ins(%gate_mlp : tensor<1x256xf32>) outs(%gm_i : tensor<1x256x256xf32>) dimensions = [1]
  %gm_m = arith.mulf %gm_g, %f2 : tensor<1x256x256xf32>
  %y = arith.addf %x1, %gm_m : tensor<1x256x256xf32>
  return %y : tensor<1x256x256xf32>
}

// One new frame of 64 tokens against a cache with room for 5 frames.
func.func @decode_frame(
    %xn: tensor<1x64x256xf32> {tessera.name = "x"},
    %kc: tensor<1x4x320x64xf32> {tessera.name = "k_cache"},
    %vc: tensor<1x4x320x64xf32> {tessera.name = "v_cache"},
    %pos: tensor<i64> {tessera.name = "pos"},
    %wqkv: tensor<768x256xf32> {tessera.name = "attn.qkv.weight"},
    %bqkv: tensor<768xf32> {tessera.name = "attn.qkv.bias"},
    %wo: tensor<256x256xf32> {tessera.name = "attn.proj.weight"},
    %bo: tensor<256xf32> {tessera.name = "attn.proj.bias"})
    -> (tensor<1x64x256xf32> {tessera.name = "y"}, tensor<1x4x320x64xf32> {tessera.name = "k_cache_out"}, tensor<1x4x320x64xf32> {tessera.name = "v_cache_out"}) {
  %p = tensor.extract %pos[] : tensor<i64>
  %off = arith.index_cast %p : i64 to index
  %h = tessera.layer_norm %xn {epsilon = 1.0e-6 : f32} : (tensor<1x64x256xf32>) -> tensor<1x64x256xf32>
  %qkv = tessera.linear %h, %wqkv bias(%bqkv) : (tensor<1x64x256xf32>, tensor<768x256xf32>, tensor<768xf32>) -> tensor<1x64x768xf32>
  %qkv5 = tensor.expand_shape %qkv [[0], [1], [2, 3, 4]] output_shape [1, 64, 3, 4, 64] : tensor<1x64x768xf32> into tensor<1x64x3x4x64xf32>
  %qkvt_i = tensor.empty() : tensor<3x1x4x64x64xf32>
  %qkvt = linalg.transpose ins(%qkv5 : tensor<1x64x3x4x64xf32>) outs(%qkvt_i : tensor<3x1x4x64x64xf32>) permutation = [2, 0, 3, 1, 4]
  %q = tensor.extract_slice %qkvt[0, 0, 0, 0, 0] [1, 1, 4, 64, 64] [1, 1, 1, 1, 1] : tensor<3x1x4x64x64xf32> to tensor<1x4x64x64xf32>
  %kn = tensor.extract_slice %qkvt[1, 0, 0, 0, 0] [1, 1, 4, 64, 64] [1, 1, 1, 1, 1] : tensor<3x1x4x64x64xf32> to tensor<1x4x64x64xf32>
  %vn = tensor.extract_slice %qkvt[2, 0, 0, 0, 0] [1, 1, 4, 64, 64] [1, 1, 1, 1, 1] : tensor<3x1x4x64x64xf32> to tensor<1x4x64x64xf32>
  %k = tessera.kv_cache_update %kc, %kn, %off : (tensor<1x4x320x64xf32>, tensor<1x4x64x64xf32>, index) -> tensor<1x4x320x64xf32>
  %v = tessera.kv_cache_update %vc, %vn, %off : (tensor<1x4x320x64xf32>, tensor<1x4x64x64xf32>, index) -> tensor<1x4x320x64xf32>
  %o = tessera.attention %q, %k, %v q_offset(%off) {mask = #tessera.block_causal<frame = 64>} : (tensor<1x4x64x64xf32>, tensor<1x4x320x64xf32>, tensor<1x4x320x64xf32>, index) -> tensor<1x4x64x64xf32>
  %om_i = tensor.empty() : tensor<1x64x4x64xf32>
  %om = linalg.transpose ins(%o : tensor<1x4x64x64xf32>) outs(%om_i : tensor<1x64x4x64xf32>) permutation = [0, 2, 1, 3]
  %o2 = tensor.collapse_shape %om [[0], [1], [2, 3]] : tensor<1x64x4x64xf32> into tensor<1x64x256xf32>
  %a = tessera.linear %o2, %wo bias(%bo) : (tensor<1x64x256xf32>, tensor<256x256xf32>, tensor<256xf32>) -> tensor<1x64x256xf32>
  %y = arith.addf %xn, %a : tensor<1x64x256xf32>
  return %y, %k, %v : tensor<1x64x256xf32>, tensor<1x4x320x64xf32>, tensor<1x4x320x64xf32>
}
