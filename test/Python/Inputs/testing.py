"""Helpers shared by the Python package's lit tests."""

import os
import subprocess
import sys

# In the sanitizer build lit preloads the ASan runtime into this process
# (for the instrumented libraries it loads); the instrumented tesserac and
# executables it starts link their own and must not inherit it.
os.environ.pop("LD_PRELOAD", None)


def show_error(label, function, *args, **kwargs):
    """Calls `function` and prints `label: ExceptionType: message`, or
    `label: no error` (on one line: newlines become ' | ')."""
    try:
        function(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 - the type is printed.
        message = str(error).replace("\n", " | ")
        print(f"{label}: {type(error).__name__}: {message}")
    else:
        print(f"{label}: no error")
    sys.stdout.flush()


def build_c_library(compiler, include, source, output, *flags):
    """Compiles C file `source` (which may include tessera-c/Model.h from
    `include`) into shared library `output`."""
    subprocess.run([compiler, "-std=c11", "-shared", "-fPIC",
                    "-I", include, *flags, source, "-o", output], check=True)
    return output
