"""Reading and writing ``.safetensors`` files with NumPy alone.

The format: an unsigned 64-bit little-endian header length N, N bytes of
UTF-8 JSON mapping each tensor name to ``{"dtype", "shape", "data_offsets":
[begin, end]}`` (byte offsets into the data section that follows the
header), and an optional ``"__metadata__"`` string-to-string map.

Element types: F64 F32 F16 I64 I32 I16 I8 U8 BOOL map to the NumPy dtype of
the same name; BF16 has no NumPy dtype and is read as ``np.uint16`` holding
the raw bits, which is what Tessera's ``bf16`` inputs take. Writing maps
``np.uint16`` (and ``ml_dtypes.bfloat16``) back to BF16, so U16 tensors
cannot be written.
"""

from __future__ import annotations

import json
import math
import mmap
import os
import stat
from collections.abc import Mapping

import numpy as np

__all__ = ["SafeTensors", "load_safetensors", "save_safetensors"]

#: safetensors dtype name -> little-endian NumPy dtype.
DTYPES = {
    "F64": np.dtype("<f8"),
    "F32": np.dtype("<f4"),
    "F16": np.dtype("<f2"),
    "BF16": np.dtype("<u2"),
    "I64": np.dtype("<i8"),
    "I32": np.dtype("<i4"),
    "I16": np.dtype("<i2"),
    "I8": np.dtype("i1"),
    "U8": np.dtype("u1"),
    "BOOL": np.dtype("?"),
}
_NAMES = {dtype: name for name, dtype in DTYPES.items()}

#: Upper bound on the JSON header length (the C++ runtime's limit).
MAX_HEADER_SIZE = 100_000_000


def _is_count(value):
    """True for a JSON non-negative integer (JSON booleans excluded)."""
    return type(value) is int and value >= 0


def _unique_object(pairs):
    """``object_pairs_hook`` rejecting duplicate keys."""
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _open_nonblocking(path, flags):
    """Opens without blocking, so that a FIFO is rejected, not waited on."""
    return os.open(path, flags | os.O_NONBLOCK)


