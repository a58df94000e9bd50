// tessera.sample compiled and run: whole sampling loops with closed-form
// denoisers (test/reference/sampling.py). For data N(0.5, 0.3²) the exact
// ε-, x0-, v- and velocity predictions are closed form, and the
// probability-flow ODE maps a latent z to 0.5 + 0.3·z: the deterministic
// samplers at 50 steps must give the mean and standard deviation of that
// image of the N(0, 1) latent (4096 values, mean -0.0151, std 0.9902) to
// within 0.03 (a first-order sampler's discretisation error at 50 steps is
// about 0.027 in the standard deviation, DPM-Solver++ 2M's 0.006); LCM at
// 4 steps and DDPM at 250 (fresh noise every step; at 50 steps DDPM is
// still 0.045 short) mean 0.5 and standard deviation 0.3 to within 0.03;
// and every loop must match the float64 reference loop (diffusers'
// scheduler steps) elementwise. Guidance runs
// the denoiser once per step on [uncond; cond] and combines the halves
// (with diffusers' rescale_noise_cfg).
// RUN: tesserac %s --entry=ddim_eps -o %t.ddim_eps
// RUN: %PYTHON %reference/check.py %t.ddim_eps "sampling.run('ddim', 50, dict(), x, lambda x, t, lv, c: sampling.vp_denoiser('epsilon', 0.5, 0.3, False)(x, lv))" --exec "x[...] = np.random.default_rng(7).standard_normal(x.shape)" --stats y=0.4955,0.2971,0.03 | FileCheck %s --check-prefix=CHECK-LOOP
// RUN: tesserac %s --entry=ddim_v_zsnr -o %t.ddim_v_zsnr
// RUN: %PYTHON %reference/check.py %t.ddim_v_zsnr "sampling.run('ddim', 50, dict(prediction_type='v_prediction', timestep_spacing='trailing', rescale_betas_zero_snr=True), x, lambda x, t, lv, c: sampling.vp_denoiser('v_prediction', 0.5, 0.3, False)(x, lv))" --exec "x[...] = np.random.default_rng(7).standard_normal(x.shape)" --stats y=0.4955,0.2971,0.03 | FileCheck %s --check-prefix=CHECK-LOOP
// RUN: tesserac %s --entry=euler_karras -o %t.euler_karras
// RUN: %PYTHON %reference/check.py %t.euler_karras "sampling.run('euler', 50, dict(use_karras_sigmas=True), x, lambda x, t, lv, c: sampling.vp_denoiser('epsilon', 0.5, 0.3, False)(x, lv))" --exec "x[...] = np.random.default_rng(7).standard_normal(x.shape)" --stats y=0.4955,0.2971,0.03 | FileCheck %s --check-prefix=CHECK-LOOP
// RUN: tesserac %s --entry=euler_v -o %t.euler_v
// RUN: %PYTHON %reference/check.py %t.euler_v "sampling.run('euler', 50, dict(prediction_type='v_prediction', beta_schedule='scaled_linear', beta_start=0.00085, beta_end=0.012), x, lambda x, t, lv, c: sampling.vp_denoiser('v_prediction', 0.5, 0.3, False)(x, lv))" --exec "x[...] = np.random.default_rng(7).standard_normal(x.shape)" --stats y=0.4955,0.2971,0.03 | FileCheck %s --check-prefix=CHECK-LOOP
// RUN: tesserac %s --entry=dpm_sample -o %t.dpm_sample
// RUN: %PYTHON %reference/check.py %t.dpm_sample "sampling.run('dpmsolver', 50, dict(prediction_type='sample'), x, lambda x, t, lv, c: sampling.vp_denoiser('sample', 0.5, 0.3, False)(x, lv))" --exec "x[...] = np.random.default_rng(7).standard_normal(x.shape)" --stats y=0.4955,0.2971,0.03 | FileCheck %s --check-prefix=CHECK-LOOP
// RUN: tesserac %s --entry=dpm_karras_20 -o %t.dpm_karras_20
// RUN: %PYTHON %reference/check.py %t.dpm_karras_20 "sampling.run('dpmsolver', 20, dict(use_karras_sigmas=True, beta_schedule='scaled_linear', beta_start=0.00085, beta_end=0.012), x, lambda x, t, lv, c: sampling.vp_denoiser('epsilon', 0.5, 0.3, False)(x, lv))" --exec "x[...] = np.random.default_rng(7).standard_normal(x.shape)" --stats y=0.4955,0.2971,0.03 | FileCheck %s --check-prefix=CHECK-LOOP
// RUN: tesserac %s --entry=flow -o %t.flow
// RUN: %PYTHON %reference/check.py %t.flow "sampling.run('flow_match_euler', 50, dict(shift=3.0), x, lambda x, t, lv, c: sampling.flow_denoiser(0.5, 0.3)(x, lv))" --exec "x[...] = np.random.default_rng(7).standard_normal(x.shape)" --stats y=0.4955,0.2971,0.03 | FileCheck %s --check-prefix=CHECK-LOOP
// RUN: tesserac %s --entry=lcm4 -o %t.lcm4
// RUN: %PYTHON %reference/check.py %t.lcm4 "sampling.run('lcm', 4, dict(), x, lambda x, t, lv, c: sampling.vp_denoiser('epsilon', 0.5, 0.3, True)(x, lv), seed=12345)" --exec "x[...] = np.random.default_rng(7).standard_normal(x.shape)" --set seed=12345 --stats y=0.5,0.3,0.03 | FileCheck %s --check-prefix=CHECK-LOOP
// RUN: tesserac %s --entry=ddpm -o %t.ddpm
// RUN: %PYTHON %reference/check.py %t.ddpm "sampling.run('ddpm', 250, dict(), x, lambda x, t, lv, c: sampling.vp_denoiser('epsilon', 0.5, 0.3, False)(x, lv), seed=12345)" --exec "x[...] = np.random.default_rng(7).standard_normal(x.shape)" --set seed=12345 --stats y=0.5,0.3,0.03 | FileCheck %s --check-prefix=CHECK-LOOP
// RUN: tesserac %s --entry=cfg_rescale -o %t.cfg_rescale
// RUN: %PYTHON %reference/check.py %t.cfg_rescale "sampling.run('dpmsolver', 20, dict(), x, lambda x, t, lv, c: 0.1 * x + t / 1000 * c, cond=c, uncond=u, guidance=7.5, rescale=0.7)" | FileCheck %s --check-prefix=CHECK-LOOP
// RUN: tesserac %s --entry=cfg_plain -o %t.cfg_plain
// RUN: %PYTHON %reference/check.py %t.cfg_plain "sampling.run('ddim', 10, dict(timestep_spacing='trailing'), x, lambda x, t, lv, c: 0.1 * x + t / 1000 * c, cond=c, uncond=u, guidance=3.0, rescale=0.0)" | FileCheck %s --check-prefix=CHECK-LOOP
// RUN: tesserac %s --entry=cfg_euler_rescale -o %t.cfg_euler_rescale
// RUN: %PYTHON %reference/check.py %t.cfg_euler_rescale "sampling.run('euler', 12, dict(), x, lambda x, t, lv, c: 0.1 * x + t / 1000 * c, cond=c, uncond=u, guidance=5.0, rescale=1.0)" | FileCheck %s --check-prefix=CHECK-LOOP

