// Every tessera.moe routing mode compiled, run, and compared against the
// independent float64 reference test/reference/moe.py. Sizes are
// deliberately not multiples of the tiles (32 rows, 64 columns, 16 lanes).

// RUN: tesserac %s --entry=mixtral -o %t.mixtral
// RUN: %PYTHON %reference/check.py %t.mixtral "(lambda r: (moe.moe(x, r, wu, wd, 'swiglu', w_gate=wgt), moe.tokens_per_expert(r, 8)))(moe.token_choice(x.reshape(-1, 19), wg, 2, 'topk_then_softmax', False, None))" | FileCheck %s --check-prefix=CHECK2
// RUN: tesserac %s --entry=gshard_gelu_bias -o %t.gshard_gelu_bias
// RUN: %PYTHON %reference/check.py %t.gshard_gelu_bias "moe.moe(x, moe.token_choice(x.reshape(-1, 19), wg, 1, 'softmax_then_topk', False, None), wu, wd, 'gelu', b_up=bu, b_down=bd)" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=swiglu_bias -o %t.swiglu_bias
// RUN: %PYTHON %reference/check.py %t.swiglu_bias "moe.moe(x, moe.token_choice(x.reshape(-1, 17), wg, 2, 'softmax_then_topk', False, None), wu, wd, 'swiglu', w_gate=wgt, b_up=bu, b_down=bd, b_gate=bg)" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=renorm_silu -o %t.renorm_silu
// RUN: %PYTHON %reference/check.py %t.renorm_silu "moe.moe(x, moe.token_choice(x.reshape(-1, 16), wg, 2, 'softmax_then_topk', True, None), wu, wd, 'silu')" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=k_eq_e -o %t.k_eq_e
// RUN: %PYTHON %reference/check.py %t.k_eq_e "moe.moe(x, moe.token_choice(x.reshape(-1, 12), wg, 3, 'softmax_then_topk', False, None), wu, wd, 'gelu')" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=experts_64 -o %t.experts_64
// RUN: %PYTHON %reference/check.py %t.experts_64 "(lambda r: (moe.moe(x, r, wu, wd, 'silu'), moe.tokens_per_expert(r, 64)))(moe.token_choice(x.reshape(-1, 16), wg, 2, 'softmax_then_topk', False, None))" | FileCheck %s --check-prefix=CHECK2
// RUN: tesserac %s --entry=capacity_overflow -o %t.capacity_overflow
// RUN: %PYTHON %reference/check.py %t.capacity_overflow "(lambda r: (moe.moe(x, r, wu, wd, 'silu'), moe.tokens_per_expert(r, 4)))(moe.token_choice(x.reshape(-1, 8), wg, 2, 'softmax_then_topk', False, 0.5))" | FileCheck %s --check-prefix=CHECK2
// RUN: tesserac %s --entry=capacity_one -o %t.capacity_one
// RUN: %PYTHON %reference/check.py %t.capacity_one "(lambda r: (moe.moe(x, r, wu, wd, 'gelu'), moe.tokens_per_expert(r, 3)))(moe.token_choice(x.reshape(-1, 8), wg, 1, 'softmax_then_topk', False, 0.01))" | FileCheck %s --check-prefix=CHECK2
// RUN: tesserac %s --entry=ties_all_to_one -o %t.ties_all_to_one
// RUN: %PYTHON %reference/check.py %t.ties_all_to_one "(lambda r: (moe.moe(x, r, wu, wd, 'gelu'), moe.tokens_per_expert(r, 3)))(moe.token_choice(x.reshape(-1, 19), wg, 1, 'softmax_then_topk', False, None))" --set "wg=np.zeros((3, 19))" | FileCheck %s --check-prefix=CHECK2
// RUN: tesserac %s --entry=ties_top2 -o %t.ties_top2
// RUN: %PYTHON %reference/check.py %t.ties_top2 "moe.moe(x, moe.token_choice(x.reshape(-1, 19), wg, 2, 'softmax_then_topk', False, None), wu, wd, 'silu')" --set "wg=np.zeros((8, 19))" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=nan_token -o %t.nan_token
// RUN: %PYTHON %reference/check.py %t.nan_token "moe.moe(x, moe.token_choice(x.reshape(-1, 16), wg, 2, 'softmax_then_topk', False, None), wu, wd, 'gelu')" --nan x=3,5 | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=with_shared -o %t.with_shared
// RUN: %PYTHON %reference/check.py %t.with_shared "moe.moe(x, moe.token_choice(x.reshape(-1, 16), wg, 1, 'softmax_then_topk', False, None), wu, wd, 'swiglu', w_gate=wgt, shared_up=su, shared_down=sd, shared_gate=sg)" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=shared_alone -o %t.shared_alone
// RUN: %PYTHON %reference/check.py %t.shared_alone "moe.moe(x, moe.token_choice(x.reshape(-1, 16), wg, 1, 'softmax_then_topk', False, None), wu, wd, 'silu', shared_up=su, shared_down=sd)" --set "wd=np.zeros((4, 16, 10))" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=expert_choice -o %t.expert_choice
// RUN: %PYTHON %reference/check.py %t.expert_choice "(lambda r: (moe.moe(x, r, wu, wd, 'gelu'), moe.tokens_per_expert(r, 8)))(moe.expert_choice(x, wg, 2.0))" | FileCheck %s --check-prefix=CHECK2
// RUN: tesserac %s --entry=expert_choice_nan -o %t.expert_choice_nan
// RUN: %PYTHON %reference/check.py %t.expert_choice_nan "(lambda r: (moe.moe(x, r, wu, wd, 'gelu'), moe.tokens_per_expert(r, 8)))(moe.expert_choice(x, wg, 2.0))" --nan x=5,0 | FileCheck %s --check-prefix=CHECK2
// RUN: tesserac %s --entry=expert_choice_ties -o %t.expert_choice_ties
// RUN: %PYTHON %reference/check.py %t.expert_choice_ties "(lambda r: (moe.moe(x, r, wu, wd, 'gelu'), moe.tokens_per_expert(r, 8)))(moe.expert_choice(x, wg, 2.0))" --set "wg=np.zeros((8, 19))" | FileCheck %s --check-prefix=CHECK2
// RUN: tesserac %s --entry=expert_choice_dense -o %t.expert_choice_dense
// RUN: %PYTHON %reference/check.py %t.expert_choice_dense "(lambda r: (moe.moe(x, r, wu, wd, 'silu'), moe.tokens_per_expert(r, 3)))(moe.expert_choice(x, wg, 3.0))" | FileCheck %s --check-prefix=CHECK2
// RUN: tesserac %s --entry=task_subsets -o %t.task_subsets
// RUN: %PYTHON %reference/check.py %t.task_subsets "(lambda r: (moe.moe(x, r, wu, wd, 'gelu'), moe.tokens_per_expert(r, 8)))(moe.task_conditioned(x.reshape(-1, 16), wg, [i // 13 for i in range(39)], task, 3, 2, 'softmax_then_topk', False, [0, 1, 2, 2, 3, 4, 5, 6, 7], None))" --set "task=[2, 0, 1]" | FileCheck %s --check-prefix=CHECK2
// RUN: tesserac %s --entry=task_all_experts -o %t.task_all_experts
// RUN: %PYTHON %reference/check.py %t.task_all_experts "(lambda r: (moe.moe(x, r, wu, wd, 'silu'), moe.tokens_per_expert(r, 4)))(moe.task_conditioned(x.reshape(-1, 12), wg, [i // 17 for i in range(34)], task, 2, 1, 'topk_then_softmax', False, None, 1.0))" --set "task=1" | FileCheck %s --check-prefix=CHECK2
// RUN: tesserac %s --entry=category_shared -o %t.category_shared
// RUN: %PYTHON %reference/check.py %t.category_shared "moe.moe(x, moe.category_conditioned(33, [i // 11 for i in range(33)], category, 4, [3, 1, 0, 2]), wu, wd, 'swiglu', w_gate=wgt, shared_up=su, shared_down=sd, shared_gate=sg)" --set "category=[1, 3, 0]" | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=category_pairs -o %t.category_pairs
// RUN: %PYTHON %reference/check.py %t.category_pairs "moe.moe(x, moe.category_conditioned(30, [i // 15 for i in range(30)], category, 3, [0, 1, 1, 2, 2, 0]), wu, wd, 'gelu')" --set "category=[2, 0]" | FileCheck %s --check-prefix=CHECK

