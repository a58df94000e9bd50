#!/usr/bin/env python3
"""Independent float64 NumPy reference for six diffusers samplers.

This module is written from the documented behaviour of the Hugging Face
``diffusers`` schedulers (the semantics of ``set_timesteps``, ``step`` and
``scale_model_input`` as found in diffusers 0.40.0.dev0, git commit
58eb52c0803ea9af3abec60841c2a093bdf1f951) and from the underlying papers:

  * DDPM      -- Ho et al. 2020, "Denoising Diffusion Probabilistic Models"
  * DDIM      -- Song et al. 2021, "Denoising Diffusion Implicit Models"
  * Euler     -- Karras et al. 2022, "Elucidating the Design Space ..." (EDM)
  * DPM-Solver++ 2M -- Lu et al. 2022, "DPM-Solver++"
  * Flow matching Euler -- Esser et al. 2024 (SD3), rectified flow
  * LCM       -- Luo et al. 2023, "Latent Consistency Models"
  * zero terminal SNR, CFG rescale -- Lin et al. 2023, "Common Diffusion
    Noise Schedules and Sample Steps are Flawed"
  * Philox-4x32-10 -- Salmon et al. 2011, "Parallel random numbers: as easy
    as 1, 2, 3" (Random123)

No torch and no diffusers are imported; everything is plain NumPy float64.
The code is an independent re-implementation, not a copy.

Precision note.  diffusers builds betas / alphas_cumprod / sigmas as torch
float32 tensors.  This reference computes them in float64, so table values
agree with diffusers to float32 accuracy (~1e-7 relative), not bit for bit.
Integer timesteps are reproduced exactly.  Float timesteps are reproduced
exactly where diffusers derives them without float32 table values
(Euler "linspace": float32(linspace); flow-match: emulated float32 chain);
Euler Karras float timesteps depend on float32 log-sigmas in diffusers and
therefore agree only to ~1e-4 absolute.

Rounding note.  Every ``round`` below is NumPy's round-half-to-even (C/C++
``std::nearbyint`` / ``rint`` in the default rounding mode, NOT
``std::round``).  It matters, e.g. DPM-Solver linspace with 6 steps:
999*k/6 = 166.5, 499.5, 832.5 round to 166, 500, 832.

Every scheduler is also expressed in the linear form used by the compiler:

    model input      : S[i] * sample, evaluated at timestep T[i]
    prev_sample      = A[i]*sample + B[i]*model_output + C[i]*noise + D[i]*state
    new_state        = P[i]*sample + Q[i]*model_output

(state only for DPM-Solver++ 2M, where it is the previous data prediction
x0; D = P = Q = 0 elsewhere).  ``linear_coefficients`` returns those arrays;
``main()`` checks that they reproduce the direct step functions.

Run ``python3 schedulers.py`` for the self-check.
"""

import math
import sys

import numpy as np

__all__ = [
    "betas", "alphas_cumprod",
    "ddim_tables", "ddim_step", "ddim_model_input",
    "ddpm_tables", "ddpm_step", "ddpm_model_input",
    "euler_tables", "euler_step", "euler_model_input",
    "dpmsolver_tables", "dpmsolver_step", "dpmsolver_model_input",
    "flow_match_euler_tables", "flow_match_euler_step",
    "flow_match_euler_model_input",
    "lcm_tables", "lcm_step", "lcm_model_input",
    "linear_coefficients", "cfg", "philox4x32_10", "philox4x32",
    "gaussian_noise", "main",
]

# ---------------------------------------------------------------------------
# Beta schedules
# ---------------------------------------------------------------------------


def _cosine_betas(n, max_beta=0.999):
    """Improved-DDPM cosine schedule (Nichol & Dhariwal), as diffusers'
    betas_for_alpha_bar(alpha_transform_type="cosine"):
        abar(t) = cos((t + 0.008) / 1.008 * pi / 2)^2
        beta_i  = min(1 - abar((i+1)/n) / abar(i/n), max_beta)."""
    def abar(t):
        return math.cos((t + 0.008) / 1.008 * math.pi / 2.0) ** 2

    out = np.empty(n, dtype=np.float64)
    for i in range(n):
        out[i] = min(1.0 - abar((i + 1) / n) / abar(i / n), max_beta)
    return out


def _zero_terminal_snr(b):
    """Lin et al. 2023, Algorithm 1: shift and scale sqrt(alpha_bar) so that
    its last value is exactly 0 while the first is unchanged, then convert
    back to betas.  The last beta becomes exactly 1 and the last alpha_bar
    exactly 0."""
    root = np.sqrt(np.cumprod(1.0 - b))
    first, last = root[0], root[-1]
    root = (root - last) * (first / (first - last))
    abar = root * root
    alph = np.concatenate([abar[:1], abar[1:] / abar[:-1]])
    return 1.0 - alph


def betas(num_train_timesteps=1000, beta_start=0.0001, beta_end=0.02,
          beta_schedule="linear", rescale_betas_zero_snr=False):
    """Training betas (float64).

    linear            : linspace(beta_start, beta_end, N)
    scaled_linear     : linspace(sqrt(beta_start), sqrt(beta_end), N) ** 2
    squaredcos_cap_v2 : cosine alpha_bar schedule, betas capped at 0.999
    rescale_betas_zero_snr applies the zero-terminal-SNR rescale afterwards.
    """
    n = int(num_train_timesteps)
    if beta_schedule == "linear":
        b = np.linspace(beta_start, beta_end, n, dtype=np.float64)
    elif beta_schedule == "scaled_linear":
        b = np.linspace(beta_start ** 0.5, beta_end ** 0.5, n,
                        dtype=np.float64) ** 2
    elif beta_schedule == "squaredcos_cap_v2":
        b = _cosine_betas(n)
    else:
        raise NotImplementedError("beta_schedule %r" % (beta_schedule,))
    if rescale_betas_zero_snr:
        b = _zero_terminal_snr(b)
    return b


def alphas_cumprod(num_train_timesteps=1000, beta_start=0.0001, beta_end=0.02,
                   beta_schedule="linear", rescale_betas_zero_snr=False,
                   terminal_alpha_2m24=False):
    """cumprod(1 - betas).

    With rescale_betas_zero_snr the last value is exactly 0.  Some diffusers
    schedulers then overwrite it with 2**-24 so that sigma = sqrt((1-a)/a)
    stays finite (sigma_max ~= 4096).  In diffusers 0.40.0.dev0 this is done
    ONLY by EulerDiscreteScheduler, EulerAncestralDiscreteScheduler,
    DPMSolverMultistepScheduler and UniPCMultistepScheduler -- and only when
    rescale_betas_zero_snr=True.  DDIMScheduler, DDPMScheduler and
    LCMScheduler keep the exact 0 (so epsilon prediction at t = N-1 divides by
    zero there, giving inf/nan in diffusers too).  Pass
    terminal_alpha_2m24=True to get the Euler/DPM behaviour.
    """
    ac = np.cumprod(1.0 - betas(num_train_timesteps, beta_start, beta_end,
                                beta_schedule, rescale_betas_zero_snr))
    if rescale_betas_zero_snr and terminal_alpha_2m24:
        ac[-1] = 2.0 ** -24
    return ac


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

_BETA_KEYS = dict(num_train_timesteps=1000, beta_start=0.0001, beta_end=0.02,
                  beta_schedule="linear", rescale_betas_zero_snr=False)


def _config(name, defaults, given):
    unknown = set(given) - set(defaults)
    if unknown:
        raise TypeError("%s: unknown config keys %s" % (name, sorted(unknown)))
    c = dict(defaults)
    c.update(given)
    return c


def _ac_from(c, terminal_alpha_2m24=False):
    return alphas_cumprod(c["num_train_timesteps"], c["beta_start"],
                          c["beta_end"], c["beta_schedule"],
                          c["rescale_betas_zero_snr"], terminal_alpha_2m24)


