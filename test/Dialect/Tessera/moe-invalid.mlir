// RUN: tessera-opt %s -split-input-file -verify-diagnostics

// One case per tessera.moe and routing-attribute diagnostic.

func.func @element_type(%x: tensor<8x32xf32>, %wg: tensor<4x32xf16>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects the input, weights and result to have one element type, got 'f32' and 'f16'}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 2>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf16>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @input_rank(%x: tensor<32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects input of rank 2 ([T, d]) or 3 ([B, N, d]), got rank 1}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 2>) activation(gelu) : (tensor<32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<32xf32>
  return
}

// -----

func.func @w_up_rank(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects w_up of rank 3 ([E, f, d]), got rank 2}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 2>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x32xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @no_experts(%x: tensor<8x32xf32>, %wg: tensor<0x32xf32>, %wu: tensor<0x64x32xf32>, %wd: tensor<0x32x64xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects at least one routed expert (E >= 1)}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 2>) activation(gelu) : (tensor<8x32xf32>, tensor<0x32xf32>, tensor<0x64x32xf32>, tensor<0x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @w_up_shape(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x16xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects w_up of shape [4, 64, 32], got [4, 64, 16]}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 2>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x16xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @w_down_shape(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x64x32xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects w_down of shape [4, 32, 64], got [4, 64, 32]}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 2>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x64x32xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @swiglu_without_gate(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects a gate operand (W_gate [E, f, d]) with activation swiglu}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 2>) activation(swiglu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @gate_without_swiglu(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>, %wgt: tensor<4x64x32xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects no gate operand with activation silu (only swiglu takes one)}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) gate(%wgt) routing(#tessera.token_choice<k = 2>) activation(silu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>, tensor<4x64x32xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @gate_shape(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>, %wgt: tensor<4x32x64xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects gate of shape [4, 64, 32], got [4, 32, 64]}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) gate(%wgt) routing(#tessera.token_choice<k = 2>) activation(swiglu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @up_bias_shape(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>, %b: tensor<4x32xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects up_bias of shape [4, 64], got [4, 32]}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) up_bias(%b) routing(#tessera.token_choice<k = 2>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>, tensor<4x32xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @down_bias_shape(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>, %b: tensor<32xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects down_bias of shape [4, 32], got [32]}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) down_bias(%b) routing(#tessera.token_choice<k = 2>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>, tensor<32xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @gate_bias_without_gate(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>, %b: tensor<4x64xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects gate_bias only with a gate operand}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) gate_bias(%b) routing(#tessera.token_choice<k = 2>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>, tensor<4x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @gate_bias_shape(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>, %wgt: tensor<4x64x32xf32>, %b: tensor<4x32xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects gate_bias of shape [4, 64], got [4, 32]}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) gate(%wgt) gate_bias(%b) routing(#tessera.token_choice<k = 2>) activation(swiglu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>, tensor<4x64x32xf32>, tensor<4x32xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @shared_up_rank(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>, %su: tensor<16x32xf32>, %sd: tensor<32x16xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects shared_up of rank 3 ([S, fs, d]), got rank 2}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) shared(%su, %sd) routing(#tessera.token_choice<k = 2>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>, tensor<16x32xf32>, tensor<32x16xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @shared_up_shape(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>, %su: tensor<1x16x8xf32>, %sd: tensor<1x32x16xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects shared_up of shape [1, 16, 32], got [1, 16, 8]}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) shared(%su, %sd) routing(#tessera.token_choice<k = 2>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>, tensor<1x16x8xf32>, tensor<1x32x16xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @shared_down_shape(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>, %su: tensor<1x16x32xf32>, %sd: tensor<1x16x32xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects shared_down of shape [1, 32, 16], got [1, 16, 32]}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) shared(%su, %sd) routing(#tessera.token_choice<k = 2>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>, tensor<1x16x32xf32>, tensor<1x16x32xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @shared_swiglu_without_gate(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>, %wgt: tensor<4x64x32xf32>, %su: tensor<1x16x32xf32>, %sd: tensor<1x32x16xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects a shared_gate operand with activation swiglu and shared experts}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) gate(%wgt) shared(%su, %sd) routing(#tessera.token_choice<k = 2>) activation(swiglu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>, tensor<4x64x32xf32>, tensor<1x16x32xf32>, tensor<1x32x16xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @shared_gate_without_swiglu(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>, %su: tensor<1x16x32xf32>, %sd: tensor<1x32x16xf32>, %sg: tensor<1x16x32xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects no shared_gate operand with activation gelu}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) shared(%su, %sd) shared_gate(%sg) routing(#tessera.token_choice<k = 2>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>, tensor<1x16x32xf32>, tensor<1x32x16xf32>, tensor<1x16x32xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @shared_gate_shape(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>, %wgt: tensor<4x64x32xf32>, %su: tensor<1x16x32xf32>, %sd: tensor<1x32x16xf32>, %sg: tensor<1x32x16xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects shared_gate of shape [1, 16, 32], got [1, 32, 16]}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) gate(%wgt) shared(%su, %sd) shared_gate(%sg) routing(#tessera.token_choice<k = 2>) activation(swiglu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>, tensor<4x64x32xf32>, tensor<1x16x32xf32>, tensor<1x32x16xf32>, tensor<1x32x16xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @shared_gate_without_shared(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>, %wgt: tensor<4x64x32xf32>, %sg: tensor<1x16x32xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects shared_gate only with shared experts}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) gate(%wgt) shared_gate(%sg) routing(#tessera.token_choice<k = 2>) activation(swiglu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>, tensor<4x64x32xf32>, tensor<1x16x32xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @missing_router(%x: tensor<8x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects a router operand with token_choice routing}}
  %y = tessera.moe %x experts(%wu, %wd) routing(#tessera.token_choice<k = 2>) activation(gelu) : (tensor<8x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @router_shape(%x: tensor<8x32xf32>, %wg: tensor<4x16xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects router of shape [4, 32], got [4, 16]}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 2>) activation(gelu) : (tensor<8x32xf32>, tensor<4x16xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @k_too_large(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects k <= the number of experts, got k = 5 and E = 4}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 5>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @task_with_token_choice(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>, %t: tensor<i32>) {
  // expected-error @+1 {{'tessera.moe' op does not take a task operand with token_choice routing}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) task(%t) routing(#tessera.token_choice<k = 2>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>, tensor<i32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @category_with_expert_choice(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>, %c: tensor<i32>) {
  // expected-error @+1 {{'tessera.moe' op does not take a category operand with expert_choice routing}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) category(%c) routing(#tessera.expert_choice<capacity_factor = 1.0>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>, tensor<i32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @capacity_with_expert_choice(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects no capacity_factor with #tessera.expert_choice<capacity_factor = 1.000000e+00> routing (it has no or its own capacity)}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.expert_choice<capacity_factor = 1.0>) activation(gelu) {capacity_factor = 2.0 : f64} : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @capacity_not_positive(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects a finite capacity_factor > 0, got 0.000000e+00}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 2>) activation(gelu) {capacity_factor = 0.0 : f64} : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @result_shape(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects result of shape [8, 32], got [8, 16]}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 2>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<8x16xf32>
  return
}

// -----

func.func @tokens_per_expert_shape(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects tokens_per_expert of shape [4], got [8]}}
  %y, %n = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 2>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> (tensor<8x32xf32>, tensor<8xi64>)
  return
}

