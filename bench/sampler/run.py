#!/usr/bin/env python3
"""Side-by-side sampler benchmark: tessera.sample vs diffusers, in one run.

    bench/sampler/run.py [--threads 2] [--steps 50] [--no-install]

fp32, classifier-free guidance 7.5 with guidance_rescale 0.7, DDIM and
DPM-Solver++ 2M, on a 4x64x64 image latent and a 64x1024 audio latent
(EzAudio-like).

(a) Scheduler + guidance cost per step: a trivial denoiser (the model
    output is the model input), so what is timed is batching the latent for
    guidance, the guidance, its rescale and the scheduler step. Ours: the
    compiled loop (`--bench`, total / steps). diffusers: the same loop in
    PyTorch eager as its pipelines run it (torch.cat, chunk, the guidance
    arithmetic, diffusers' `rescale_noise_cfg` written out in torch (its
    module imports transformers), `scheduler.step`). Bytes per step are
    ours (latent L: the [x; x] batch 3L, the std pass 2L, the step pass 4L,
    DPM's state 2L more); GB/s is that over our time, beside a STREAM-like
    triad probe (bench/sampler/triad.cpp) on the same threads.
(b) With a DiT denoiser (examples/pixart_sampler.mlir: one DiT block with
    cross-attention, DPM-Solver++ 2M): the sampler's share of a step, as
    ours with the trivial denoiser on the same latent / ours with the DiT.

Installs diffusers and torch from PyPI into the running python if missing
(never needed by tests). Prints one table; never fails on a time.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("BUILD_DIR", os.path.join(ROOT, "build"))
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(ROOT, "bench", "moe"))
from run import baseline_env, cpu_info, has_module  # noqa: E402

SCHEDULERS = {
    "DDIM": ("#tessera.ddim<beta_schedule = scaled_linear, beta_start = 0.00085, "
             "beta_end = 0.012, steps_offset = 1>",
             "DDIMScheduler(beta_schedule='scaled_linear', beta_start=0.00085, "
             "beta_end=0.012, steps_offset=1, clip_sample=False, set_alpha_to_one=True)"),
    "DPM++2M": ("#tessera.dpm_solver_2m<beta_schedule = scaled_linear, "
                "beta_start = 0.00085, beta_end = 0.012>",
                "DPMSolverMultistepScheduler(beta_schedule='scaled_linear', "
                "beta_start=0.00085, beta_end=0.012)"),
}
LATENTS = {"image 4x64x64": [1, 4, 64, 64], "audio 64x1024": [1, 64, 1024]}
SCALE, RESCALE = 7.5, 0.7


def sh(cmd, env=None):
    return subprocess.run(cmd, check=True, text=True, env=env,
                          capture_output=True).stdout


def trivial_module(shape, attr, steps):
    t = "x".join(map(str, shape))
    t2 = "x".join(map(str, [2 * shape[0]] + shape[1:]))
    return textwrap.dedent(f"""\
        func.func @main(%x: tensor<{t}xf32> {{tessera.name = "x"}},
                        %c: tensor<1x8xf32> {{tessera.name = "c"}},
                        %u: tensor<1x8xf32> {{tessera.name = "u"}})
            -> (tensor<{t}xf32> {{tessera.name = "y"}}) {{
          %y = tessera.sample %x cond(%c) uncond(%u) scheduler({attr}) steps({steps})
              {{guidance_scale = {SCALE}, guidance_rescale = {RESCALE}}}
              : (tensor<{t}xf32>, tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<{t}xf32> {{
          ^bb0(%xi: tensor<{t2}xf32>, %ti: tensor<2xf32>, %ci: tensor<2x8xf32>):
            tessera.yield %xi : tensor<{t2}xf32>
          }}
          return %y : tensor<{t}xf32>
        }}
        """)


def ours_ms(mlir_path, exe, threads, iters=5):
    sh([os.path.join(BUILD, "bin", "tesserac"), mlir_path, "-o", exe])
    out = sh([exe, "--random-inputs", "--seed", "0", "--bench", str(iters),
              "--threads", str(threads)])
    return float(re.search(r"median_ms=([0-9.]+)", out).group(1))


TORCH = textwrap.dedent("""
    import sys, time, torch
    from diffusers import DDIMScheduler, DPMSolverMultistepScheduler
    def rescale_noise_cfg(g, c, guidance_rescale):
        # diffusers' rescale_noise_cfg (its module needs transformers):
        # std over the non-batch dimensions, then the φ mix.
        dims = list(range(1, c.ndim))
        r = g * (c.std(dim=dims, keepdim=True) / g.std(dim=dims, keepdim=True))
        return guidance_rescale * r + (1 - guidance_rescale) * g
    torch.set_num_threads(int(sys.argv[1]))
    steps, shape, make = int(sys.argv[2]), eval(sys.argv[3]), sys.argv[4]
    scale, rescale = float(sys.argv[5]), float(sys.argv[6])
    def run():
        sched = eval(make)
        sched.set_timesteps(steps)
        x = torch.randn(shape) * sched.init_noise_sigma
        t0 = time.perf_counter()
        for t in sched.timesteps:
            xin = sched.scale_model_input(torch.cat([x] * 2), t)
            out = xin
            u, c = out.chunk(2)
            g = u + scale * (c - u)
            g = rescale_noise_cfg(g, c, guidance_rescale=rescale)
            x = sched.step(g, t, x).prev_sample
        return time.perf_counter() - t0
    with torch.inference_mode():
        run()
        best = sorted(run() for _ in range(5))[2]
    print(best * 1e3)
""")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--no-install", action="store_true")
    a = p.parse_args()
    py = sys.executable
    if not a.no_install and not (has_module(py, "torch") and has_module(py, "diffusers")):
        subprocess.run([py, "-m", "pip", "install", "-q", "torch", "diffusers"], check=False)
    have_torch = has_module(py, "torch") and has_module(py, "diffusers")
    name, isa, flags = cpu_info()
    env = baseline_env(a.threads, flags)
    with tempfile.TemporaryDirectory() as tmp:
        cxx = shutil.which("clang++-22") or shutil.which("g++")
        triad = os.path.join(tmp, "triad")
        sh([cxx, "-O2", "-march=native", os.path.join(HERE, "triad.cpp"), "-o", triad,
            "-pthread"])
        triad_gbs = float(sh([triad, str(a.threads)]))
        print(f"Sampler fp32, CFG {SCALE} + rescale {RESCALE}, {a.steps} steps, "
              f"threads={a.threads}")
        print(f"CPU: {name}; ISA: {isa}; triad: {triad_gbs:.1f} GB/s")
        if not have_torch:
            print("diffusers/torch not importable: the diffusers column shows -")
        print(f"{'(a) trivial denoiser':24} {'sched':8} {'ours us/step':>12} "
              f"{'MB/step':>8} {'GB/s':>6} {'%triad':>6} {'diffusers us/step':>17} {'x':>6}")
        print("-" * 96)
        for lname, shape in LATENTS.items():
            n = 1
            for d in shape:
                n *= d
            for sname, (attr, make) in SCHEDULERS.items():
                path = os.path.join(tmp, "m.mlir")
                with open(path, "w") as f:
                    f.write(trivial_module(shape, attr, a.steps))
                ms = ours_ms(path, os.path.join(tmp, "m"), a.threads)
                us = ms * 1e3 / a.steps
                passes = 9 + (2 if sname == "DPM++2M" else 0)
                mb = passes * n * 4 / 1e6
                gbs = mb * 1e6 / (us * 1e-6) / 1e9
                ref = "-"
                ratio = ""
                if have_torch:
                    tms = float(sh([py, "-c", TORCH, str(a.threads), str(a.steps),
                                    str(shape), make, str(SCALE), str(RESCALE)], env=env))
                    tus = tms * 1e3 / a.steps
                    ref, ratio = f"{tus:17.1f}", f"{tus / us:6.2f}"
                print(f"{lname:24} {sname:8} {us:12.1f} {mb:8.2f} {gbs:6.1f} "
                      f"{100 * gbs / triad_gbs:5.0f}% {ref:>17} {ratio:>6}")
        # (b) the DiT denoiser's step vs the sampler's own work.
        ex = os.path.join(ROOT, "examples", "pixart_sampler.mlir")
        dit_ms = ours_ms(ex, os.path.join(tmp, "pixart"), a.threads)
        path = os.path.join(tmp, "t.mlir")
        with open(path, "w") as f:
            f.write(trivial_module([1, 64, 16], SCHEDULERS["DPM++2M"][0], 20))
        triv_ms = ours_ms(path, os.path.join(tmp, "t"), a.threads)
        print(f"(b) pixart_sampler (1 DiT block, 20 steps): {dit_ms:.2f} ms; the same "
              f"loop with a trivial denoiser {triv_ms:.3f} ms: sampler share "
              f"{100 * triv_ms / dit_ms:.1f}% of a step")
        print("x = diffusers us / ours us (> 1: ours faster); MB/step and GB/s are "
              "ours (bytes per step as in the header comment)")


if __name__ == "__main__":
    main()