// Guidance rescale over 15 values per sample (a vector and a tail of 7).
// RUN: tesserac %s --entry=cfg_rescale_odd -o %t.cfg_rescale_odd
// RUN: %PYTHON %reference/check.py %t.cfg_rescale_odd "sampling.run('ddim', 8, dict(), x, lambda x, t, lv, c: 0.1 * x + t / 1000 * c, cond=c, uncond=u, guidance=3.0, rescale=0.5)" | FileCheck %s --check-prefix=CHECK-LOOP

// A denoiser region holding a mixture of experts (weights as inputs).
// RUN: tesserac %s --entry=moe_denoiser -o %t.moe_denoiser
// RUN: %PYTHON %reference/check.py %t.moe_denoiser "sampling.run('ddim', 10, dict(), x, lambda x, t, lv, c: moe.moe(x, moe.token_choice(x.reshape(-1, 16), wg, 2), wu, wd, 'gelu'))" --range x=-1,1 --default-range=-0.3,0.3 | FileCheck %s --check-prefix=CHECK-LOOP

// Determinism: the counter-based noise does not depend on the thread count.
// RUN: rm -rf %t.d1 %t.d2 && mkdir -p %t.d1 %t.d2
// RUN: %t.ddpm --random-inputs --seed 3 --threads 1 --output %t.d1
// RUN: %t.ddpm --random-inputs --seed 3 --threads 2 --output %t.d2
// RUN: cmp %t.d1/y.npy %t.d2/y.npy

// CHECK-LOOP: PASS y: max_err=

