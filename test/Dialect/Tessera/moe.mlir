// RUN: tessera-opt %s | tessera-opt | FileCheck %s
// RUN: tessera-opt %s --mlir-print-op-generic | tessera-opt | FileCheck %s
// RUN: tessera-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// CHECK-LABEL: func.func @mixtral
// CHECK: %{{.*}}, %{{.*}} = tessera.moe %{{.*}} router(%{{.*}}) experts(%{{.*}}, %{{.*}}) gate(%{{.*}}) routing(#tessera.token_choice<k = 2, order = topk_then_softmax>) activation({{ ?}}swiglu) : (tensor<2x16x32xf32>, tensor<8x32xf32>, tensor<8x64x32xf32>, tensor<8x32x64xf32>, tensor<8x64x32xf32>) -> (tensor<2x16x32xf32>, tensor<8xi64>)
// GENERIC-LABEL: sym_name = "mixtral"
// GENERIC: "tessera.moe"({{.*}}) <{activation = #tessera<moe_activation swiglu>, operandSegmentSizes = array<i32: 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0>, routing = #tessera.token_choice<k = 2, order = topk_then_softmax>}>
func.func @mixtral(%x: tensor<2x16x32xf32>, %wg: tensor<8x32xf32>,
                   %wu: tensor<8x64x32xf32>, %wd: tensor<8x32x64xf32>,
                   %wgt: tensor<8x64x32xf32>)
    -> (tensor<2x16x32xf32>, tensor<8xi64>) {
  %y, %n = tessera.moe %x router(%wg) experts(%wu, %wd) gate(%wgt)
      routing(#tessera.token_choice<k = 2, order = topk_then_softmax>)
      activation(swiglu)
      : (tensor<2x16x32xf32>, tensor<8x32xf32>, tensor<8x64x32xf32>,
         tensor<8x32x64xf32>, tensor<8x64x32xf32>)
      -> (tensor<2x16x32xf32>, tensor<8xi64>)
  return %y, %n : tensor<2x16x32xf32>, tensor<8xi64>
}

// GShard top-2 with renormalisation, biases and a capacity factor; the
// default order is printed elided.
// CHECK-LABEL: func.func @gshard
// CHECK: tessera.moe %{{.*}} router(%{{.*}}) experts(%{{.*}}, %{{.*}}) up_bias(%{{.*}}) down_bias(%{{.*}}) routing(#tessera.token_choice<k = 2, renormalize = true>) activation({{ ?}}gelu) {capacity_factor = 1.250000e+00 : f64}
func.func @gshard(%x: tensor<64x32xf32>, %wg: tensor<4x32xf32>,
                  %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>,
                  %bu: tensor<4x64xf32>, %bd: tensor<4x32xf32>)
    -> tensor<64x32xf32> {
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) up_bias(%bu) down_bias(%bd)
      routing(#tessera.token_choice<k = 2, order = softmax_then_topk, renormalize = true>)
      activation(gelu) {capacity_factor = 1.25 : f64}
      : (tensor<64x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>,
         tensor<4x32x64xf32>, tensor<4x64xf32>, tensor<4x32xf32>)
      -> tensor<64x32xf32>
  return %y : tensor<64x32xf32>
}

// CHECK-LABEL: func.func @expert_choice
// CHECK: routing(#tessera.expert_choice<capacity_factor = 2.000000e+00>) activation({{ ?}}silu) : {{.*}} -> (tensor<64x32xf32>, tensor<4xi32>)
func.func @expert_choice(%x: tensor<64x32xf32>, %wg: tensor<4x32xf32>,
                         %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>)
    -> (tensor<64x32xf32>, tensor<4xi32>) {
  %y, %n = tessera.moe %x router(%wg) experts(%wu, %wd)
      routing(#tessera.expert_choice<capacity_factor = 2.0>) activation(silu)
      : (tensor<64x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>,
         tensor<4x32x64xf32>) -> (tensor<64x32xf32>, tensor<4xi32>)
  return %y, %n : tensor<64x32xf32>, tensor<4xi32>
}

// M³ViT / Edge-MoE: one router per task, a run-time task id, per-task
// expert subsets.
// CHECK-LABEL: func.func @task_conditioned
// CHECK: tessera.moe %{{.*}} router(%{{.*}}) experts(%{{.*}}, %{{.*}}) task(%{{.*}}) routing(#tessera.task_conditioned<tasks = 2, gate = #tessera.token_choice<k = 2>, experts = [0, 1, 2, 1, 2, 3]>) activation({{ ?}}gelu)
func.func @task_conditioned(%x: tensor<2x16x32xf32>, %wg: tensor<2x4x32xf32>,
                            %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>,
                            %task: tensor<i32>) -> tensor<2x16x32xf32> {
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) task(%task)
      routing(#tessera.task_conditioned<tasks = 2,
                gate = #tessera.token_choice<k = 2>,
                experts = [0, 1, 2, 1, 2, 3]>)
      activation(gelu)
      : (tensor<2x16x32xf32>, tensor<2x4x32xf32>, tensor<4x64x32xf32>,
         tensor<4x32x64xf32>, tensor<i32>) -> tensor<2x16x32xf32>
  return %y : tensor<2x16x32xf32>
}

// Per-sample task ids, every expert allowed.
// CHECK-LABEL: func.func @task_per_sample
// CHECK: task(%{{.*}}) routing(#tessera.task_conditioned<tasks = 3, gate = #tessera.token_choice<k = 1>>) activation({{ ?}}silu)
func.func @task_per_sample(%x: tensor<2x16x32xf32>, %wg: tensor<3x4x32xf32>,
                           %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>,
                           %task: tensor<2xi64>) -> tensor<2x16x32xf32> {
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) task(%task)
      routing(#tessera.task_conditioned<tasks = 3, gate = #tessera.token_choice<k = 1>>)
      activation(silu)
      : (tensor<2x16x32xf32>, tensor<3x4x32xf32>, tensor<4x64x32xf32>,
         tensor<4x32x64xf32>, tensor<2xi64>) -> tensor<2x16x32xf32>
  return %y : tensor<2x16x32xf32>
}

// AniMer+: the family picks the expert, next to always-on shared experts
// (DeepSeek-MoE style), SwiGLU everywhere.
// CHECK-LABEL: func.func @category_shared
// CHECK: tessera.moe %{{.*}} experts(%{{.*}}, %{{.*}}) gate(%{{.*}}) shared(%{{.*}}, %{{.*}}) shared_gate(%{{.*}}) category(%{{.*}}) routing(#tessera.category_conditioned<categories = 4, experts = [0, 1, 2, 3]>) activation({{ ?}}swiglu)
func.func @category_shared(%x: tensor<2x16x32xf32>, %wu: tensor<4x64x32xf32>,
                           %wd: tensor<4x32x64xf32>, %wgt: tensor<4x64x32xf32>,
                           %su: tensor<1x48x32xf32>, %sd: tensor<1x32x48xf32>,
                           %sg: tensor<1x48x32xf32>, %cat: tensor<2xi32>)
    -> tensor<2x16x32xf32> {
  %y = tessera.moe %x experts(%wu, %wd) gate(%wgt) shared(%su, %sd)
      shared_gate(%sg) category(%cat)
      routing(#tessera.category_conditioned<categories = 4, experts = [0, 1, 2, 3]>)
      activation(swiglu)
      : (tensor<2x16x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>,
         tensor<4x64x32xf32>, tensor<1x48x32xf32>, tensor<1x32x48xf32>,
         tensor<1x48x32xf32>, tensor<2xi32>) -> tensor<2x16x32xf32>
  return %y : tensor<2x16x32xf32>
}

// All optional expert operands at once.
// CHECK-LABEL: func.func @everything
// CHECK: tessera.moe %{{.*}} router(%{{.*}}) experts(%{{.*}}, %{{.*}}) gate(%{{.*}}) up_bias(%{{.*}}) down_bias(%{{.*}}) gate_bias(%{{.*}}) shared(%{{.*}}, %{{.*}}) shared_gate(%{{.*}}) routing(#tessera.token_choice<k = 4>) activation({{ ?}}swiglu) {capacity_factor = 1.000000e+00 : f64}
func.func @everything(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>,
                      %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>,
                      %wgt: tensor<4x64x32xf32>, %bu: tensor<4x64xf32>,
                      %bd: tensor<4x32xf32>, %bg: tensor<4x64xf32>,
                      %su: tensor<2x16x32xf32>, %sd: tensor<2x32x16xf32>,
                      %sg: tensor<2x16x32xf32>) -> tensor<8x32xf32> {
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) gate(%wgt) up_bias(%bu)
      down_bias(%bd) gate_bias(%bg) shared(%su, %sd) shared_gate(%sg)
      routing(#tessera.token_choice<k = 4>) activation(swiglu)
      {capacity_factor = 1.0 : f64}
      : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>,
         tensor<4x32x64xf32>, tensor<4x64x32xf32>, tensor<4x64xf32>,
         tensor<4x32xf32>, tensor<4x64xf32>, tensor<2x16x32xf32>,
         tensor<2x32x16xf32>, tensor<2x16x32xf32>) -> tensor<8x32xf32>
  return %y : tensor<8x32xf32>
}