// RUN: tesserac %s --entry=wide_many_slots -o %t.wide_many_slots
// RUN: %PYTHON %reference/check.py %t.wide_many_slots "(lambda r: (moe.moe(x, r, wu, wd, 'silu', shared_up=su, shared_down=sd), moe.tokens_per_expert(r, 10)))(moe.token_choice(x, wg, 10, 'softmax_then_topk', True, None))" | FileCheck %s --check-prefix=CHECK2
// RUN: tesserac %s --entry=expert_choice_wide -o %t.expert_choice_wide
// RUN: %PYTHON %reference/check.py %t.expert_choice_wide "(lambda r: (moe.moe(x, r, wu, wd, 'gelu'), moe.tokens_per_expert(r, 12)))(moe.expert_choice(x, wg, 1.5))" | FileCheck %s --check-prefix=CHECK2

// Determinism: 1 and 2 threads give bit-identical outputs.
// RUN: rm -rf %t.d1 %t.d2 && mkdir -p %t.d1 %t.d2
// RUN: %t.mixtral --random-inputs --seed 3 --threads 1 --output %t.d1/mixtral
// RUN: %t.mixtral --random-inputs --seed 3 --threads 2 --output %t.d2/mixtral
// RUN: cmp %t.d1/mixtral/y.npy %t.d2/mixtral/y.npy
// RUN: %t.expert_choice --random-inputs --seed 3 --threads 1 --output %t.d1/expert_choice
// RUN: %t.expert_choice --random-inputs --seed 3 --threads 2 --output %t.d2/expert_choice
// RUN: cmp %t.d1/expert_choice/y.npy %t.d2/expert_choice/y.npy
// RUN: %t.with_shared --random-inputs --seed 3 --threads 1 --output %t.d1/with_shared
// RUN: %t.with_shared --random-inputs --seed 3 --threads 2 --output %t.d2/with_shared
// RUN: cmp %t.d1/with_shared/y.npy %t.d2/with_shared/y.npy

