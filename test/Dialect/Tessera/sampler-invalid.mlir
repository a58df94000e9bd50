// RUN: tessera-opt %s -split-input-file -verify-diagnostics

func.func @f(%x: tensor<2x8xf32>, %m: tensor<2x8xf32>, %i: tensor<i64>, %z: tensor<2x8xf32>) {
  // expected-error @+1 {{'tessera.scheduler_step' op expects at most num_train_timesteps = 1000 inference steps, got 1001}}
  %0 = tessera.scheduler_step %x, %m, %i scheduler(#tessera.ddim<>) steps(1001) : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<i64>) -> tensor<2x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %m: tensor<2x8xf32>, %i: tensor<i64>, %z: tensor<2x8xf32>) {
  // expected-error @+1 {{'tessera.scheduler_step' op timestep_spacing = trailing is not defined for 61 steps of 1000 (diffusers gives 62 timesteps, the last -1)}}
  %0 = tessera.scheduler_step %x, %m, %i scheduler(#tessera.euler<timestep_spacing = trailing>) steps(61) : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<i64>) -> tensor<2x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %m: tensor<2x8xf32>, %i: tensor<i64>, %z: tensor<2x8xf32>) {
  // expected-error @+1 {{'tessera.scheduler_step' op expects num_train_timesteps in [1, 1048576], got 0}}
  %0 = tessera.scheduler_step %x, %m, %i scheduler(#tessera.ddim<num_train_timesteps = 0>) steps(10) : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<i64>) -> tensor<2x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %m: tensor<2x8xf32>, %i: tensor<i64>, %z: tensor<2x8xf32>) {
  // expected-error @+1 {{'tessera.scheduler_step' op expects beta_start and beta_end in [0, 1)}}
  %0 = tessera.scheduler_step %x, %m, %i noise(%z) scheduler(#tessera.ddpm<beta_end = 1.5>) steps(10) : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<i64>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %m: tensor<2x8xf32>, %i: tensor<i64>, %z: tensor<2x8xf32>) {
  // expected-error @+1 {{'tessera.scheduler_step' op expects eta >= 0, got -1}}
  %0 = tessera.scheduler_step %x, %m, %i scheduler(#tessera.ddim<eta = -1.0>) steps(10) : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<i64>) -> tensor<2x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %m: tensor<2x8xf32>, %i: tensor<i64>, %z: tensor<2x8xf32>) {
  // expected-error @+1 {{'tessera.scheduler_step' op gives a non-finite coefficient at step 0}}
  %0 = tessera.scheduler_step %x, %m, %i scheduler(#tessera.ddim<rescale_betas_zero_snr = true, timestep_spacing = trailing>) steps(10) : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<i64>) -> tensor<2x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %m: tensor<2x8xf32>, %i: tensor<i64>, %z: tensor<2x8xf32>) {
  // expected-error @+1 {{'tessera.scheduler_step' op expects original_inference_steps in [1, 1000], got 0}}
  %0 = tessera.scheduler_step %x, %m, %i noise(%z) scheduler(#tessera.lcm<original_inference_steps = 0>) steps(4) : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<i64>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %m: tensor<2x8xf32>, %i: tensor<i64>, %z: tensor<2x8xf32>) {
  // expected-error @+1 {{'tessera.scheduler_step' op expects at most original_inference_steps = 50 inference steps, got 51}}
  %0 = tessera.scheduler_step %x, %m, %i noise(%z) scheduler(#tessera.lcm<>) steps(51) : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<i64>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %m: tensor<2x8xf32>, %i: tensor<i64>, %z: tensor<2x8xf32>) {
  // expected-error @+1 {{'tessera.scheduler_step' op expects shift > 0, got 0}}
  %0 = tessera.scheduler_step %x, %m, %i scheduler(#tessera.flow_match_euler<shift = 0.0>) steps(10) : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<i64>) -> tensor<2x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %m: tensor<2x8xf32>, %i: tensor<i64>, %z: tensor<2x8xf32>) {
  // expected-error @+1 {{'tessera.scheduler_step' op timestep 1000 (from steps_offset) is outside [0, 1000)}}
  %0 = tessera.scheduler_step %x, %m, %i scheduler(#tessera.ddim<steps_offset = 10>) steps(100) : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<i64>) -> tensor<2x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %m: tensor<2x8xf32>, %i: tensor<i64>, %z: tensor<2x8xf32>) {
  // expected-error @+1 {{'tessera.scheduler_step' op expects a noise operand: the scheduler adds noise}}
  %0 = tessera.scheduler_step %x, %m, %i scheduler(#tessera.ddpm<>) steps(10) : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<i64>) -> tensor<2x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %m: tensor<2x8xf32>, %i: tensor<i64>, %z: tensor<2x8xf32>) {
  // expected-error @+1 {{'tessera.scheduler_step' op expects no noise operand: the scheduler adds none}}
  %0 = tessera.scheduler_step %x, %m, %i noise(%z) scheduler(#tessera.ddim<>) steps(10) : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<i64>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %m: tensor<2x8xf32>, %i: tensor<i64>, %z: tensor<2x8xf32>) {
  // expected-error @+1 {{'tessera.scheduler_step' op expects a state operand and a next-state result: the scheduler is multistep}}
  %0 = tessera.scheduler_step %x, %m, %i scheduler(#tessera.dpm_solver_2m<>) steps(10) : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<i64>) -> tensor<2x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %m: tensor<2x8xf32>, %i: tensor<i64>, %z: tensor<2x8xf32>) {
  // expected-error @+1 {{'tessera.scheduler_step' op expects no state: the scheduler is single-step}}
  %0:2 = tessera.scheduler_step %x, %m, %i state(%z) scheduler(#tessera.ddim<>) steps(10) : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<i64>, tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>)
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %m: tensor<2x9xf32>, %i: tensor<i64>, %z: tensor<2x8xf32>) {
  // expected-error @+1 {{'tessera.scheduler_step' op expects model_output and the result to have the sample's type 'tensor<2x8xf32>'}}
  %0 = tessera.scheduler_step %x, %m, %i scheduler(#tessera.ddim<>) steps(10) : (tensor<2x8xf32>, tensor<2x9xf32>, tensor<i64>) -> tensor<2x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x8xf16>, %m: tensor<2x8xf16>, %i: tensor<i64>, %z: tensor<2x8xf32>) {
  // expected-error @+1 {{'tessera.scheduler_step' op expects an f32 sample, got 'tensor<2x8xf16>'}}
  %0 = tessera.scheduler_step %x, %m, %i scheduler(#tessera.ddim<>) steps(10) : (tensor<2x8xf16>, tensor<2x8xf16>, tensor<i64>) -> tensor<2x8xf16>
  return
}

// -----

func.func @f(%x: tensor<?x8xf32>, %m: tensor<?x8xf32>, %i: tensor<i64>, %z: tensor<2x8xf32>) {
  // expected-error @+1 {{'tessera.scheduler_step' op expects a statically shaped sample of rank >= 1 ([B, ...]), got 'tensor<?x8xf32>'}}
  %0 = tessera.scheduler_step %x, %m, %i scheduler(#tessera.ddim<>) steps(10) : (tensor<?x8xf32>, tensor<?x8xf32>, tensor<i64>) -> tensor<?x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %m: tensor<2x8xf32>, %i: tensor<i64>, %z: tensor<2x9xf32>) {
  // expected-error @+1 {{'tessera.scheduler_step' op expects noise of the sample's type 'tensor<2x8xf32>'}}
  %0 = tessera.scheduler_step %x, %m, %i noise(%z) scheduler(#tessera.ddpm<>) steps(10) : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<i64>, tensor<2x9xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %c: tensor<2x3xf32>, %u: tensor<2x3xf32>, %s: tensor<i64>) {
  // expected-error @+1 {{'tessera.sample' op expects uncond operands exactly when guidance_scale is set (classifier-free guidance)}}
  %0 = tessera.sample %x scheduler(#tessera.ddim<>) steps(10) {guidance_scale = 2.0} : (tensor<2x8xf32>) -> tensor<2x8xf32> {
  ^bb0(%xi: tensor<2x8xf32>, %t: tensor<2xf32>):
    tessera.yield %xi : tensor<2x8xf32>
  }
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %c: tensor<2x3xf32>, %u: tensor<2x3xf32>, %s: tensor<i64>) {
  // expected-error @+1 {{'tessera.sample' op expects uncond operands exactly when guidance_scale is set (classifier-free guidance)}}
  %0 = tessera.sample %x cond(%c) uncond(%u) scheduler(#tessera.ddim<>) steps(10) : (tensor<2x8xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x8xf32> {
  ^bb0(%xi: tensor<2x8xf32>, %t: tensor<2xf32>, %ci: tensor<2x3xf32>):
    tessera.yield %xi : tensor<2x8xf32>
  }
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %c: tensor<3x3xf32>) {
  // expected-error @+1 {{'tessera.sample' op expects every cond tensor to have the latent's batch 2 as its first dimension, got 'tensor<3x3xf32>'}}
  %0 = tessera.sample %x cond(%c) scheduler(#tessera.ddim<>) steps(10) : (tensor<2x8xf32>, tensor<3x3xf32>) -> tensor<2x8xf32> {
  ^bb0(%xi: tensor<2x8xf32>, %t: tensor<2xf32>, %ci: tensor<3x3xf32>):
    tessera.yield %xi : tensor<2x8xf32>
  }
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %c: tensor<2x3xf32>, %u: tensor<2x3xf32>, %s: tensor<i64>) {
  // expected-error @+1 {{'tessera.sample' op expects one uncond tensor per cond tensor, got 2 and 1}}
  %0 = tessera.sample %x cond(%c) uncond(%u, %u) scheduler(#tessera.ddim<>) steps(10) {guidance_scale = 2.0} : (tensor<2x8xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x8xf32> {
  ^bb0(%xi: tensor<2x8xf32>, %t: tensor<2xf32>):
    tessera.yield %xi : tensor<2x8xf32>
  }
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %c: tensor<2x3xf32>, %u: tensor<2x4xf32>) {
  // expected-error @+1 {{'tessera.sample' op expects each uncond tensor to have its cond tensor's type 'tensor<2x3xf32>', got 'tensor<2x4xf32>'}}
  %0 = tessera.sample %x cond(%c) uncond(%u) scheduler(#tessera.ddim<>) steps(10) {guidance_scale = 2.0} : (tensor<2x8xf32>, tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<2x8xf32> {
  ^bb0(%xi: tensor<2x8xf32>, %t: tensor<2xf32>):
    tessera.yield %xi : tensor<2x8xf32>
  }
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %c: tensor<2x3xf32>, %u: tensor<2x3xf32>, %s: tensor<i64>) {
  // expected-error @+1 {{'tessera.sample' op expects a finite guidance_scale (f32)}}
  %0 = tessera.sample %x cond(%c) uncond(%u) scheduler(#tessera.ddim<>) steps(10) {guidance_scale = 1.0e300 : f64} : (tensor<2x8xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x8xf32> {
  ^bb0(%xi: tensor<2x8xf32>, %t: tensor<2xf32>):
    tessera.yield %xi : tensor<2x8xf32>
  }
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %c: tensor<2x3xf32>, %u: tensor<2x3xf32>, %s: tensor<i64>) {
  // expected-error @+1 {{'tessera.sample' op expects a finite guidance_rescale >= 0, got -5.000000e-01}}
  %0 = tessera.sample %x cond(%c) uncond(%u) scheduler(#tessera.ddim<>) steps(10) {guidance_scale = 2.0, guidance_rescale = -0.5} : (tensor<2x8xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x8xf32> {
  ^bb0(%xi: tensor<2x8xf32>, %t: tensor<2xf32>):
    tessera.yield %xi : tensor<2x8xf32>
  }
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %c: tensor<2x3xf32>, %u: tensor<2x3xf32>, %s: tensor<i64>) {
  // expected-error @+1 {{'tessera.sample' op expects guidance_scale with guidance_rescale}}
  %0 = tessera.sample %x scheduler(#tessera.ddim<>) steps(10) {guidance_rescale = 0.5} : (tensor<2x8xf32>) -> tensor<2x8xf32> {
  ^bb0(%xi: tensor<2x8xf32>, %t: tensor<2xf32>):
    tessera.yield %xi : tensor<2x8xf32>
  }
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %c: tensor<2x3xf32>, %u: tensor<2x3xf32>, %s: tensor<i64>) {
  // expected-error @+1 {{'tessera.sample' op expects a seed operand: the scheduler adds noise}}
  %0 = tessera.sample %x scheduler(#tessera.ddpm<>) steps(10) : (tensor<2x8xf32>) -> tensor<2x8xf32> {
  ^bb0(%xi: tensor<2x8xf32>, %t: tensor<2xf32>):
    tessera.yield %xi : tensor<2x8xf32>
  }
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %c: tensor<2x3xf32>, %u: tensor<2x3xf32>, %s: tensor<i64>) {
  // expected-error @+1 {{'tessera.sample' op expects no seed operand: the scheduler adds none}}
  %0 = tessera.sample %x seed(%s) scheduler(#tessera.ddim<>) steps(10) : (tensor<2x8xf32>, tensor<i64>) -> tensor<2x8xf32> {
  ^bb0(%xi: tensor<2x8xf32>, %t: tensor<2xf32>):
    tessera.yield %xi : tensor<2x8xf32>
  }
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %c: tensor<2x3xf32>, %u: tensor<2x3xf32>, %s: tensor<i64>) {
  // expected-error @+1 {{'tessera.sample' op expects the denoiser region to take (x, t, cond..., inputs...) and optionally the noise level, 2 or 3 arguments, got 1}}
  %0 = tessera.sample %x scheduler(#tessera.ddim<>) steps(10) : (tensor<2x8xf32>) -> tensor<2x8xf32> {
  ^bb0(%xi: tensor<2x8xf32>):
    tessera.yield %xi : tensor<2x8xf32>
  }
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %c: tensor<2x3xf32>, %u: tensor<2x3xf32>, %s: tensor<i64>) {
  // expected-error @+1 {{'tessera.sample' op expects denoiser argument #1 of type 'tensor<2xf32>', got 'tensor<2xf64>'}}
  %0 = tessera.sample %x scheduler(#tessera.ddim<>) steps(10) : (tensor<2x8xf32>) -> tensor<2x8xf32> {
  ^bb0(%xi: tensor<2x8xf32>, %t: tensor<2xf64>):
    tessera.yield %xi : tensor<2x8xf32>
  }
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %c: tensor<2x3xf32>, %u: tensor<2x3xf32>, %s: tensor<i64>) {
  // expected-error @+1 {{'tessera.sample' op expects the denoiser to end with tessera.yield of 'tensor<2x8xf32>'}}
  %0 = tessera.sample %x scheduler(#tessera.ddim<>) steps(10) : (tensor<2x8xf32>) -> tensor<2x8xf32> {
  ^bb0(%xi: tensor<2x8xf32>, %t: tensor<2xf32>):
    tessera.yield %t : tensor<2xf32>
  }
  return
}

// -----

func.func @f(%x: tensor<2x9xf32>) {
  // expected-error @+1 {{'tessera.sample' op expects the result to have the latent's type 'tensor<2x9xf32>'}}
  %0 = tessera.sample %x scheduler(#tessera.ddim<>) steps(10) : (tensor<2x9xf32>) -> tensor<2x8xf32> {
  ^bb0(%xi: tensor<2x9xf32>, %t: tensor<2xf32>):
    tessera.yield %xi : tensor<2x9xf32>
  }
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %c: tensor<2x3xf32>, %u: tensor<2x3xf32>, %s: tensor<i64>) {
  // expected-error @+1 {{'tessera.sample' op expects denoiser argument #0 of type 'tensor<4x8xf32>', got 'tensor<2x8xf32>'}}
  %0 = tessera.sample %x cond(%c) uncond(%u) scheduler(#tessera.ddim<>) steps(10) {guidance_scale = 2.0} : (tensor<2x8xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x8xf32> {
  ^bb0(%xi: tensor<2x8xf32>, %t: tensor<4xf32>, %ci: tensor<4x3xf32>):
    tessera.yield %xi : tensor<2x8xf32>
  }
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %m: tensor<2x8xf32>, %i: tensor<i64>) {
  // expected-error @+1 {{'tessera.scheduler_step' op attribute 'num_inference_steps' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %0 = tessera.scheduler_step %x, %m, %i scheduler(#tessera.ddim<>) steps(0) : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<i64>) -> tensor<2x8xf32>
  return
}

// -----

func.func @f(%x: tensor<2x8xf32>, %m: tensor<2x8xf32>, %i: tensor<i64>) {
  // expected-error @+2 {{expected one of [linear, scaled_linear, squaredcos_cap_v2] for diffusers' beta_schedule, got: cosine}}
  // expected-error @+1 {{failed to parse Tessera_DDIMSchedulerAttr parameter 'beta_schedule'}}
  %0 = tessera.scheduler_step %x, %m, %i scheduler(#tessera.ddim<beta_schedule = cosine>) steps(10) : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<i64>) -> tensor<2x8xf32>
  return
}
