#!/usr/bin/env python3
"""check_schedules.py TESSERA_OPT [--quick]: the compiled scheduler tables
against the float64 reference (schedulers.py) for every scheduler x
beta_schedule x timestep_spacing x prediction_type (x eta, zero-SNR,
Karras sigmas, shift where they apply).

Writes one module with a tessera.scheduler_step per configuration, runs
`TESSERA_OPT --tessera-print-schedule`, and compares each printed table
with schedulers.linear_coefficients: integer timesteps exactly, every other
value to 1e-11 relative to the largest magnitude of its table (float
timesteps of Euler and flow matching, which diffusers forms in float32, to
float32 rounding). Prints one PASS/FAIL line per scheduler; exits 1 on any
failure.
"""
import itertools
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import schedulers  # noqa: E402

MNEMONIC = {"ddim": "ddim", "ddpm": "ddpm", "euler": "euler",
            "dpmsolver": "dpm_solver_2m", "flow_match_euler": "flow_match_euler",
            "lcm": "lcm"}
BETAS = ["linear", "scaled_linear", "squaredcos_cap_v2"]
SPACINGS = ["leading", "trailing", "linspace"]
PREDICTIONS = ["epsilon", "v_prediction", "sample"]


def configs():
    """(scheduler, steps, config) triples."""
    out = []
    for beta, spacing, pred, zsnr, steps in itertools.product(
            BETAS, SPACINGS, PREDICTIONS, [False, True], [50, 7]):
        if zsnr and pred == "epsilon":
            continue  # ε at ᾱ = 0 divides by zero (a diagnostic here)
        base = dict(beta_schedule=beta, timestep_spacing=spacing,
                    prediction_type=pred, rescale_betas_zero_snr=zsnr)
        if spacing == "leading":
            base["steps_offset"] = 1
        for eta in [0.0, 0.6]:
            out.append(("ddim", steps, dict(base, eta=eta)))
        out.append(("ddim", steps, dict(base, set_alpha_to_one=False)))
        out.append(("ddpm", steps, dict(base)))
        for karras in [False, True]:
            out.append(("euler", steps, dict(base, use_karras_sigmas=karras)))
            out.append(("dpmsolver", steps, dict(base, use_karras_sigmas=karras)))
        lcm = dict(beta_schedule=beta, prediction_type=pred,
                   rescale_betas_zero_snr=zsnr)
        out.append(("lcm", 4 if steps == 50 else steps, lcm))
    out.append(("lcm", 8, dict(original_inference_steps=40, timestep_scaling=5.0,
                               beta_start=0.001, beta_end=0.02)))
    out.append(("ddim", 25, dict(num_train_timesteps=500, beta_start=0.0002,
                                 beta_end=0.03)))
    for shift, steps in itertools.product([1.0, 3.0, 5.0], [50, 4, 1]):
        out.append(("flow_match_euler", steps, dict(shift=shift)))
    out.append(("flow_match_euler", 30, dict(shift=7.0, num_train_timesteps=800)))
    # The shortest runs (DPM-Solver++ is first order throughout up to 2).
    for name in ("ddim", "ddpm", "euler", "dpmsolver", "lcm"):
        out.append((name, 1, {}))
    out += [("dpmsolver", 2, {}), ("dpmsolver", 3, {}), ("ddim", 1000, {}),
            ("euler", 1000, {}), ("lcm", 50, {})]
    return out


def attr(name, config):
    def value(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, float):
            return repr(v)
        return str(v)
    fields = ", ".join(f"{k} = {value(v)}" for k, v in config.items())
    return f"#tessera.{MNEMONIC[name]}<{fields}>"


def module(cases):
    lines = []
    for i, (name, steps, config) in enumerate(cases):
        c = schedulers.linear_coefficients(name, steps, **config)
        extra, types = "", "tensor<2xf32>, tensor<2xf32>, tensor<i64>"
        results = "tensor<2xf32>"
        if name in ("ddpm", "lcm") or (name == "ddim" and config.get("eta", 0) > 0):
            extra += " noise(%x)"
            types += ", tensor<2xf32>"
        if name == "dpmsolver":
            extra += " state(%x)"
            types += ", tensor<2xf32>"
            results = "tensor<2xf32>, tensor<2xf32>"
        lines.append(
            f"func.func @f{i}(%x: tensor<2xf32>, %i: tensor<i64>) {{\n"
            f"  %r:{results.count('tensor')} = tessera.scheduler_step %x, %x, %i{extra} "
            f"scheduler({attr(name, config)}) steps({steps}) : ({types}) -> ({results})\n"
            f"  return\n}}\n")
    return "".join(lines)


def parse(text):
    tables, cur = [], None
    for line in text.splitlines():
        if line.startswith("schedule "):
            fields = dict(f.split("=") for f in line.split()[3:])
            cur = {"init_noise_sigma": float(fields["init_noise_sigma"])}
            tables.append(cur)
        elif line.startswith("  ") and cur is not None:
            key, vals = line.strip().split(":", 1)
            cur[key] = np.array([float(v) for v in vals.split()])
    return tables


def main():
    opt = sys.argv[1]
    cases = configs()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "schedules.mlir")
        with open(path, "w") as f:
            f.write(module(cases))
        out = subprocess.run([opt, path, "--tessera-print-schedule", "-o",
                              os.devnull], check=True, capture_output=True,
                             text=True).stdout
    got = parse(out)
    if len(got) != len(cases):
        print(f"FAIL: {len(got)} schedules printed for {len(cases)} ops")
        sys.exit(1)
    worst = {}
    failures = []
    names = {"T": "timestep", "S": "input_scale", "A": "A", "B": "B", "C": "C",
             "D": "D", "P": "P", "Q": "Q"}
    for (name, steps, config), g in zip(cases, got):
        ref = schedulers.linear_coefficients(name, steps, **config)
        for key, printed in names.items():
            r, v = np.asarray(ref[key], np.float64), g[printed]
            if key == "T" and name in ("ddim", "ddpm", "lcm", "dpmsolver"):
                err, tol = float(np.max(np.abs(r - v))), 0.0
            else:
                scale = max(float(np.max(np.abs(r))), 1e-300)
                err = float(np.max(np.abs(r - v))) / scale
                f32 = key == "T" and name in ("euler", "flow_match_euler")
                tol = 1e-6 if f32 else 1e-11
            worst[name] = max(worst.get(name, 0.0), err if tol else err)
            if r.shape != v.shape or err > tol:
                failures.append(f"{name} steps={steps} {config}: {key} "
                                f"err {err:.3e} > {tol:g}\n  ref {r[:6]}\n  got {v[:6]}")
        e = abs(float(ref["init_noise_sigma"]) - g["init_noise_sigma"])
        if e > 1e-12 * max(1.0, abs(float(ref["init_noise_sigma"]))):
            failures.append(f"{name} {config}: init_noise_sigma {g['init_noise_sigma']}"
                            f" != {float(ref['init_noise_sigma'])}")
    for name in MNEMONIC:
        n = sum(1 for c in cases if c[0] == name)
        bad = [f for f in failures if f.startswith(name + " ")]
        print(f"{'FAIL' if bad else 'PASS'} {name}: {n} configurations, "
              f"max rel err {worst.get(name, 0.0):.2e}")
    for f in failures[:10]:
        print(f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
