"""Reads the model table of a tesserac --emit=shared library with ctypes
(include/tessera-c/Model.h), independently of the Python package.

As a script: model_table.py LIB.so [PREFIX] prints every model's signature,
checked against its declared sizes. The prefix defaults to tesserac's: the
file name without its extension, as a C identifier."""
import ctypes
import os
import re
import sys


class TesseraModel(ctypes.Structure):
    _fields_ = [("signature", ctypes.c_char_p),
                ("signature_size", ctypes.c_int64),
                ("num_inputs", ctypes.c_int64),
                ("num_outputs", ctypes.c_int64),
                ("entry", ctypes.CFUNCTYPE(None, ctypes.POINTER(ctypes.c_void_p)))]


def default_prefix(path):
    stem = os.path.splitext(os.path.basename(path))[0][:64]
    prefix = re.sub(r"[^A-Za-z0-9]", "_", stem)
    return "_" + prefix[:63] if prefix[:1].isdigit() else prefix or "tessera"


def models(lib, prefix):
    """The (signature text, entry function) pairs of `lib`, checked."""
    count = ctypes.c_int64.in_dll(lib, f"{prefix}_num_models").value
    table = (TesseraModel * count).in_dll(lib, f"{prefix}_models")
    result = []
    for m in table:
        text = m.signature.decode()
        lines = [line.split()[0] for line in text.splitlines() if line.split()]
        assert len(text) == m.signature_size, "signature_size"
        assert lines.count("input") == m.num_inputs, "num_inputs"
        assert lines.count("output") == m.num_outputs, "num_outputs"
        result.append((text, m.entry))
    return result


if __name__ == "__main__":
    lib = ctypes.CDLL(sys.argv[1])
    prefix = sys.argv[2] if len(sys.argv) > 2 else default_prefix(sys.argv[1])
    for text, _ in models(lib, prefix):
        print(text.strip())
