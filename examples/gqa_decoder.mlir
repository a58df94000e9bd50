// A LLaMA-style decoder layer with grouped-query attention: RMSNorm, q/k/v
// projections, rotary embeddings, causal GQA (8 query heads sharing 2
// K/V heads of 64), output projection and residual, RMSNorm and a SwiGLU
// MLP with residual. 128 tokens, hidden 512, MLP 1024. Parameter names follow
// the Hugging Face LLaMA modules.
//
//   tesserac examples/gqa_decoder.mlir -o gqa_decoder
//   ./gqa_decoder --random-inputs --seed 0 --bench 10

func.func @main(
    %x: tensor<1x128x512xf32> {tessera.name = "x"},
    %g1: tensor<512xf32> {tessera.name = "input_layernorm.weight"},
    %wq: tensor<512x512xf32> {tessera.name = "self_attn.q_proj.weight"},
    %wk: tensor<128x512xf32> {tessera.name = "self_attn.k_proj.weight"},
    %wv: tensor<128x512xf32> {tessera.name = "self_attn.v_proj.weight"},
    %wo: tensor<512x512xf32> {tessera.name = "self_attn.o_proj.weight"},
    %g2: tensor<512xf32> {tessera.name = "post_attention_layernorm.weight"},
    %wg: tensor<1024x512xf32> {tessera.name = "mlp.gate_proj.weight"},
    %wu: tensor<1024x512xf32> {tessera.name = "mlp.up_proj.weight"},
    %wd: tensor<512x1024xf32> {tessera.name = "mlp.down_proj.weight"})
    -> (tensor<1x128x512xf32> {tessera.name = "y"}) {
  %h = tessera.rms_norm %x weight(%g1) : (tensor<1x128x512xf32>, tensor<512xf32>) -> tensor<1x128x512xf32>
  %q0 = tessera.linear %h, %wq : (tensor<1x128x512xf32>, tensor<512x512xf32>) -> tensor<1x128x512xf32>
  %k0 = tessera.linear %h, %wk : (tensor<1x128x512xf32>, tensor<128x512xf32>) -> tensor<1x128x128xf32>
  %v0 = tessera.linear %h, %wv : (tensor<1x128x512xf32>, tensor<128x512xf32>) -> tensor<1x128x128xf32>
  %qs = tensor.expand_shape %q0 [[0], [1], [2, 3]] output_shape [1, 128, 8, 64] : tensor<1x128x512xf32> into tensor<1x128x8x64xf32>
  %qs_i = tensor.empty() : tensor<1x8x128x64xf32>
  %q1 = linalg.transpose ins(%qs : tensor<1x128x8x64xf32>) outs(%qs_i : tensor<1x8x128x64xf32>) permutation = [0, 2, 1, 3]
  %ks = tensor.expand_shape %k0 [[0], [1], [2, 3]] output_shape [1, 128, 2, 64] : tensor<1x128x128xf32> into tensor<1x128x2x64xf32>
  %ks_i = tensor.empty() : tensor<1x2x128x64xf32>
  %k1 = linalg.transpose ins(%ks : tensor<1x128x2x64xf32>) outs(%ks_i : tensor<1x2x128x64xf32>) permutation = [0, 2, 1, 3]
  %vs = tensor.expand_shape %v0 [[0], [1], [2, 3]] output_shape [1, 128, 2, 64] : tensor<1x128x128xf32> into tensor<1x128x2x64xf32>
  %vs_i = tensor.empty() : tensor<1x2x128x64xf32>
  %v = linalg.transpose ins(%vs : tensor<1x128x2x64xf32>) outs(%vs_i : tensor<1x2x128x64xf32>) permutation = [0, 2, 1, 3]
  %q = tessera.rope %q1 : tensor<1x8x128x64xf32>
  %k = tessera.rope %k1 : tensor<1x2x128x64xf32>
  %o = tessera.attention %q, %k, %v {mask = #tessera.causal} : (tensor<1x8x128x64xf32>, tensor<1x2x128x64xf32>, tensor<1x2x128x64xf32>) -> tensor<1x8x128x64xf32>
  %om_i = tensor.empty() : tensor<1x128x8x64xf32>
  %om = linalg.transpose ins(%o : tensor<1x8x128x64xf32>) outs(%om_i : tensor<1x128x8x64xf32>) permutation = [0, 2, 1, 3]
  %o2 = tensor.collapse_shape %om [[0], [1], [2, 3]] : tensor<1x128x8x64xf32> into tensor<1x128x512xf32>
  %a = tessera.linear %o2, %wo : (tensor<1x128x512xf32>, tensor<512x512xf32>) -> tensor<1x128x512xf32>
  %x1 = arith.addf %x, %a : tensor<1x128x512xf32>
  %h2 = tessera.rms_norm %x1 weight(%g2) : (tensor<1x128x512xf32>, tensor<512xf32>) -> tensor<1x128x512xf32>
  %gt = tessera.linear %h2, %wg : (tensor<1x128x512xf32>, tensor<1024x512xf32>) -> tensor<1x128x1024xf32>
  %up = tessera.linear %h2, %wu : (tensor<1x128x512xf32>, tensor<1024x512xf32>) -> tensor<1x128x1024xf32>
  %m = tessera.swiglu %gt, %up : tensor<1x128x1024xf32>
  %d = tessera.linear %m, %wd : (tensor<1x128x1024xf32>, tensor<512x1024xf32>) -> tensor<1x128x512xf32>
  %y = arith.addf %x1, %d : tensor<1x128x512xf32>
  return %y : tensor<1x128x512xf32>
}