// CHECK: PASS y: max_err=
// CHECK2: PASS y: max_err=
// CHECK2: PASS n: max_err=0.000e+00

// Mixtral: top-2 of 8, softmax over the two, SwiGLU; T = 70 (three row tiles), f = 70 (two column chunks), d = 19; counts.
func.func @mixtral(%x: tensor<2x35x19xf32> {tessera.name = "x"}, %wg: tensor<8x19xf32> {tessera.name = "wg"}, %wu: tensor<8x70x19xf32> {tessera.name = "wu"}, %wd: tensor<8x19x70xf32> {tessera.name = "wd"}, %wgt: tensor<8x70x19xf32> {tessera.name = "wgt"}) -> (tensor<2x35x19xf32> {tessera.name = "y"}, tensor<8xi64> {tessera.name = "n"}) {
  %y, %n = tessera.moe %x router(%wg) experts(%wu, %wd) gate(%wgt) routing(#tessera.token_choice<k = 2, order = topk_then_softmax>) activation(swiglu)
      : (tensor<2x35x19xf32>, tensor<8x19xf32>, tensor<8x70x19xf32>, tensor<8x19x70xf32>, tensor<8x70x19xf32>) -> (tensor<2x35x19xf32>, tensor<8xi64>)
  return %y, %n : tensor<2x35x19xf32>, tensor<8xi64>
}

// GShard top-1 of 3 with biases and exact GELU.
func.func @gshard_gelu_bias(%x: tensor<37x19xf32> {tessera.name = "x"}, %wg: tensor<3x19xf32> {tessera.name = "wg"}, %wu: tensor<3x23x19xf32> {tessera.name = "wu"}, %wd: tensor<3x19x23xf32> {tessera.name = "wd"}, %bu: tensor<3x23xf32> {tessera.name = "bu"}, %bd: tensor<3x19xf32> {tessera.name = "bd"}) -> (tensor<37x19xf32> {tessera.name = "y"}) {
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) up_bias(%bu) down_bias(%bd) routing(#tessera.token_choice<k = 1, order = softmax_then_topk>) activation(gelu)
      : (tensor<37x19xf32>, tensor<3x19xf32>, tensor<3x23x19xf32>, tensor<3x19x23xf32>, tensor<3x23xf32>, tensor<3x19xf32>) -> (tensor<37x19xf32>)
  return %y : tensor<37x19xf32>
}

// SwiGLU with all three biases.
func.func @swiglu_bias(%x: tensor<21x17xf32> {tessera.name = "x"}, %wg: tensor<4x17xf32> {tessera.name = "wg"}, %wu: tensor<4x9x17xf32> {tessera.name = "wu"}, %wd: tensor<4x17x9xf32> {tessera.name = "wd"}, %wgt: tensor<4x9x17xf32> {tessera.name = "wgt"}, %bu: tensor<4x9xf32> {tessera.name = "bu"}, %bd: tensor<4x17xf32> {tessera.name = "bd"}, %bg: tensor<4x9xf32> {tessera.name = "bg"}) -> (tensor<21x17xf32> {tessera.name = "y"}) {
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) gate(%wgt) up_bias(%bu) down_bias(%bd) gate_bias(%bg) routing(#tessera.token_choice<k = 2, order = softmax_then_topk>) activation(swiglu)
      : (tensor<21x17xf32>, tensor<4x17xf32>, tensor<4x9x17xf32>, tensor<4x17x9xf32>, tensor<4x9x17xf32>, tensor<4x9xf32>, tensor<4x17xf32>, tensor<4x9xf32>) -> (tensor<21x17xf32>)
  return %y : tensor<21x17xf32>
}

// Renormalised top-2 of 8 with SiLU.
func.func @renorm_silu(%x: tensor<33x16xf32> {tessera.name = "x"}, %wg: tensor<8x16xf32> {tessera.name = "wg"}, %wu: tensor<8x20x16xf32> {tessera.name = "wu"}, %wd: tensor<8x16x20xf32> {tessera.name = "wd"}) -> (tensor<33x16xf32> {tessera.name = "y"}) {
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 2, order = softmax_then_topk, renormalize = true>) activation(silu)
      : (tensor<33x16xf32>, tensor<8x16xf32>, tensor<8x20x16xf32>, tensor<8x16x20xf32>) -> (tensor<33x16xf32>)
  return %y : tensor<33x16xf32>
}

