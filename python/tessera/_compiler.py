"""Compiling MLIR with the tesserac driver."""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import sys
import tempfile

from ._runtime import Library

__all__ = ["CompileError", "compile", "find_tesserac"]


class CompileError(Exception):
    """tesserac could not be found or failed; the message is its
    diagnostics (stderr)."""


def find_tesserac():
    """Returns the tesserac to run: ``$TESSERA_TESSERAC`` if set, else
    ``tesserac`` on ``PATH``. Raises ``CompileError`` if there is none."""
    path = os.environ.get("TESSERA_TESSERAC")
    if path:
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            raise CompileError(
                f"TESSERA_TESSERAC={path} is not an executable file")
        return path
    path = shutil.which("tesserac")
    if path is None:
        raise CompileError("cannot find tesserac: put it on PATH or set "
                           "TESSERA_TESSERAC to its path")
    return path


#: How MLIR text starts (after whitespace); any other one-line str is a path.
_TEXT_START = re.compile(r"\s*(?:module\b|func\.func\b|//)")


def compile(source=None, *, text=None, output=None, entry=None, mcpu=None,
            mattr=None, symbol_prefix=None, extra_args=()):
    """Compiles an MLIR model with tesserac and loads it; returns a
    ``Library``.

    ``source`` is a path (``str`` or ``os.PathLike``) to a ``.mlir`` file,
    or MLIR text: a ``str`` is text if it contains a newline or starts
    (after whitespace) with the word ``module`` or ``func.func`` or with
    ``//``, and a path otherwise. Pass ``text=`` to give text explicitly.

    ``output`` keeps the shared library at that path (it is replaced
    atomically, so libraries already loaded from it are not disturbed);
    by default it lives in a temporary file deleted once loaded.
    ``entry`` (a name or a list of names) selects the entry functions,
    one model each; ``mcpu``, ``mattr`` and ``symbol_prefix`` are passed
    as ``--mcpu``, ``--mattr`` and ``--symbol-prefix``, and
    ``extra_args`` (a sequence of strings) are appended to the command
    line. No shell is involved.

    Raises ``CompileError`` with tesserac's diagnostics if it fails or
    cannot be found, and ``FileNotFoundError`` for a missing source file.
    """
    if (source is None) == (text is None):
        raise TypeError("compile() takes either source or text=")
    if text is None and isinstance(source, str) and (
            "\n" in source or _TEXT_START.match(source)):
        text = source
    if isinstance(extra_args, str):
        raise TypeError("extra_args must be a sequence of strings, not a str")
    args = ["--emit=shared"]
    if entry is not None:
        names = [entry] if isinstance(entry, str) else list(entry)
        if not names:
            raise ValueError("entry must name at least one function")
        args.append("--entry=" + ",".join(names))
    for option, value in (("--mcpu", mcpu), ("--mattr", mattr),
                          ("--symbol-prefix", symbol_prefix or "tessera")):
        if value is not None:
            args.append(f"{option}={value}")
    args += list(extra_args)
    if text is None:
        path = os.path.abspath(os.fspath(source))
        if not os.path.isfile(path):
            raise FileNotFoundError(f"no such MLIR file: {path}")
        input_file, stdin = path, None
    else:
        # From stdin: diagnostics then read "<stdin>:LINE:COL".
        input_file, stdin = "-", text.encode()
    tesserac = find_tesserac()
    output = os.path.abspath(os.fspath(output)) if output is not None \
        else None
    # Built next to `output` (for the atomic rename) and loaded from there:
    # a fresh path, which the dynamic loader has not seen.
    with tempfile.TemporaryDirectory(
            dir=os.path.dirname(output) if output else None) as directory:
        library = os.path.join(directory, "model.so")
        process = subprocess.run(
            [tesserac, input_file, *args, "-o", library], input=stdin,
            stdin=subprocess.DEVNULL if stdin is None else None,
            capture_output=True)
        diagnostics = process.stderr.decode("utf-8", "replace").strip()
        if process.returncode < 0:
            raise CompileError(f"tesserac was killed by signal "
                               f"{-process.returncode}\n{diagnostics}".strip())
        if process.returncode > 0:
            raise CompileError(diagnostics or f"tesserac failed with exit "
                               f"status {process.returncode}")
        if diagnostics:
            print(diagnostics, file=sys.stderr)
        loaded = Library(ctypes.CDLL(library), output,
                         symbol_prefix or "tessera")
        if output:
            os.replace(library, output)
    return loaded
