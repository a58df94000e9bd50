#!/usr/bin/env python3
"""Turns a diffusers scheduler_config.json into the tessera scheduler
attribute that computes the same schedule.

  scripts/scheduler_attr.py scheduler_config.json [--eta ETA]

Prints one line, e.g. `#tessera.ddim<beta_start = 0.00085, ...>`, to paste
into `tessera.sample ... scheduler(...)` or `tessera.scheduler_step`. The
scheduler is taken from `_class_name` (DDIMScheduler, DDPMScheduler,
EulerDiscreteScheduler, DPMSolverMultistepScheduler,
FlowMatchEulerDiscreteScheduler, LCMScheduler). Keys are carried over by
name; keys equal to the attribute's default are left out. A setting the
attribute cannot express (clip_sample = true, thresholding, another
DPM-Solver order or algorithm, ...) is an error (exit status 2); keys that
do not affect the schedule are ignored, with a note on standard error.
"""
import argparse
import json
import math
import sys

COMMON = {"num_train_timesteps": 1000, "beta_start": 0.0001, "beta_end": 0.02,
          "beta_schedule": "linear", "prediction_type": "epsilon",
          "timestep_spacing": "leading", "steps_offset": 0,
          "rescale_betas_zero_snr": False}

SCHEDULERS = {
    "DDIMScheduler": ("ddim", dict(COMMON, set_alpha_to_one=True)),
    "DDPMScheduler": ("ddpm", dict(COMMON)),
    "EulerDiscreteScheduler": ("euler", dict(COMMON, timestep_spacing="linspace",
                                             use_karras_sigmas=False)),
    "DPMSolverMultistepScheduler": ("dpm_solver_2m",
                                    dict(COMMON, timestep_spacing="linspace",
                                         use_karras_sigmas=False)),
    "FlowMatchEulerDiscreteScheduler": ("flow_match_euler",
                                        {"num_train_timesteps": 1000, "shift": 1.0}),
    "LCMScheduler": ("lcm", dict(COMMON, beta_start=0.00085, beta_end=0.012,
                                 beta_schedule="scaled_linear",
                                 set_alpha_to_one=True, original_inference_steps=50,
                                 timestep_scaling=10.0)),
}

# Settings the attributes implement; any other value cannot be expressed.
REQUIRED = {
    "clip_sample": False, "thresholding": False, "trained_betas": None,
    "variance_type": {"DDPMScheduler": "fixed_small",
                      "DPMSolverMultistepScheduler": None},
    "algorithm_type": "dpmsolver++", "solver_order": 2, "solver_type": "midpoint",
    "lower_order_final": True, "euler_at_final": False,
    "final_sigmas_type": "zero", "interpolation_type": "linear",
    "use_exponential_sigmas": False, "use_beta_sigmas": False,
    "use_dynamic_shifting": False, "use_lu_lambdas": False,
    "timestep_type": "discrete", "invert_sigmas": False,
    "stochastic_sampling": False, "shift_terminal": None,
}
INF_OK = {"lambda_min_clipped"}  # only -inf is supported
ENUMS = {"beta_schedule": {"linear", "scaled_linear", "squaredcos_cap_v2"},
         "prediction_type": {"epsilon", "v_prediction", "sample"},
         "timestep_spacing": {"leading", "trailing", "linspace"}}


def fail(msg):
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(2)


def literal(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("config")
    p.add_argument("--eta", type=float, default=0.0,
                   help="DDIM's eta (a step argument in diffusers)")
    a = p.parse_args()
    try:
        with open(a.config) as f:
            cfg = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{a.config}: {e}")
    if not isinstance(cfg, dict):
        fail(f"{a.config}: not a JSON object")
    cls = cfg.get("_class_name")
    if cls not in SCHEDULERS:
        fail(f"{a.config}: unsupported scheduler {cls!r} (supported: "
             f"{', '.join(SCHEDULERS)})")
    mnemonic, defaults = SCHEDULERS[cls]
    fields = []
    for key, value in cfg.items():
        if key.startswith("_"):
            continue
        if key in defaults:
            want = type(defaults[key])
            if want is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if not isinstance(value, want) or (want is int and isinstance(value, bool)):
                fail(f"{key} = {value!r}: expected {want.__name__}")
            if key in ENUMS and value not in ENUMS[key]:
                fail(f"{key} = {value!r} is not supported (one of "
                     f"{', '.join(sorted(ENUMS[key]))})")
            if isinstance(value, float) and not math.isfinite(value):
                fail(f"{key} = {value!r}: expected a finite number")
            if value != defaults[key]:
                fields.append(f"{key} = {literal(value)}")
        elif key in REQUIRED:
            need = REQUIRED[key]
            if isinstance(need, dict):
                need = need.get(cls, value)
            if value != need:
                fail(f"{key} = {value!r} is not supported (tessera implements "
                     f"{need!r})")
        elif key in INF_OK:
            if not (isinstance(value, float) and math.isinf(value) and value < 0) \
                    and value not in ("-inf", None):
                fail(f"{key} = {value!r} is not supported (only -inf)")
        else:
            print(f"note: {key} ignored (does not affect the schedule)",
                  file=sys.stderr)
    if a.eta:
        if mnemonic != "ddim":
            fail("--eta applies to DDIMScheduler only")
        fields.append(f"eta = {literal(a.eta)}")
    print(f"#tessera.{mnemonic}<{', '.join(fields)}>")


if __name__ == "__main__":
    main()