// k = E = 3: the dense softmax mixture of every expert.
func.func @k_eq_e(%x: tensor<29x12xf32> {tessera.name = "x"}, %wg: tensor<3x12xf32> {tessera.name = "wg"}, %wu: tensor<3x18x12xf32> {tessera.name = "wu"}, %wd: tensor<3x12x18xf32> {tessera.name = "wd"}) -> (tensor<29x12xf32> {tessera.name = "y"}) {
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 3, order = softmax_then_topk>) activation(gelu)
      : (tensor<29x12xf32>, tensor<3x12xf32>, tensor<3x18x12xf32>, tensor<3x12x18xf32>) -> (tensor<29x12xf32>)
  return %y : tensor<29x12xf32>
}

// E = 64, top-2: most experts get no token.
func.func @experts_64(%x: tensor<1x40x16xf32> {tessera.name = "x"}, %wg: tensor<64x16xf32> {tessera.name = "wg"}, %wu: tensor<64x8x16xf32> {tessera.name = "wu"}, %wd: tensor<64x16x8xf32> {tessera.name = "wd"}) -> (tensor<1x40x16xf32> {tessera.name = "y"}, tensor<64xi32> {tessera.name = "n"}) {
  %y, %n = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 2, order = softmax_then_topk>) activation(silu)
      : (tensor<1x40x16xf32>, tensor<64x16xf32>, tensor<64x8x16xf32>, tensor<64x16x8xf32>) -> (tensor<1x40x16xf32>, tensor<64xi32>)
  return %y, %n : tensor<1x40x16xf32>, tensor<64xi32>
}

