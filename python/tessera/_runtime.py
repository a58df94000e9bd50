"""Loading libraries compiled by tesserac and calling their models.

A library compiled with symbol prefix P exports a table of models (see
``include/tessera-c/Model.h``)::

    typedef struct TesseraModel {
      const char *signature; int64_t signature_size;
      int64_t num_inputs; int64_t num_outputs;
      void (*entry)(void **args);
    } TesseraModel;
    extern const TesseraModel P_models[];
    extern const int64_t P_num_models;

Every signature is checked against ``signature_size``, ``num_inputs`` and
``num_outputs`` before anything is called.
"""

from __future__ import annotations

import ctypes
import math
import os
import re
import weakref
from collections.abc import Mapping
from typing import NamedTuple, Optional, Tuple

import numpy as np

from .safetensors import SafeTensors

__all__ = ["Library", "Model", "TensorSpec", "load", "set_num_threads"]

#: Signature dtype -> NumPy dtype (bf16 travels as its raw bits).
DTYPES = {
    "f32": np.dtype(np.float32),
    "f64": np.dtype(np.float64),
    "f16": np.dtype(np.float16),
    "bf16": np.dtype(np.uint16),
    "i1": np.dtype(np.bool_),
    "i8": np.dtype(np.int8),
    "i32": np.dtype(np.int32),
    "i64": np.dtype(np.int64),
}

_INT64_MAX = 2**63 - 1
_MAX_NAME_LENGTH = 200
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_DIMS = re.compile(r"[0-9]+(?:,[0-9]+)*")
_RANGE = re.compile(r"range=([0-9]+),([0-9]+)")
#: The `allocated` pointer of a constant result: never freed.
_CONSTANT_ALLOCATION = 0xDEADBEEF
#: At most this many models per library (a sanity bound on the table).
_MAX_MODELS = 1 << 16


class TensorSpec(NamedTuple):
    """An input or output of a model, as its signature declares it.

    ``dtype`` is the Tessera element type (``"f32"``, ``"bf16"``, ``"i64"``,
    ...), ``shape`` a tuple of ints (``()`` for rank 0) and ``range``, for
    an integer input that declares one, the pair ``(lo, hi)``: every
    element must lie in ``[lo, hi)``.
    """

    name: str
    dtype: str
    shape: Tuple[int, ...]
    range: Optional[Tuple[int, int]] = None

    @property
    def numpy_dtype(self):
        """The NumPy dtype of the data (``np.uint16`` bits for bf16,
        ``np.bool_`` for i1)."""
        return DTYPES[self.dtype]

    def __str__(self):
        text = f"{self.name}: {self.dtype}[{','.join(map(str, self.shape))}]"
        if self.range is None:
            return text
        return f"{text} range=[{self.range[0]},{self.range[1]})"


def _too_large(shape, dtype):
    """NumPy's size limit, which binds shapes with a zero dimension too."""
    return math.prod(max(n, 1) for n in shape) * dtype.itemsize > _INT64_MAX


