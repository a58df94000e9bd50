// tessera.scheduler_step compiled and run for one step of every scheduler
// (several step indices), against diffusers' step as re-implemented in
// test/reference/schedulers.py (float64), with random sample, model output,
// noise and multistep state.
// RUN: tesserac %s --entry=ddim_eta -o %t.ddim_eta
// RUN: %PYTHON %reference/check.py %t.ddim_eta "schedulers.ddim_step(schedulers.ddim_tables(50, **dict(eta=0.6, prediction_type='v_prediction', timestep_spacing='trailing')), 0, m, x, z, None)[0]" --set i=0 | FileCheck %s --check-prefix=CHECK
// RUN: %PYTHON %reference/check.py %t.ddim_eta "schedulers.ddim_step(schedulers.ddim_tables(50, **dict(eta=0.6, prediction_type='v_prediction', timestep_spacing='trailing')), 3, m, x, z, None)[0]" --set i=3 | FileCheck %s --check-prefix=CHECK
// RUN: %PYTHON %reference/check.py %t.ddim_eta "schedulers.ddim_step(schedulers.ddim_tables(50, **dict(eta=0.6, prediction_type='v_prediction', timestep_spacing='trailing')), 49, m, x, z, None)[0]" --set i=49 | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=ddim_sample_leading -o %t.ddim_sample_leading
// RUN: %PYTHON %reference/check.py %t.ddim_sample_leading "schedulers.ddim_step(schedulers.ddim_tables(20, **dict(prediction_type='sample', steps_offset=1, set_alpha_to_one=False)), 0, m, x, None, None)[0]" --set i=0 | FileCheck %s --check-prefix=CHECK
// RUN: %PYTHON %reference/check.py %t.ddim_sample_leading "schedulers.ddim_step(schedulers.ddim_tables(20, **dict(prediction_type='sample', steps_offset=1, set_alpha_to_one=False)), 19, m, x, None, None)[0]" --set i=19 | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=ddpm -o %t.ddpm
// RUN: %PYTHON %reference/check.py %t.ddpm "schedulers.ddpm_step(schedulers.ddpm_tables(20, **dict(beta_schedule='squaredcos_cap_v2', steps_offset=1)), 0, m, x, z, None)[0]" --set i=0 | FileCheck %s --check-prefix=CHECK
// RUN: %PYTHON %reference/check.py %t.ddpm "schedulers.ddpm_step(schedulers.ddpm_tables(20, **dict(beta_schedule='squaredcos_cap_v2', steps_offset=1)), 7, m, x, z, None)[0]" --set i=7 | FileCheck %s --check-prefix=CHECK
// RUN: %PYTHON %reference/check.py %t.ddpm "schedulers.ddpm_step(schedulers.ddpm_tables(20, **dict(beta_schedule='squaredcos_cap_v2', steps_offset=1)), 19, m, x, z, None)[0]" --set i=19 | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=euler_karras -o %t.euler_karras
// RUN: %PYTHON %reference/check.py %t.euler_karras "schedulers.euler_step(schedulers.euler_tables(30, **dict(use_karras_sigmas=True, prediction_type='sample', timestep_spacing='trailing')), 0, m, x, None, None)[0]" --set i=0 | FileCheck %s --check-prefix=CHECK
// RUN: %PYTHON %reference/check.py %t.euler_karras "schedulers.euler_step(schedulers.euler_tables(30, **dict(use_karras_sigmas=True, prediction_type='sample', timestep_spacing='trailing')), 29, m, x, None, None)[0]" --set i=29 | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=dpm -o %t.dpm
// RUN: %PYTHON %reference/check.py %t.dpm "schedulers.dpmsolver_step(schedulers.dpmsolver_tables(20, **dict(prediction_type='v_prediction', rescale_betas_zero_snr=True)), 0, m, x, None, h)" --set i=0 | FileCheck %s --check-prefix=CHECK2
// RUN: %PYTHON %reference/check.py %t.dpm "schedulers.dpmsolver_step(schedulers.dpmsolver_tables(20, **dict(prediction_type='v_prediction', rescale_betas_zero_snr=True)), 5, m, x, None, h)" --set i=5 | FileCheck %s --check-prefix=CHECK2
// RUN: %PYTHON %reference/check.py %t.dpm "schedulers.dpmsolver_step(schedulers.dpmsolver_tables(20, **dict(prediction_type='v_prediction', rescale_betas_zero_snr=True)), 19, m, x, None, h)" --set i=19 | FileCheck %s --check-prefix=CHECK2
// RUN: tesserac %s --entry=flow -o %t.flow
// RUN: %PYTHON %reference/check.py %t.flow "schedulers.flow_match_euler_step(schedulers.flow_match_euler_tables(28, **dict(shift=3.0)), 0, m, x, None, None)[0]" --set i=0 | FileCheck %s --check-prefix=CHECK
// RUN: %PYTHON %reference/check.py %t.flow "schedulers.flow_match_euler_step(schedulers.flow_match_euler_tables(28, **dict(shift=3.0)), 27, m, x, None, None)[0]" --set i=27 | FileCheck %s --check-prefix=CHECK
// RUN: tesserac %s --entry=lcm -o %t.lcm
// RUN: %PYTHON %reference/check.py %t.lcm "schedulers.lcm_step(schedulers.lcm_tables(4, **dict(beta_schedule='linear', beta_start=0.0001, beta_end=0.02)), 0, m, x, z, None)[0]" --set i=0 | FileCheck %s --check-prefix=CHECK
// RUN: %PYTHON %reference/check.py %t.lcm "schedulers.lcm_step(schedulers.lcm_tables(4, **dict(beta_schedule='linear', beta_start=0.0001, beta_end=0.02)), 1, m, x, z, None)[0]" --set i=1 | FileCheck %s --check-prefix=CHECK
// RUN: %PYTHON %reference/check.py %t.lcm "schedulers.lcm_step(schedulers.lcm_tables(4, **dict(beta_schedule='linear', beta_start=0.0001, beta_end=0.02)), 3, m, x, z, None)[0]" --set i=3 | FileCheck %s --check-prefix=CHECK

