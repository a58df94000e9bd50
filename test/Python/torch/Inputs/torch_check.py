"""Shared driver of the PyTorch importer tests.

``check(name, model, args, workdir)`` imports ``model`` with
``tessera.from_torch.import_module`` (writing the weights as safetensors),
prints the MLIR, compiles it with ``$TESSERA_TESSERAC`` (else ``tesserac``
on PATH), runs the executable on ``args`` saved as .npy files and compares
every result with the eager PyTorch output computed in float64 (a float64
copy of the module on float64 copies of the inputs: an independent
reference). It asserts ``max |got - ref| <= tol * max(1, max |ref|)`` per
result and prints ``ok NAME max_err=E``.
"""

import copy
import os
import shutil
import subprocess
import sys

import numpy as np
import torch

from tessera.from_torch import import_module


def tesserac():
    path = os.environ.get("TESSERA_TESSERAC") or shutil.which("tesserac")
    if not path:
        sys.exit("error: set TESSERA_TESSERAC to the built tesserac")
    return path


def _signature(exe):
    text = subprocess.run([exe, "--print-signature"], check=True,
                          capture_output=True, text=True).stdout
    inputs, outputs = [], []
    for line in text.splitlines():
        kind, rest = line.split(None, 1)
        if kind not in ("input", "output"):
            continue  # e.g. "scratch: N bytes"
        name = rest.split(":")[0]
        (inputs if kind == "input" else outputs).append(name)
    return inputs, outputs


def _flat(ref):
    if isinstance(ref, torch.Tensor):
        return [ref]
    if isinstance(ref, dict):
        return [t for v in ref.values() for t in _flat(v)]
    if isinstance(ref, (list, tuple)):
        return [t for v in ref for t in _flat(v)]
    raise TypeError(f"unexpected output {type(ref)}")


def _to64(x):
    if isinstance(x, torch.Tensor) and x.is_floating_point():
        return x.double()
    return x


def _save(path, tensor):
    """Save ``tensor`` as .npy; bfloat16 as raw bits with descr '<V2' (what
    Tessera executables read and write for bf16)."""
    tensor = tensor.detach()
    if tensor.dtype != torch.bfloat16:
        np.save(path, tensor.numpy())
        return
    bits = tensor.contiguous().view(torch.int16).numpy().astype("<u2")
    header = "{'descr': '<V2', 'fortran_order': False, 'shape': %r, }" % (
        tuple(bits.shape),)
    header += " " * (-(10 + len(header) + 1) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00")
        f.write(len(header).to_bytes(2, "little"))
        f.write(header.encode("latin1"))
        f.write(bits.tobytes())


def _load(path):
    """A .npy result as float64 (bf16 raw bits widened)."""
    array = np.load(path)
    if array.dtype.kind == "V" and array.dtype.itemsize == 2:
        bits = array.view("<u2").astype(np.uint32) << 16
        return bits.view(np.float32).astype(np.float64)
    return array.astype(np.float64)


def check(name, model, args, workdir, tol=1e-4, print_mlir=True,
          reference=None):
    """Import, compile, run and compare; returns the MLIR text."""
    os.makedirs(workdir, exist_ok=True)
    model = model.eval()
    weights = os.path.join(workdir, name + ".safetensors")
    mlir = import_module(model, args, weights=weights)
    if print_mlir:
        print(mlir)
    source = os.path.join(workdir, name + ".mlir")
    with open(source, "w") as f:
        f.write(mlir)
    exe = os.path.join(workdir, name)
    subprocess.run([tesserac(), source, "-o", exe], check=True)

    inputs, outputs = _signature(exe)
    out_dir = os.path.join(workdir, name + ".out")
    shutil.rmtree(out_dir, ignore_errors=True)
    command = [exe, "--weights", weights, "--output", out_dir]
    for input_name, value in zip(inputs, args):
        path = os.path.join(workdir, f"{name}.{input_name}.npy")
        _save(path, value)
        command += ["--input", f"{input_name}={path}"]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    if reference is None:
        ref_model = copy.deepcopy(model).double()
        with torch.no_grad():
            reference = ref_model(*[_to64(a) for a in args])
    refs = _flat(reference)
    assert len(refs) == len(outputs), (len(refs), outputs)
    max_err = 0.0
    for output_name, ref in zip(outputs, refs):
        got = _load(os.path.join(out_dir, output_name + ".npy"))
        ref = ref.detach().double().numpy()
        assert got.shape == ref.shape, (output_name, got.shape, ref.shape)
        assert np.all(np.isfinite(got)) and np.all(np.isfinite(ref)), \
            output_name
        err = float(np.max(np.abs(got - ref))) if ref.size else 0.0
        bound = tol * max(1.0, float(np.max(np.abs(ref))) if ref.size
                          else 0.0)
        assert err <= bound, (f"{name}: {output_name} max_err={err:.3g} > "
                              f"{bound:.3g}")
        max_err = max(max_err, err)
    print(f"ok {name} max_err={max_err:.3g}")
    sys.stdout.flush()
    return mlir