def parse_signature(text):
    """Parses signature ``text``; returns ``(entry, inputs, outputs)``.

    Follows the C++ runtime (runtime/Signature.cpp): lines are ``entry
    NAME``, ``input NAME DTYPE [DIMS] [range=LO,HI]`` and ``output NAME
    DTYPE [DIMS]``, words separated by spaces, tabs or '\\r'; other lines
    are ignored. Raises ``ValueError("malformed embedded signature: line
    N: ...")`` for invalid or duplicate names, unknown dtypes, bad
    dimensions or ranges, shapes too large for NumPy and a missing or
    repeated ``entry`` line.
    """
    entry, inputs, outputs, names = None, [], [], set()
    for number, line in enumerate(text.split("\n"), 1):
        words = [word for word in re.split(r"[ \t\r]+", line) if word]

        def fail(problem):
            return ValueError(
                f"malformed embedded signature: line {number}: {problem}")

        if not words or words[0] not in ("entry", "input", "output"):
            continue
        kind = words[0]
        if kind == "entry":
            if len(words) != 2:
                raise fail("expected 'entry NAME'")
            if entry is not None:
                raise fail("more than one 'entry' line")
            if any(ord(c) < 0x20 or ord(c) == 0x7F for c in words[1]):
                raise fail(f"invalid entry name {words[1]!r}")
            entry = words[1]
            continue
        valid_range = None
        if kind == "input" and len(words) >= 4 and words[-1].startswith(
                "range="):
            word = words.pop()
            match = _RANGE.fullmatch(word)
            if not (match and int(match[1]) < int(match[2]) <= _INT64_MAX):
                raise fail(f"invalid range {word!r}")
            valid_range = (int(match[1]), int(match[2]))
        if len(words) not in (3, 4):
            raise fail(f"expected '{kind} NAME DTYPE DIMS'")
        name, dtype = words[1], words[2]
        if len(name) > _MAX_NAME_LENGTH or not _NAME.fullmatch(name):
            raise fail(f"invalid tensor name {name!r}")
        if name in names:
            raise fail(f"duplicate name {name!r}")
        names.add(name)
        if dtype not in DTYPES:
            raise fail(f"unknown dtype {dtype!r}")
        shape = ()
        if len(words) == 4:
            if _DIMS.fullmatch(words[3]):
                shape = tuple(map(int, words[3].split(",")))
            if not shape or max(shape) > _INT64_MAX:
                raise fail(f"invalid dimensions {words[3]!r}")
        if _too_large(shape, DTYPES[dtype]):
            raise fail(f"tensor {name!r}: shape {list(shape)} is too large")
        spec = TensorSpec(name, dtype, shape, valid_range)
        (inputs if kind == "input" else outputs).append(spec)
    if entry is None:
        raise ValueError("malformed embedded signature: no 'entry' line")
    return entry, inputs, outputs


#: The packed entry point: void entry(void **args).
_ENTRY = ctypes.CFUNCTYPE(None, ctypes.c_void_p)


class _TesseraModel(ctypes.Structure):
    _fields_ = [
        ("signature", ctypes.c_char_p),
        ("signature_size", ctypes.c_int64),
        ("num_inputs", ctypes.c_int64),
        ("num_outputs", ctypes.c_int64),
        ("entry", _ENTRY),
    ]


# The process's free(), which the models' malloc() pairs with.
_free = ctypes.CDLL(None).free
_free.argtypes = [ctypes.c_void_p]
_free.restype = None


def _descriptor(array):
    """The memref descriptor words of a C-contiguous array."""
    strides = [math.prod(array.shape[i + 1:]) for i in range(array.ndim)]
    pointer = array.ctypes.data
    return np.array([pointer, pointer, 0, *array.shape, *strides], np.int64)


def _gather(spec, words):
    """Copies the result with descriptor `words` into a new C-ordered
    array."""
    rank = len(spec.shape)
    aligned, offset = int(words[1]), int(words[2])
    sizes = tuple(int(n) for n in words[3:3 + rank])
    strides = [int(s) for s in words[3 + rank:3 + 2 * rank]]
    if sizes != spec.shape:
        raise RuntimeError(f"output {spec.name!r}: the model returned shape "
                           f"{sizes}, its signature declares {spec.shape}")
    dtype = spec.numpy_dtype
    if math.prod(sizes) == 0:
        return np.empty(sizes, dtype)
    # The elements lie lo..hi elements away from the first one (strides
    # may be negative).
    lo = sum(min(0, s * (n - 1)) for s, n in zip(strides, sizes))
    hi = sum(max(0, s * (n - 1)) for s, n in zip(strides, sizes))
    start = aligned + (offset + lo) * dtype.itemsize
    span = (ctypes.c_char * ((hi - lo + 1) * dtype.itemsize)).from_address(
        start)
    view = np.ndarray(sizes, dtype, span, -lo * dtype.itemsize,
                      [s * dtype.itemsize for s in strides])
    return view.copy()


def _check_conversion(array, spec, what):
    """Raises unless `array` converts to the dtype of `spec` without losing
    information (see Model)."""
    dtype = spec.numpy_dtype
    if spec.dtype == "bf16":
        raise TypeError(f"{what}: expected bf16 (np.uint16 bit patterns or "
                        f"ml_dtypes.bfloat16), got {array.dtype}")
    if np.can_cast(array.dtype, dtype, "safe") or (
            array.dtype.kind == "f" and dtype.kind == "f"):
        return
    if array.dtype.kind in "iu" and dtype.kind == "i":
        info = np.iinfo(dtype)
        # Python ints: NumPy compares uint64 with int64 in float64.
        if array.size and not (info.min <= int(array.min())
                               and int(array.max()) <= info.max):
            raise ValueError(f"{what}: {array.dtype} values out of range for "
                             f"{spec.dtype}")
        return
    raise TypeError(f"{what}: expected {spec.dtype}, got {array.dtype} (no "
                    "safe conversion; convert it explicitly)")