def _check_nonneg(ts, name, spacing, n):
    if np.any(np.asarray(ts) < 0) or len(ts) != n:
        # Happens for "trailing": np.arange(N, 0, -N/n) can have n+1 entries
        # because of float rounding (last entry ~ -6e-13), which rounds to 0
        # and becomes timestep -1 (for N=1000: n = 61, 103, 121, 122, ...).
        # diffusers then silently runs n+1 steps with t = -1 (which torch
        # indexing wraps to alphas_cumprod[N-1]).  Refuse instead.
        raise ValueError(
            "%s: timestep_spacing=%r with %d steps gives %d timesteps %s... in "
            "diffusers (float-rounding defect of np.arange); unsupported"
            % (name, spacing, n, len(ts), list(np.asarray(ts)[-3:])))


def _spaced_timesteps(name, spacing, N, n, steps_offset, as_float=False):
    """set_timesteps of DDIM / DDPM (as_float=False, int64) and Euler
    (as_float=True: float32 values, returned as float64)."""
    if n < 1 or n > N:
        raise ValueError("%s: num_inference_steps must be in [1, %d]" % (name, N))
    if spacing == "linspace":
        if as_float:   # Euler: NOT rounded; float32(linspace(0, N-1, n))
            ts = np.linspace(0, N - 1, n, dtype=np.float32)[::-1].astype(np.float64)
        else:
            ts = np.round(np.linspace(0, N - 1, n))[::-1].astype(np.int64)
    elif spacing == "leading":
        ts = (np.arange(n, dtype=np.int64) * (N // n))[::-1] + int(steps_offset)
    elif spacing == "trailing":
        ts = np.round(np.arange(N, 0, -(N / n))).astype(np.int64) - 1
    else:
        raise ValueError("%s: timestep_spacing %r" % (name, spacing))
    ts = np.ascontiguousarray(ts)
    _check_nonneg(ts, name, spacing, n)
    return ts.astype(np.float64) if as_float else ts.astype(np.int64)


def _x0_eps(pred, a_t, sample, model_output):
    """data / noise prediction from the model output (VP parametrisation,
    x_t = sqrt(a) x0 + sqrt(1-a) eps)."""
    sa, sb = a_t ** 0.5, (1.0 - a_t) ** 0.5
    if pred == "epsilon":
        return (sample - sb * model_output) / sa, model_output
    if pred == "sample":
        return model_output, (sample - sa * model_output) / sb
    if pred == "v_prediction":
        return sa * sample - sb * model_output, sa * model_output + sb * sample
    raise ValueError("prediction_type %r" % (pred,))


def _x0_eps_coef(pred, a_t):
    """Same as _x0_eps but as coefficient arrays:
    x0 = xs*sample + xm*model_output, eps = es*sample + em*model_output."""
    a_t = np.asarray(a_t, dtype=np.float64)
    sa, sb = np.sqrt(a_t), np.sqrt(1.0 - a_t)
    one, zero = np.ones_like(a_t), np.zeros_like(a_t)
    if pred == "epsilon":
        return 1.0 / sa, -sb / sa, zero, one
    if pred == "sample":
        return zero, one, 1.0 / sb, -sa / sb
    if pred == "v_prediction":
        return sa, -sb, sb, sa
    raise ValueError("prediction_type %r" % (pred,))


def _karras(sigma_min, sigma_max, n, rho=7.0):
    ramp = np.linspace(0.0, 1.0, n)
    lo, hi = sigma_min ** (1.0 / rho), sigma_max ** (1.0 / rho)
    return (hi + ramp * (lo - hi)) ** rho


def _sigma_to_t(sig, log_sigmas):
    """Fractional training timestep of each sigma by linear interpolation in
    log-sigma (diffusers' _sigma_to_t).  log_sigmas is indexed by training
    timestep (ascending).  lo = index of the LAST k with log_sigmas[k] <=
    log(sigma) (0 if none), clipped to N-2; w = clip((ls[lo]-l)/(ls[lo]-ls[lo+1]),
    0, 1); t = lo + w."""
    sig = np.atleast_1d(np.asarray(sig, dtype=np.float64))
    lsig = np.log(np.maximum(sig, 1e-10))
    below = (log_sigmas[None, :] <= lsig[:, None]).astype(np.int64)
    lo = np.minimum(np.argmax(np.cumsum(below, axis=1), axis=1),
                    len(log_sigmas) - 2)
    hi = lo + 1
    w = np.clip((log_sigmas[lo] - lsig) / (log_sigmas[lo] - log_sigmas[hi]),
                0.0, 1.0)
    return (1.0 - w) * lo + w * hi


def _identity_input(tables, i, sample):
    return np.asarray(sample, dtype=np.float64) * 1.0


# ---------------------------------------------------------------------------
# DDIM
# ---------------------------------------------------------------------------

DDIM_DEFAULTS = dict(_BETA_KEYS, prediction_type="epsilon",
                     timestep_spacing="leading", steps_offset=0,
                     set_alpha_to_one=True, eta=0.0,
                     # diffusers' own default is clip_sample=True; Stable
                     # Diffusion configs set it False.  Only False supported.
                     clip_sample=False, thresholding=False)


def ddim_tables(num_inference_steps, **config):
    """DDIMScheduler.  timesteps = spaced timesteps (int).  QUIRK: the
    "previous" timestep is ALWAYS t - N // n (not the next entry of
    timesteps), for every spacing; alpha_prev = alphas_cumprod[prev] if
    prev >= 0 else (1 if set_alpha_to_one else alphas_cumprod[0])."""
    c = _config("ddim", DDIM_DEFAULTS, config)
    assert not c["clip_sample"] and not c["thresholding"]
    N, n = int(c["num_train_timesteps"]), int(num_inference_steps)
    ac = _ac_from(c)
    ts = _spaced_timesteps("ddim", c["timestep_spacing"], N, n, c["steps_offset"])
    prev = ts - N // n
    final = 1.0 if c["set_alpha_to_one"] else ac[0]
    a_t = ac[ts]
    a_p = np.where(prev >= 0, ac[np.maximum(prev, 0)], final)
    with np.errstate(divide="ignore", invalid="ignore"):
        var = (1.0 - a_p) / (1.0 - a_t) * (1.0 - a_t / a_p)
    std = float(c["eta"]) * np.sqrt(var)
    return dict(name="ddim", config=c, alphas_cumprod=ac, timesteps=ts,
                prev_timesteps=prev, alpha_prod_t=a_t, alpha_prod_t_prev=a_p,
                variance=var, std_dev_t=std,
                init_noise_sigma=np.float64(1.0))


def ddim_step(tables, i, model_output, sample, noise=None, state=None):
    c = tables["config"]
    a_t = tables["alpha_prod_t"][i]
    a_p = tables["alpha_prod_t_prev"][i]
    with np.errstate(divide="ignore", invalid="ignore"):
        x0, eps = _x0_eps(c["prediction_type"], a_t, sample, model_output)
        std = tables["std_dev_t"][i]
        prev = a_p ** 0.5 * x0 + (1.0 - a_p - std ** 2) ** 0.5 * eps
    if c["eta"] > 0:
        if noise is None:
            raise ValueError("ddim with eta > 0 needs noise")
        prev = prev + std * noise
    return prev, None


ddim_model_input = _identity_input


# ---------------------------------------------------------------------------
# DDPM
# ---------------------------------------------------------------------------

DDPM_DEFAULTS = dict(_BETA_KEYS, prediction_type="epsilon",
                     timestep_spacing="leading", steps_offset=0,
                     variance_type="fixed_small",
                     clip_sample=False, thresholding=False)


def ddpm_tables(num_inference_steps, **config):
    """DDPMScheduler.  Same timesteps as DDIM, but the previous timestep IS
    the next entry of timesteps (-1 after the last, alpha_prev = 1).
    Posterior:  x_prev = k0 * x0 + k1 * x_t + [t > 0] * sqrt(var) * noise,
      a_t = ac[t], a_p = ac[prev] (1 if prev < 0), cur_a = a_t / a_p,
      cur_b = 1 - cur_a, k0 = sqrt(a_p) cur_b / (1 - a_t),
      k1 = sqrt(cur_a) (1 - a_p) / (1 - a_t),
      var = max((1 - a_p) / (1 - a_t) * cur_b, 1e-20)   (fixed_small).
    QUIRK: noise is added whenever the integer t > 0, including the last step
    when it is not t=0 (trailing, or leading with steps_offset); there
    var = max(0, 1e-20) so the noise scale is exactly 1e-10."""
    c = _config("ddpm", DDPM_DEFAULTS, config)
    assert not c["clip_sample"] and not c["thresholding"]
    assert c["variance_type"] == "fixed_small"
    N, n = int(c["num_train_timesteps"]), int(num_inference_steps)
    ac = _ac_from(c)
    ts = _spaced_timesteps("ddpm", c["timestep_spacing"], N, n, c["steps_offset"])
    prev = np.concatenate([ts[1:], [-1]]).astype(np.int64)
    a_t = ac[ts]
    a_p = np.where(prev >= 0, ac[np.maximum(prev, 0)], 1.0)
    cur_a = a_t / a_p
    cur_b = 1.0 - cur_a
    k0 = np.sqrt(a_p) * cur_b / (1.0 - a_t)
    k1 = np.sqrt(cur_a) * (1.0 - a_p) / (1.0 - a_t)
    var = np.maximum((1.0 - a_p) / (1.0 - a_t) * cur_b, 1e-20)
    nstd = np.where(ts > 0, np.sqrt(var), 0.0)
    return dict(name="ddpm", config=c, alphas_cumprod=ac, timesteps=ts,
                prev_timesteps=prev, alpha_prod_t=a_t, alpha_prod_t_prev=a_p,
                current_alpha_t=cur_a, current_beta_t=cur_b,
                pred_original_sample_coeff=k0, current_sample_coeff=k1,
                variance=var, noise_std=nstd,
                init_noise_sigma=np.float64(1.0))


def ddpm_step(tables, i, model_output, sample, noise=None, state=None):
    c = tables["config"]
    a_t = tables["alpha_prod_t"][i]
    a_p = tables["alpha_prod_t_prev"][i]
    with np.errstate(divide="ignore", invalid="ignore"):
        x0, _ = _x0_eps(c["prediction_type"], a_t, sample, model_output)
    cur_a = a_t / a_p
    cur_b = 1.0 - cur_a
    k0 = a_p ** 0.5 * cur_b / (1.0 - a_t)
    k1 = cur_a ** 0.5 * (1.0 - a_p) / (1.0 - a_t)
    prev = k0 * x0 + k1 * sample
    if tables["timesteps"][i] > 0:
        if noise is None:
            raise ValueError("ddpm step with t > 0 needs noise")
        var = max((1.0 - a_p) / (1.0 - a_t) * cur_b, 1e-20)
        prev = prev + var ** 0.5 * noise
    return prev, None


ddpm_model_input = _identity_input


# ---------------------------------------------------------------------------
# Euler (EulerDiscreteScheduler), s_churn = 0
# ---------------------------------------------------------------------------

EULER_DEFAULTS = dict(_BETA_KEYS, prediction_type="epsilon",
                      timestep_spacing="linspace", steps_offset=0,
                      use_karras_sigmas=False, interpolation_type="linear",
                      final_sigmas_type="zero", timestep_type="discrete")


def euler_tables(num_inference_steps, **config):
    """EulerDiscreteScheduler (VE / k-diffusion parametrisation).

    sigma_train[t] = sqrt((1 - ac[t]) / ac[t])   (ac[-1] = 2**-24 with zsnr)
    timesteps (FLOAT): linspace -> float32(linspace(0, N-1, n)) reversed, not
      rounded; leading / trailing -> the DDIM integers, as floats.
    sigmas[i] = interp(timesteps[i], 0..N-1, sigma_train)  (linear interp)
    karras: sigmas = karras(sigma_min=sigmas[-1], sigma_max=sigmas[0], n,
      rho=7) using the interpolated endpoints (spacing dependent!) and
      timesteps = float32(_sigma_to_t(sigmas)).
    sigmas gets a final 0 (final_sigmas_type zero) or sigma_train[0].
    init_noise_sigma = max(sigmas) for linspace / trailing, but
      sqrt(max(sigmas)^2 + 1) for leading.
    model input = sample / sqrt(sigma_i^2 + 1).
    """
    c = _config("euler", EULER_DEFAULTS, config)
    assert c["interpolation_type"] == "linear"
    assert c["timestep_type"] == "discrete"
    N, n = int(c["num_train_timesteps"]), int(num_inference_steps)
    ac = _ac_from(c, terminal_alpha_2m24=True)
    s_train = np.sqrt((1.0 - ac) / ac)
    log_s = np.log(s_train)
    ts = _spaced_timesteps("euler", c["timestep_spacing"], N, n,
                           c["steps_offset"], as_float=True)
    sig = np.interp(ts, np.arange(N, dtype=np.float64), s_train)
    if c["use_karras_sigmas"]:
        sig = _karras(sig[-1], sig[0], n)
        ts = _sigma_to_t(sig, log_s).astype(np.float32).astype(np.float64)
    if c["final_sigmas_type"] == "zero":
        last = 0.0
    elif c["final_sigmas_type"] == "sigma_min":
        last = s_train[0]
    else:
        raise ValueError("final_sigmas_type %r" % (c["final_sigmas_type"],))
    sigmas = np.concatenate([sig, [last]])
    smax = sigmas.max()
    if c["timestep_spacing"] in ("linspace", "trailing"):
        init = smax
    else:
        init = (smax ** 2 + 1.0) ** 0.5
    return dict(name="euler", config=c, alphas_cumprod=ac, sigmas_train=s_train,
                log_sigmas=log_s, timesteps=ts, sigmas=sigmas,
                model_input_scale=1.0 / np.sqrt(sigmas[:-1] ** 2 + 1.0),
                init_noise_sigma=np.float64(init))


def euler_model_input(tables, i, sample):
    s = tables["sigmas"][i]
    return np.asarray(sample, dtype=np.float64) / ((s ** 2 + 1.0) ** 0.5)


def euler_step(tables, i, model_output, sample, noise=None, state=None):
    pred = tables["config"]["prediction_type"]
    s = tables["sigmas"][i]
    s_next = tables["sigmas"][i + 1]
    if pred in ("sample", "original_sample"):
        x0 = model_output
    elif pred == "epsilon":
        x0 = sample - s * model_output
    elif pred == "v_prediction":
        x0 = model_output * (-s / (s ** 2 + 1.0) ** 0.5) + sample / (s ** 2 + 1.0)
    else:
        raise ValueError(pred)
    d = (sample - x0) / s
    return sample + d * (s_next - s), None


# ---------------------------------------------------------------------------
# DPM-Solver++ multistep (2M)
# ---------------------------------------------------------------------------

DPM_DEFAULTS = dict(_BETA_KEYS, prediction_type="epsilon",
                    timestep_spacing="linspace", steps_offset=0,
                    solver_order=2, algorithm_type="dpmsolver++",
                    solver_type="midpoint", lower_order_final=True,
                    euler_at_final=False, use_karras_sigmas=False,
                    final_sigmas_type="zero",
                    lambda_min_clipped=-float("inf"), thresholding=False,
                    variance_type=None, use_lu_lambdas=False,
                    use_flow_sigmas=False)


def _dpm_timesteps(c, n, ac):
    N = int(c["num_train_timesteps"])
    lam = np.log(np.sqrt(ac)) - np.log(np.sqrt(1.0 - ac))
    clipped = int(np.searchsorted(lam[::-1], c["lambda_min_clipped"]))
    last_t = N - clipped
    sp = c["timestep_spacing"]
    if sp == "linspace":
        ts = np.round(np.linspace(0, last_t - 1, n + 1))[::-1][:-1].astype(np.int64)
    elif sp == "leading":
        r = last_t // (n + 1)
        ts = (np.arange(n + 1, dtype=np.int64) * r)[::-1][:-1] + int(c["steps_offset"])
    elif sp == "trailing":
        ts = np.round(np.arange(last_t, 0, -(N / n))).astype(np.int64) - 1
    else:
        raise ValueError("timestep_spacing %r" % (sp,))
    ts = np.ascontiguousarray(ts)
    _check_nonneg(ts, "dpmsolver", sp, n)
    return ts


def dpmsolver_tables(num_inference_steps, **config):
    """DPMSolverMultistepScheduler, algorithm_type dpmsolver++ (2M).

    timesteps (INT64):
      linspace: round(linspace(0, L-1, n+1))[::-1][:-1]       (L = N here)
      leading : (arange(n+1) * (L // (n+1)))[::-1][:-1] + steps_offset
      trailing: round(arange(L, 0, -N/n)) - 1
      L = N - searchsorted(flip(lambda_train), lambda_min_clipped) = N for -inf
    sigmas: sigma_train[timesteps]; karras: karras(sigma_train[0],
      sigma_train[N-1], n) over the FULL training range (unlike Euler) and
      timesteps = round(_sigma_to_t(sigma)) -- no rounding for
      squaredcos_cap_v2, where the int64 cast truncates instead.
      Then a final 0 (or sigma_train[0] for final_sigmas_type sigma_min).
    alpha_i = 1/sqrt(sigma_i^2+1), sigt_i = sigma_i*alpha_i,
    lambda_i = log(alpha_i) - log(sigt_i)  (+inf for sigma = 0).
    init_noise_sigma = 1, model input unscaled, model sees the int timestep.
    order: 1 at i == 0; 1 at i == n-1 if euler_at_final or
      (lower_order_final and n < 15) or final_sigmas_type == "zero";
      otherwise solver_order (2).
    """
    c = _config("dpmsolver", DPM_DEFAULTS, config)
    assert c["algorithm_type"] == "dpmsolver++"
    assert c["solver_order"] in (1, 2)
    assert c["solver_type"] in ("midpoint", "heun")
    assert not c["thresholding"] and c["variance_type"] is None
    assert not c["use_lu_lambdas"] and not c["use_flow_sigmas"]
    n = int(num_inference_steps)
    ac = _ac_from(c, terminal_alpha_2m24=True)
    s_train = np.sqrt((1.0 - ac) / ac)
    log_s = np.log(s_train)
    ts = _dpm_timesteps(c, n, ac)
    if c["use_karras_sigmas"]:
        sig = _karras(s_train[0], s_train[-1], n)
        tf = _sigma_to_t(sig, log_s)
        if c["beta_schedule"] != "squaredcos_cap_v2":
            tf = np.round(tf)
        ts = tf.astype(np.int64)
    else:
        sig = np.interp(ts, np.arange(len(s_train)), s_train)
    if c["final_sigmas_type"] == "zero":
        last = 0.0
    elif c["final_sigmas_type"] == "sigma_min":
        last = s_train[0]
    else:
        raise ValueError(c["final_sigmas_type"])
    sigmas = np.concatenate([sig, [last]])
    alpha = 1.0 / np.sqrt(sigmas ** 2 + 1.0)
    sigt = sigmas * alpha
    with np.errstate(divide="ignore"):
        lam = np.log(alpha) - np.log(sigt)
    m = len(ts)
    order = np.empty(m, dtype=np.int64)
    for i in range(m):
        final = (i == m - 1) and (c["euler_at_final"]
                                  or (c["lower_order_final"] and m < 15)
                                  or c["final_sigmas_type"] == "zero")
        order[i] = 1 if (c["solver_order"] == 1 or i == 0 or final) else 2
    return dict(name="dpmsolver", config=c, alphas_cumprod=ac,
                sigmas_train=s_train, timesteps=ts, sigmas=sigmas,
                alpha_t=alpha, sigma_t=sigt, lambda_t=lam, order=order,
                init_noise_sigma=np.float64(1.0))


def dpmsolver_step(tables, i, model_output, sample, noise=None, state=None):
    """Returns (prev_sample, x0_pred); state = x0_pred of step i-1."""
    pred = tables["config"]["prediction_type"]
    al, sg, lam = tables["alpha_t"], tables["sigma_t"], tables["lambda_t"]
    if pred == "epsilon":
        x0 = (sample - sg[i] * model_output) / al[i]
    elif pred == "sample":
        x0 = model_output
    elif pred == "v_prediction":
        x0 = al[i] * sample - sg[i] * model_output
    else:
        raise ValueError(pred)
    h = lam[i + 1] - lam[i]
    em1 = math.exp(-h) - 1.0          # exp(-inf) - 1 = -1 at sigma_next = 0
    ratio = sg[i + 1] / sg[i]
    if tables["order"][i] == 1:
        prev = ratio * sample - (al[i + 1] * em1) * x0
    else:
        if state is None:
            raise ValueError("second-order step needs the previous x0")
        r0 = (lam[i] - lam[i - 1]) / h
        d1 = (1.0 / r0) * (x0 - state)
        if tables["config"]["solver_type"] == "midpoint":
            prev = (ratio * sample - (al[i + 1] * em1) * x0
                    - 0.5 * (al[i + 1] * em1) * d1)
        else:  # heun
            prev = (ratio * sample - (al[i + 1] * em1) * x0
                    + (al[i + 1] * (em1 / h + 1.0)) * d1)
    return prev, x0


dpmsolver_model_input = _identity_input


# ---------------------------------------------------------------------------
# Flow matching Euler (FlowMatchEulerDiscreteScheduler)
# ---------------------------------------------------------------------------

FLOW_DEFAULTS = dict(num_train_timesteps=1000, shift=1.0,
                     use_dynamic_shifting=False, invert_sigmas=False,
                     shift_terminal=None, use_karras_sigmas=False,
                     use_exponential_sigmas=False, use_beta_sigmas=False,
                     stochastic_sampling=False)


def _shift(s, shift):
    return shift * s / (1.0 + (shift - 1.0) * s)


def flow_match_euler_tables(num_inference_steps, **config):
    """FlowMatchEulerDiscreteScheduler (static shift).

    QUIRK (double shift of the lower end): the constructor already shifts its
    training sigmas t/N (t = N..1), so sigma_max = shift(1) = 1 and
    sigma_min = shift(1/N) = shift/(N + shift - 1).  set_timesteps then takes
    linspace(sigma_max*N, sigma_min*N, n)/N -- i.e. n points from 1 down to the
    ALREADY SHIFTED sigma_min -- and applies shift() again:
        sigma_i = shift(lin_i),  shift(s) = shift*s / (1 + (shift-1)*s)
    so the last sigma is shift(shift(1/N)), e.g. N=1000, shift=3:
    9/1008 = 0.0089286 (not 0.002994).  sigmas gets a final 0.
    timesteps (FLOAT) = sigma_i * N, computed by diffusers in float32
    (emulated here exactly; ``timesteps_f64`` holds the float64 value).
    There is no init_noise_sigma / scale_model_input in this scheduler: the
    pipelines use unit-variance noise and the raw sample (reported as 1).
    step: x_next = x + (sigma_{i+1} - sigma_i) * v.
    """
    c = _config("flow_match_euler", FLOW_DEFAULTS, config)
    assert not c["use_dynamic_shifting"] and not c["invert_sigmas"]
    assert not c["shift_terminal"] and not c["stochastic_sampling"]
    assert not (c["use_karras_sigmas"] or c["use_exponential_sigmas"]
                or c["use_beta_sigmas"])
    N, n, sh = int(c["num_train_timesteps"]), int(num_inference_steps), float(c["shift"])
    if n < 1:
        raise ValueError("num_inference_steps >= 1")
    # float64 schedule (used for the step coefficients)
    smin = _shift(1.0 / N, sh)
    lin = np.linspace(N * 1.0, smin * N, n) / N
    sig = _shift(lin, sh)
    sigmas = np.concatenate([sig, [0.0]])
    # diffusers' float32 chain for the model timesteps
    f32 = np.float32
    s32 = f32(1.0) / f32(N)
    smin32 = float((f32(sh) * s32) / (f32(1.0) + f32(sh - 1.0) * s32))
    one32 = f32(1.0)
    smax32 = float((f32(sh) * one32) / (f32(1.0) + f32(sh - 1.0) * one32))
    lin32 = np.linspace(smax32 * N, smin32 * N, n) / N
    sig32 = _shift(lin32, sh).astype(np.float32)
    ts = (sig32 * f32(N)).astype(np.float32).astype(np.float64)
    return dict(name="flow_match_euler", config=c, timesteps=ts,
                timesteps_f64=sig * N, sigmas=sigmas,
                sigmas_f32=np.concatenate([sig32, [0.0]]).astype(np.float64),
                init_noise_sigma=np.float64(1.0))


def flow_match_euler_step(tables, i, model_output, sample, noise=None, state=None):
    s = tables["sigmas"]
    return sample + (s[i + 1] - s[i]) * model_output, None


flow_match_euler_model_input = _identity_input


# ---------------------------------------------------------------------------
# LCM
# ---------------------------------------------------------------------------

LCM_DEFAULTS = dict(num_train_timesteps=1000, beta_start=0.00085,
                    beta_end=0.012, beta_schedule="scaled_linear",
                    rescale_betas_zero_snr=False, original_inference_steps=50,
                    prediction_type="epsilon", set_alpha_to_one=True,
                    timestep_spacing="leading", steps_offset=0,
                    timestep_scaling=10.0, clip_sample=False,
                    thresholding=False)


def lcm_tables(num_inference_steps, **config):
    """LCMScheduler.

    timesteps (INT): k = N // original_inference_steps,
      origin = [1..orig] * k - 1   (19, 39, ..., 999 for 50 / 1000), reversed,
      pick indices floor(linspace(0, orig, n, endpoint=False)).
      timestep_spacing and steps_offset are accepted but UNUSED by LCM.
    prev timestep = next entry; for the last step it is the step's own t
      (never negative, so set_alpha_to_one never matters in this path).
    boundary scalings at the integer t, with sigma_data = 0.5:
      u = t * timestep_scaling, c_skip = 0.25/(u^2+0.25), c_out = u/sqrt(u^2+0.25)
    denoised = c_out * x0 + c_skip * x_t;
    x_prev = sqrt(a_p) * denoised + sqrt(1 - a_p) * noise, except after the
    LAST step where x_prev = denoised (no noise).
    """
    c = _config("lcm", LCM_DEFAULTS, config)
    assert not c["clip_sample"] and not c["thresholding"]
    N, n = int(c["num_train_timesteps"]), int(num_inference_steps)
    orig = int(c["original_inference_steps"])
    if orig > N:
        raise ValueError("original_inference_steps > num_train_timesteps")
    k = N // orig
    origin = np.arange(1, orig + 1, dtype=np.int64) * k - 1
    if n < 1 or len(origin) // n < 1 or n > orig:
        raise ValueError("lcm: need 1 <= num_inference_steps <= %d" % orig)
    rev = origin[::-1].copy()
    idx = np.floor(np.linspace(0, len(rev), num=n, endpoint=False)).astype(np.int64)
    ts = rev[idx]
    prev = np.concatenate([ts[1:], ts[-1:]])
    ac = _ac_from(c)
    final = 1.0 if c["set_alpha_to_one"] else ac[0]
    a_t = ac[ts]
    a_p = np.where(prev >= 0, ac[np.maximum(prev, 0)], final)
    u = ts.astype(np.float64) * float(c["timestep_scaling"])
    c_skip = 0.25 / (u ** 2 + 0.25)
    c_out = u / np.sqrt(u ** 2 + 0.25)
    last = np.arange(n) == n - 1
    return dict(name="lcm", config=c, alphas_cumprod=ac, timesteps=ts,
                prev_timesteps=prev, alpha_prod_t=a_t, alpha_prod_t_prev=a_p,
                c_skip=c_skip, c_out=c_out, is_last=last,
                init_noise_sigma=np.float64(1.0))


def lcm_step(tables, i, model_output, sample, noise=None, state=None):
    c = tables["config"]
    a_t = tables["alpha_prod_t"][i]
    a_p = tables["alpha_prod_t_prev"][i]
    with np.errstate(divide="ignore", invalid="ignore"):
        x0, _ = _x0_eps(c["prediction_type"], a_t, sample, model_output)
        u = float(tables["timesteps"][i]) * float(c["timestep_scaling"])
        c_skip = 0.25 / (u ** 2 + 0.25)
        c_out = u / (u ** 2 + 0.25) ** 0.5
        den = c_out * x0 + c_skip * sample
    if i != len(tables["timesteps"]) - 1:
        if noise is None:
            raise ValueError("lcm step before the last needs noise")
        return a_p ** 0.5 * den + (1.0 - a_p) ** 0.5 * noise, None
    return den, None


lcm_model_input = _identity_input


# ---------------------------------------------------------------------------
# Linear form
# ---------------------------------------------------------------------------

_ALIASES = {"ddim": "ddim", "ddpm": "ddpm", "euler": "euler",
            "euler_discrete": "euler", "dpmsolver": "dpmsolver",
            "dpmsolver++": "dpmsolver", "dpmpp_2m": "dpmsolver",
            "dpmsolver_multistep": "dpmsolver",
            "flow_match_euler": "flow_match_euler",
            "flow_match": "flow_match_euler", "lcm": "lcm"}

TABLES = {"ddim": ddim_tables, "ddpm": ddpm_tables, "euler": euler_tables,
          "dpmsolver": dpmsolver_tables,
          "flow_match_euler": flow_match_euler_tables, "lcm": lcm_tables}
STEPS = {"ddim": ddim_step, "ddpm": ddpm_step, "euler": euler_step,
         "dpmsolver": dpmsolver_step,
         "flow_match_euler": flow_match_euler_step, "lcm": lcm_step}
MODEL_INPUTS = {"ddim": ddim_model_input, "ddpm": ddpm_model_input,
                "euler": euler_model_input,
                "dpmsolver": dpmsolver_model_input,
                "flow_match_euler": flow_match_euler_model_input,
                "lcm": lcm_model_input}


def _linear_from_tables(t):
    name = t["name"]
    c = t["config"]
    m = len(t["timesteps"])
    z = np.zeros(m)
    A, B, C, D, P, Q = z.copy(), z.copy(), z.copy(), z.copy(), z.copy(), z.copy()
    S = np.ones(m)
    T = np.asarray(t["timesteps"], dtype=np.float64).copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        if name == "ddim":
            xs, xm, es, em = _x0_eps_coef(c["prediction_type"], t["alpha_prod_t"])
            g = np.sqrt(t["alpha_prod_t_prev"])
            dirc = np.sqrt(1.0 - t["alpha_prod_t_prev"] - t["std_dev_t"] ** 2)
            A = g * xs + dirc * es
            B = g * xm + dirc * em
            if c["eta"] > 0:
                C = t["std_dev_t"].copy()
        elif name == "ddpm":
            xs, xm, _, _ = _x0_eps_coef(c["prediction_type"], t["alpha_prod_t"])
            k0, k1 = t["pred_original_sample_coeff"], t["current_sample_coeff"]
            A = k0 * xs + k1
            B = k0 * xm
            C = t["noise_std"].copy()
        elif name == "euler":
            s, sn = t["sigmas"][:-1], t["sigmas"][1:]
            dt = sn - s
            pred = c["prediction_type"]
            if pred == "epsilon":        # x0 = x - s*m
                xs, xm = np.ones(m), -s
            elif pred == "v_prediction":
                xs, xm = 1.0 / (s ** 2 + 1.0), -s / np.sqrt(s ** 2 + 1.0)
            else:
                xs, xm = np.zeros(m), np.ones(m)
            # prev = x + dt * (x - x0) / s
            A = 1.0 + dt * (1.0 - xs) / s
            B = -dt * xm / s
            S = t["model_input_scale"].copy()
        elif name == "dpmsolver":
            al, sg, lam = t["alpha_t"], t["sigma_t"], t["lambda_t"]
            pred = c["prediction_type"]
            if pred == "epsilon":
                xs, xm = 1.0 / al[:-1], -sg[:-1] / al[:-1]
            elif pred == "v_prediction":
                xs, xm = al[:-1].copy(), -sg[:-1]
            else:
                xs, xm = np.zeros(m), np.ones(m)
            h = lam[1:] - lam[:-1]
            ratio = sg[1:] / sg[:-1]
            c0 = -al[1:] * (np.exp(-h) - 1.0)          # weight of D0 = x0
            for i in range(m):
                if t["order"][i] == 1:
                    w0, w1 = c0[i], 0.0
                else:
                    r0 = (lam[i] - lam[i - 1]) / h[i]
                    if c["solver_type"] == "midpoint":
                        k1 = 0.5 * c0[i]
                    else:
                        k1 = al[i + 1] * ((np.exp(-h[i]) - 1.0) / h[i] + 1.0)
                    w0, w1 = c0[i] + k1 / r0, -k1 / r0
                A[i] = ratio[i] + w0 * xs[i]
                B[i] = w0 * xm[i]
                D[i] = w1
            P, Q = xs, xm
        elif name == "flow_match_euler":
            A = np.ones(m)
            B = t["sigmas"][1:] - t["sigmas"][:-1]
        elif name == "lcm":
            xs, xm, _, _ = _x0_eps_coef(c["prediction_type"], t["alpha_prod_t"])
            ds = t["c_out"] * xs + t["c_skip"]
            dm = t["c_out"] * xm
            g = np.where(t["is_last"], 1.0, np.sqrt(t["alpha_prod_t_prev"]))
            A, B = g * ds, g * dm
            C = np.where(t["is_last"], 0.0, np.sqrt(1.0 - t["alpha_prod_t_prev"]))
        else:
            raise ValueError(name)
    f = lambda a: np.ascontiguousarray(np.asarray(a, dtype=np.float64))
    return dict(A=f(A), B=f(B), C=f(C), D=f(D), P=f(P), Q=f(Q), S=f(S), T=f(T),
                init_noise_sigma=np.float64(t["init_noise_sigma"]))


def linear_coefficients(name, num_inference_steps, **config):
    """Per-step coefficients of the linear form (see module docstring)."""
    key = _ALIASES[name]
    return _linear_from_tables(TABLES[key](num_inference_steps, **config))


# ---------------------------------------------------------------------------
# Classifier-free guidance with rescale
# ---------------------------------------------------------------------------


def cfg(uncond, cond, scale, rescale=0.0):
    """guided = u + s (c - u).  If rescale > 0 (diffusers only calls
    rescale_noise_cfg when guidance_rescale > 0): with std over all non-batch
    axes, UNBIASED (ddof=1, torch.std default), keepdims:
        rescaled = guided * std(c) / std(guided)
        out = rescale * rescaled + (1 - rescale) * guided."""
    u = np.asarray(uncond, dtype=np.float64)
    c = np.asarray(cond, dtype=np.float64)
    g = u + scale * (c - u)
    if rescale > 0.0:
        ax = tuple(range(1, g.ndim))
        sc = c.std(axis=ax, ddof=1, keepdims=True)
        sg = g.std(axis=ax, ddof=1, keepdims=True)
        g = rescale * (g * (sc / sg)) + (1.0 - rescale) * g
    return g


# ---------------------------------------------------------------------------
# Philox-4x32 and the counter-based Gaussian generator
# ---------------------------------------------------------------------------

PHILOX_M0 = 0xD2511F53
PHILOX_M1 = 0xCD9E8D57
PHILOX_W0 = 0x9E3779B9
PHILOX_W1 = 0xBB67AE85
_U32 = np.uint64(0xFFFFFFFF)


def _philox(c0, c1, c2, c3, k0, k1, rounds=10):
    """Vectorised Philox-4x32-R on uint64 arrays holding 32-bit words.
    Round: (hi0, lo0) = M0 * c0, (hi1, lo1) = M1 * c2 (64-bit products);
    c' = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0); the key is bumped by the
    Weyl constants (mod 2**32) between rounds."""
    u = lambda x: np.asarray(x, dtype=np.uint64) & _U32
    c0, c1, c2, c3, k0, k1 = map(u, (c0, c1, c2, c3, k0, k1))
    m0, m1 = np.uint64(PHILOX_M0), np.uint64(PHILOX_M1)
    w0, w1 = np.uint64(PHILOX_W0), np.uint64(PHILOX_W1)
    s32 = np.uint64(32)
    for r in range(rounds):
        if r:
            k0 = (k0 + w0) & _U32
            k1 = (k1 + w1) & _U32
        p0 = m0 * c0
        p1 = m1 * c2
        c0, c1, c2, c3 = ((p1 >> s32) ^ c1 ^ k0, p1 & _U32,
                          (p0 >> s32) ^ c3 ^ k1, p0 & _U32)
    return c0, c1, c2, c3


def philox4x32(counter, key, rounds=10):
    """Philox-4x32-R of one (or broadcast arrays of) counter(s).  counter: 4
    words, key: 2 words.  Returns a tuple of 4 ints (scalar input) or 4
    uint32 arrays."""
    out = _philox(counter[0], counter[1], counter[2], counter[3],
                  key[0], key[1], rounds)
    if all(np.ndim(x) == 0 for x in list(counter) + list(key)):
        return tuple(int(w) for w in out)
    return tuple(w.astype(np.uint32) for w in out)


def philox4x32_10(counter, key):
    return philox4x32(counter, key, 10)


def gaussian_noise(seed, shape, step):
    """Counter-based N(0, 1) tensor, one Philox call per element.

    For row-major element index n (0 <= n < prod(shape)) at sampling step
    ``step`` (0 <= step < 2**32) and 64-bit ``seed`` (taken mod 2**64):
        key     = (seed & 0xffffffff, seed >> 32)
        counter = (n & 0xffffffff, n >> 32, step, 0)
        (w0, w1, _, _) = Philox4x32-10(counter, key)
        u1 = (w0 + 1) * 2**-32          in (0, 1]
        u2 = w1 * 2**-32                in [0, 1)
        z  = sqrt(-2 ln u1) * cos(2 pi u2)   (Box-Muller, float64)
    """
    shape = tuple(int(s) for s in shape)
    size = int(np.prod(shape, dtype=np.int64)) if shape else 1
    seed = int(seed) & 0xFFFFFFFFFFFFFFFF
    if not 0 <= int(step) < 2 ** 32:
        raise ValueError("step must fit in 32 bits")
    idx = np.arange(size, dtype=np.uint64)
    w0, w1, _, _ = _philox(idx & _U32, idx >> np.uint64(32),
                           np.uint64(step), np.uint64(0),
                           np.uint64(seed & 0xFFFFFFFF), np.uint64(seed >> 32))
    u1 = (w0.astype(np.float64) + 1.0) * 2.0 ** -32
    u2 = w1.astype(np.float64) * 2.0 ** -32
    z = np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)
    return z.reshape(shape)


# ---------------------------------------------------------------------------
# Self-check
# ---------------------------------------------------------------------------

_RESULTS = []


def _report(ok, name, detail=""):
    _RESULTS.append(bool(ok))
    print("%s %s%s" % ("PASS" if ok else "FAIL", name,
                       (" (" + detail + ")") if detail else ""))


def _configs():
    """Every supported combination checked against the linear form."""
    betas_ = ["linear", "scaled_linear", "squaredcos_cap_v2"]
    preds = ["epsilon", "v_prediction", "sample"]
    spac = ["leading", "trailing", "linspace"]
    out = {k: [] for k in TABLES}
    for b in betas_:
        for z in (False, True):
            for p in preds:
                for s in spac:
                    for off in ((0, 1) if s == "leading" else (0,)):
                        for n in (7, 50):
                            for eta in (0.0, 1.0):
                                for one in (True, False):
                                    out["ddim"].append((n, dict(
                                        beta_schedule=b, rescale_betas_zero_snr=z,
                                        prediction_type=p, timestep_spacing=s,
                                        steps_offset=off, eta=eta,
                                        set_alpha_to_one=one)))
                            out["ddpm"].append((n, dict(
                                beta_schedule=b, rescale_betas_zero_snr=z,
                                prediction_type=p, timestep_spacing=s,
                                steps_offset=off)))
                            for k in (False, True):
                                for fs in ("zero", "sigma_min"):
                                    out["euler"].append((n, dict(
                                        beta_schedule=b, rescale_betas_zero_snr=z,
                                        prediction_type=p, timestep_spacing=s,
                                        steps_offset=off, use_karras_sigmas=k,
                                        final_sigmas_type=fs)))
                    for n in (5, 20):
                        for k in (False, True):
                            for st in ("midpoint", "heun"):
                                for fs in ("zero", "sigma_min"):
                                    out["dpmsolver"].append((n, dict(
                                        beta_schedule=b, rescale_betas_zero_snr=z,
                                        prediction_type=p, timestep_spacing=s,
                                        use_karras_sigmas=k, solver_type=st,
                                        final_sigmas_type=fs)))
                for n in (1, 2, 4, 8):
                    for orig in (50, 100):
                        for one in (True, False):
                            out["lcm"].append((n, dict(
                                beta_schedule=b, rescale_betas_zero_snr=z,
                                prediction_type=p, original_inference_steps=orig,
                                set_alpha_to_one=one)))
    for sh in (1.0, 3.0, 5.0, 7.0, 1.5):
        for n in (1, 2, 4, 28, 50):
            out["flow_match_euler"].append((n, dict(shift=sh)))
    return out


def _check_linear(rng):
    shape = (2, 3, 4)
    for key, cfgs in _configs().items():
        worst, steps, nonfinite, bad = 0.0, 0, 0, []
        for n, cf in cfgs:
            t = TABLES[key](n, **cf)
            L = _linear_from_tables(t)
            prev_x0 = None
            for i in range(len(t["timesteps"])):
                x = rng.standard_normal(shape)
                mo = rng.standard_normal(shape)
                nz = rng.standard_normal(shape)
                st = rng.standard_normal(shape) if i > 0 else None
                if key == "dpmsolver" and i > 0 and rng.random() < 0.5:
                    st = prev_x0            # also exercise the real chain
                ref, new_state = STEPS[key](t, i, mo, x, nz, st)
                stl = st if st is not None else np.zeros(shape)
                terms = [L["A"][i] * x, L["B"][i] * mo, L["C"][i] * nz,
                         L["D"][i] * stl]
                with np.errstate(invalid="ignore", over="ignore"):
                    lin = terms[0] + terms[1] + terms[2] + terms[3]
                steps += 1
                coef_ok = all(np.isfinite(L[k][i]) for k in "ABCDPQS")
                if not coef_ok or not np.all(np.isfinite(ref)):
                    # diffusers itself divides by alpha_cumprod = 0 here
                    if (not coef_ok and not np.all(np.isfinite(ref))
                            and cf.get("rescale_betas_zero_snr")
                            and cf.get("prediction_type") == "epsilon"
                            and t["alpha_prod_t"][i] == 0.0):
                        nonfinite += 1
                    else:
                        bad.append((n, cf, i, "non-finite"))
                    prev_x0 = new_state
                    continue
                den = max(np.max(sum(np.abs(a) for a in terms)), 1e-300)
                err = np.max(np.abs(lin - ref)) / den
                ms = MODEL_INPUTS[key](t, i, x)
                err = max(err, np.max(np.abs(L["S"][i] * x - ms))
                          / max(np.max(np.abs(ms)), 1e-300))
                if new_state is not None:
                    pl = L["P"][i] * x + L["Q"][i] * mo
                    d2 = max(np.max(np.abs(L["P"][i] * x) + np.abs(L["Q"][i] * mo)), 1e-300)
                    err = max(err, np.max(np.abs(pl - new_state)) / d2)
                elif L["P"][i] != 0 or L["Q"][i] != 0 or L["D"][i] != 0:
                    err = 1.0
                worst = max(worst, err)
                if err > 1e-12:
                    bad.append((n, cf, i, err))
                prev_x0 = new_state
        det = "%d configs, %d steps, max rel err %.2e" % (len(cfgs), steps, worst)
        if nonfinite:
            det += ", %d steps non-finite in both forms (zero-SNR epsilon at " \
                   "alpha_cumprod=0, as in diffusers)" % nonfinite
        if bad:
            det += "; first failure %r" % (bad[0],)
        _report(not bad, "linear_form.%s" % key, det)


def _check_timesteps():
    ok, msgs = True, []
    for key in TABLES:
        for n in (1, 2, 3, 4, 6, 10, 20, 25, 28, 50):
            variants = [dict()]
            if key in ("ddim", "ddpm", "euler", "dpmsolver"):
                variants = [dict(timestep_spacing=s)
                            for s in ("leading", "trailing", "linspace")]
                if key in ("euler", "dpmsolver"):
                    variants += [dict(v, use_karras_sigmas=True) for v in list(variants)]
            if key == "lcm" and n > 50:
                continue
            for v in variants:
                ts = TABLES[key](n, **v)["timesteps"]
                karras = v.get("use_karras_sigmas", False)
                d = np.diff(ts.astype(np.float64))
                mono = np.all(d <= 0) if (karras and key == "dpmsolver") else np.all(d < 0)
                if len(ts) != n or not mono:
                    ok = False
                    msgs.append("%s n=%d %r -> %r" % (key, n, v, ts))
    _report(ok, "timesteps.length_and_monotone", "; ".join(msgs[:3]))


def _close(a, b, tol=0.0):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= tol))