// Capacity 0.5: C = ceil(2·40·0.5/4) = 10 per expert, overflow dropped in token order.
func.func @capacity_overflow(%x: tensor<40x8xf32> {tessera.name = "x"}, %wg: tensor<4x8xf32> {tessera.name = "wg"}, %wu: tensor<4x12x8xf32> {tessera.name = "wu"}, %wd: tensor<4x8x12xf32> {tessera.name = "wd"}) -> (tensor<40x8xf32> {tessera.name = "y"}, tensor<4xi64> {tessera.name = "n"}) {
  %y, %n = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 2, order = softmax_then_topk>) activation(silu) {capacity_factor = 0.5}
      : (tensor<40x8xf32>, tensor<4x8xf32>, tensor<4x12x8xf32>, tensor<4x8x12xf32>) -> (tensor<40x8xf32>, tensor<4xi64>)
  return %y, %n : tensor<40x8xf32>, tensor<4xi64>
}

// Capacity factor tiny: C = 1, one token per expert.
func.func @capacity_one(%x: tensor<25x8xf32> {tessera.name = "x"}, %wg: tensor<3x8xf32> {tessera.name = "wg"}, %wu: tensor<3x12x8xf32> {tessera.name = "wu"}, %wd: tensor<3x8x12xf32> {tessera.name = "wd"}) -> (tensor<25x8xf32> {tessera.name = "y"}, tensor<3xi64> {tessera.name = "n"}) {
  %y, %n = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 1, order = softmax_then_topk>) activation(gelu) {capacity_factor = 0.01}
      : (tensor<25x8xf32>, tensor<3x8xf32>, tensor<3x12x8xf32>, tensor<3x8x12xf32>) -> (tensor<25x8xf32>, tensor<3xi64>)
  return %y, %n : tensor<25x8xf32>, tensor<3xi64>
}

// Zero router: every logit ties, so every token goes to expert 0 (k = 1); experts 1, 2 get none.
func.func @ties_all_to_one(%x: tensor<37x19xf32> {tessera.name = "x"}, %wg: tensor<3x19xf32> {tessera.name = "wg"}, %wu: tensor<3x23x19xf32> {tessera.name = "wu"}, %wd: tensor<3x19x23xf32> {tessera.name = "wd"}) -> (tensor<37x19xf32> {tessera.name = "y"}, tensor<3xi64> {tessera.name = "n"}) {
  %y, %n = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 1, order = softmax_then_topk>) activation(gelu)
      : (tensor<37x19xf32>, tensor<3x19xf32>, tensor<3x23x19xf32>, tensor<3x19x23xf32>) -> (tensor<37x19xf32>, tensor<3xi64>)
  return %y, %n : tensor<37x19xf32>, tensor<3xi64>
}

// Zero router, top-2 of 8: ties to the lower index (experts 0 and 1), weights 1/8 each.
func.func @ties_top2(%x: tensor<37x19xf32> {tessera.name = "x"}, %wg: tensor<8x19xf32> {tessera.name = "wg"}, %wu: tensor<8x23x19xf32> {tessera.name = "wu"}, %wd: tensor<8x19x23xf32> {tessera.name = "wd"}) -> (tensor<37x19xf32> {tessera.name = "y"}) {
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 2, order = softmax_then_topk>) activation(silu)
      : (tensor<37x19xf32>, tensor<8x19xf32>, tensor<8x23x19xf32>, tensor<8x19x23xf32>) -> (tensor<37x19xf32>)
  return %y : tensor<37x19xf32>
}

// A NaN in token 3 makes its logits NaN: its row is NaN, no other row is.
func.func @nan_token(%x: tensor<20x16xf32> {tessera.name = "x"}, %wg: tensor<4x16xf32> {tessera.name = "wg"}, %wu: tensor<4x8x16xf32> {tessera.name = "wu"}, %wd: tensor<4x16x8xf32> {tessera.name = "wd"}) -> (tensor<20x16xf32> {tessera.name = "y"}) {
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 2, order = softmax_then_topk>) activation(gelu)
      : (tensor<20x16xf32>, tensor<4x16xf32>, tensor<4x8x16xf32>, tensor<4x16x8xf32>) -> (tensor<20x16xf32>)
  return %y : tensor<20x16xf32>
}