func.func @ddim_eps(%latent: tensor<2x2048xf32> {tessera.name = "x"}) -> (tensor<2x2048xf32> {tessera.name = "y"}) {
  %y = tessera.sample %latent scheduler(#tessera.ddim<>) steps(50) : (tensor<2x2048xf32>) -> tensor<2x2048xf32> {
  ^bb0(%x: tensor<2x2048xf32>, %t: tensor<2xf32>, %lv: tensor<2xf32>):
    %e = tensor.empty() : tensor<2x2048xf32>
    %mu = arith.constant dense<0.5> : tensor<2x2048xf32>
    %s2 = arith.constant dense<0.09> : tensor<2x2048xf32>
    %s1 = arith.constant dense<0.3> : tensor<2x2048xf32>
    %one = arith.constant dense<1.0> : tensor<2x2048xf32>
    %a = linalg.broadcast ins(%lv : tensor<2xf32>) outs(%e : tensor<2x2048xf32>) dimensions = [1]
    %sa = math.sqrt %a : tensor<2x2048xf32>
    %om = arith.subf %one, %a : tensor<2x2048xf32>
    %so = math.sqrt %om : tensor<2x2048xf32>
    %samu = arith.mulf %sa, %mu : tensor<2x2048xf32>
    %d = arith.subf %x, %samu : tensor<2x2048xf32>
    %as2 = arith.mulf %a, %s2 : tensor<2x2048xf32>
    %den = arith.addf %as2, %om : tensor<2x2048xf32>
    %q = arith.divf %d, %den : tensor<2x2048xf32>
    %eps = arith.mulf %so, %q : tensor<2x2048xf32>
    %sas2 = arith.mulf %sa, %s2 : tensor<2x2048xf32>
    %k = arith.mulf %sas2, %q : tensor<2x2048xf32>
    %x0 = arith.addf %mu, %k : tensor<2x2048xf32>
    tessera.yield %eps : tensor<2x2048xf32>
  }
  return %y : tensor<2x2048xf32>
}

func.func @ddim_v_zsnr(%latent: tensor<2x2048xf32> {tessera.name = "x"}) -> (tensor<2x2048xf32> {tessera.name = "y"}) {
  %y = tessera.sample %latent scheduler(#tessera.ddim<prediction_type = v_prediction, timestep_spacing = trailing, rescale_betas_zero_snr = true>) steps(50) : (tensor<2x2048xf32>) -> tensor<2x2048xf32> {
  ^bb0(%x: tensor<2x2048xf32>, %t: tensor<2xf32>, %lv: tensor<2xf32>):
    %e = tensor.empty() : tensor<2x2048xf32>
    %mu = arith.constant dense<0.5> : tensor<2x2048xf32>
    %s2 = arith.constant dense<0.09> : tensor<2x2048xf32>
    %s1 = arith.constant dense<0.3> : tensor<2x2048xf32>
    %one = arith.constant dense<1.0> : tensor<2x2048xf32>
    %a = linalg.broadcast ins(%lv : tensor<2xf32>) outs(%e : tensor<2x2048xf32>) dimensions = [1]
    %sa = math.sqrt %a : tensor<2x2048xf32>
    %om = arith.subf %one, %a : tensor<2x2048xf32>
    %so = math.sqrt %om : tensor<2x2048xf32>
    %samu = arith.mulf %sa, %mu : tensor<2x2048xf32>
    %d = arith.subf %x, %samu : tensor<2x2048xf32>
    %as2 = arith.mulf %a, %s2 : tensor<2x2048xf32>
    %den = arith.addf %as2, %om : tensor<2x2048xf32>
    %q = arith.divf %d, %den : tensor<2x2048xf32>
    %eps = arith.mulf %so, %q : tensor<2x2048xf32>
    %sas2 = arith.mulf %sa, %s2 : tensor<2x2048xf32>
    %k = arith.mulf %sas2, %q : tensor<2x2048xf32>
    %x0 = arith.addf %mu, %k : tensor<2x2048xf32>
    %v1 = arith.mulf %sa, %eps : tensor<2x2048xf32>
    %v2 = arith.mulf %so, %x0 : tensor<2x2048xf32>
    %v = arith.subf %v1, %v2 : tensor<2x2048xf32>
    tessera.yield %v : tensor<2x2048xf32>
  }
  return %y : tensor<2x2048xf32>
}