// -----

func.func @missing_task(%x: tensor<8x32xf32>, %wg: tensor<2x4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects a task operand with task_conditioned routing}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.task_conditioned<tasks = 2, gate = #tessera.token_choice<k = 1>>) activation(gelu) : (tensor<8x32xf32>, tensor<2x4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @task_router_shape(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>, %t: tensor<i32>) {
  // expected-error @+1 {{'tessera.moe' op expects router of shape [2, 4, 32], got [4, 32]}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) task(%t) routing(#tessera.task_conditioned<tasks = 2, gate = #tessera.token_choice<k = 1>>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>, tensor<i32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @task_shape(%x: tensor<2x4x32xf32>, %wg: tensor<2x4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>, %t: tensor<3xi32>) {
  // expected-error @+1 {{'tessera.moe' op expects the task operand of shape [] or [2] (one per sample), got [3]}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) task(%t) routing(#tessera.task_conditioned<tasks = 2, gate = #tessera.token_choice<k = 1>>) activation(gelu) : (tensor<2x4x32xf32>, tensor<2x4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>, tensor<3xi32>) -> tensor<2x4x32xf32>
  return
}

// -----

func.func @table_entry_too_large(%x: tensor<8x32xf32>, %wg: tensor<2x4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>, %t: tensor<i64>) {
  // expected-error @+1 {{'tessera.moe' op expects expert indices in [0, E) in the routing table, got 4 with E = 4}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) task(%t) routing(#tessera.task_conditioned<tasks = 2, gate = #tessera.token_choice<k = 1>, experts = [0, 1, 3, 4]>) activation(gelu) : (tensor<8x32xf32>, tensor<2x4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>, tensor<i64>) -> tensor<8x32xf32>
  return
}