// Top-1 of 4 plus two shared experts (DeepSeek-MoE), SwiGLU.
func.func @with_shared(%x: tensor<1x30x16xf32> {tessera.name = "x"}, %wg: tensor<4x16xf32> {tessera.name = "wg"}, %wu: tensor<4x10x16xf32> {tessera.name = "wu"}, %wd: tensor<4x16x10xf32> {tessera.name = "wd"}, %wgt: tensor<4x10x16xf32> {tessera.name = "wgt"}, %su: tensor<2x14x16xf32> {tessera.name = "su"}, %sd: tensor<2x16x14xf32> {tessera.name = "sd"}, %sg: tensor<2x14x16xf32> {tessera.name = "sg"}) -> (tensor<1x30x16xf32> {tessera.name = "y"}) {
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) gate(%wgt) shared(%su, %sd) shared_gate(%sg) routing(#tessera.token_choice<k = 1, order = softmax_then_topk>) activation(swiglu)
      : (tensor<1x30x16xf32>, tensor<4x16xf32>, tensor<4x10x16xf32>, tensor<4x16x10xf32>, tensor<4x10x16xf32>, tensor<2x14x16xf32>, tensor<2x16x14xf32>, tensor<2x14x16xf32>) -> (tensor<1x30x16xf32>)
  return %y : tensor<1x30x16xf32>
}

// Shared experts alone: the routed experts' W_down is zero, so y is the two shared experts' sum.
func.func @shared_alone(%x: tensor<1x30x16xf32> {tessera.name = "x"}, %wg: tensor<4x16xf32> {tessera.name = "wg"}, %wu: tensor<4x10x16xf32> {tessera.name = "wu"}, %wd: tensor<4x16x10xf32> {tessera.name = "wd"}, %su: tensor<2x14x16xf32> {tessera.name = "su"}, %sd: tensor<2x16x14xf32> {tessera.name = "sd"}) -> (tensor<1x30x16xf32> {tessera.name = "y"}) {
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) shared(%su, %sd) routing(#tessera.token_choice<k = 1, order = softmax_then_topk>) activation(silu)
      : (tensor<1x30x16xf32>, tensor<4x16xf32>, tensor<4x10x16xf32>, tensor<4x16x10xf32>, tensor<2x14x16xf32>, tensor<2x16x14xf32>) -> (tensor<1x30x16xf32>)
  return %y : tensor<1x30x16xf32>
}

// Expert choice, C = ceil(37·2/8) = 10 tokens per expert.
func.func @expert_choice(%x: tensor<37x19xf32> {tessera.name = "x"}, %wg: tensor<8x19xf32> {tessera.name = "wg"}, %wu: tensor<8x23x19xf32> {tessera.name = "wu"}, %wd: tensor<8x19x23xf32> {tessera.name = "wd"}) -> (tensor<37x19xf32> {tessera.name = "y"}, tensor<8xi64> {tessera.name = "n"}) {
  %y, %n = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.expert_choice<capacity_factor = 2.0>) activation(gelu)
      : (tensor<37x19xf32>, tensor<8x19xf32>, tensor<8x23x19xf32>, tensor<8x19x23xf32>) -> (tensor<37x19xf32>, tensor<8xi64>)
  return %y, %n : tensor<37x19xf32>, tensor<8xi64>
}

// Expert choice with a NaN token: every expert picks it first (NaN ranks first), its row is NaN.
func.func @expert_choice_nan(%x: tensor<37x19xf32> {tessera.name = "x"}, %wg: tensor<8x19xf32> {tessera.name = "wg"}, %wu: tensor<8x23x19xf32> {tessera.name = "wu"}, %wd: tensor<8x19x23xf32> {tessera.name = "wd"}) -> (tensor<37x19xf32> {tessera.name = "y"}, tensor<8xi64> {tessera.name = "n"}) {
  %y, %n = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.expert_choice<capacity_factor = 2.0>) activation(gelu)
      : (tensor<37x19xf32>, tensor<8x19xf32>, tensor<8x23x19xf32>, tensor<8x19x23xf32>) -> (tensor<37x19xf32>, tensor<8xi64>)
  return %y, %n : tensor<37x19xf32>, tensor<8xi64>
}