func.func @euler_karras(%latent: tensor<2x2048xf32> {tessera.name = "x"}) -> (tensor<2x2048xf32> {tessera.name = "y"}) {
  %y = tessera.sample %latent scheduler(#tessera.euler<use_karras_sigmas = true>) steps(50) : (tensor<2x2048xf32>) -> tensor<2x2048xf32> {
  ^bb0(%x: tensor<2x2048xf32>, %t: tensor<2xf32>, %lv: tensor<2xf32>):
    %e = tensor.empty() : tensor<2x2048xf32>
    %mu = arith.constant dense<0.5> : tensor<2x2048xf32>
    %s2 = arith.constant dense<0.09> : tensor<2x2048xf32>
    %s1 = arith.constant dense<0.3> : tensor<2x2048xf32>
    %one = arith.constant dense<1.0> : tensor<2x2048xf32>
    %a = linalg.broadcast ins(%lv : tensor<2xf32>) outs(%e : tensor<2x2048xf32>) dimensions = [1]
    %sa = math.sqrt %a : tensor<2x2048xf32>
    %om = arith.subf %one, %a : tensor<2x2048xf32>
    %so = math.sqrt %om : tensor<2x2048xf32>
    %samu = arith.mulf %sa, %mu : tensor<2x2048xf32>
    %d = arith.subf %x, %samu : tensor<2x2048xf32>
    %as2 = arith.mulf %a, %s2 : tensor<2x2048xf32>
    %den = arith.addf %as2, %om : tensor<2x2048xf32>
    %q = arith.divf %d, %den : tensor<2x2048xf32>
    %eps = arith.mulf %so, %q : tensor<2x2048xf32>
    %sas2 = arith.mulf %sa, %s2 : tensor<2x2048xf32>
    %k = arith.mulf %sas2, %q : tensor<2x2048xf32>
    %x0 = arith.addf %mu, %k : tensor<2x2048xf32>
    tessera.yield %eps : tensor<2x2048xf32>
  }
  return %y : tensor<2x2048xf32>
}

func.func @euler_v(%latent: tensor<2x2048xf32> {tessera.name = "x"}) -> (tensor<2x2048xf32> {tessera.name = "y"}) {
  %y = tessera.sample %latent scheduler(#tessera.euler<prediction_type = v_prediction, beta_schedule = scaled_linear, beta_start = 0.00085, beta_end = 0.012>) steps(50) : (tensor<2x2048xf32>) -> tensor<2x2048xf32> {
  ^bb0(%x: tensor<2x2048xf32>, %t: tensor<2xf32>, %lv: tensor<2xf32>):
    %e = tensor.empty() : tensor<2x2048xf32>
    %mu = arith.constant dense<0.5> : tensor<2x2048xf32>
    %s2 = arith.constant dense<0.09> : tensor<2x2048xf32>
    %s1 = arith.constant dense<0.3> : tensor<2x2048xf32>
    %one = arith.constant dense<1.0> : tensor<2x2048xf32>
    %a = linalg.broadcast ins(%lv : tensor<2xf32>) outs(%e : tensor<2x2048xf32>) dimensions = [1]
    %sa = math.sqrt %a : tensor<2x2048xf32>
    %om = arith.subf %one, %a : tensor<2x2048xf32>
    %so = math.sqrt %om : tensor<2x2048xf32>
    %samu = arith.mulf %sa, %mu : tensor<2x2048xf32>
    %d = arith.subf %x, %samu : tensor<2x2048xf32>
    %as2 = arith.mulf %a, %s2 : tensor<2x2048xf32>
    %den = arith.addf %as2, %om : tensor<2x2048xf32>
    %q = arith.divf %d, %den : tensor<2x2048xf32>
    %eps = arith.mulf %so, %q : tensor<2x2048xf32>
    %sas2 = arith.mulf %sa, %s2 : tensor<2x2048xf32>
    %k = arith.mulf %sas2, %q : tensor<2x2048xf32>
    %x0 = arith.addf %mu, %k : tensor<2x2048xf32>
    %v1 = arith.mulf %sa, %eps : tensor<2x2048xf32>
    %v2 = arith.mulf %so, %x0 : tensor<2x2048xf32>
    %v = arith.subf %v1, %v2 : tensor<2x2048xf32>
    tessera.yield %v : tensor<2x2048xf32>
  }
  return %y : tensor<2x2048xf32>
}