// The same step as a shared library for host-driven loops: it loads and
// exports the entry point and its signature.
// RUN: tesserac %s --entry=ddim_eta --emit=shared -o %t.so
// RUN: %preload %PYTHON %reference/model_table.py %t.so | FileCheck %s --check-prefix=CHECK-SO
// CHECK-SO: entry ddim_eta
// CHECK-SO: input x f32 3,5,7
// CHECK-SO: input i i32 {{ *}}range=0,50
// CHECK-SO: output y f32 3,5,7

// A step index outside [0, steps) is refused before any compute.
// RUN: rm -rf %t.bad && mkdir -p %t.bad
// RUN: %PYTHON -c "import numpy as np; np.save('%t.bad/i.npy', np.array(20, np.int32))"
// RUN: %PYTHON %reference/expect_exit.py 2 %t.ddim_sample_leading --random-inputs --input i=%t.bad/i.npy --output %t.bad/out | FileCheck %s --check-prefix=CHECK-BAD
// RUN: not test -e %t.bad/out

// CHECK: PASS y: max_err=
// CHECK2: PASS y: max_err=
// CHECK2-NEXT: PASS h_next: max_err=
// CHECK-BAD: error: {{.*}}i.npy: tensor 'i': element 0 is 20, outside the valid range [0, 20)
// CHECK-BAD-NEXT: exit status: 2