class SafeTensors(Mapping):
    """A ``.safetensors`` file, validated on opening; a read-only mapping
    from tensor name to ``np.ndarray``.

    Tensors are read-only views of the memory-mapped file (no copy; they
    stay valid after the object is gone, but the file must not be modified
    while any is alive). ``metadata`` holds the ``"__metadata__"`` map.

    Raises ``ValueError`` naming the file if it is not a valid safetensors
    file: not a regular file (a FIFO is not waited on), a header length
    over 100 MB or past the end of the file, invalid UTF-8 or JSON, a
    duplicate name, an unknown dtype, a shape that is not a list of
    non-negative integers (or too large for NumPy), ``data_offsets``
    outside the data section or not spanning exactly ``prod(shape) *
    itemsize`` bytes, or two tensors sharing bytes.
    """

    def __init__(self, path):
        self.path = os.fspath(path)
        with open(self.path, "rb", opener=_open_nonblocking) as file:
            status = os.fstat(file.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise self._error("not a regular file")
            size = status.st_size
            if size < 8:
                raise self._error(
                    f"file too short for a safetensors header ({size} bytes)")
            header_size = int.from_bytes(file.read(8), "little")
            if header_size > MAX_HEADER_SIZE:
                raise self._error(f"header length {header_size} exceeds the "
                                  f"limit of {MAX_HEADER_SIZE}")
            if header_size > size - 8:
                raise self._error(
                    f"header length {header_size} exceeds the file size")
            header = file.read(header_size)
            # mmap cannot map an empty range; the file has at least 8 bytes.
            self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        self._data_start = 8 + header_size
        self.metadata, self._entries = self._parse_header(
            header, size - self._data_start)

    def _error(self, problem, name=None):
        where = self.path if name is None else f"{self.path}: tensor {name!r}"
        return ValueError(f"{where}: {problem}")

    def _parse_header(self, header, data_size):
        """Returns (metadata, {name: (dtype, shape, begin)})."""
        try:
            root = json.loads(header.decode("utf-8"),
                              object_pairs_hook=_unique_object)
        except (UnicodeDecodeError, ValueError, RecursionError) as error:
            raise self._error(f"invalid header: {error}") from None
        if not isinstance(root, dict):
            raise self._error("invalid header: not a JSON object")
        metadata = root.pop("__metadata__", {})
        if not (isinstance(metadata, dict)
                and all(isinstance(v, str) for v in metadata.values())):
            raise self._error('invalid header: "__metadata__" must be a '
                              "string-to-string map")
        entries, spans = {}, []
        for name, entry in root.items():
            dtype, shape, begin, end = self._parse_entry(name, entry,
                                                         data_size)
            entries[name] = (dtype, shape, begin)
            if begin != end:
                spans.append((begin, end, name))
        spans.sort()
        for (_, end, previous), (begin, _, name) in zip(spans, spans[1:]):
            if begin < end:
                raise self._error(f"data overlaps tensor {previous!r}", name)
        return metadata, entries

    def _parse_entry(self, name, entry, data_size):
        """Validates one header entry; returns (dtype, shape, begin, end)."""
        if not isinstance(entry, dict):
            raise self._error("entry is not an object", name)
        key = entry.get("dtype")
        if not isinstance(key, str) or key not in DTYPES:
            raise self._error(f"missing or unknown dtype {key!r}", name)
        dtype = DTYPES[key]
        shape = entry.get("shape")
        if not (isinstance(shape, list) and all(map(_is_count, shape))):
            raise self._error('"shape" must be a list of non-negative '
                              "integers", name)
        offsets = entry.get("data_offsets")
        if not (isinstance(offsets, list) and len(offsets) == 2
                and all(map(_is_count, offsets))):
            raise self._error('"data_offsets" must be [begin, end] with '
                              "non-negative integers", name)
        begin, end = offsets
        if begin > end:
            raise self._error(f'invalid "data_offsets" [{begin}, {end}]: '
                              "begin > end", name)
        if end > data_size:
            raise self._error(f'"data_offsets" end {end} exceeds the data '
                              f"size {data_size}", name)
        # NumPy's limit, which also binds shapes with a zero dimension.
        if math.prod(max(dim, 1) for dim in shape) * dtype.itemsize >= 2**63:
            raise self._error(f"shape {shape} is too large", name)
        needed = math.prod(shape) * dtype.itemsize
        if needed != end - begin:
            raise self._error(
                f"byte size mismatch: {key} {shape} needs {needed} bytes, "
                f"data_offsets span {end - begin}", name)
        return dtype, tuple(shape), begin, end

    def __getitem__(self, name):
        dtype, shape, begin = self._entries[name]
        return np.frombuffer(self._map, dtype, math.prod(shape),
                             self._data_start + begin).reshape(shape)

    def __iter__(self):
        return iter(self._entries)

    def __len__(self):
        return len(self._entries)

    def __repr__(self):
        return f"<tessera.SafeTensors {self.path!r}: {len(self)} tensors>"


def load_safetensors(path):
    """Reads every tensor of a ``.safetensors`` file into a dict of
    writable arrays owned by NumPy (copies; see ``SafeTensors`` for views).
    Raises ``ValueError`` naming the file if it is malformed."""
    return {name: np.array(array)
            for name, array in SafeTensors(path).items()}


def _safetensors_dtype(name, array):
    if array.dtype.name == "bfloat16":  # ml_dtypes.bfloat16
        return "BF16", array.view(np.uint16)
    key = _NAMES.get(array.dtype.newbyteorder("<"))
    if key is None:
        raise TypeError(f"tensor {name!r}: dtype {array.dtype} cannot be "
                        "stored in a safetensors file")
    return key, array


def save_safetensors(path, tensors, metadata=None):
    """Writes ``tensors`` (a mapping name -> array-like) to ``path``.

    ``metadata``, if given, is stored as ``"__metadata__"`` and must map
    strings to strings. ``np.uint16`` arrays are written as BF16 (raw
    bits). Tensors are stored little-endian and C-ordered, largest element
    size first, so that each is aligned to its element size.
    """
    items = []
    for name, value in tensors.items():
        if not isinstance(name, str) or name == "__metadata__":
            raise ValueError(f"invalid tensor name {name!r}")
        key, array = _safetensors_dtype(name, np.asarray(value))
        items.append((name, key, array))
    items.sort(key=lambda item: -DTYPES[item[1]].itemsize)
    header, offset = {}, 0
    if metadata is not None:
        if not all(isinstance(k, str) and isinstance(v, str)
                   for k, v in metadata.items()):
            raise ValueError("metadata must map strings to strings")
        header["__metadata__"] = dict(metadata)
    for name, key, array in items:
        header[name] = {"dtype": key, "shape": list(array.shape),
                        "data_offsets": [offset, offset + array.nbytes]}
        offset += array.nbytes
    text = json.dumps(header, separators=(",", ":")).encode()
    # Pad with spaces so that the data section is 8-byte aligned.
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as file:
        file.write(len(text).to_bytes(8, "little"))
        file.write(text)
        for _, key, array in items:
            data = np.ascontiguousarray(array, DTYPES[key]).reshape(-1)
            file.write(data.view(np.uint8))