func.func @dpm_sample(%latent: tensor<2x2048xf32> {tessera.name = "x"}) -> (tensor<2x2048xf32> {tessera.name = "y"}) {
  %y = tessera.sample %latent scheduler(#tessera.dpm_solver_2m<prediction_type = sample>) steps(50) : (tensor<2x2048xf32>) -> tensor<2x2048xf32> {
  ^bb0(%x: tensor<2x2048xf32>, %t: tensor<2xf32>, %lv: tensor<2xf32>):
    %e = tensor.empty() : tensor<2x2048xf32>
    %mu = arith.constant dense<0.5> : tensor<2x2048xf32>
    %s2 = arith.constant dense<0.09> : tensor<2x2048xf32>
    %s1 = arith.constant dense<0.3> : tensor<2x2048xf32>
    %one = arith.constant dense<1.0> : tensor<2x2048xf32>
    %a = linalg.broadcast ins(%lv : tensor<2xf32>) outs(%e : tensor<2x2048xf32>) dimensions = [1]
    %sa = math.sqrt %a : tensor<2x2048xf32>
    %om = arith.subf %one, %a : tensor<2x2048xf32>
    %so = math.sqrt %om : tensor<2x2048xf32>
    %samu = arith.mulf %sa, %mu : tensor<2x2048xf32>
    %d = arith.subf %x, %samu : tensor<2x2048xf32>
    %as2 = arith.mulf %a, %s2 : tensor<2x2048xf32>
    %den = arith.addf %as2, %om : tensor<2x2048xf32>
    %q = arith.divf %d, %den : tensor<2x2048xf32>
    %eps = arith.mulf %so, %q : tensor<2x2048xf32>
    %sas2 = arith.mulf %sa, %s2 : tensor<2x2048xf32>
    %k = arith.mulf %sas2, %q : tensor<2x2048xf32>
    %x0 = arith.addf %mu, %k : tensor<2x2048xf32>
    tessera.yield %x0 : tensor<2x2048xf32>
  }
  return %y : tensor<2x2048xf32>
}

func.func @dpm_karras_20(%latent: tensor<2x2048xf32> {tessera.name = "x"}) -> (tensor<2x2048xf32> {tessera.name = "y"}) {
  %y = tessera.sample %latent scheduler(#tessera.dpm_solver_2m<use_karras_sigmas = true, beta_schedule = scaled_linear, beta_start = 0.00085, beta_end = 0.012>) steps(20) : (tensor<2x2048xf32>) -> tensor<2x2048xf32> {
  ^bb0(%x: tensor<2x2048xf32>, %t: tensor<2xf32>, %lv: tensor<2xf32>):
    %e = tensor.empty() : tensor<2x2048xf32>
    %mu = arith.constant dense<0.5> : tensor<2x2048xf32>
    %s2 = arith.constant dense<0.09> : tensor<2x2048xf32>
    %s1 = arith.constant dense<0.3> : tensor<2x2048xf32>
    %one = arith.constant dense<1.0> : tensor<2x2048xf32>
    %a = linalg.broadcast ins(%lv : tensor<2xf32>) outs(%e : tensor<2x2048xf32>) dimensions = [1]
    %sa = math.sqrt %a : tensor<2x2048xf32>
    %om = arith.subf %one, %a : tensor<2x2048xf32>
    %so = math.sqrt %om : tensor<2x2048xf32>
    %samu = arith.mulf %sa, %mu : tensor<2x2048xf32>
    %d = arith.subf %x, %samu : tensor<2x2048xf32>
    %as2 = arith.mulf %a, %s2 : tensor<2x2048xf32>
    %den = arith.addf %as2, %om : tensor<2x2048xf32>
    %q = arith.divf %d, %den : tensor<2x2048xf32>
    %eps = arith.mulf %so, %q : tensor<2x2048xf32>
    %sas2 = arith.mulf %sa, %s2 : tensor<2x2048xf32>
    %k = arith.mulf %sas2, %q : tensor<2x2048xf32>
    %x0 = arith.addf %mu, %k : tensor<2x2048xf32>
    tessera.yield %eps : tensor<2x2048xf32>
  }
  return %y : tensor<2x2048xf32>
}