func.func @ddim_eta(%x: tensor<3x5x7xf32> {tessera.name = "x"}, %m: tensor<3x5x7xf32> {tessera.name = "m"}, %i: tensor<i32> {tessera.name = "i"}, %z: tensor<3x5x7xf32> {tessera.name = "z"}) -> (tensor<3x5x7xf32> {tessera.name = "y"}) {
  %r:1 = tessera.scheduler_step %x, %m, %i noise(%z) scheduler(#tessera.ddim<eta = 0.6, prediction_type = v_prediction, timestep_spacing = trailing>) steps(50) : (tensor<3x5x7xf32>, tensor<3x5x7xf32>, tensor<i32>, tensor<3x5x7xf32>) -> (tensor<3x5x7xf32>)
  return %r#0 : tensor<3x5x7xf32>
}

func.func @ddim_sample_leading(%x: tensor<3x5x7xf32> {tessera.name = "x"}, %m: tensor<3x5x7xf32> {tessera.name = "m"}, %i: tensor<i32> {tessera.name = "i"}) -> (tensor<3x5x7xf32> {tessera.name = "y"}) {
  %r:1 = tessera.scheduler_step %x, %m, %i scheduler(#tessera.ddim<prediction_type = sample, steps_offset = 1, set_alpha_to_one = false>) steps(20) : (tensor<3x5x7xf32>, tensor<3x5x7xf32>, tensor<i32>) -> (tensor<3x5x7xf32>)
  return %r#0 : tensor<3x5x7xf32>
}

func.func @ddpm(%x: tensor<3x5x7xf32> {tessera.name = "x"}, %m: tensor<3x5x7xf32> {tessera.name = "m"}, %i: tensor<i32> {tessera.name = "i"}, %z: tensor<3x5x7xf32> {tessera.name = "z"}) -> (tensor<3x5x7xf32> {tessera.name = "y"}) {
  %r:1 = tessera.scheduler_step %x, %m, %i noise(%z) scheduler(#tessera.ddpm<beta_schedule = squaredcos_cap_v2, steps_offset = 1>) steps(20) : (tensor<3x5x7xf32>, tensor<3x5x7xf32>, tensor<i32>, tensor<3x5x7xf32>) -> (tensor<3x5x7xf32>)
  return %r#0 : tensor<3x5x7xf32>
}

func.func @euler_karras(%x: tensor<3x5x7xf32> {tessera.name = "x"}, %m: tensor<3x5x7xf32> {tessera.name = "m"}, %i: tensor<i32> {tessera.name = "i"}) -> (tensor<3x5x7xf32> {tessera.name = "y"}) {
  %r:1 = tessera.scheduler_step %x, %m, %i scheduler(#tessera.euler<use_karras_sigmas = true, prediction_type = sample, timestep_spacing = trailing>) steps(30) : (tensor<3x5x7xf32>, tensor<3x5x7xf32>, tensor<i32>) -> (tensor<3x5x7xf32>)
  return %r#0 : tensor<3x5x7xf32>
}

func.func @dpm(%x: tensor<3x5x7xf32> {tessera.name = "x"}, %m: tensor<3x5x7xf32> {tessera.name = "m"}, %i: tensor<i32> {tessera.name = "i"}, %h: tensor<3x5x7xf32> {tessera.name = "h"}) -> (tensor<3x5x7xf32> {tessera.name = "y"}, tensor<3x5x7xf32> {tessera.name = "h_next"}) {
  %r:2 = tessera.scheduler_step %x, %m, %i state(%h) scheduler(#tessera.dpm_solver_2m<prediction_type = v_prediction, rescale_betas_zero_snr = true>) steps(20) : (tensor<3x5x7xf32>, tensor<3x5x7xf32>, tensor<i32>, tensor<3x5x7xf32>) -> (tensor<3x5x7xf32>, tensor<3x5x7xf32>)
  return %r#0, %r#1 : tensor<3x5x7xf32>, tensor<3x5x7xf32>
}

func.func @flow(%x: tensor<3x5x7xf32> {tessera.name = "x"}, %m: tensor<3x5x7xf32> {tessera.name = "m"}, %i: tensor<i32> {tessera.name = "i"}) -> (tensor<3x5x7xf32> {tessera.name = "y"}) {
  %r:1 = tessera.scheduler_step %x, %m, %i scheduler(#tessera.flow_match_euler<shift = 3.0>) steps(28) : (tensor<3x5x7xf32>, tensor<3x5x7xf32>, tensor<i32>) -> (tensor<3x5x7xf32>)
  return %r#0 : tensor<3x5x7xf32>
}

func.func @lcm(%x: tensor<3x5x7xf32> {tessera.name = "x"}, %m: tensor<3x5x7xf32> {tessera.name = "m"}, %i: tensor<i32> {tessera.name = "i"}, %z: tensor<3x5x7xf32> {tessera.name = "z"}) -> (tensor<3x5x7xf32> {tessera.name = "y"}) {
  %r:1 = tessera.scheduler_step %x, %m, %i noise(%z) scheduler(#tessera.lcm<beta_schedule = linear, beta_start = 0.0001, beta_end = 0.02>) steps(4) : (tensor<3x5x7xf32>, tensor<3x5x7xf32>, tensor<i32>, tensor<3x5x7xf32>) -> (tensor<3x5x7xf32>)
  return %r#0 : tensor<3x5x7xf32>
}
