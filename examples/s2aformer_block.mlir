// An S2AFormer-style transformer block (strip attention for efficient
// image restoration): keys and values average-pooled by 4 along the token
// axis, queries and keys compressed from 32 to 16 channels per head, then
// attention; pre-norm residual block with a GELU MLP. 256 tokens (a 16×16
// patch grid), hidden 128, 4 heads.
//
//   tesserac examples/s2aformer_block.mlir -o s2aformer_block
//   ./s2aformer_block --random-inputs --seed 0 --bench 10

func.func @main(
    %x: tensor<1x256x128xf32> {tessera.name = "x"},
    %n1g: tensor<128xf32> {tessera.name = "norm1.weight"},
    %n1b: tensor<128xf32> {tessera.name = "norm1.bias"},
    %wqkv: tensor<384x128xf32> {tessera.name = "attn.qkv.weight"},
    %pq: tensor<16x32xf32> {tessera.name = "attn.q_compress.weight"},
    %pk: tensor<16x32xf32> {tessera.name = "attn.k_compress.weight"},
    %wo: tensor<128x128xf32> {tessera.name = "attn.proj.weight"},
    %bo: tensor<128xf32> {tessera.name = "attn.proj.bias"},
    %n2g: tensor<128xf32> {tessera.name = "norm2.weight"},
    %n2b: tensor<128xf32> {tessera.name = "norm2.bias"},
    %w1: tensor<256x128xf32> {tessera.name = "mlp.fc1.weight"},
    %b1: tensor<256xf32> {tessera.name = "mlp.fc1.bias"},
    %w2: tensor<128x256xf32> {tessera.name = "mlp.fc2.weight"},
    %b2: tensor<128xf32> {tessera.name = "mlp.fc2.bias"})
    -> (tensor<1x256x128xf32> {tessera.name = "y"}) {
  %h = tessera.layer_norm %x weight(%n1g) bias(%n1b) : (tensor<1x256x128xf32>, tensor<128xf32>, tensor<128xf32>) -> tensor<1x256x128xf32>
  %qkv = tessera.linear %h, %wqkv : (tensor<1x256x128xf32>, tensor<384x128xf32>) -> tensor<1x256x384xf32>
  %qkv5 = tensor.expand_shape %qkv [[0], [1], [2, 3, 4]] output_shape [1, 256, 3, 4, 32] : tensor<1x256x384xf32> into tensor<1x256x3x4x32xf32>
  %qkvt_i = tensor.empty() : tensor<3x1x4x256x32xf32>
  %qkvt = linalg.transpose ins(%qkv5 : tensor<1x256x3x4x32xf32>) outs(%qkvt_i : tensor<3x1x4x256x32xf32>) permutation = [2, 0, 3, 1, 4]
  %q = tensor.extract_slice %qkvt[0, 0, 0, 0, 0] [1, 1, 4, 256, 32] [1, 1, 1, 1, 1] : tensor<3x1x4x256x32xf32> to tensor<1x4x256x32xf32>
  %k = tensor.extract_slice %qkvt[1, 0, 0, 0, 0] [1, 1, 4, 256, 32] [1, 1, 1, 1, 1] : tensor<3x1x4x256x32xf32> to tensor<1x4x256x32xf32>
  %v = tensor.extract_slice %qkvt[2, 0, 0, 0, 0] [1, 1, 4, 256, 32] [1, 1, 1, 1, 1] : tensor<3x1x4x256x32xf32> to tensor<1x4x256x32xf32>
  %o = tessera.strip_attention %q, %k, %v, %pq, %pk {pool = 4 : i64} : (tensor<1x4x256x32xf32>, tensor<1x4x256x32xf32>, tensor<1x4x256x32xf32>, tensor<16x32xf32>, tensor<16x32xf32>) -> tensor<1x4x256x32xf32>
  %om_i = tensor.empty() : tensor<1x256x4x32xf32>
  %om = linalg.transpose ins(%o : tensor<1x4x256x32xf32>) outs(%om_i : tensor<1x256x4x32xf32>) permutation = [0, 2, 1, 3]
  %o2 = tensor.collapse_shape %om [[0], [1], [2, 3]] : tensor<1x256x4x32xf32> into tensor<1x256x128xf32>
  %a = tessera.linear %o2, %wo bias(%bo) : (tensor<1x256x128xf32>, tensor<128x128xf32>, tensor<128xf32>) -> tensor<1x256x128xf32>
  %x1 = arith.addf %x, %a : tensor<1x256x128xf32>
  %h2 = tessera.layer_norm %x1 weight(%n2g) bias(%n2b) : (tensor<1x256x128xf32>, tensor<128xf32>, tensor<128xf32>) -> tensor<1x256x128xf32>
  %f1 = tessera.linear %h2, %w1 bias(%b1) : (tensor<1x256x128xf32>, tensor<256x128xf32>, tensor<256xf32>) -> tensor<1x256x256xf32>
  %f1g = tessera.gelu %f1 : tensor<1x256x256xf32>
  %f2 = tessera.linear %f1g, %w2 bias(%b2) : (tensor<1x256x256xf32>, tensor<128x256xf32>, tensor<128xf32>) -> tensor<1x256x128xf32>
  %y = arith.addf %x1, %f2 : tensor<1x256x128xf32>
  return %y : tensor<1x256x128xf32>
}