func.func @flow(%latent: tensor<2x2048xf32> {tessera.name = "x"}) -> (tensor<2x2048xf32> {tessera.name = "y"}) {
  %y = tessera.sample %latent scheduler(#tessera.flow_match_euler<shift = 3.0>) steps(50) : (tensor<2x2048xf32>) -> tensor<2x2048xf32> {
  ^bb0(%x: tensor<2x2048xf32>, %t: tensor<2xf32>, %lv: tensor<2xf32>):
    %e = tensor.empty() : tensor<2x2048xf32>
    %mu = arith.constant dense<0.5> : tensor<2x2048xf32>
    %s2 = arith.constant dense<0.09> : tensor<2x2048xf32>
    %s1 = arith.constant dense<0.3> : tensor<2x2048xf32>
    %one = arith.constant dense<1.0> : tensor<2x2048xf32>
    %sg = linalg.broadcast ins(%lv : tensor<2xf32>) outs(%e : tensor<2x2048xf32>) dimensions = [1]
    %om = arith.subf %one, %sg : tensor<2x2048xf32>
    %om2 = arith.mulf %om, %om : tensor<2x2048xf32>
    %om2s2 = arith.mulf %om2, %s2 : tensor<2x2048xf32>
    %sg2 = arith.mulf %sg, %sg : tensor<2x2048xf32>
    %den = arith.addf %om2s2, %sg2 : tensor<2x2048xf32>
    %ommu = arith.mulf %om, %mu : tensor<2x2048xf32>
    %d = arith.subf %x, %ommu : tensor<2x2048xf32>
    %oms2 = arith.mulf %om, %s2 : tensor<2x2048xf32>
    %c = arith.subf %sg, %oms2 : tensor<2x2048xf32>
    %cd = arith.mulf %c, %d : tensor<2x2048xf32>
    %q = arith.divf %cd, %den : tensor<2x2048xf32>
    %v = arith.subf %q, %mu : tensor<2x2048xf32>
    tessera.yield %v : tensor<2x2048xf32>
  }
  return %y : tensor<2x2048xf32>
}

func.func @lcm4(%latent: tensor<2x2048xf32> {tessera.name = "x"}, %seed: tensor<i64> {tessera.name = "seed"}) -> (tensor<2x2048xf32> {tessera.name = "y"}) {
  %y = tessera.sample %latent seed(%seed) scheduler(#tessera.lcm<>) steps(4) : (tensor<2x2048xf32>, tensor<i64>) -> tensor<2x2048xf32> {
  ^bb0(%x: tensor<2x2048xf32>, %t: tensor<2xf32>, %lv: tensor<2xf32>):
    %e = tensor.empty() : tensor<2x2048xf32>
    %mu = arith.constant dense<0.5> : tensor<2x2048xf32>
    %s2 = arith.constant dense<0.09> : tensor<2x2048xf32>
    %s1 = arith.constant dense<0.3> : tensor<2x2048xf32>
    %one = arith.constant dense<1.0> : tensor<2x2048xf32>
    %a = linalg.broadcast ins(%lv : tensor<2xf32>) outs(%e : tensor<2x2048xf32>) dimensions = [1]
    %sa = math.sqrt %a : tensor<2x2048xf32>
    %om = arith.subf %one, %a : tensor<2x2048xf32>
    %so = math.sqrt %om : tensor<2x2048xf32>
    %samu = arith.mulf %sa, %mu : tensor<2x2048xf32>
    %d = arith.subf %x, %samu : tensor<2x2048xf32>
    %as2 = arith.mulf %a, %s2 : tensor<2x2048xf32>
    %den = arith.addf %as2, %om : tensor<2x2048xf32>
    %rd = math.sqrt %den : tensor<2x2048xf32>
    %q = arith.divf %d, %rd : tensor<2x2048xf32>
    %sq = arith.mulf %s1, %q : tensor<2x2048xf32>
    %x0 = arith.addf %mu, %sq : tensor<2x2048xf32>
    %sax0 = arith.mulf %sa, %x0 : tensor<2x2048xf32>
    %r = arith.subf %x, %sax0 : tensor<2x2048xf32>
    %eps = arith.divf %r, %so : tensor<2x2048xf32>
    tessera.yield %eps : tensor<2x2048xf32>
  }
  return %y : tensor<2x2048xf32>
}