def _prepare(spec, value, what):
    """Checks input `value` against `spec`; returns a C-contiguous, aligned
    array of the exact dtype (`value` itself when it already is one)."""
    array = np.asarray(value)
    if array.dtype.name == "bfloat16":  # ml_dtypes.bfloat16
        array = array.view(np.uint16)
    if array.dtype != spec.numpy_dtype:
        _check_conversion(array, spec, what)
    if array.shape != spec.shape:
        raise ValueError(f"{what}: expected shape {spec.shape}, got "
                         f"{array.shape}")
    array = np.require(array, spec.numpy_dtype, ["C", "A"])
    if spec.range is not None and array.dtype.kind == "i" and array.size:
        lo, hi = spec.range
        bad = (array < lo) | (array >= hi)
        if bad.any():
            index = np.unravel_index(np.flatnonzero(bad)[0], array.shape)
            where = f"element {list(map(int, index))}" if index else "value"
            raise ValueError(f"{what}: {where} is {array[index]}, outside "
                             f"the valid range [{lo}, {hi})")
    return array


def _open_weights(weights, needed):
    """Returns (description, mapping) for the `weights` argument; a path is
    opened only if `needed`."""
    if weights is None:
        return None, {}
    if isinstance(weights, (str, os.PathLike)):
        path = os.fspath(weights)
        return path, SafeTensors(path) if needed else {}
    if isinstance(weights, SafeTensors):
        return weights.path, weights
    if isinstance(weights, Mapping):
        return "weights", weights
    raise TypeError("weights must be a .safetensors path, a SafeTensors or "
                    f"a dict of arrays, not {type(weights).__name__}")


class Model:
    """One compiled entry function of a ``Library``.

    ``name`` is the entry's name; ``inputs`` and ``outputs`` are lists of
    ``TensorSpec``. Call the model with its inputs by position or by name,
    ``model(x, w=w)``, or use ``run`` with a dict (names may contain '.',
    and an input called ``weights`` can only be given that way or by
    position). Inputs not given are taken from ``weights`` by name: a
    ``.safetensors`` path, a ``SafeTensors`` or a dict of arrays.

    Every input is checked before the call. Its shape must match exactly,
    and an integer input with a ``range`` must have every element in
    ``[lo, hi)`` (else ``ValueError``). An array that is C-contiguous with
    the exact dtype is passed without a copy (the model only reads it).
    Anything else is converted when that loses no information: NumPy's
    safe casts, narrowing floats (f64 -> f32 only rounds) and narrowing
    integers whose values all fit; float -> int and the like raise
    ``TypeError``. bf16 tensors are ``np.uint16`` bit patterns (inputs
    also take ``ml_dtypes.bfloat16``); i1 is ``np.bool_``.

    Results are new arrays owned by NumPy. The call releases the GIL.
    """

    def __init__(self, library, entry, name, inputs, outputs):
        self.library = library
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self._entry = entry
        self._result_words = sum(3 + 2 * len(o.shape) for o in outputs)

    def __call__(self, *args, weights=None, **kwargs):
        """Runs the model; returns its output, or a tuple if it has
        several."""
        if len(args) > len(self.inputs):
            raise TypeError(f"model {self.name!r} takes {len(self.inputs)} "
                            f"inputs, {len(args)} given")
        given = {spec.name: value for spec, value in zip(self.inputs, args)}
        for name in kwargs:
            if name in given:
                raise TypeError(f"model {self.name!r}: input {name!r} given "
                                "by position and by name")
        given.update(kwargs)
        results = self._run(given, weights)
        return results[0] if len(results) == 1 else tuple(results)

    def run(self, inputs=None, weights=None):
        """Runs the model on ``inputs`` (a dict name -> array; missing ones
        come from ``weights``); returns a dict output name -> array."""
        results = self._run(dict(inputs or {}), weights)
        return {spec.name: r for spec, r in zip(self.outputs, results)}

    def _run(self, given, weights):
        known = {spec.name for spec in self.inputs}
        for name in given:
            if name not in known:
                raise TypeError(f"model {self.name!r} has no input {name!r}")
        source, weights = _open_weights(weights, len(given) < len(known))
        arrays = []
        for spec in self.inputs:
            if spec.name in given:
                value, what = given[spec.name], f"input {spec.name!r}"
            elif spec.name in weights:
                value = weights[spec.name]
                what = f"input {spec.name!r} (from {source})"
            else:
                raise TypeError(f"model {self.name!r}: input {spec.name!r} "
                                "not given" +
                                (f" and not in {source}" if source else ""))
            arrays.append(_prepare(spec, value, what))
        return self._call(arrays)

    def _call(self, arrays):
        descriptors = [_descriptor(a) for a in arrays]
        results = np.zeros(self._result_words, np.int64)
        args = np.array([results.ctypes.data] +
                        [d.ctypes.data for d in descriptors], np.uintp)
        self._entry(args.ctypes.data)
        outputs, start = [], 0
        try:
            for spec in self.outputs:
                end = start + 3 + 2 * len(spec.shape)
                outputs.append(_gather(spec, results[start:end]))
                start = end
        finally:
            self._free_results(results, {a.ctypes.data for a in arrays})
        return outputs

    def _free_results(self, results, inputs):
        """Frees the result blocks the caller owns: not null, not a
        constant, not an input and not freed already."""
        freed, position = {0, _CONSTANT_ALLOCATION}, 0
        for spec in self.outputs:
            allocated = int(results[position])
            position += 3 + 2 * len(spec.shape)
            if allocated not in freed and allocated not in inputs:
                freed.add(allocated)
                _free(allocated)

    def __repr__(self):
        inputs = ", ".join(map(str, self.inputs))
        outputs = ", ".join(map(str, self.outputs))
        return f"<tessera.Model {self.name}({inputs}) -> ({outputs})>"


