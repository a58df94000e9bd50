"""Tessera: compile MLIR models with tesserac and run them on NumPy arrays.

    import numpy as np
    import tessera

    lib = tessera.compile('''
    func.func @main(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
      %y = tessera.silu %x : tensor<4x8xf32>
      return %y : tensor<4x8xf32>
    }''')
    y = lib(np.ones((4, 8), np.float32))

``compile`` runs the ``tesserac`` driver (``$TESSERA_TESSERAC`` or
``tesserac`` on ``PATH``) and ``load`` opens a library it built; each entry
function is a ``Model``. ``SafeTensors``, ``load_safetensors`` and
``save_safetensors`` read and write weights. Only NumPy is required;
``tessera.from_torch`` (imported on first use) needs PyTorch.
"""

import importlib

from ._compiler import CompileError, compile
from ._runtime import Library, Model, TensorSpec, load, set_num_threads
from .safetensors import SafeTensors, load_safetensors, save_safetensors

__version__ = "0.1.0"

__all__ = [
    "CompileError",
    "Library",
    "Model",
    "SafeTensors",
    "TensorSpec",
    "compile",
    "load",
    "load_safetensors",
    "save_safetensors",
    "set_num_threads",
]


def __getattr__(name):
    # The PyTorch importer is loaded only when asked for.
    if name == "from_torch":
        return importlib.import_module(".from_torch", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