func.func @ddpm(%latent: tensor<2x2048xf32> {tessera.name = "x"}, %seed: tensor<i64> {tessera.name = "seed"}) -> (tensor<2x2048xf32> {tessera.name = "y"}) {
  %y = tessera.sample %latent seed(%seed) scheduler(#tessera.ddpm<>) steps(250) : (tensor<2x2048xf32>, tensor<i64>) -> tensor<2x2048xf32> {
  ^bb0(%x: tensor<2x2048xf32>, %t: tensor<2xf32>, %lv: tensor<2xf32>):
    %e = tensor.empty() : tensor<2x2048xf32>
    %mu = arith.constant dense<0.5> : tensor<2x2048xf32>
    %s2 = arith.constant dense<0.09> : tensor<2x2048xf32>
    %s1 = arith.constant dense<0.3> : tensor<2x2048xf32>
    %one = arith.constant dense<1.0> : tensor<2x2048xf32>
    %a = linalg.broadcast ins(%lv : tensor<2xf32>) outs(%e : tensor<2x2048xf32>) dimensions = [1]
    %sa = math.sqrt %a : tensor<2x2048xf32>
    %om = arith.subf %one, %a : tensor<2x2048xf32>
    %so = math.sqrt %om : tensor<2x2048xf32>
    %samu = arith.mulf %sa, %mu : tensor<2x2048xf32>
    %d = arith.subf %x, %samu : tensor<2x2048xf32>
    %as2 = arith.mulf %a, %s2 : tensor<2x2048xf32>
    %den = arith.addf %as2, %om : tensor<2x2048xf32>
    %q = arith.divf %d, %den : tensor<2x2048xf32>
    %eps = arith.mulf %so, %q : tensor<2x2048xf32>
    %sas2 = arith.mulf %sa, %s2 : tensor<2x2048xf32>
    %k = arith.mulf %sas2, %q : tensor<2x2048xf32>
    %x0 = arith.addf %mu, %k : tensor<2x2048xf32>
    tessera.yield %eps : tensor<2x2048xf32>
  }
  return %y : tensor<2x2048xf32>
}

func.func @cfg_rescale(%latent: tensor<2x4x8x8xf32> {tessera.name = "x"}, %c: tensor<2x4x8x8xf32> {tessera.name = "c"}, %u: tensor<2x4x8x8xf32> {tessera.name = "u"}) -> (tensor<2x4x8x8xf32> {tessera.name = "y"}) {
  %y = tessera.sample %latent cond(%c) uncond(%u) scheduler(#tessera.dpm_solver_2m<>) steps(20) {guidance_scale = 7.5, guidance_rescale = 0.7} : (tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32>) -> tensor<2x4x8x8xf32> {
  ^bb0(%x: tensor<4x4x8x8xf32>, %t: tensor<4xf32>, %cc: tensor<4x4x8x8xf32>):
    %e = tensor.empty() : tensor<4x4x8x8xf32>
    %tb = linalg.broadcast ins(%t : tensor<4xf32>) outs(%e : tensor<4x4x8x8xf32>) dimensions = [1, 2, 3]
    %k = arith.constant dense<0.001> : tensor<4x4x8x8xf32>
    %k1 = arith.constant dense<0.1> : tensor<4x4x8x8xf32>
    %ts = arith.mulf %tb, %k : tensor<4x4x8x8xf32>
    %tc = arith.mulf %ts, %cc : tensor<4x4x8x8xf32>
    %xs = arith.mulf %x, %k1 : tensor<4x4x8x8xf32>
    %o = arith.addf %xs, %tc : tensor<4x4x8x8xf32>
    tessera.yield %o : tensor<4x4x8x8xf32>
  }
  return %y : tensor<2x4x8x8xf32>
}

func.func @cfg_plain(%latent: tensor<2x4x8x8xf32> {tessera.name = "x"}, %c: tensor<2x4x8x8xf32> {tessera.name = "c"}, %u: tensor<2x4x8x8xf32> {tessera.name = "u"}) -> (tensor<2x4x8x8xf32> {tessera.name = "y"}) {
  %y = tessera.sample %latent cond(%c) uncond(%u) scheduler(#tessera.ddim<timestep_spacing = trailing>) steps(10) {guidance_scale = 3.0} : (tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32>) -> tensor<2x4x8x8xf32> {
  ^bb0(%x: tensor<4x4x8x8xf32>, %t: tensor<4xf32>, %cc: tensor<4x4x8x8xf32>):
    %e = tensor.empty() : tensor<4x4x8x8xf32>
    %tb = linalg.broadcast ins(%t : tensor<4xf32>) outs(%e : tensor<4x4x8x8xf32>) dimensions = [1, 2, 3]
    %k = arith.constant dense<0.001> : tensor<4x4x8x8xf32>
    %k1 = arith.constant dense<0.1> : tensor<4x4x8x8xf32>
    %ts = arith.mulf %tb, %k : tensor<4x4x8x8xf32>
    %tc = arith.mulf %ts, %cc : tensor<4x4x8x8xf32>
    %xs = arith.mulf %x, %k1 : tensor<4x4x8x8xf32>
    %o = arith.addf %xs, %tc : tensor<4x4x8x8xf32>
    tessera.yield %o : tensor<4x4x8x8xf32>
  }
  return %y : tensor<2x4x8x8xf32>
}