#: The libraries loaded, for set_num_threads.
_libraries = weakref.WeakSet()
_num_threads = None


class Library:
    """A shared library compiled by tesserac, with one ``Model`` per entry.

    ``entries`` lists the entry names in ``--entry`` order; ``lib[name]``
    is a model, ``lib.model`` the first (or only) one, and ``lib(...)``
    calls it. ``path`` is the file (None for a temporary one).
    """

    def __init__(self, cdll, path, symbol_prefix):
        self.path = path
        self.symbol_prefix = symbol_prefix
        self._cdll = cdll
        where = path or "library"
        count = self._symbol(ctypes.c_int64, "num_models", where).value
        if not 0 < count <= _MAX_MODELS:
            raise ValueError(f"{where}: {symbol_prefix}_num_models is {count}")
        table = self._symbol(_TesseraModel * count, "models", where)
        _check_cpu_features(self._cdll, symbol_prefix, where)
        self._models = {}
        for index, raw in enumerate(table):
            model = self._check_model(raw, f"{where}: model {index}")
            if model.name in self._models:
                raise ValueError(f"{where}: two models named {model.name!r}")
            self._models[model.name] = model
        self.entries = list(self._models)
        _libraries.add(self)
        if _num_threads is not None:
            _set_threads(self, _num_threads)

    def _symbol(self, ctype, suffix, where):
        name = f"{self.symbol_prefix}_{suffix}"
        try:
            return ctype.in_dll(self._cdll, name)
        except ValueError:
            raise ValueError(
                f"{where}: no symbol {name!r} (not a library compiled by "
                f"tesserac with symbol prefix {self.symbol_prefix!r}?)") \
                from None

    def _check_model(self, raw, where):
        text = raw.signature
        if text is None:
            raise ValueError(f"{where}: no signature")
        if raw.signature_size != len(text):
            raise ValueError(
                f"{where}: malformed embedded signature: signature_size is "
                f"{raw.signature_size} but the text is {len(text)} bytes long")
        try:
            name, inputs, outputs = parse_signature(
                text.decode("utf-8", "replace"))
        except ValueError as error:
            raise ValueError(f"{where}: {error}") from None
        if any(line.split() == ["target", "cuda"]
               for line in text.decode("utf-8", "replace").split("\n")):
            raise ValueError(
                f"{where}: model {name!r} was compiled with --target=cuda; "
                "this runtime calls CPU models on host memory (run a CUDA "
                "model as an executable)")
        for what, parsed, declared in (("inputs", inputs, raw.num_inputs),
                                       ("outputs", outputs, raw.num_outputs)):
            if len(parsed) != declared:
                raise ValueError(
                    f"{where}: malformed embedded signature: {len(parsed)} "
                    f"{what} in the text, but num_{what} is {declared}")
        if not raw.entry:
            raise ValueError(f"{where}: no entry point")
        return Model(self, raw.entry, name, inputs, outputs)

    def __getitem__(self, name):
        try:
            return self._models[name]
        except KeyError:
            raise KeyError(f"no model {name!r} (entries: {self.entries})") \
                from None

    @property
    def model(self):
        """The first model (the only one unless several entries were
        compiled)."""
        return self._models[self.entries[0]]

    def __call__(self, *args, **kwargs):
        """Calls the first model: ``lib(x)`` is ``lib.model(x)``."""
        return self.model(*args, **kwargs)

    def __repr__(self):
        where = repr(self.path) if self.path else "(temporary)"
        return f"<tessera.Library {where} entries={self.entries}>"