// Expert choice with a zero router: all scores tie, every expert takes tokens 0..C-1 (C = 10).
func.func @expert_choice_ties(%x: tensor<37x19xf32> {tessera.name = "x"}, %wg: tensor<8x19xf32> {tessera.name = "wg"}, %wu: tensor<8x23x19xf32> {tessera.name = "wu"}, %wd: tensor<8x19x23xf32> {tessera.name = "wd"}) -> (tensor<37x19xf32> {tessera.name = "y"}, tensor<8xi64> {tessera.name = "n"}) {
  %y, %n = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.expert_choice<capacity_factor = 2.0>) activation(gelu)
      : (tensor<37x19xf32>, tensor<8x19xf32>, tensor<8x23x19xf32>, tensor<8x19x23xf32>) -> (tensor<37x19xf32>, tensor<8xi64>)
  return %y, %n : tensor<37x19xf32>, tensor<8xi64>
}

// Expert choice with factor E: every expert takes every token (dense mixture).
func.func @expert_choice_dense(%x: tensor<21x10xf32> {tessera.name = "x"}, %wg: tensor<3x10xf32> {tessera.name = "wg"}, %wu: tensor<3x7x10xf32> {tessera.name = "wu"}, %wd: tensor<3x10x7xf32> {tessera.name = "wd"}) -> (tensor<21x10xf32> {tessera.name = "y"}, tensor<3xi64> {tessera.name = "n"}) {
  %y, %n = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.expert_choice<capacity_factor = 3.0>) activation(silu)
      : (tensor<21x10xf32>, tensor<3x10xf32>, tensor<3x7x10xf32>, tensor<3x10x7xf32>) -> (tensor<21x10xf32>, tensor<3xi64>)
  return %y, %n : tensor<21x10xf32>, tensor<3xi64>
}

