// An Informer encoder layer (Zhou et al., "Informer: Beyond Efficient
// Transformer for Long Sequence Time-Series Forecasting", AAAI 2021):
// ProbSparse self-attention (factor 5: only the top 5·⌈ln L⌉ queries get full
// attention, the rest take mean(V)), add & norm, a position-wise feed-forward
// network (Informer's 1×1 convolutions are linears) with GELU, add & norm.
// 96 time steps, d_model 256, 8 heads, d_ff 512. Names follow the
// reference implementation's EncoderLayer.
//
//   tesserac examples/informer_encoder.mlir -o informer_encoder
//   ./informer_encoder --random-inputs --seed 0 --bench 10

func.func @main(
    %x: tensor<1x96x256xf32> {tessera.name = "x"},
    %wq: tensor<256x256xf32> {tessera.name = "attention.query_projection.weight"},
    %bq: tensor<256xf32> {tessera.name = "attention.query_projection.bias"},
    %wk: tensor<256x256xf32> {tessera.name = "attention.key_projection.weight"},
    %bk: tensor<256xf32> {tessera.name = "attention.key_projection.bias"},
    %wv: tensor<256x256xf32> {tessera.name = "attention.value_projection.weight"},
    %bv: tensor<256xf32> {tessera.name = "attention.value_projection.bias"},
    %wo: tensor<256x256xf32> {tessera.name = "attention.out_projection.weight"},
    %bo: tensor<256xf32> {tessera.name = "attention.out_projection.bias"},
    %n1g: tensor<256xf32> {tessera.name = "norm1.weight"},
    %n1b: tensor<256xf32> {tessera.name = "norm1.bias"},
    %w1: tensor<512x256xf32> {tessera.name = "conv1.weight"},
    %b1: tensor<512xf32> {tessera.name = "conv1.bias"},
    %w2: tensor<256x512xf32> {tessera.name = "conv2.weight"},
    %b2: tensor<256xf32> {tessera.name = "conv2.bias"},
    %n2g: tensor<256xf32> {tessera.name = "norm2.weight"},
    %n2b: tensor<256xf32> {tessera.name = "norm2.bias"})
    -> (tensor<1x96x256xf32> {tessera.name = "y"}) {
  %q0 = tessera.linear %x, %wq bias(%bq) : (tensor<1x96x256xf32>, tensor<256x256xf32>, tensor<256xf32>) -> tensor<1x96x256xf32>
  %k0 = tessera.linear %x, %wk bias(%bk) : (tensor<1x96x256xf32>, tensor<256x256xf32>, tensor<256xf32>) -> tensor<1x96x256xf32>
  %v0 = tessera.linear %x, %wv bias(%bv) : (tensor<1x96x256xf32>, tensor<256x256xf32>, tensor<256xf32>) -> tensor<1x96x256xf32>
  %qs = tensor.expand_shape %q0 [[0], [1], [2, 3]] output_shape [1, 96, 8, 32] : tensor<1x96x256xf32> into tensor<1x96x8x32xf32>
  %qs_i = tensor.empty() : tensor<1x8x96x32xf32>
  %q = linalg.transpose ins(%qs : tensor<1x96x8x32xf32>) outs(%qs_i : tensor<1x8x96x32xf32>) permutation = [0, 2, 1, 3]
  %ks = tensor.expand_shape %k0 [[0], [1], [2, 3]] output_shape [1, 96, 8, 32] : tensor<1x96x256xf32> into tensor<1x96x8x32xf32>
  %ks_i = tensor.empty() : tensor<1x8x96x32xf32>
  %k = linalg.transpose ins(%ks : tensor<1x96x8x32xf32>) outs(%ks_i : tensor<1x8x96x32xf32>) permutation = [0, 2, 1, 3]
  %vs = tensor.expand_shape %v0 [[0], [1], [2, 3]] output_shape [1, 96, 8, 32] : tensor<1x96x256xf32> into tensor<1x96x8x32xf32>
  %vs_i = tensor.empty() : tensor<1x8x96x32xf32>
  %v = linalg.transpose ins(%vs : tensor<1x96x8x32xf32>) outs(%vs_i : tensor<1x8x96x32xf32>) permutation = [0, 2, 1, 3]
  %o = tessera.probsparse_attention %q, %k, %v {factor = 5 : i64} : (tensor<1x8x96x32xf32>, tensor<1x8x96x32xf32>, tensor<1x8x96x32xf32>) -> tensor<1x8x96x32xf32>
  %om_i = tensor.empty() : tensor<1x96x8x32xf32>
  %om = linalg.transpose ins(%o : tensor<1x8x96x32xf32>) outs(%om_i : tensor<1x96x8x32xf32>) permutation = [0, 2, 1, 3]
  %o2 = tensor.collapse_shape %om [[0], [1], [2, 3]] : tensor<1x96x8x32xf32> into tensor<1x96x256xf32>
  %a = tessera.linear %o2, %wo bias(%bo) : (tensor<1x96x256xf32>, tensor<256x256xf32>, tensor<256xf32>) -> tensor<1x96x256xf32>
  %r1 = arith.addf %x, %a : tensor<1x96x256xf32>
  %x1 = tessera.layer_norm %r1 weight(%n1g) bias(%n1b) : (tensor<1x96x256xf32>, tensor<256xf32>, tensor<256xf32>) -> tensor<1x96x256xf32>
  %f1 = tessera.linear %x1, %w1 bias(%b1) : (tensor<1x96x256xf32>, tensor<512x256xf32>, tensor<512xf32>) -> tensor<1x96x512xf32>
  %f1g = tessera.gelu %f1 : tensor<1x96x512xf32>
  %f2 = tessera.linear %f1g, %w2 bias(%b2) : (tensor<1x96x512xf32>, tensor<256x512xf32>, tensor<256xf32>) -> tensor<1x96x256xf32>
  %r2 = arith.addf %x1, %f2 : tensor<1x96x256xf32>
  %y = tessera.layer_norm %r2 weight(%n2g) bias(%n2b) : (tensor<1x96x256xf32>, tensor<256xf32>, tensor<256xf32>) -> tensor<1x96x256xf32>
  return %y : tensor<1x96x256xf32>
}