# x86 features a compiled library may use: LLVM's name -> /proc/cpuinfo's.
_CHECKED_FEATURES = {
    "avx": "avx", "avx2": "avx2", "fma": "fma", "bmi": "bmi1", "bmi2": "bmi2",
    "f16c": "f16c", "avx512f": "avx512f", "avx512bw": "avx512bw",
    "avx512dq": "avx512dq", "avx512vl": "avx512vl", "avx512cd": "avx512cd",
    "avx512vnni": "avx512_vnni", "avx512bf16": "avx512_bf16"}


def _check_cpu_features(cdll, symbol_prefix, where):
    """Raises RuntimeError if the library was compiled for x86 features
    this CPU lacks (``<prefix>_cpu_features``: the CPU name, then its
    features), instead of letting a call die on an illegal instruction."""
    try:
        text = ctypes.c_char.in_dll(cdll, f"{symbol_prefix}_cpu_features")
        text = ctypes.string_at(ctypes.addressof(text)).decode("ascii",
                                                               "replace")
        with open("/proc/cpuinfo") as info:
            flags = next((line.split(":", 1)[1].split() for line in info
                          if line.startswith("flags")), None)
    except (ValueError, OSError):
        return
    if flags is None:
        return
    cpu, *features = text.split()
    missing = [f for f in features
               if f in _CHECKED_FEATURES and _CHECKED_FEATURES[f] not in flags]
    if missing:
        raise RuntimeError(
            f"{where}: compiled for CPU {cpu!r} and uses {', '.join(missing)}, "
            "which this CPU lacks; recompile with mcpu='native' here or a "
            "level such as mcpu='x86-64-v3'")


def _default_prefix(path):
    """tesserac's default symbol prefix for an output file: its name
    without the extension, as a C identifier."""
    stem = os.path.splitext(os.path.basename(path))[0][:64]
    prefix = "".join(c if c.isascii() and c.isalnum() else "_" for c in stem)
    return "_" + prefix[:63] if prefix[:1].isdigit() else prefix or "tessera"


def load(path, *, symbol_prefix=None):
    """Loads a shared library compiled by ``tesserac --emit=shared``.

    ``symbol_prefix`` must match the ``--symbol-prefix`` it was compiled
    with; by default it is tesserac's default for the file's name
    (``model.so``: ``model``), else ``tessera`` (what ``compile`` uses).
    Raises ``OSError`` if the file cannot be loaded and
    ``ValueError`` if it has no valid model table. The dynamic loader
    keeps a library loaded under its path: loading the same path again
    gives the code loaded first even if the file was rebuilt since
    (``compile`` loads from a fresh temporary path instead).
    """
    path = os.path.abspath(os.fspath(path))
    cdll = ctypes.CDLL(path)
    if symbol_prefix is None:
        symbol_prefix = _default_prefix(path)
        if not hasattr(cdll, f"{symbol_prefix}_num_models"):
            symbol_prefix = "tessera"
    return Library(cdll, path, symbol_prefix)


def _set_threads(library, count):
    try:
        function = library._cdll.omp_set_num_threads
    except AttributeError:
        return
    function.argtypes = [ctypes.c_int]
    function.restype = None
    function(count)


def set_num_threads(count):
    """Sets the number of OpenMP threads the models use.

    Calls ``omp_set_num_threads`` of the libomp that the loaded libraries
    link, now and whenever a library is loaded later; libraries without
    libomp are left alone. As in OpenMP, the setting applies to model
    calls from the calling thread.
    """
    global _num_threads
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"thread count must be an int >= 1, got {count!r}")
    _num_threads = count
    for library in list(_libraries):
        _set_threads(library, count)