def _check_spots():
    # DDIM / DDPM integer timesteps
    _report(_close(ddim_tables(50, steps_offset=1)["timesteps"],
                   np.arange(981, 0, -20)), "spot.ddim_leading50_offset1 981..1")
    _report(_close(ddim_tables(50, timestep_spacing="trailing")["timesteps"],
                   np.arange(999, 0, -20)), "spot.ddim_trailing50 999..19")
    t = ddim_tables(30, timestep_spacing="linspace")
    _report(t["timesteps"][0] == 999 and t["timesteps"][1] == 965
            and t["prev_timesteps"][0] == 966 and t["timesteps"][-1] == 0,
            "spot.ddim_linspace30 prev=t-N//n (999->966, next ts 965)")
    t = ddim_tables(10, steps_offset=1)
    _report(t["prev_timesteps"][-1] == -99 and t["alpha_prod_t_prev"][-1] == 1.0,
            "spot.ddim_final_alpha set_alpha_to_one")
    t = ddpm_tables(10)
    _report(_close(t["timesteps"], np.arange(900, -1, -100))
            and t["noise_std"][-1] == 0.0 and t["noise_std"][0] > 0,
            "spot.ddpm_leading10 900..0, no noise at t=0")
    t = ddpm_tables(10, timestep_spacing="trailing")
    _report(t["timesteps"][-1] == 99 and abs(t["noise_std"][-1] - 1e-10) < 1e-25,
            "spot.ddpm_trailing last step t=99 noise std 1e-10 (var clamp 1e-20)")
    # DPM-Solver
    _report(_close(dpmsolver_tables(6)["timesteps"], [999, 832, 666, 500, 333, 166]),
            "spot.dpm_linspace6 half-to-even 999,832,666,500,333,166")
    t = dpmsolver_tables(20)
    _report(t["timesteps"][0] == 999 and t["timesteps"][1] == 949
            and t["timesteps"][-1] == 50 and len(t["timesteps"]) == 20,
            "spot.dpm_linspace20 999,949,...,50")
    _report(_close(dpmsolver_tables(20, timestep_spacing="leading")["timesteps"],
                   np.arange(940, 0, -47)), "spot.dpm_leading20 940..47 (N//(n+1))")
    _report(_close(dpmsolver_tables(10)["order"], [1] + [2] * 8 + [1])
            and _close(dpmsolver_tables(1)["order"], [1])
            and _close(dpmsolver_tables(20, final_sigmas_type="sigma_min")["order"],
                       [1] + [2] * 19)
            and _close(dpmsolver_tables(10, final_sigmas_type="sigma_min")["order"],
                       [1] + [2] * 8 + [1]),
            "spot.dpm_orders first/last first-order rules")
    L = linear_coefficients("dpmsolver", 10)
    _report(L["A"][-1] == L["P"][-1] and L["B"][-1] == L["Q"][-1]
            and L["D"][-1] == 0.0 and L["C"][-1] == 0.0,
            "spot.dpm_final_step returns x0 (sigma_next=0)")
    # Euler
    sd = dict(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear")
    t = euler_tables(50, **sd)
    _report(abs(t["init_noise_sigma"] - 14.6146) < 1e-4
            and abs(t["sigmas"][-2] - 0.0292) < 1e-4 and t["timesteps"][0] == 999.0
            and t["timesteps"][1] == float(np.float32(999 * 48 / 49)),
            "spot.euler_sd_linspace50 sigma_max 14.6146 sigma_min 0.0292 float ts",
            "init=%.6f" % t["init_noise_sigma"])
    t2 = euler_tables(50, timestep_spacing="leading", steps_offset=1, **sd)
    _report(abs(t2["init_noise_sigma"] - (t2["sigmas"][0] ** 2 + 1) ** 0.5) < 1e-12
            and t2["timesteps"][0] == 981.0,
            "spot.euler_leading init_noise_sigma sqrt(smax^2+1)")
    t3 = euler_tables(30, timestep_spacing="trailing", rescale_betas_zero_snr=True,
                      prediction_type="v_prediction", **sd)
    _report(abs(t3["init_noise_sigma"] - math.sqrt((1 - 2 ** -24) / 2 ** -24)) < 1e-9,
            "spot.euler_zsnr sigma_max = sqrt((1-2^-24)/2^-24) ~ 4096",
            "%.6f" % t3["init_noise_sigma"])
    # Flow match
    _report(_close(flow_match_euler_tables(4)["timesteps"], [1000, 667, 334, 1]),
            "spot.flow_shift1_n4 1000,667,334,1")
    t = flow_match_euler_tables(2, shift=3.0)
    _report(abs(t["timesteps_f64"][1] - 1000 * 9 / 1008) < 1e-9
            and abs(t["timesteps"][1] - 1000 * 9 / 1008) < 1e-5
            and t["timesteps"][0] == 1000.0,
            "spot.flow_shift3_n2 double shift last t = 8.928571",
            "%.7f" % t["timesteps"][1])
    # LCM
    _report(_close(lcm_tables(4)["timesteps"], [999, 759, 499, 259]),
            "spot.lcm4 999,759,499,259")
    L = linear_coefficients("lcm", 4)
    _report(L["C"][-1] == 0.0 and np.all(L["C"][:-1] > 0),
            "spot.lcm no noise after the last step")
    # zero-SNR
    ac = alphas_cumprod(rescale_betas_zero_snr=True)
    _report(ac[-1] == 0.0 and alphas_cumprod(rescale_betas_zero_snr=True,
                                             terminal_alpha_2m24=True)[-1] == 2 ** -24
            and abs(ac[0] - alphas_cumprod()[0]) < 1e-15,
            "spot.zero_snr last alpha_bar 0 (2^-24 for euler/dpm), first unchanged")
    # trailing float-rounding defect is refused
    try:
        ddim_tables(61, timestep_spacing="trailing")
        refused = False
    except ValueError:
        refused = True
    _report(refused, "spot.trailing61 refused (diffusers would give 62 steps, t=-1)")


def _check_cfg(rng):
    u = rng.standard_normal((2, 4, 3, 3))
    c = rng.standard_normal((2, 4, 3, 3))
    g = cfg(u, c, 7.5)
    ok = np.allclose(g, u + 7.5 * (c - u), rtol=0, atol=1e-14)
    r = cfg(u, c, 7.5, rescale=1.0)
    ok &= np.allclose(r.reshape(2, -1).std(axis=1, ddof=1),
                      c.reshape(2, -1).std(axis=1, ddof=1), rtol=1e-13)
    h = cfg(u, c, 7.5, rescale=0.7)
    ok &= np.allclose(h, 0.7 * r + 0.3 * g, rtol=1e-13, atol=1e-14)
    # hand example: batch 1, values [0, 2] -> unbiased std sqrt(2)
    a = cfg(np.zeros((1, 2)), np.array([[0.0, 2.0]]), 2.0, rescale=1.0)
    ok &= np.allclose(a, [[0.0, 2.0]], atol=1e-15)   # guided [0,4] * sqrt2/sqrt8
    _report(ok, "cfg.rescale unbiased std over non-batch dims")


def _check_philox():
    kat = [((0, 0, 0, 0), (0, 0), 10, (0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8)),
           ((0xffffffff,) * 4, (0xffffffff,) * 2, 10,
            (0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd)),
           ((0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344), (0xa4093822, 0x299f31d0), 10,
            (0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1)),
           ((0, 0, 0, 0), (0, 0), 7, (0x5f6fb709, 0x0d893f64, 0x4f121f81, 0x4f730a48)),
           ((0xffffffff,) * 4, (0xffffffff,) * 2, 7,
            (0x5207ddc2, 0x45165e59, 0x4d8ee751, 0x8c52f662)),
           ((0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344), (0xa4093822, 0x299f31d0), 7,
            (0x4dfccaba, 0x190a87f0, 0xc47362ba, 0xb6b5242a))]
    for ctr, key, rounds, want in kat:
        got = philox4x32(ctr, key, rounds)
        _report(got == want, "philox4x32_%d kat ctr=%08x.. key=%08x.." % (rounds, ctr[0], key[0]),
                "" if got == want else " ".join("%08x" % w for w in got))


def _check_noise():
    seed = 0x0123456789ABCDEF
    z = gaussian_noise(seed, (4, 64, 64), 3)
    z2 = gaussian_noise(seed, (4, 64, 64), 3)
    ok = np.array_equal(z, z2)
    ok &= not np.array_equal(z, gaussian_noise(seed, (4, 64, 64), 4))
    ok &= not np.array_equal(z, gaussian_noise(seed + 1, (4, 64, 64), 3))
    ok &= abs(z.mean()) < 0.03 and abs(z.var() - 1.0) < 0.03
    # element-wise agreement with the scalar Philox definition
    flat = z.reshape(-1)
    for nidx in (0, 1, 12345, flat.size - 1):
        w = philox4x32_10((nidx & 0xffffffff, nidx >> 32, 3, 0),
                          (seed & 0xffffffff, seed >> 32))
        zz = math.sqrt(-2.0 * math.log((w[0] + 1) * 2.0 ** -32)) * \
            math.cos(2.0 * math.pi * w[1] * 2.0 ** -32)
        ok &= abs(zz - flat[nidx]) <= 1e-15 * max(1.0, abs(zz))
    # a prefix of a larger tensor equals the smaller tensor (index counter)
    ok &= np.array_equal(gaussian_noise(7, (10,), 0), gaussian_noise(7, (20,), 0)[:10])
    _report(bool(ok), "gaussian_noise deterministic, N(0,1) moments, matches scalar philox",
            "mean %.4f var %.4f" % (z.mean(), z.var()))


def main():
    rng = np.random.default_rng(20240607)
    _check_philox()
    _check_noise()
    _check_cfg(rng)
    _check_spots()
    _check_timesteps()
    _check_linear(rng)
    n_fail = _RESULTS.count(False)
    print("%d checks, %d failed" % (len(_RESULTS), n_fail))
    return 1 if n_fail else 0


if __name__ == "__main__":
    sys.exit(main())