// Three tasks, each with its own router and 3 of 8 experts; per-sample task ids.
func.func @task_subsets(%x: tensor<3x13x16xf32> {tessera.name = "x"}, %wg: tensor<3x8x16xf32> {tessera.name = "wg"}, %wu: tensor<8x20x16xf32> {tessera.name = "wu"}, %wd: tensor<8x16x20xf32> {tessera.name = "wd"}, %task: tensor<3xi64> {tessera.name = "task"}) -> (tensor<3x13x16xf32> {tessera.name = "y"}, tensor<8xi64> {tessera.name = "n"}) {
  %y, %n = tessera.moe %x router(%wg) experts(%wu, %wd) task(%task) routing(#tessera.task_conditioned<tasks = 3, gate = #tessera.token_choice<k = 2, order = softmax_then_topk>, experts = [0, 1, 2, 2, 3, 4, 5, 6, 7]>) activation(gelu)
      : (tensor<3x13x16xf32>, tensor<3x8x16xf32>, tensor<8x20x16xf32>, tensor<8x16x20xf32>, tensor<3xi64>) -> (tensor<3x13x16xf32>, tensor<8xi64>)
  return %y, %n : tensor<3x13x16xf32>, tensor<8xi64>
}

// Two tasks over all experts, one task id for the input, capacity 1.0.
func.func @task_all_experts(%x: tensor<2x17x12xf32> {tessera.name = "x"}, %wg: tensor<2x4x12xf32> {tessera.name = "wg"}, %wu: tensor<4x9x12xf32> {tessera.name = "wu"}, %wd: tensor<4x12x9xf32> {tessera.name = "wd"}, %task: tensor<i32> {tessera.name = "task"}) -> (tensor<2x17x12xf32> {tessera.name = "y"}, tensor<4xi64> {tessera.name = "n"}) {
  %y, %n = tessera.moe %x router(%wg) experts(%wu, %wd) task(%task) routing(#tessera.task_conditioned<tasks = 2, gate = #tessera.token_choice<k = 1, order = topk_then_softmax>>) activation(silu) {capacity_factor = 1.0}
      : (tensor<2x17x12xf32>, tensor<2x4x12xf32>, tensor<4x9x12xf32>, tensor<4x12x9xf32>, tensor<i32>) -> (tensor<2x17x12xf32>, tensor<4xi64>)
  return %y, %n : tensor<2x17x12xf32>, tensor<4xi64>
}

// AniMer+: one family expert per category (m = 1) next to a shared expert.
func.func @category_shared(%x: tensor<3x11x16xf32> {tessera.name = "x"}, %wu: tensor<4x12x16xf32> {tessera.name = "wu"}, %wd: tensor<4x16x12xf32> {tessera.name = "wd"}, %wgt: tensor<4x12x16xf32> {tessera.name = "wgt"}, %su: tensor<1x20x16xf32> {tessera.name = "su"}, %sd: tensor<1x16x20xf32> {tessera.name = "sd"}, %sg: tensor<1x20x16xf32> {tessera.name = "sg"}, %category: tensor<3xi32> {tessera.name = "category"}) -> (tensor<3x11x16xf32> {tessera.name = "y"}) {
  %y = tessera.moe %x experts(%wu, %wd) gate(%wgt) shared(%su, %sd) shared_gate(%sg) category(%category) routing(#tessera.category_conditioned<categories = 4, experts = [3, 1, 0, 2]>) activation(swiglu)
      : (tensor<3x11x16xf32>, tensor<4x12x16xf32>, tensor<4x16x12xf32>, tensor<4x12x16xf32>, tensor<1x20x16xf32>, tensor<1x16x20xf32>, tensor<1x20x16xf32>, tensor<3xi32>) -> (tensor<3x11x16xf32>)
  return %y : tensor<3x11x16xf32>
}

// Two experts per category with weight 1/2, GELU, no shared expert.
func.func @category_pairs(%x: tensor<2x15x19xf32> {tessera.name = "x"}, %wu: tensor<3x23x19xf32> {tessera.name = "wu"}, %wd: tensor<3x19x23xf32> {tessera.name = "wd"}, %category: tensor<2xi32> {tessera.name = "category"}) -> (tensor<2x15x19xf32> {tessera.name = "y"}) {
  %y = tessera.moe %x experts(%wu, %wd) category(%category) routing(#tessera.category_conditioned<categories = 3, experts = [0, 1, 1, 2, 2, 0]>) activation(gelu)
      : (tensor<2x15x19xf32>, tensor<3x23x19xf32>, tensor<3x19x23xf32>, tensor<2xi32>) -> (tensor<2x15x19xf32>)
  return %y : tensor<2x15x19xf32>
}

// Beyond the unrolling limits (8 vectors, 8 slots): d = 150 columns, k = E =
// 10 slots, S = 9 shared experts, so the combine loops over all three.
func.func @wide_many_slots(%x: tensor<20x150xf32> {tessera.name = "x"}, %wg: tensor<10x150xf32> {tessera.name = "wg"}, %wu: tensor<10x24x150xf32> {tessera.name = "wu"}, %wd: tensor<10x150x24xf32> {tessera.name = "wd"}, %su: tensor<9x6x150xf32> {tessera.name = "su"}, %sd: tensor<9x150x6xf32> {tessera.name = "sd"}) -> (tensor<20x150xf32> {tessera.name = "y"}, tensor<10xi64> {tessera.name = "n"}) {
  %y, %n = tessera.moe %x router(%wg) experts(%wu, %wd) shared(%su, %sd) routing(#tessera.token_choice<k = 10, renormalize = true>) activation(silu)
      : (tensor<20x150xf32>, tensor<10x150xf32>, tensor<10x24x150xf32>, tensor<10x150x24xf32>, tensor<9x6x150xf32>, tensor<9x150x6xf32>) -> (tensor<20x150xf32>, tensor<10xi64>)
  return %y, %n : tensor<20x150xf32>, tensor<10xi64>
}

// Expert choice with E = 12 and d = 150: C = ceil(1.5·30/12) = 4.
func.func @expert_choice_wide(%x: tensor<30x150xf32> {tessera.name = "x"}, %wg: tensor<12x150xf32> {tessera.name = "wg"}, %wu: tensor<12x8x150xf32> {tessera.name = "wu"}, %wd: tensor<12x150x8xf32> {tessera.name = "wd"}) -> (tensor<30x150xf32> {tessera.name = "y"}, tensor<12xi64> {tessera.name = "n"}) {
  %y, %n = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.expert_choice<capacity_factor = 1.5>) activation(gelu)
      : (tensor<30x150xf32>, tensor<12x150xf32>, tensor<12x8x150xf32>, tensor<12x150x8xf32>) -> (tensor<30x150xf32>, tensor<12xi64>)
  return %y, %n : tensor<30x150xf32>, tensor<12xi64>
}
