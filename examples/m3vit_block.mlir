// An M³ViT block (Liang et al., "M³ViT: Mixture-of-Experts Vision
// Transformer for Efficient Multi-task Learning with Model-Accelerator
// Co-design", NeurIPS 2022), as run by the Edge-MoE accelerator (Sarkar et
// al., ICCAD 2023): a pre-norm ViT block whose MLP is a task-conditioned
// mixture of 16 GELU experts, top-4. A run-time task id (0 = semantic
// segmentation, 1 = depth, say) selects that task's router and the 12
// experts the task may use; the weights of the other 4 are never read.
// ViT-Tiny width (192, 3 heads of 64), 64 patches, 2 images, expert hidden
// size 384. The second result counts the tokens each expert processed.
//
//   tesserac examples/m3vit_block.mlir -o m3vit_block
//   ./m3vit_block --random-inputs --seed 0 --input task=task.npy
//
// A task id outside [0, 2) is refused before any compute (exit status 2);
// --random-inputs alone draws one in range.

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
    %wg: tensor<2x16x192xf32> {tessera.name = "mlp.gate.w_gate"},
    %wu: tensor<16x384x192xf32> {tessera.name = "mlp.experts.fc1.weight"},
    %bu: tensor<16x384xf32> {tessera.name = "mlp.experts.fc1.bias"},
    %wd: tensor<16x192x384xf32> {tessera.name = "mlp.experts.fc2.weight"},
    %bd: tensor<16x192xf32> {tessera.name = "mlp.experts.fc2.bias"},
    %task: tensor<i32> {tessera.name = "task"})
    -> (tensor<2x64x192xf32> {tessera.name = "y"},
        tensor<16xi64> {tessera.name = "tokens_per_expert"}) {
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
  // Task-conditioned MoE MLP: W_g[task] routes each token to 4 of the
  // task's 12 experts (softmax over the 12, then top-4, as M³ViT's gate).
  %m, %n = tessera.moe %n2 router(%wg) experts(%wu, %wd) up_bias(%bu) down_bias(%bd) task(%task)
      routing(#tessera.task_conditioned<tasks = 2, gate = #tessera.token_choice<k = 4>,
                experts = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]>)
      activation(gelu)
      : (tensor<2x64x192xf32>, tensor<2x16x192xf32>, tensor<16x384x192xf32>, tensor<16x192x384xf32>, tensor<16x384xf32>, tensor<16x192xf32>, tensor<i32>)
      -> (tensor<2x64x192xf32>, tensor<16xi64>)
  %y = arith.addf %x1, %m : tensor<2x64x192xf32>
  return %y, %n : tensor<2x64x192xf32>, tensor<16xi64>
}