// -----

func.func @router_with_category(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>, %c: tensor<i32>) {
  // expected-error @+1 {{'tessera.moe' op does not take a router operand with category_conditioned routing}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) category(%c) routing(#tessera.category_conditioned<categories = 2, experts = [0, 1]>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>, tensor<i32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @missing_category(%x: tensor<8x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects a category operand with category_conditioned routing}}
  %y = tessera.moe %x experts(%wu, %wd) routing(#tessera.category_conditioned<categories = 2, experts = [0, 1]>) activation(gelu) : (tensor<8x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @routing_overflow(%x: tensor<17592186044416x1xf32>, %wg: tensor<1048576x1xf32>, %wu: tensor<1048576x1x1xf32>, %wd: tensor<1048576x1x1xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects routing sizes (T = 17592186044416, E = 1048576) that fit in 64 bits}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 1048576>) activation(gelu) {capacity_factor = 1.0 : f64} : (tensor<17592186044416x1xf32>, tensor<1048576x1xf32>, tensor<1048576x1x1xf32>, tensor<1048576x1x1xf32>) -> tensor<17592186044416x1xf32>
  return
}

// -----

func.func @routed_buffer_overflow(%x: tensor<2097152x1xf32>, %wg: tensor<1048576x1xf32>, %wu: tensor<1048576x1048576x1xf32>, %wd: tensor<1048576x1x1048576xf32>) {
  // expected-error @+1 {{'tessera.moe' op expects the routed-token buffer (T·K = 2097152·1048576 rows of max(f, d) = 1048576 elements) to fit in 2^62 bytes}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.expert_choice<capacity_factor = 1.0>) activation(gelu) : (tensor<2097152x1xf32>, tensor<1048576x1xf32>, tensor<1048576x1048576x1xf32>, tensor<1048576x1x1048576xf32>) -> tensor<2097152x1xf32>
  return
}

// -----

func.func @k_zero(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{expects k >= 1, got 0}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 0>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @renormalize_topk_then_softmax(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{expects renormalize = false with order = topk_then_softmax (its weights already sum to 1)}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 2, order = topk_then_softmax, renormalize = true>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @bad_bool(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+2 {{failed to parse Tessera_TokenChoiceRoutingAttr parameter 'renormalize'}}
  // expected-error @+1 {{expected 'true' or 'false'}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 2, renormalize = 1>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @expert_choice_zero(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{expects a finite capacity_factor > 0, got 0.000000e+00}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.expert_choice<capacity_factor = 0.0>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @tasks_zero(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{expects tasks >= 1, got 0}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.task_conditioned<tasks = 0, gate = #tessera.token_choice<k = 1>>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @gate_not_token_choice(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{expects gate to be a #tessera.token_choice, got #tessera.expert_choice<capacity_factor = 1.000000e+00>}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.task_conditioned<tasks = 2, gate = #tessera.expert_choice<capacity_factor = 1.0>>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @table_length(%x: tensor<8x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{expects an experts table of 2 rows of equal length (a non-empty multiple of 2 entries), got 3 entries}}
  %y = tessera.moe %x experts(%wu, %wd) routing(#tessera.category_conditioned<categories = 2, experts = [0, 1, 2]>) activation(gelu) : (tensor<8x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @table_negative(%x: tensor<8x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{expects expert indices >= 0, got -1}}
  %y = tessera.moe %x experts(%wu, %wd) routing(#tessera.category_conditioned<categories = 2, experts = [0, -1]>) activation(gelu) : (tensor<8x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @table_repeat(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{expects distinct experts in each task row, got expert 1 twice in row 1}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.task_conditioned<tasks = 2, gate = #tessera.token_choice<k = 1>, experts = [0, 1, 1, 1]>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @k_above_subset(%x: tensor<8x32xf32>, %wg: tensor<4x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{expects k <= the experts per task, got k = 3 and 2}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.task_conditioned<tasks = 2, gate = #tessera.token_choice<k = 3>, experts = [0, 1, 2, 3]>) activation(gelu) : (tensor<8x32xf32>, tensor<4x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}

// -----

func.func @categories_zero(%x: tensor<8x32xf32>, %wu: tensor<4x64x32xf32>, %wd: tensor<4x32x64xf32>) {
  // expected-error @+1 {{expects categories >= 1, got 0}}
  %y = tessera.moe %x experts(%wu, %wd) routing(#tessera.category_conditioned<categories = 0, experts = [0]>) activation(gelu) : (tensor<8x32xf32>, tensor<4x64x32xf32>, tensor<4x32x64xf32>) -> tensor<8x32xf32>
  return
}
