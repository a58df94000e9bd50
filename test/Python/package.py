# The package's surface: what `import tessera` exports, that it imports
# neither PyTorch nor the importer (tessera.from_torch loads on first use),
# and that every public name is documented.
# RUN: %PYTHON %s | FileCheck %s

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "Inputs"))
from testing import show_error  # noqa: E402

import tessera  # noqa: E402

print(tessera.__version__, tessera.__all__)
# CHECK: 0.1.0 ['CompileError', 'Library', 'Model', 'SafeTensors', 'TensorSpec', 'compile', 'load', 'load_safetensors', 'save_safetensors', 'set_num_threads']
print("lazy:", "tessera.from_torch" not in sys.modules,
      "torch" not in sys.modules)
# CHECK-NEXT: lazy: True True
undocumented = [name for name in tessera.__all__
                if not (getattr(tessera, name).__doc__ or "").strip()]
print("undocumented:", undocumented)
# CHECK-NEXT: undocumented: []
print(issubclass(tessera.CompileError, Exception),
      tessera.TensorSpec("x", "i64", (2,), (0, 3)).numpy_dtype)
# CHECK-NEXT: True int64
show_error("attribute", getattr, tessera, "nope")
# CHECK-NEXT: attribute: AttributeError: module 'tessera' has no attribute 'nope'