func.func @cfg_euler_rescale(%latent: tensor<2x4x8x8xf32> {tessera.name = "x"}, %c: tensor<2x4x8x8xf32> {tessera.name = "c"}, %u: tensor<2x4x8x8xf32> {tessera.name = "u"}) -> (tensor<2x4x8x8xf32> {tessera.name = "y"}) {
  %y = tessera.sample %latent cond(%c) uncond(%u) scheduler(#tessera.euler<>) steps(12) {guidance_scale = 5.0, guidance_rescale = 1.0} : (tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32>, tensor<2x4x8x8xf32>) -> tensor<2x4x8x8xf32> {
  ^bb0(%x: tensor<4x4x8x8xf32>, %t: tensor<4xf32>, %cc: tensor<4x4x8x8xf32>):
    %e = tensor.empty() : tensor<4x4x8x8xf32>
    %tb = linalg.broadcast ins(%t : tensor<4xf32>) outs(%e : tensor<4x4x8x8xf32>) dimensions = [1, 2, 3]
    %k = arith.constant dense<0.001> : tensor<4x4x8x8xf32>
    %k1 = arith.constant dense<0.1> : tensor<4x4x8x8xf32>
    %ts = arith.mulf %tb, %k : tensor<4x4x8x8xf32>
    %tc = arith.mulf %ts, %cc : tensor<4x4x8x8xf32>
    %xs = arith.mulf %x, %k1 : tensor<4x4x8x8xf32>
    %o = arith.addf %xs, %tc : tensor<4x4x8x8xf32>
    tessera.yield %o : tensor<4x4x8x8xf32>
  }
  return %y : tensor<2x4x8x8xf32>
}

func.func @moe_denoiser(%latent: tensor<2x8x16xf32> {tessera.name = "x"}, %wg: tensor<4x16xf32> {tessera.name = "wg"}, %wu: tensor<4x24x16xf32> {tessera.name = "wu"}, %wd: tensor<4x16x24xf32> {tessera.name = "wd"}) -> (tensor<2x8x16xf32> {tessera.name = "y"}) {
  %y = tessera.sample %latent inputs(%wg, %wu, %wd) scheduler(#tessera.ddim<>) steps(10) : (tensor<2x8x16xf32>, tensor<4x16xf32>, tensor<4x24x16xf32>, tensor<4x16x24xf32>) -> tensor<2x8x16xf32> {
  ^bb0(%x: tensor<2x8x16xf32>, %t: tensor<2xf32>, %g: tensor<4x16xf32>, %u: tensor<4x24x16xf32>, %d: tensor<4x16x24xf32>):
    %m = tessera.moe %x router(%g) experts(%u, %d) routing(#tessera.token_choice<k = 2>) activation(gelu) : (tensor<2x8x16xf32>, tensor<4x16xf32>, tensor<4x24x16xf32>, tensor<4x16x24xf32>) -> tensor<2x8x16xf32>
    tessera.yield %m : tensor<2x8x16xf32>
  }
  return %y : tensor<2x8x16xf32>
}

func.func @cfg_rescale_odd(%latent: tensor<2x3x5xf32> {tessera.name = "x"}, %c: tensor<2x3x5xf32> {tessera.name = "c"}, %u: tensor<2x3x5xf32> {tessera.name = "u"}) -> (tensor<2x3x5xf32> {tessera.name = "y"}) {
  %y = tessera.sample %latent cond(%c) uncond(%u) scheduler(#tessera.ddim<>) steps(8) {guidance_scale = 3.0, guidance_rescale = 0.5} : (tensor<2x3x5xf32>, tensor<2x3x5xf32>, tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  ^bb0(%x: tensor<4x3x5xf32>, %t: tensor<4xf32>, %cc: tensor<4x3x5xf32>):
    %e = tensor.empty() : tensor<4x3x5xf32>
    %tb = linalg.broadcast ins(%t : tensor<4xf32>) outs(%e : tensor<4x3x5xf32>) dimensions = [1, 2]
    %k = arith.constant dense<0.001> : tensor<4x3x5xf32>
    %k1 = arith.constant dense<0.1> : tensor<4x3x5xf32>
    %ts = arith.mulf %tb, %k : tensor<4x3x5xf32>
    %tc = arith.mulf %ts, %cc : tensor<4x3x5xf32>
    %xs = arith.mulf %x, %k1 : tensor<4x3x5xf32>
    %o = arith.addf %xs, %tc : tensor<4x3x5xf32>
    tessera.yield %o : tensor<4x3x5xf32>
  }
  return %y : tensor<2x3x5xf32>
}
