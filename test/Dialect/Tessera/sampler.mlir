// RUN: tessera-opt %s | tessera-opt | FileCheck %s
// RUN: tessera-opt %s --mlir-print-op-generic | tessera-opt | FileCheck %s

// Every scheduler attribute, with diffusers' keys; defaults are elided.
// CHECK-LABEL: func.func @steps
// CHECK: scheduler(#tessera.ddim<prediction_type = v_prediction, timestep_spacing = trailing, rescale_betas_zero_snr = true, eta = 5.000000e-01>) steps(50)
// CHECK: scheduler(#tessera.ddpm<beta_schedule = squaredcos_cap_v2, steps_offset = 1>) steps(100)
// CHECK: scheduler(#tessera.euler<use_karras_sigmas = true>) steps(30)
// CHECK: scheduler(#tessera.dpm_solver_2m<beta_start = 8.4999{{[0-9]*}}E-4, beta_end = 1.200000e-02, beta_schedule = scaled_linear>) steps(20)
// CHECK: scheduler(#tessera.flow_match_euler<shift = 5.000000e+00>) steps(40)
// CHECK: scheduler(#tessera.lcm<>) steps(4)
func.func @steps(%x: tensor<1x4x8x8xf32>, %m: tensor<1x4x8x8xf32>, %i: tensor<i64>, %z: tensor<1x4x8x8xf32>, %h: tensor<1x4x8x8xf32>) {
  %0 = tessera.scheduler_step %x, %m, %i noise(%z) scheduler(#tessera.ddim<prediction_type = v_prediction, timestep_spacing = trailing, rescale_betas_zero_snr = true, eta = 0.5>) steps(50) : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<i64>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %1 = tessera.scheduler_step %x, %m, %i noise(%z) scheduler(#tessera.ddpm<beta_schedule = squaredcos_cap_v2, steps_offset = 1>) steps(100) : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<i64>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %2 = tessera.scheduler_step %x, %m, %i scheduler(#tessera.euler<use_karras_sigmas = true>) steps(30) : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<i64>) -> tensor<1x4x8x8xf32>
  %3, %4 = tessera.scheduler_step %x, %m, %i state(%h) scheduler(#tessera.dpm_solver_2m<beta_start = 0.00085, beta_end = 0.012, beta_schedule = scaled_linear>) steps(20) : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<i64>, tensor<1x4x8x8xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>)
  %5 = tessera.scheduler_step %x, %m, %i scheduler(#tessera.flow_match_euler<shift = 5.0>) steps(40) : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<i64>) -> tensor<1x4x8x8xf32>
  %6 = tessera.scheduler_step %x, %m, %i noise(%z) scheduler(#tessera.lcm<>) steps(4) : (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<i64>, tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return
}

// The operands follow the scheduler, not the step count: DDPM takes noise
// and DPM-Solver++ a state even when every step has a zero coefficient.
// CHECK-LABEL: func.func @short
// CHECK: noise(%{{.*}}) scheduler(#tessera.ddpm<>) steps(1)
// CHECK: state(%{{.*}}) scheduler(#tessera.dpm_solver_2m<>) steps(2)
func.func @short(%x: tensor<2xf32>, %i: tensor<i64>) {
  %0 = tessera.scheduler_step %x, %x, %i noise(%x) scheduler(#tessera.ddpm<>) steps(1) : (tensor<2xf32>, tensor<2xf32>, tensor<i64>, tensor<2xf32>) -> tensor<2xf32>
  %1:2 = tessera.scheduler_step %x, %x, %i state(%x) scheduler(#tessera.dpm_solver_2m<>) steps(2) : (tensor<2xf32>, tensor<2xf32>, tensor<i64>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  return
}

// A guided sampling loop with a region that takes the noise level.
// CHECK-LABEL: func.func @guided
// CHECK: tessera.sample %{{.*}} cond(%{{.*}}) uncond(%{{.*}}) scheduler(#tessera.dpm_solver_2m<>) steps(20) {guidance_rescale = 0.69999{{[0-9]*}} : f64, guidance_scale = 7.500000e+00 : f64}
// CHECK: ^bb0(%{{.*}}: tensor<2x4x8x8xf32>, %{{.*}}: tensor<2xf32>, %{{.*}}: tensor<2x7x16xf32>, %{{.*}}: tensor<2xf32>):
// CHECK: tessera.yield %{{.*}} : tensor<2x4x8x8xf32>
func.func @guided(%x: tensor<1x4x8x8xf32>, %c: tensor<1x7x16xf32>, %u: tensor<1x7x16xf32>) -> tensor<1x4x8x8xf32> {
  %y = tessera.sample %x cond(%c) uncond(%u) scheduler(#tessera.dpm_solver_2m<>) steps(20) {guidance_scale = 7.5, guidance_rescale = 0.7} : (tensor<1x4x8x8xf32>, tensor<1x7x16xf32>, tensor<1x7x16xf32>) -> tensor<1x4x8x8xf32> {
  ^bb0(%xi: tensor<2x4x8x8xf32>, %t: tensor<2xf32>, %ci: tensor<2x7x16xf32>, %a: tensor<2xf32>):
    tessera.yield %xi : tensor<2x4x8x8xf32>
  }
  return %y : tensor<1x4x8x8xf32>
}

// A stochastic loop takes a seed.
// CHECK-LABEL: func.func @seeded
// CHECK: tessera.sample %{{.*}} seed(%{{.*}}) scheduler(#tessera.ddpm<>) steps(10)
func.func @seeded(%x: tensor<2x16xf32>, %s: tensor<i32>) -> tensor<2x16xf32> {
  %y = tessera.sample %x seed(%s) scheduler(#tessera.ddpm<>) steps(10) : (tensor<2x16xf32>, tensor<i32>) -> tensor<2x16xf32> {
  ^bb0(%xi: tensor<2x16xf32>, %t: tensor<2xf32>):
    tessera.yield %xi : tensor<2x16xf32>
  }
  return %y : tensor<2x16xf32>
}
