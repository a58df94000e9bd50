"""NumPy float64 reference for tessera.sample: the whole sampling loop, built
from the scheduler steps of schedulers.py (diffusers semantics), its
classifier-free guidance with rescale and its counter-based noise; plus the
closed-form denoisers that the whole-loop tests use.

For data x0 ~ N(mu, s^2) (elementwise) the optimal predictions are closed
form. Variance preserving, x_t = sqrt(a) x0 + sqrt(1 - a) eps:
    E[x0 | x_t]  = mu + sqrt(a) s^2 (x_t - sqrt(a) mu) / (a s^2 + 1 - a)
    E[eps | x_t] = sqrt(1 - a) (x_t - sqrt(a) mu) / (a s^2 + 1 - a)
    v            = sqrt(a) eps - sqrt(1 - a) x0
and the probability-flow ODE maps x_t to x0 = mu + s (x_t - sqrt(a) mu) /
sqrt(a s^2 + 1 - a) (what an ideal consistency model predicts). Flow
matching, x_t = (1 - sigma) x0 + sigma eps, velocity v = eps - x0:
    E[v | x_t] = (sigma - (1 - sigma) s^2) (x_t - (1 - sigma) mu) / D - mu,
    D = (1 - sigma)^2 s^2 + sigma^2.
"""

import numpy as np

import schedulers


def vp_denoiser(prediction, mu, s, consistency=False):
    """denoiser(x_in, level) for a variance-preserving scheduler whose
    model input is x_t and level is alpha_bar."""
    def f(x, a):
        sa, so = np.sqrt(a), np.sqrt(1.0 - a)
        d = x - sa * mu
        if consistency:
            x0 = mu + s * d / np.sqrt(a * s * s + 1.0 - a)
            eps = (x - sa * x0) / so
        else:
            den = a * s * s + 1.0 - a
            x0 = mu + sa * s * s * d / den
            eps = so * d / den
        return {"epsilon": eps, "sample": x0,
                "v_prediction": sa * eps - so * x0}[prediction]
    return f


def flow_denoiser(mu, s):
    def f(x, sigma):
        om = 1.0 - sigma
        den = om * om * s * s + sigma * sigma
        d = x - om * mu
        return (sigma - om * s * s) * d / den - mu
    return f


def level(name, tables, i):
    """The noise level tessera.sample gives its region: alpha_bar at the
    step's timestep (1 / (sigma^2 + 1) for Euler), sigma for flow matching."""
    if name == "flow_match_euler":
        return tables["sigmas"][i]
    if name == "euler":
        return 1.0 / (tables["sigmas"][i] ** 2 + 1.0)
    if name == "dpmsolver":
        return tables["alpha_t"][i] ** 2
    return tables["alpha_prod_t"][i]


def run(name, steps, config, latent, denoiser, cond=None, uncond=None,
        guidance=None, rescale=0.0, seed=None):
    """The final sample of tessera.sample. denoiser(x_in, t, level, cond)
    gets float64 arrays (the batched [uncond; cond] under guidance)."""
    tables = schedulers.TABLES[schedulers._ALIASES[name]](steps, **config)
    step = getattr(schedulers, schedulers._ALIASES[name] + "_step")
    model_input = getattr(schedulers, schedulers._ALIASES[name] + "_model_input")
    x = latent.astype(np.float64) * float(tables["init_noise_sigma"])
    state = None
    for i in range(steps):
        xin = model_input(tables, i, x)
        t = float(tables["timesteps"][i])
        lv = level(name, tables, i)
        if guidance is not None:
            both = denoiser(np.concatenate([xin, xin]), t, lv,
                            np.concatenate([uncond, cond]))
            u, c = np.split(both, 2)
            out = schedulers.cfg(u, c, guidance, rescale)
        else:
            out = denoiser(xin, t, lv, cond)
        noise = (None if seed is None
                 else schedulers.gaussian_noise(seed, x.shape, i))
        x, state = step(tables, i, out, x, noise=noise, state=state)
    return x
