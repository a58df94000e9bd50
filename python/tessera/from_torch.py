"""Import PyTorch modules into Tessera MLIR.

``torch.export`` traces a module into an ATen graph; this module translates
that graph into the text of one ``func.func`` that ``tesserac`` compiles::

    import torch, numpy as np
    from tessera.from_torch import import_module

    model = MyBlock().eval()
    x = torch.randn(2, 256, 384)
    mlir = import_module(model, (x,), weights="w.safetensors")
    open("model.mlir", "w").write(mlir)
    np.save("x.npy", x.numpy())
    # tesserac model.mlir -o model
    # ./model --input x=x.npy --weights w.safetensors --output out
    # out/output0.npy is model(x)

PyTorch (2.4 or newer) is needed only by this module, and only when it is
used; ``import tessera`` never imports torch.

API
===

``import_module(module, example_args, *, example_kwargs=None, entry="main",
weights=None) -> str``
    Runs ``torch.export.export(module, example_args, kwargs=example_kwargs)``
    and returns ``import_program`` of the result. Call ``module.eval()``
    first (a training-mode dropout is rejected).

``import_program(exported_program, *, entry="main", weights=None) -> str``
    The same for an existing ``torch.export.ExportedProgram``.

The function ``@<entry>`` takes, in order:

* the user inputs, named (``{tessera.name = "..."}``) after the graph's
  placeholders, i.e. the ``forward`` parameter names (``x``, ``mask``);
* the parameters and buffers, named by their ``state_dict`` names
  (``attn.qkv.weight``); non-persistent buffers by their attribute path.

Its results are named after the keys when ``forward`` returns a dict of
tensors, else ``output0``, ``output1``, ... Names that break the compiler's
tensor-name rule ``[A-Za-z_][A-Za-z0-9_.-]*`` have their other characters
replaced by ``_`` (and ``_`` prefixed when needed); duplicates get ``_1``,
``_2``, ... suffixes.

``weights``: a path; every parameter and buffer is written there as a
safetensors file under the argument names, so that
``./model --input x=x.npy --weights w.safetensors`` runs the model.

Element types and shapes: shapes must be static. Float tensors are
computed in f32; f16, bf16 and f64 inputs, parameters and results keep their
type in the signature (converted to f32 on entry, back on exit), so f16 and
bf16 models run with f32 arithmetic. Bool and integer tensors are supported
where the ops below take them (masks, comparisons, ``where``).

Sub-graphs that depend on no input, parameter or buffer (``torch.arange``,
``torch.ones(...).tril()``, lifted tensor constants) are evaluated by
PyTorch at import time and embedded as ``arith.constant``.

Errors: an op without a translation raises ``UnsupportedOpError`` (a
``NotImplementedError``) naming the ATen op and where the model calls it::

    unsupported op aten.topk.default at model.py:12 in forward

(``.op``, ``.location``, ``.filename``, ``.lineno`` hold the parts). Before
giving up on an op the importer tries PyTorch's decomposition of it
(``ExportedProgram.run_decompositions`` restricted to the ops it lacks).

Op table
========

====================================================  =======================
ATen op (overloads)                                    Tessera / MLIR
====================================================  =======================
linear                                                 tessera.linear
mm, bmm, matmul (1-D, broadcast batches), addmm,       tessera.linear on the
baddbmm, einsum with two operands (via                 transposed right
permute / reshape)                                     operand (a transpose
                                                       pair folds); batched:
                                                       one per batch entry
einsum (other forms: repeated labels, 1 or 3+          linalg.generic
operands)
layer_norm, native_layer_norm (output 0), over one     tessera.layer_norm
or several trailing dimensions
group_norm, native_group_norm (output 0)               tessera.layer_norm over
                                                       groups + affine
rms_norm; the pattern ``x * rsqrt(mean(x**2, -1,       tessera.rms_norm
keepdim=True) + eps)`` (or ``x / sqrt(...)``), with
a following ``* weight[C]`` folded in
gelu (approximate none / tanh)                         tessera.gelu
silu; ``silu(a) * b`` of one shape                     tessera.silu;
                                                       tessera.swiglu
scaled_dot_product_attention (is_causal, attn_mask     tessera.attention
bool or additive, scale, enable_gqa, 2-D to N-D
inputs), _scaled_dot_product_flash_attention_for_cpu,
_scaled_dot_product_efficient_attention,
_scaled_dot_product_flash_attention (output 0)
add, sub, rsub, mul, div (Tensor / Scalar, alpha,      arith / math ops: on
rounding_mode), maximum, minimum, pow (Tensor_Scalar,  tensors when no
Scalar, Tensor_Tensor), neg, exp, exp2, expm1, log,    broadcast or cast is
log2, log1p, tanh, sigmoid, sqrt, rsqrt, reciprocal,   needed, else in a
abs, relu, relu6, elu, leaky_relu, hardsigmoid,        linalg.generic with
hardswish, sin, cos, erf, floor, ceil, trunc, clamp,   broadcasting indexing
clamp_min, clamp_max, hardtanh, where, masked_fill,    maps
eq / ne / lt / le / gt / ge, logical_not / and / or,
_to_copy / to / type_as (dtype casts)
sum, mean, amax, amin, var, std, any, all              linalg.generic
                                                       reductions
softmax, _softmax, log_softmax, _log_softmax           max / sub / exp / sum /
                                                       div linalg.generics
view, reshape, _unsafe_view, flatten, unflatten,       tensor.collapse_shape /
squeeze, unsqueeze, view_as, reshape_as                tensor.expand_shape
permute, transpose, swapaxes, t                        linalg.transpose
expand, expand_as, broadcast_to, repeat                linalg.generic
                                                       (broadcast)
flip                                                   linalg.generic
cat, concat, stack                                     tensor.concat
slice (steps), select, narrow, split,                  tensor.extract_slice
split_with_sizes, chunk, unbind, tensor_split
(+ getitem)
full_like, zeros_like, ones_like, empty_like           arith.constant
clone, contiguous, alias, detach, lift_fresh_copy,     nothing
dropout / native_dropout in eval mode;
_assert_* (dropped)
====================================================  =======================

Ops missing from the table go through PyTorch's decompositions when it has
one (softplus, mish, logsumexp, glu, linalg_vector_norm, ...).

Known gaps: dynamic shapes; data-dependent ops (topk, sort, argmax,
nonzero, index / gather, embedding, scatter, cumsum); in-place buffer
updates (KV caches); training-mode dropout; random ops; float64 compute
(f64 tensors are computed in f32). SDPA rows whose mask excludes every key
give 0 here and NaN in PyTorch.
"""

from __future__ import annotations

import json
import math
import os
import re
import struct

import numpy as np

__all__ = ["UnsupportedOpError", "import_module", "import_program"]

_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
_SYMBOL_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.$-]*\Z")


class UnsupportedOpError(NotImplementedError):
    """An ATen op (or a form of it) that the importer cannot translate.

    ``op`` is the op's name (``aten.topk.default``), ``location`` where the
    model calls it (``model.py:12 in forward``), ``filename`` and ``lineno``
    its parts when known, ``reason`` an optional detail.
    """

    def __init__(self, op, location="<unknown location>", reason=None,
                 filename=None, lineno=None):
        self.op = op
        self.location = location
        self.reason = reason
        self.filename = filename
        self.lineno = lineno
        message = f"unsupported op {op} at {location}"
        if reason:
            message += f": {reason}"
        super().__init__(message)


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------

def _mlir_string(text):
    """An MLIR string literal for ``text`` (escapes '"' and '\\')."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\%02X" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _tensor_name(raw, used):
    """``raw`` made a valid, unused tensor name (recorded in ``used``)."""
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", str(raw))
    if not name or not re.match(r"[A-Za-z_]", name[0]):
        name = "_" + name
    name = name[:190]
    candidate, k = name, 0
    while candidate in used:
        k += 1
        candidate = f"{name}_{k}"
    assert _NAME_RE.match(candidate)
    used.add(candidate)
    return candidate


def _ttype(shape, et):
    if not shape:
        return f"tensor<{et}>"
    return "tensor<" + "x".join(str(d) for d in shape) + f"x{et}>"


def _fmt_float(value, et="f32"):
    """An MLIR float literal (hex bit pattern for non-finite values)."""
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        if et == "f64":
            bits = struct.unpack("<Q", struct.pack("<d", value))[0]
            return "0x%016X" % bits
        bits = struct.unpack("<I", struct.pack("<f", value))[0]
        return "0x%08X" % bits
    text = repr(value)
    if "e" in text and "." not in text.split("e")[0]:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}.0e{exponent}"
    elif "." not in text and "e" not in text:
        text += ".0"
    return text


def _is_float(et):
    return et in ("f32", "f16", "bf16", "f64")


def _prod(values):
    result = 1
    for v in values:
        result *= int(v)
    return result


def _location(node):
    """(text, filename, lineno) of where the model calls ``node``."""
    trace = node.meta.get("stack_trace") if node is not None else None
    if trace:
        frames = re.findall(r'File "([^"]+)", line (\d+), in (\S+)', trace)
        if frames:
            import torch
            torch_dir = os.path.dirname(os.path.abspath(torch.__file__))
            chosen = frames[-1]
            for frame in reversed(frames):
                if not os.path.abspath(frame[0]).startswith(torch_dir + os.sep):
                    chosen = frame
                    break
            filename, lineno, func = chosen
            return (f"{os.path.basename(filename)}:{lineno} in {func}",
                    filename, int(lineno))
    stack = node.meta.get("nn_module_stack") if node is not None else None
    if stack:
        path, cls = list(stack.values())[-1]
        cls = getattr(cls, "__name__", cls)
        return f"module {path or '<root>'} ({cls})", None, None
    return "<unknown location>", None, None


def _op_name(target):
    if hasattr(target, "_schema") or hasattr(target, "overloadpacket"):
        return str(target)
    name = getattr(target, "__name__", None) or str(target)
    module = getattr(target, "__module__", None)
    if module == "_operator":
        return name
    return f"{module}.{name}" if module else name


# --------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------

class _T:
    """An SSA tensor value."""
    __slots__ = ("ssa", "shape", "et")

    def __init__(self, ssa, shape, et):
        self.ssa = ssa
        self.shape = tuple(int(d) for d in shape)
        self.et = et

    @property
    def type(self):
        return _ttype(self.shape, self.et)

    def __repr__(self):
        return f"_T({self.ssa}: {self.type})"


class _Const:
    """A tensor known at import time, emitted as a constant when used."""
    __slots__ = ("tensor", "value")

    def __init__(self, tensor):
        self.tensor = tensor
        self.value = None


class _NoValue:
    """A result the importer does not produce (e.g. native_layer_norm's
    mean); using it is an error."""

    def __init__(self, what):
        self.what = what


class _Fail(Exception):
    """Raised by handlers; turned into UnsupportedOpError at the node."""


_OPS = {}


def _op(*names):
    def register(fn):
        for name in names:
            _OPS[name] = fn
        return fn
    return register


_IDENTITY_OPS = {
    "aten.clone.default", "aten.contiguous.default", "aten.alias.default",
    "aten.detach.default", "aten.detach_.default",
    "aten.lift_fresh_copy.default", "aten.lift_fresh.default",
    "aten._to_copy.default", "aten.to.dtype", "aten.to.dtype_layout",
    "aten.to.device", "aten.type_as.default",
}

_NOOP_OPS = {
    "aten._assert_tensor_metadata.default", "aten._assert_scalar.default",
    "aten.sym_constrain_range_for_size.default",
    "aten.sym_constrain_range.default", "aten._assert_async.msg",
    "aten._assert_async.default",
}


# --------------------------------------------------------------------------
# The importer
# --------------------------------------------------------------------------

class _Region:
    """Builder of a linalg.generic body (scalar ops)."""

    def __init__(self, imp):
        self.imp = imp
        self.lines = []
        self.names = set()

    def name(self, base):
        k = 0
        while True:
            candidate = f"{base}{k}"
            if candidate not in self.names and candidate not in self.imp.used:
                self.names.add(candidate)
                self.imp.region_names.add(candidate)
                return "%" + candidate
            k += 1

    def emit(self, text, base="t"):
        result = self.name(base)
        self.lines.append(f"{result} = {text}")
        return result

    def const(self, value, et):
        if _is_float(et):
            return self.emit(f"arith.constant {_fmt_float(value, et)} : {et}",
                             "c")
        if et == "i1":
            return self.emit(f"arith.constant {'true' if value else 'false'}",
                             "c")
        return self.emit(f"arith.constant {int(value)} : {et}", "c")

    def binary(self, kind, a, b, et):
        floats = {"add": "arith.addf", "sub": "arith.subf",
                  "mul": "arith.mulf", "div": "arith.divf",
                  "max": "arith.maximumf", "min": "arith.minimumf",
                  "pow": "math.powf"}
        ints = {"add": "arith.addi", "sub": "arith.subi", "mul": "arith.muli",
                "div": "arith.divsi", "max": "arith.maxsi",
                "min": "arith.minsi", "and": "arith.andi", "or": "arith.ori",
                "xor": "arith.xori"}
        table = floats if _is_float(et) else ints
        if kind not in table:
            raise _Fail(f"{kind} on {et}")
        return self.emit(f"{table[kind]} {a}, {b} : {et}")

    def unary(self, op, a, et):
        return self.emit(f"{op} {a} : {et}")

    def cast(self, a, src, dst):
        if src == dst:
            return a
        if _is_float(src) and _is_float(dst):
            widths = {"f16": 16, "bf16": 16, "f32": 32, "f64": 64}
            if src in ("f16", "bf16") and dst in ("f16", "bf16"):
                a = self.cast(a, src, "f32")
                return self.cast(a, "f32", dst)
            op = "arith.extf" if widths[dst] > widths[src] else "arith.truncf"
            return self.emit(f"{op} {a} : {src} to {dst}")
        if src == "i1" and _is_float(dst):
            return self.emit(f"arith.uitofp {a} : i1 to {dst}")
        if src == "i1":
            return self.emit(f"arith.extui {a} : i1 to {dst}")
        if _is_float(src) and dst == "i1":
            zero = self.const(0.0, src)
            return self.emit(f"arith.cmpf une, {a}, {zero} : {src}")
        if dst == "i1":
            zero = self.const(0, src)
            return self.emit(f"arith.cmpi ne, {a}, {zero} : {src}")
        if _is_float(dst):
            return self.emit(f"arith.sitofp {a} : {src} to {dst}")
        if _is_float(src):
            return self.emit(f"arith.fptosi {a} : {src} to {dst}")
        wa, wb = int(src[1:]), int(dst[1:])
        op = "arith.extsi" if wb > wa else "arith.trunci"
        return self.emit(f"{op} {a} : {src} to {dst}")

    def compare(self, pred, a, b, et):
        if _is_float(et):
            fp = {"eq": "oeq", "ne": "une", "lt": "olt", "le": "ole",
                  "gt": "ogt", "ge": "oge"}[pred]
            return self.emit(f"arith.cmpf {fp}, {a}, {b} : {et}")
        ip = {"eq": "eq", "ne": "ne", "lt": "slt", "le": "sle", "gt": "sgt",
              "ge": "sge"}[pred]
        if et == "i1":
            ip = {"lt": "ult", "le": "ule", "gt": "ugt", "ge": "uge"}.get(
                pred, ip)
        return self.emit(f"arith.cmpi {ip}, {a}, {b} : {et}")

    def select(self, c, a, b, et):
        return self.emit(f"arith.select {c}, {a}, {b} : {et}")


class _Importer:
    def __init__(self, ep, entry):
        import torch
        self.torch = torch
        self.ep = ep
        self.entry = entry
        self.lines = []
        self.used = set()
        self.region_names = set()
        self.env = {}
        self.base = "v"
        self.node = None
        self.scalar_cache = {}
        self.rewrites = {}
        self.perm_src = {}
        # Structural keys (what MLIR's CSE would merge) of derived values,
        # and the keys of the weights tessera.linear ops already read.
        self.struct = {}
        self.reshape_src = {}

    # ---- emission -------------------------------------------------------

    def fresh(self, base):
        base = re.sub(r"[^A-Za-z0-9_.$-]", "_", base) or "v"
        if base[0].isdigit() or base[0] in ".$-":
            base = "v" + base
        name, k = base, 0
        while name in self.used or name in self.region_names:
            k += 1
            name = f"{base}.{k}"
        self.used.add(name)
        return "%" + name

    def tmp(self, suffix=""):
        return self.fresh(self.base + ("." + suffix if suffix else ""))

    def emit(self, line):
        self.lines.append("  " + line)

    def scalar(self, value, et):
        key = (repr(float(value)) if _is_float(et) else int(value), et)
        if key not in self.scalar_cache:
            if _is_float(et):
                literal = _fmt_float(value, et)
                base = "cst"
            elif et == "index":
                literal, base = str(int(value)), "c"
            else:
                literal, base = str(int(value)), "c"
            name = self.fresh(f"{base}_{et}")
            self.emit(f"{name} = arith.constant {literal} : {et}")
            self.scalar_cache[key] = name
        return self.scalar_cache[key]

    def empty(self, shape, et, suffix="init"):
        name = self.tmp(suffix)
        self.emit(f"{name} = tensor.empty() : {_ttype(shape, et)}")
        self.struct[name] = ("empty", _ttype(shape, et))
        return name

    def filled(self, shape, et, value):
        init = self.empty(shape, et)
        c = self.scalar(value, et)
        name = self.tmp("fill")
        t = _ttype(shape, et)
        self.emit(f"{name} = linalg.fill ins({c} : {et}) outs({init} : {t})"
                  f" -> {t}")
        self.struct[name] = ("fill", repr(value), t)
        return name

    def generic(self, ins, in_maps, out_shape, out_et, out_map, iters, body,
                init=None, suffix=""):
        """Emit a linalg.generic. ``body(region, in_args, acc)`` returns the
        yielded value."""
        n = len(iters)
        dims = ", ".join(f"d{i}" for i in range(n))

        def amap(exprs):
            return f"affine_map<({dims}) -> ({', '.join(exprs)})>"

        if init is None:
            init = self.empty(out_shape, out_et)
        region = _Region(self)
        args = [region.name("in") for _ in ins]
        acc = region.name("out")
        result_value = body(region, args, acc)
        out_t = _ttype(out_shape, out_et)
        maps = ", ".join(amap(m) for m in list(in_maps) + [out_map])
        it = ", ".join(f'"{i}"' for i in iters)
        name = self.tmp(suffix)
        ins_text = ""
        if ins:
            ins_text = (f"ins({', '.join(v.ssa for v in ins)} : "
                        f"{', '.join(v.type for v in ins)}) ")
        self.emit(f"{name} = linalg.generic {{indexing_maps = [{maps}], "
                  f"iterator_types = [{it}]}} {ins_text}"
                  f"outs({init} : {out_t}) {{")
        blk = ", ".join(f"{a}: {v.et}" for a, v in zip(args, ins))
        blk = (blk + ", " if blk else "") + f"{acc}: {out_et}"
        self.lines.append(f"  ^bb0({blk}):")
        for line in region.lines:
            self.lines.append("    " + line)
        self.lines.append(f"    linalg.yield {result_value} : {out_et}")
        self.lines.append(f"  }} -> {out_t}")
        self.struct[name] = ("generic", tuple(self.key(v) for v in ins),
                             self.struct.get(init, init), maps, it,
                             tuple(region.lines), result_value, out_t)
        return _T(name, out_shape, out_et)

    # ---- value access ---------------------------------------------------

    def lookup(self, x):
        fx = self.torch.fx
        if isinstance(x, fx.Node):
            if x not in self.env:
                raise _Fail(f"value {x.name} is not available")
            v = self.env[x]
            if isinstance(v, _NoValue):
                raise _Fail(f"uses {v.what}, which is not supported")
            return v
        if isinstance(x, (list, tuple)):
            return [self.lookup(y) for y in x]
        return x

    def arg(self, node, i, name=None, default=Ellipsis):
        if i is not None and i < len(node.args):
            x = node.args[i]
        elif name is not None and name in node.kwargs:
            x = node.kwargs[name]
        elif default is Ellipsis:
            raise _Fail(f"missing argument {name or i}")
        else:
            return default
        return self.lookup(x)

    def t(self, v):
        """``v`` as an SSA tensor (materialising constants)."""
        if isinstance(v, _T):
            return v
        if isinstance(v, _Const):
            if v.value is None:
                v.value = self.constant(v.tensor)
            return v.value
        if isinstance(v, (bool, int, float)):
            return self.constant(self.torch.tensor(v))
        raise _Fail(f"expected a tensor, got {type(v).__name__}")

    def internal_et(self, dtype):
        torch = self.torch
        if dtype in (torch.float32, torch.float16, torch.bfloat16,
                     torch.float64):
            return "f32"
        table = {torch.bool: "i1", torch.int64: "i64", torch.int32: "i32",
                 torch.int16: "i16", torch.int8: "i8", torch.uint8: "i8"}
        if dtype not in table:
            raise _Fail(f"element type {dtype}")
        return table[dtype]

    def storage_et(self, dtype):
        torch = self.torch
        table = {torch.float32: "f32", torch.float16: "f16",
                 torch.bfloat16: "bf16", torch.float64: "f64",
                 torch.bool: "i1", torch.int64: "i64", torch.int32: "i32",
                 torch.int8: "i8"}
        if dtype not in table:
            raise _Fail(f"element type {dtype}")
        return table[dtype]

    def constant(self, tensor):
        torch = self.torch
        tensor = tensor.detach().cpu()
        et = self.internal_et(tensor.dtype)
        shape = tuple(tensor.shape)
        if _is_float(et):
            array = tensor.to(torch.float32).contiguous().numpy()
        elif et == "i1":
            array = tensor.contiguous().numpy().astype(bool)
        else:
            array = tensor.contiguous().numpy()
        flat = array.reshape(-1)
        ttype = _ttype(shape, et)
        if flat.size and np.all(flat == flat[0]) and not (
                _is_float(et) and np.isnan(flat[0])):
            v = flat[0]
            if _is_float(et):
                literal = _fmt_float(float(v))
            elif et == "i1":
                literal = "true" if v else "false"
            else:
                literal = str(int(v))
        elif et == "i1":
            literal = json.dumps(array.tolist()) if shape else (
                "true" if bool(array) else "false")
        elif flat.size <= 64 and (not _is_float(et) or
                                  np.all(np.isfinite(flat))):
            fmt = (lambda x: _fmt_float(float(x))) if _is_float(et) else (
                lambda x: str(int(x)))

            def nest(a):
                if a.ndim == 0:
                    return fmt(a)
                return "[" + ", ".join(nest(b) for b in a) + "]"

            literal = nest(array)
        else:
            dtype = {"f32": "<f4", "i64": "<i8", "i32": "<i4", "i16": "<i2",
                     "i8": "i1"}[et]
            literal = '"0x' + array.astype(dtype).tobytes().hex().upper() + '"'
        name = self.fresh(self.base + ".const")
        self.emit(f"{name} = arith.constant dense<{literal}> : {ttype}")
        self.struct[name] = ("const", literal, ttype)
        return _T(name, shape, et)

    def meta(self, node, index=None):
        val = node.meta.get("val")
        if index is not None:
            val = val[index]
        torch = self.torch
        if not isinstance(val, torch.Tensor):
            raise _Fail("result is not a tensor")
        shape = []
        for d in val.shape:
            if isinstance(d, torch.SymInt):
                node_ = getattr(d, "node", None)
                const = node_.maybe_as_int() if hasattr(
                    node_, "maybe_as_int") else None
                if const is None:
                    raise _Fail("dynamic shapes are not supported")
                d = const
            shape.append(int(d))
        return tuple(shape), self.internal_et(val.dtype)

    # ---- shape ops ------------------------------------------------------

    def reshape(self, v, shape):
        v = self.t(v)
        shape = tuple(int(d) for d in shape)
        if v.shape == shape:
            return v
        # Reshape a reshape's source directly (no collapse/expand chains).
        v = self.reshape_src.get(v.ssa, v)
        if v.shape == shape:
            return v
        if _prod(v.shape) != _prod(shape):
            raise _Fail(f"reshape of {v.shape} to {shape}")
        a, b = v.shape, shape
        if 0 in a:
            return self.reshape_general(v, shape)
        if not a or not b:
            if not a:
                return self._expand(v, [], shape)
            return self._collapse(v, [], shape)
        groups = []
        i = j = 0
        while i < len(a) and j < len(b):
            ga, gb = [i], [j]
            pa, pb = a[i], b[j]
            i += 1
            j += 1
            while pa != pb:
                if pa < pb:
                    ga.append(i)
                    pa *= a[i]
                    i += 1
                else:
                    gb.append(j)
                    pb *= b[j]
                    j += 1
            groups.append((ga, gb))
        while i < len(a):
            groups[-1][0].append(i)
            i += 1
        while j < len(b):
            groups[-1][1].append(j)
            j += 1
        mid = tuple(_prod(a[k] for k in ga) for ga, _ in groups)
        if mid != a:
            v = self._collapse(v, [ga for ga, _ in groups], mid)
        if mid != b:
            v = self._expand(v, [gb for _, gb in groups], b)
        return v

    def reshape_general(self, v, shape):
        shape_c = self.fresh(self.base + ".shape")
        dims = ", ".join(str(d) for d in shape)
        self.emit(f"{shape_c} = arith.constant dense<[{dims}]> : "
                  f"tensor<{len(shape)}xi64>")
        name = self.tmp()
        out = _T(name, shape, v.et)
        self.emit(f"{name} = tensor.reshape {v.ssa}({shape_c}) : ({v.type}, "
                  f"tensor<{len(shape)}xi64>) -> {out.type}")
        return out

    @staticmethod
    def _reassoc(groups):
        return "[" + ", ".join("[" + ", ".join(str(k) for k in g) + "]"
                               for g in groups) + "]"

    def _collapse(self, v, groups, shape):
        name = self.tmp()
        out = _T(name, shape, v.et)
        self.emit(f"{name} = tensor.collapse_shape {v.ssa} "
                  f"{self._reassoc(groups)} : {v.type} into {out.type}")
        self.struct[name] = ("reshape", self.key(v), tuple(shape))
        self.reshape_src[name] = self.reshape_src.get(v.ssa, v)
        return out

    def _expand(self, v, groups, shape):
        name = self.tmp()
        out = _T(name, shape, v.et)
        dims = ", ".join(str(d) for d in shape)
        self.emit(f"{name} = tensor.expand_shape {v.ssa} "
                  f"{self._reassoc(groups)} output_shape [{dims}] : "
                  f"{v.type} into {out.type}")
        self.struct[name] = ("reshape", self.key(v), tuple(shape))
        self.reshape_src[name] = self.reshape_src.get(v.ssa, v)
        return out

    def permute(self, v, perm):
        v = self.t(v)
        rank = len(v.shape)
        perm = [int(p) % rank if rank else 0 for p in perm]
        if sorted(perm) != list(range(rank)):
            raise _Fail(f"bad permutation {perm}")
        if perm == list(range(rank)):
            return v
        shape = tuple(v.shape[p] for p in perm)
        init = self.empty(shape, v.et)
        name = self.tmp()
        out = _T(name, shape, v.et)
        self.emit(f"{name} = linalg.transpose ins({v.ssa} : {v.type}) "
                  f"outs({init} : {out.type}) permutation = "
                  f"[{', '.join(str(p) for p in perm)}]")
        self.perm_src[name] = (v, perm)
        self.struct[name] = ("perm", self.key(v), tuple(perm))
        return out

    def slice(self, v, offsets, sizes, strides=None):
        v = self.t(v)
        strides = strides or [1] * len(sizes)
        if list(offsets) == [0] * len(sizes) and tuple(sizes) == v.shape \
                and list(strides) == [1] * len(sizes):
            return v
        name = self.tmp()
        out = _T(name, sizes, v.et)
        fmt = lambda xs: ", ".join(str(int(x)) for x in xs)
        self.emit(f"{name} = tensor.extract_slice {v.ssa}[{fmt(offsets)}] "
                  f"[{fmt(sizes)}] [{fmt(strides)}] : {v.type} to {out.type}")
        self.struct[name] = ("slice", self.key(v), tuple(offsets),
                             tuple(sizes), tuple(strides))
        return out

    def concat(self, values, dim, shape):
        values = [v for v in values if v.shape[dim] != 0] or values[:1]
        if len(values) == 1:
            return values[0]
        name = self.tmp()
        out = _T(name, shape, values[0].et)
        self.emit(f"{name} = tensor.concat dim({dim}) "
                  f"{', '.join(v.ssa for v in values)} : "
                  f"({', '.join(v.type for v in values)}) -> {out.type}")
        self.struct[name] = ("concat", dim, tuple(self.key(v) for v in values))
        return out

    # ---- elementwise ----------------------------------------------------

    def ew(self, operands, out_shape, cet, oet, fn, casts=None, suffix=""):
        """Elementwise op over broadcast ``operands`` (tensors or Python
        scalars). ``fn(region, values)`` gets the scalar values converted to
        ``cet`` (or to ``casts[i]``; None keeps the operand's type) and
        returns a value of type ``oet``."""
        out_shape = tuple(out_shape)
        rank = len(out_shape)
        tensors, maps, slots = [], [], []
        for k, x in enumerate(operands):
            if isinstance(x, (_T, _Const)):
                x = self.t(x)
                r = len(x.shape)
                if r > rank:
                    raise _Fail(f"cannot broadcast {x.shape} to {out_shape}")
                exprs = []
                for i, d in enumerate(x.shape):
                    od = rank - r + i
                    if d == out_shape[od]:
                        exprs.append(f"d{od}")
                    elif d == 1:
                        exprs.append("0")
                    else:
                        raise _Fail(
                            f"cannot broadcast {x.shape} to {out_shape}")
                slots.append(("t", len(tensors)))
                tensors.append(x)
                maps.append(exprs)
            else:
                slots.append(("s", x))
        identity = [f"d{i}" for i in range(rank)]

        def body(region, args, acc):
            vals = []
            for k, (kind, x) in enumerate(slots):
                want = cet if casts is None else casts[k]
                if kind == "t":
                    src = tensors[x].et
                    a = args[x]
                    vals.append(a if want is None else region.cast(a, src,
                                                                   want))
                else:
                    if want is None:
                        want = ("i1" if isinstance(x, bool) else "f32"
                                if isinstance(x, float) else "i64")
                    vals.append(region.const(x, want))
            return fn(region, vals)

        return self.generic(tensors, maps, out_shape, oet, identity,
                            ["parallel"] * rank, body, suffix=suffix)

    def ew_simple(self, op, operands, out_shape, et):
        """One arith/math op: tensor form when no broadcast or cast is
        needed, else a linalg.generic."""
        tensors = [x for x in operands if isinstance(x, (_T, _Const))]
        if len(tensors) == len(operands) and out_shape:
            ts = [self.t(x) for x in tensors]
            if all(x.shape == tuple(out_shape) and x.et == et for x in ts):
                name = self.tmp()
                out = _T(name, out_shape, et)
                self.emit(f"{name} = {op} {', '.join(x.ssa for x in ts)} : "
                          f"{out.type}")
                return out
        return self.ew(operands, out_shape, et, et,
                       lambda r, v: r.emit(f"{op} {', '.join(v)} : {et}"))

    def cast(self, v, et):
        v = self.t(v)
        if v.et == et:
            return v
        return self.ew([v], v.shape, et, et, lambda r, x: x[0])

    def broadcast_to(self, v, shape):
        v = self.t(v)
        if v.shape == tuple(shape):
            return v
        return self.ew([v], shape, v.et, v.et, lambda r, x: x[0])

    # ---- reductions -----------------------------------------------------

    def reduce(self, v, dims, kind):
        v = self.t(v)
        rank = len(v.shape)
        dims = sorted(set(int(d) % rank for d in dims)) if rank else []
        if not dims:
            return v
        keep = [i for i in range(rank) if i not in dims]
        out_shape = tuple(v.shape[i] for i in keep)
        et = v.et
        if kind in ("or", "and"):
            if et != "i1":
                raise _Fail(f"{kind} of {et}")
            init_value = kind == "and"
        elif kind == "sum":
            init_value = 0.0 if _is_float(et) else 0
        elif kind == "max":
            init_value = -math.inf if _is_float(et) else -(2 ** 63)
        else:
            init_value = math.inf if _is_float(et) else 2 ** 63 - 1
        if not _is_float(et) and kind in ("max", "min"):
            raise _Fail(f"{kind} of {et}")
        init = self.filled(out_shape, et, init_value)
        op = {"sum": "add", "max": "max", "min": "min", "or": "or",
              "and": "and"}[kind]
        return self.generic(
            [v], [[f"d{i}" for i in range(rank)]], out_shape, et,
            [f"d{i}" for i in keep],
            ["reduction" if i in dims else "parallel" for i in range(rank)],
            lambda r, a, acc: r.binary(op, a[0], acc, et), init=init)

    def unsqueeze_like(self, reduced, full_shape, dims):
        """``reduced`` (``dims`` removed) reshaped with 1s at ``dims``."""
        shape = tuple(1 if i in dims else d for i, d in enumerate(full_shape))
        return self.reshape(reduced, shape)

    def softmax(self, v, dim, log=False):
        v = self.cast(self.t(v), "f32")
        rank = len(v.shape)
        if rank == 0:
            return self.ew([v], (), "f32", "f32",
                           lambda r, x: r.const(0.0 if log else 1.0, "f32"))
        dim = dim % rank
        m = self.reduce(v, [dim], "max")
        # Keep -inf rows finite in the subtraction (all-masked rows give
        # NaN in PyTorch too: exp(-inf - -inf)).
        shifted = self.ew([v, self.unsqueeze_like(m, v.shape, [dim])],
                          v.shape, "f32", "f32",
                          lambda r, x: r.binary("sub", x[0], x[1], "f32"),
                          suffix="shift")
        e = self.ew([shifted], v.shape, "f32", "f32",
                    lambda r, x: r.unary("math.exp", x[0], "f32"),
                    suffix="exp")
        s = self.reduce(e, [dim], "sum")
        s = self.unsqueeze_like(s, v.shape, [dim])
        if log:
            return self.ew([shifted, s], v.shape, "f32", "f32",
                           lambda r, x: r.binary(
                               "sub", x[0], r.unary("math.log", x[1], "f32"),
                               "f32"))
        return self.ew([e, s], v.shape, "f32", "f32",
                       lambda r, x: r.binary("div", x[0], x[1], "f32"))

    # ---- matmul ---------------------------------------------------------

    # tesserac's fast matrix product is tessera.linear (x · Wᵀ with W in
    # the nn.Linear layout [N, K]); linalg.matmul / batch_matmul lower to
    # plain loops. So products are emitted as tessera.linear on a
    # transposed right operand (a transpose of a transpose is folded here),
    # a batched product as one tessera.linear per batch entry.

    def transpose_last2(self, v):
        """``v`` with its last two dimensions swapped, reusing the source
        when ``v`` is itself such a transpose."""
        rank = len(v.shape)
        perm = list(range(rank - 2)) + [rank - 1, rank - 2]
        src = self.perm_src.get(v.ssa)
        if src is not None:
            base, p = src
            if [p[q] for q in perm] == list(range(rank)):
                return base
        return self.permute(v, perm)

    def key(self, v):
        return self.struct.get(v.ssa, v.ssa)

    def linear_nt(self, a, w, bias=None):
        """a [..., K] · w[N, K]ᵀ (+ bias [N])."""
        a, w = self.cast(a, "f32"), self.cast(w, "f32")
        if a.shape[-1] != w.shape[-1]:
            raise _Fail(f"matmul of {a.shape} and {w.shape}ᵀ")
        out = _T(self.tmp(), a.shape[:-1] + (w.shape[0],), "f32")
        if bias is not None:
            bias = self.cast(bias, "f32")
            self.emit(f"{out.ssa} = tessera.linear {a.ssa}, {w.ssa} "
                      f"bias({bias.ssa}) : ({a.type}, {w.type}, {bias.type})"
                      f" -> {out.type}")
        else:
            self.emit(f"{out.ssa} = tessera.linear {a.ssa}, {w.ssa} : "
                      f"({a.type}, {w.type}) -> {out.type}")
        return out

    def batched_linear(self, a, w):
        """a [G, M, K] · w[G, N, K]ᵀ -> [G, M, N]."""
        (g, m, k), (g2, n, k2) = a.shape, w.shape
        if k != k2 or g != g2:
            raise _Fail(f"batch matmul of {a.shape} and {w.shape}ᵀ")
        if g == 1:
            r = self.linear_nt(self.reshape(a, (m, k)),
                               self.reshape(w, (n, k)))
            return self.reshape(r, (1, m, n))
        a, w = self.cast(a, "f32"), self.cast(w, "f32")
        if g > 1024:
            b = self.permute(w, [0, 2, 1])
            init = self.filled((g, m, n), "f32", 0.0)
            out = _T(self.tmp(), (g, m, n), "f32")
            self.emit(f"{out.ssa} = linalg.batch_matmul ins({a.ssa}, "
                      f"{b.ssa} : {a.type}, {b.type}) outs({init} : "
                      f"{out.type}) -> {out.type}")
            return out
        parts = []
        for i in range(g):
            ai = _T(self.tmp(), (m, k), "f32")
            self.emit(f"{ai.ssa} = tensor.extract_slice {a.ssa}[{i}, 0, 0] "
                      f"[1, {m}, {k}] [1, 1, 1] : {a.type} to {ai.type}")
            wi = _T(self.tmp(), (n, k), "f32")
            self.emit(f"{wi.ssa} = tensor.extract_slice {w.ssa}[{i}, 0, 0] "
                      f"[1, {n}, {k}] [1, 1, 1] : {w.type} to {wi.type}")
            self.struct[wi.ssa] = ("slice", self.key(w), i)
            parts.append(self.reshape(self.linear_nt(ai, wi), (1, m, n)))
        return self.concat(parts, 0, (g, m, n))

    def mm(self, a, b):
        return self.linear_nt(a, self.transpose_last2(self.t(b)))

    def bmm(self, a, b):
        return self.batched_linear(a, self.transpose_last2(self.t(b)))

    def matmul(self, a, b, out_shape):
        a, b = self.t(a), self.t(b)
        ra, rb = len(a.shape), len(b.shape)
        if ra == 0 or rb == 0:
            raise _Fail("matmul of a 0-d tensor")
        if ra == 1 and rb == 1:
            r = self.einsum("i,i->", [a, b])
            return self.reshape(r, out_shape)
        a2 = a if ra >= 2 else self.reshape(a, (1, a.shape[0]))
        if rb == 1:
            w = self.reshape(b, (1, b.shape[0]))
        else:
            w = self.transpose_last2(b)  # [..., N, K]
        if len(w.shape) == 2:
            return self.reshape(self.linear_nt(a2, w), out_shape)
        batch = tuple(np.broadcast_shapes(a2.shape[:-2], w.shape[:-2]))
        g = _prod(batch)
        a3 = self.reshape(self.broadcast_to(a2, batch + a2.shape[-2:]),
                          (g,) + a2.shape[-2:])
        w3 = self.reshape(self.broadcast_to(w, batch + w.shape[-2:]),
                          (g,) + w.shape[-2:])
        return self.reshape(self.batched_linear(a3, w3), out_shape)

    def einsum(self, equation, operands):
        operands = [self.cast(self.t(x), "f32") for x in operands]
        eq = equation.replace(" ", "")
        if "->" in eq:
            lhs, rhs = eq.split("->")
        else:
            lhs, rhs = eq, None
        terms = lhs.split(",")
        if len(terms) != len(operands):
            raise _Fail(f"einsum {equation!r} with {len(operands)} operands")
        ell = 0
        for term, x in zip(terms, operands):
            if "..." in term:
                ell = max(ell, len(x.shape) - (len(term) - 3))
        ell_labels = [("...", i) for i in range(ell)]

        def labels(term, rank):
            if "..." in term:
                head, tail = term.split("...")
                n = rank - len(head) - len(tail)
                return list(head) + ell_labels[ell - n:] + list(tail)
            return list(term)

        in_labels = [labels(t, len(x.shape)) for t, x in zip(terms, operands)]
        for ls, x in zip(in_labels, operands):
            if len(ls) != len(x.shape):
                raise _Fail(f"einsum {equation!r}: operand rank mismatch")
        if rhs is None:
            counts = {}
            for ls in in_labels:
                for l in ls:
                    if isinstance(l, str):
                        counts[l] = counts.get(l, 0) + 1
            out_labels = ell_labels + sorted(l for l, c in counts.items()
                                             if c == 1)
        else:
            out_labels = labels(rhs, ell + len(rhs.replace("...", "")))
        sizes = {}
        for ls, x in zip(in_labels, operands):
            for l, d in zip(ls, x.shape):
                if sizes.get(l, 1) == 1:
                    sizes[l] = d
        order = list(out_labels)
        for ls in in_labels:
            for l in ls:
                if l not in order:
                    order.append(l)
        index = {l: i for i, l in enumerate(order)}
        maps = []
        for ls, x in zip(in_labels, operands):
            maps.append(["0" if d == 1 and sizes[l] != 1 else f"d{index[l]}"
                         for l, d in zip(ls, x.shape)])
        out_shape = tuple(sizes[l] for l in out_labels)
        if len(operands) == 2 and all(len(set(ls)) == len(ls)
                                      for ls in in_labels):
            return self.einsum_matmul(operands, in_labels, out_labels, sizes)
        reduction = len(order) > len(out_labels)
        iters = ["parallel"] * len(out_labels) + ["reduction"] * (
            len(order) - len(out_labels))

        def body(r, args, acc):
            p = args[0]
            for a in args[1:]:
                p = r.binary("mul", p, a, "f32")
            return r.binary("add", acc, p, "f32") if reduction else p

        init = self.filled(out_shape, "f32", 0.0) if reduction else None
        return self.generic(operands, maps, out_shape, "f32",
                            [f"d{i}" for i in range(len(out_labels))], iters,
                            body, init=init)

    def einsum_matmul(self, operands, in_labels, out_labels, sizes):
        """A two-operand contraction as (batch) matmul: sum the labels only
        one operand has, permute to [batch, free, contracted] and
        [batch, contracted, free], multiply, permute to the output."""
        la, lb = in_labels
        prepared = []
        for x, ls, other in ((operands[0], la, lb), (operands[1], lb, la)):
            drop = [i for i, l in enumerate(ls)
                    if l not in other and l not in out_labels]
            if drop:
                x = self.reduce(x, drop, "sum")
                ls = [l for i, l in enumerate(ls) if i not in drop]
            prepared.append((x, ls))
        (a, la), (b, lb) = prepared
        batch = [l for l in out_labels if l in la and l in lb]
        left = [l for l in out_labels if l in la and l not in lb]
        right = [l for l in out_labels if l in lb and l not in la]
        contracted = [l for l in la if l in lb and l not in out_labels]

        def arrange(x, ls, groups):
            order = [l for g in groups for l in g]
            x = self.permute(x, [ls.index(l) for l in order])
            full = tuple(sizes[l] for l in order)
            x = self.broadcast_to(x, full)  # size-1 ellipsis dimensions
            return self.reshape(x, tuple(_prod(sizes[l] for l in g)
                                         for g in groups))

        a3 = arrange(a, la, [batch, left, contracted])
        w3 = arrange(b, lb, [batch, right, contracted])
        r = self.batched_linear(a3, w3)
        got = batch + left + right
        r = self.reshape(r, tuple(sizes[l] for l in got))
        return self.permute(r, [got.index(l) for l in out_labels])

    # ---- driver ---------------------------------------------------------

    def fail(self, node, reason=None):
        text, filename, lineno = _location(node)
        return UnsupportedOpError(_op_name(node.target), text, reason,
                                  filename, lineno)

    def run(self, weights):
        torch = self.torch
        ep = self.ep
        graph = ep.graph
        sig = ep.graph_signature
        from torch.export.graph_signature import InputKind, OutputKind

        specs = {s.arg.name: s for s in sig.input_specs
                 if hasattr(s.arg, "name")}
        names = set()
        user_args, state_args = [], []
        placeholders = [n for n in graph.nodes if n.op == "placeholder"]
        for node in placeholders:
            spec = specs.get(node.name)
            kind = spec.kind if spec is not None else InputKind.USER_INPUT
            if kind == InputKind.USER_INPUT:
                user_args.append((node, None))
            elif kind in (InputKind.PARAMETER, InputKind.BUFFER):
                if spec.target in ep.state_dict:
                    tensor = ep.state_dict[spec.target]
                else:
                    tensor = ep.constants[spec.target]
                state_args.append((node, (spec.target, tensor)))
            elif kind == InputKind.CONSTANT_TENSOR:
                self.env[node] = _Const(ep.constants[spec.target])
            else:
                raise UnsupportedOpError(
                    f"input kind {kind.name}", f"input {node.name}")

        for spec in sig.output_specs:
            if spec.kind != OutputKind.USER_OUTPUT:
                raise UnsupportedOpError(
                    f"output kind {spec.kind.name}",
                    f"output {getattr(spec.arg, 'name', '?')}",
                    f"in-place update of {spec.target}" if spec.target
                    else None)

        # Function arguments.
        args_text = []
        weight_tensors = {}
        for node, state in user_args + state_args:
            val = node.meta.get("val")
            if not isinstance(val, torch.Tensor):
                # A constant user input baked into the graph.
                self.env[node] = val
                continue
            self.base = node.name
            self.node = node
            try:
                shape, _ = self.meta(node)
                storage = self.storage_et(val.dtype)
                internal = self.internal_et(val.dtype)
            except _Fail as e:
                raise UnsupportedOpError("placeholder", f"input {node.name}",
                                         str(e))
            raw = node.name if state is None else state[0]
            tname = _tensor_name(raw, names)
            ssa = self.fresh(node.name)
            args_text.append(f"{ssa}: {_ttype(shape, storage)} "
                             f"{{tessera.name = {_mlir_string(tname)}}}")
            value = _T(ssa, shape, storage)
            if storage != internal:
                conv = self.fresh(node.name + "." + internal)
                op = "arith.extf" if storage in ("f16", "bf16") else \
                    "arith.truncf"
                self.emit(f"{conv} = {op} {ssa} : {value.type} to "
                          f"{_ttype(shape, internal)}")
                value = _T(conv, shape, internal)
            self.env[node] = value
            if state is not None:
                weight_tensors[tname] = state[1]

        self.match_patterns()
        live = self.live_nodes()

        for node in graph.nodes:
            if node.op in ("placeholder", "output") or node not in live:
                continue
            self.node = node
            self.base = node.name
            # The node's name is kept for its final value (temporaries get
            # suffixed names).
            own = node.name not in self.used and \
                node.name not in self.region_names
            self.used.add(node.name)
            start = len(self.lines)
            try:
                value = self.visit(node)
                if own and isinstance(value, _T):
                    value = self.rename(value, "%" + node.name, start)
                self.env[node] = value
            except _Fail as e:
                raise self.fail(node, e.args[0] if e.args else None) \
                    from None

        # Results.
        out_node = next(n for n in graph.nodes if n.op == "output")
        outs = out_node.args[0]
        if not isinstance(outs, (list, tuple)):
            outs = [outs]
        out_names = self.output_names(len(outs))
        results, res_types, res_text = [], [], []
        for i, x in enumerate(outs):
            self.base = f"output{i}"
            if not isinstance(x, torch.fx.Node):
                raise UnsupportedOpError("non-tensor output",
                                         f"output {i}", repr(x))
            try:
                v = self.t(self.lookup(x))
                val = x.meta.get("val")
                if isinstance(val, torch.Tensor):
                    storage = self.storage_et(val.dtype)
                    if storage != v.et:
                        if _is_float(storage) and _is_float(v.et):
                            conv = self.fresh(x.name + "." + storage)
                            op = ("arith.truncf" if storage != "f64"
                                  else "arith.extf")
                            self.emit(f"{conv} = {op} {v.ssa} : {v.type} to "
                                      f"{_ttype(v.shape, storage)}")
                            v = _T(conv, v.shape, storage)
                        else:
                            v = self.cast(v, storage)
            except _Fail as e:
                raise self.fail(x, e.args[0] if e.args else None) from None
            tname = _tensor_name(out_names[i], names)
            results.append(v.ssa)
            res_types.append(v.type)
            res_text.append(f"{v.type} {{tessera.name = "
                            f"{_mlir_string(tname)}}}")
        self.emit(f"return {', '.join(results)} : {', '.join(res_types)}")
        self.remove_dead_lines()

        if weights is not None:
            _write_safetensors(weights, weight_tensors)

        header = [f"// Imported from PyTorch by tessera.from_torch "
                  f"(torch {torch.__version__}).",
                  f"func.func @{self.entry}("]
        for k, a in enumerate(args_text):
            header.append("    " + a + ("," if k + 1 < len(args_text) else ""))
        header[-1] += ")"
        header.append(f"    -> ({', '.join(res_text)}) {{")
        return "\n".join(header + self.lines + ["}", ""])

    _PURE_LINE = re.compile(
        r"  (%[A-Za-z0-9_.$-]+) = (tensor\.(collapse_shape|expand_shape|empty|"
        r"extract_slice|reshape)|linalg\.(transpose|fill)|arith\.constant) ")
    _NAME = re.compile(r"%[A-Za-z0-9_.$-]+")

    def remove_dead_lines(self):
        """Drop single-line pure ops whose results are unused (left behind
        when a reshape chain or a transpose pair was folded)."""
        while True:
            uses = {}
            for line in self.lines:
                m = self._PURE_LINE.match(line)
                names = self._NAME.findall(line)
                if m:
                    names = names[1:]
                for n in names:
                    uses[n] = uses.get(n, 0) + 1
            kept = []
            for line in self.lines:
                m = self._PURE_LINE.match(line)
                if m and not uses.get(m.group(1)):
                    continue
                kept.append(line)
            if len(kept) == len(self.lines):
                return
            self.lines = kept

    def rename(self, value, name, start):
        """Rename ``value`` to ``name`` if lines[start:] define it."""
        if value.ssa == name:
            return value
        prefix = f"  {value.ssa} = "
        if not any(line.startswith(prefix) for line in self.lines[start:]):
            return value
        pattern = re.compile(re.escape(value.ssa) + r"(?![A-Za-z0-9_.$-])")
        for i in range(start, len(self.lines)):
            self.lines[i] = pattern.sub(name, self.lines[i])
        renamed = _T(name, value.shape, value.et)
        if value.ssa in self.perm_src:
            self.perm_src[name] = self.perm_src.pop(value.ssa)
        if value.ssa in self.struct:
            self.struct[name] = self.struct.pop(value.ssa)
        if value.ssa in self.reshape_src:
            self.reshape_src[name] = self.reshape_src.pop(value.ssa)
        return renamed

    def output_names(self, n):
        spec = None
        try:
            spec = self.ep.call_spec.out_spec
        except Exception:
            pass
        names = [f"output{i}" for i in range(n)]
        try:
            children = (spec.children() if hasattr(spec, "children")
                        else spec.children_specs) if spec is not None else []
            if spec is not None and spec.type is dict and \
                    len(children) == n and \
                    all(c.is_leaf() for c in children) and \
                    all(isinstance(k, str) for k in spec.context):
                names = list(spec.context)
        except Exception:
            pass
        return names

    def live_nodes(self):
        fx = self.torch.fx
        out_node = next(n for n in self.ep.graph.nodes if n.op == "output")
        live, stack = set(), [out_node]
        while stack:
            node = stack.pop()
            if node in live:
                continue
            live.add(node)
            if node in self.rewrites:
                inputs = [x for x in self.rewrites[node][1:]
                          if isinstance(x, fx.Node)]
            else:
                inputs = node.all_input_nodes
            stack.extend(inputs)
        return live

    # ---- patterns -------------------------------------------------------

    def match_patterns(self):
        """Find RMSNorm written as pow/mean/add/rsqrt/mul."""
        fx = self.torch.fx

        def strip(x):
            while isinstance(x, fx.Node) and x.op == "call_function" and \
                    str(x.target) in _IDENTITY_OPS and x.args and \
                    self._is_float_node(x) and self._is_float_node(x.args[0]):
                x = x.args[0]
            return x

        def is_op(x, *names):
            return isinstance(x, fx.Node) and x.op == "call_function" and \
                str(x.target) in names

        def match_norm(node):
            """(x node, eps) if node is x * rsqrt(mean(x^2) + eps)."""
            if is_op(node, "aten.mul.Tensor") and len(node.args) == 2:
                pairs = [(node.args[0], node.args[1]),
                         (node.args[1], node.args[0])]
                for x, r in pairs:
                    r = strip(r)
                    if is_op(r, "aten.rsqrt.default"):
                        eps = match_var(r.args[0], x)
                        if eps is not None:
                            return x, eps
            if is_op(node, "aten.div.Tensor") and len(node.args) == 2:
                x, s = node.args
                s = strip(s)
                if is_op(s, "aten.sqrt.default"):
                    eps = match_var(s.args[0], x)
                    if eps is not None:
                        return x, eps
            return None

        def match_var(e, x):
            e = strip(e)
            if not is_op(e, "aten.add.Tensor", "aten.add.Scalar") or \
                    len(e.args) != 2 or e.kwargs.get("alpha", 1) != 1:
                return None
            v, eps = e.args
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                v, eps = eps, v
            if isinstance(eps, bool) or not isinstance(eps, (int, float)):
                return None
            v = strip(v)
            if not is_op(v, "aten.mean.dim"):
                return None
            shape = v.args[0].meta.get("val").shape if isinstance(
                v.args[0], fx.Node) else None
            if shape is None or len(shape) == 0:
                return None
            dims = v.args[1] if len(v.args) > 1 else v.kwargs.get("dim")
            keep = v.args[2] if len(v.args) > 2 else v.kwargs.get(
                "keepdim", False)
            if not keep or dims is None or len(dims) != 1 or \
                    int(dims[0]) % len(shape) != len(shape) - 1 or \
                    v.kwargs.get("dtype") is not None:
                return None
            p = strip(v.args[0])
            if is_op(p, "aten.pow.Tensor_Scalar") and p.args[1] == 2:
                base = p.args[0]
            elif is_op(p, "aten.mul.Tensor") and p.args[0] is p.args[1]:
                base = p.args[0]
            else:
                return None
            if strip(base) is not strip(x):
                return None
            return float(eps)

        for node in self.ep.graph.nodes:
            if node.op != "call_function":
                continue
            m = match_norm(node)
            if m is not None and self._is_float_node(node) and \
                    self._is_float_node(m[0]):
                self.rewrites[node] = ("rms_norm", m[0], None, m[1])
        # silu(gate) * up -> tessera.swiglu.
        for node in self.ep.graph.nodes:
            if not is_op(node, "aten.mul.Tensor") or node in self.rewrites \
                    or len(node.args) != 2 or node.kwargs:
                continue
            for g, u in ((node.args[0], node.args[1]),
                         (node.args[1], node.args[0])):
                if is_op(g, "aten.silu.default") and \
                        isinstance(u, fx.Node) and \
                        isinstance(g.args[0], fx.Node):
                    shapes = [getattr(x.meta.get("val"), "shape", None)
                              for x in (g.args[0], u, node)]
                    if None not in shapes and \
                            tuple(shapes[0]) == tuple(shapes[1]) == \
                            tuple(shapes[2]) and \
                            all(self._is_float_node(x)
                                for x in (g.args[0], u, node)):
                        self.rewrites[node] = ("swiglu", g.args[0], u)
                        break
        # Fuse a following multiplication by a [C] weight.
        for node in self.ep.graph.nodes:
            if not is_op(node, "aten.mul.Tensor") or node in self.rewrites \
                    or len(node.args) != 2:
                continue
            for w, y in ((node.args[0], node.args[1]),
                         (node.args[1], node.args[0])):
                ys = strip(y)
                if ys in self.rewrites and isinstance(w, fx.Node) and \
                        self.rewrites[ys][0] == "rms_norm" and \
                        self.rewrites[ys][2] is None:
                    wval = w.meta.get("val")
                    yval = ys.meta.get("val")
                    nval = node.meta.get("val")
                    if wval is None or yval is None or nval is None:
                        continue
                    if len(wval.shape) == 1 and len(yval.shape) >= 1 and \
                            wval.shape[0] == yval.shape[-1] and \
                            tuple(nval.shape) == tuple(yval.shape) and \
                            wval.dtype.is_floating_point:
                        _, x, _, eps = self.rewrites[ys]
                        self.rewrites[node] = ("rms_norm", x, w, eps)
                        break

    def _is_float_node(self, x):
        val = x.meta.get("val") if isinstance(x, self.torch.fx.Node) else None
        return isinstance(val, self.torch.Tensor) and \
            val.dtype.is_floating_point

    # ---- visiting -------------------------------------------------------

    def is_constant(self, node):
        for x in node.all_input_nodes:
            v = self.env.get(x)
            if not self._const_value(v):
                return False
        return True

    def _const_value(self, v):
        if isinstance(v, _Const):
            return True
        if isinstance(v, (list, tuple)):
            return all(self._const_value(y) for y in v)
        return v is None or isinstance(v, (bool, int, float, str))

    def fold(self, node):
        torch = self.torch
        target = node.target
        tags = getattr(target, "tags", ())
        if torch.Tag.nondeterministic_seeded in tags:
            raise _Fail("random ops are not supported")

        def real(x):
            if isinstance(x, torch.fx.Node):
                return unwrap(self.env[x])
            if isinstance(x, (list, tuple)):
                return type(x)(real(y) for y in x)
            return x

        def unwrap(v):
            if isinstance(v, _Const):
                return v.tensor
            if isinstance(v, list):
                return [unwrap(y) for y in v]
            return v

        def wrap(r):
            if isinstance(r, torch.Tensor):
                return _Const(r)
            if isinstance(r, (list, tuple)):
                return [wrap(y) for y in r]
            return r

        args = real(tuple(node.args))
        kwargs = {k: real(v) for k, v in node.kwargs.items()}
        with torch.no_grad():
            return wrap(target(*args, **kwargs))

    def visit(self, node):
        torch = self.torch
        if node.op == "get_attr":
            obj = getattr(self.ep.graph_module, node.target)
            if isinstance(obj, torch.Tensor):
                return _Const(obj)
            raise _Fail(f"attribute {node.target}")
        if node.op != "call_function":
            raise _Fail(f"node kind {node.op}")
        name = _op_name(node.target)
        if node in self.rewrites:
            if self.rewrites[node][0] == "swiglu":
                return self.h_swiglu_rewrite(node)
            return self.h_rms_rewrite(node)
        if name in _NOOP_OPS:
            return None
        if name == "getitem":
            seq = self.lookup(node.args[0])
            item = seq[node.args[1]]
            if isinstance(item, _NoValue):
                raise _Fail(f"uses {item.what}, which is not supported")
            return item
        if self.is_constant(node):
            try:
                return self.fold(node)
            except _Fail:
                raise
            except Exception as e:  # fall back to translating it
                if name not in _OPS and name not in _IDENTITY_OPS:
                    raise _Fail(f"constant folding failed: {e}")
        if name in _IDENTITY_OPS:
            x = self.lookup(node.args[0])
            shape, et = self.meta(node)
            return self.cast(x, et)
        handler = _OPS.get(name)
        if handler is None:
            raise _Fail(None)
        result = handler(self, node)
        if isinstance(result, (_T, _Const)):
            result = self.t(result)
            shape, et = self.meta(node)
            if result.shape != shape:
                raise _Fail(f"internal error: shape {result.shape}, "
                            f"expected {shape}")
            if result.et != et:
                result = self.cast(result, et)
        return result

    def h_swiglu_rewrite(self, node):
        _, g, u = self.rewrites[node]
        g = self.cast(self.lookup(g), "f32")
        u = self.cast(self.lookup(u), "f32")
        out = _T(self.fresh(node.name), g.shape, "f32")
        self.emit(f"{out.ssa} = tessera.swiglu {g.ssa}, {u.ssa} : {out.type}")
        return out

    def h_rms_rewrite(self, node):
        _, x, w, eps = self.rewrites[node]
        x = self.cast(self.lookup(x), "f32")
        shape, et = self.meta(node)
        out = _T(self.fresh(node.name), shape, "f32")
        if w is not None:
            w = self.cast(self.lookup(w), "f32")
            self.emit(f"{out.ssa} = tessera.rms_norm {x.ssa} weight({w.ssa}) "
                      f"{{epsilon = {_fmt_float(eps)} : f32}} : ({x.type}, "
                      f"{w.type}) -> {out.type}")
        else:
            self.emit(f"{out.ssa} = tessera.rms_norm {x.ssa} "
                      f"{{epsilon = {_fmt_float(eps)} : f32}} : ({x.type}) "
                      f"-> {out.type}")
        return out


# --------------------------------------------------------------------------
# Op handlers
# --------------------------------------------------------------------------

_BINARY = {
    "aten.add.Tensor": "add", "aten.add.Scalar": "add",
    "aten.sub.Tensor": "sub", "aten.sub.Scalar": "sub",
    "aten.mul.Tensor": "mul", "aten.mul.Scalar": "mul",
    "aten.div.Tensor": "div", "aten.div.Scalar": "div",
    "aten.maximum.default": "max", "aten.minimum.default": "min",
    "aten.rsub.Scalar": "rsub", "aten.rsub.Tensor": "rsub",
}


@_op(*_BINARY)
def _h_binary(imp, node):
    kind = _BINARY[str(node.target)]
    a = imp.arg(node, 0, "self")
    b = imp.arg(node, 1, "other")
    alpha = imp.arg(node, 2, "alpha", 1)
    shape, et = imp.meta(node)
    if kind == "rsub":
        a, b, kind = b, a, "sub"
    if kind == "div" and not _is_float(et):
        raise _Fail("integer division")
    if alpha != 1:
        return imp.ew([a, b], shape, et, et, lambda r, v: r.binary(
            kind, v[0], r.binary("mul", v[1], r.const(alpha, et), et), et))
    ops = {"add": "addf", "sub": "subf", "mul": "mulf", "div": "divf",
           "max": "maximumf", "min": "minimumf"}
    if _is_float(et) and not any(isinstance(x, (int, float)) for x in (a, b)):
        return imp.ew_simple("arith." + ops[kind], [a, b], shape, et)
    return imp.ew([a, b], shape, et, et,
                  lambda r, v: r.binary(kind, v[0], v[1], et))


@_op("aten.div.Tensor_mode", "aten.div.Scalar_mode")
def _h_div_mode(imp, node):
    mode = imp.arg(node, None, "rounding_mode", None)
    a, b = imp.arg(node, 0), imp.arg(node, 1)
    shape, et = imp.meta(node)
    if not _is_float(et):
        raise _Fail("integer division")
    def body(r, v):
        q = r.binary("div", v[0], v[1], et)
        if mode == "floor":
            q = r.unary("math.floor", q, et)
        elif mode == "trunc":
            q = r.unary("math.trunc", q, et)
        return q
    return imp.ew([a, b], shape, et, et, body)


def _sigmoid(r, x, et):
    one = r.const(1.0, et)
    e = r.unary("math.exp", r.unary("arith.negf", x, et), et)
    return r.binary("div", one, r.binary("add", one, e, et), et)


_UNARY = {
    "aten.neg.default": "arith.negf", "aten.exp.default": "math.exp",
    "aten.exp2.default": "math.exp2", "aten.expm1.default": "math.expm1",
    "aten.log.default": "math.log", "aten.log2.default": "math.log2",
    "aten.log1p.default": "math.log1p", "aten.tanh.default": "math.tanh",
    "aten.sqrt.default": "math.sqrt", "aten.rsqrt.default": "math.rsqrt",
    "aten.abs.default": "math.absf", "aten.sin.default": "math.sin",
    "aten.cos.default": "math.cos", "aten.erf.default": "math.erf",
    "aten.floor.default": "math.floor", "aten.ceil.default": "math.ceil",
    "aten.trunc.default": "math.trunc",
    "aten.sigmoid.default": None, "aten.reciprocal.default": None,
    "aten.relu.default": None,
}


@_op(*_UNARY)
def _h_unary(imp, node):
    name = str(node.target)
    x = imp.arg(node, 0, "self")
    shape, et = imp.meta(node)
    if not _is_float(et):
        if name == "aten.neg.default":
            return imp.ew([x], shape, et, et, lambda r, v: r.binary(
                "sub", r.const(0, et), v[0], et))
        if name == "aten.abs.default":
            return imp.ew([x], shape, et, et,
                          lambda r, v: r.unary("math.absi", v[0], et))
        raise _Fail(f"on {et}")
    op = _UNARY[name]
    if op is not None:
        return imp.ew_simple(op, [x], shape, et)
    if name == "aten.sigmoid.default":
        return imp.ew([x], shape, et, et, lambda r, v: _sigmoid(r, v[0], et))
    if name == "aten.reciprocal.default":
        return imp.ew([x], shape, et, et, lambda r, v: r.binary(
            "div", r.const(1.0, et), v[0], et))
    return imp.ew([x], shape, et, et, lambda r, v: r.binary(
        "max", v[0], r.const(0.0, et), et))


@_op("aten.elu.default", "aten.leaky_relu.default", "aten.hardsigmoid.default",
     "aten.hardswish.default", "aten.relu6.default")
def _h_activation(imp, node):
    name = str(node.target)
    x = imp.arg(node, 0, "self")
    shape, et = imp.meta(node)
    if not _is_float(et):
        raise _Fail(f"on {et}")
    if name == "aten.elu.default":
        alpha = imp.arg(node, 1, "alpha", 1.0)
        scale = imp.arg(node, 2, "scale", 1.0)
        input_scale = imp.arg(node, 3, "input_scale", 1.0)

        def body(r, v):
            x = v[0]
            e = r.unary("math.expm1", r.binary(
                "mul", x, r.const(input_scale, et), et), et)
            neg = r.binary("mul", e, r.const(alpha, et), et)
            pos = r.compare("gt", x, r.const(0.0, et), et)
            return r.binary("mul", r.select(pos, x, neg, et),
                            r.const(scale, et), et)
    elif name == "aten.leaky_relu.default":
        slope = imp.arg(node, 1, "negative_slope", 0.01)

        def body(r, v):
            x = v[0]
            pos = r.compare("gt", x, r.const(0.0, et), et)
            return r.select(pos, x, r.binary("mul", x, r.const(slope, et),
                                             et), et)
    else:
        def body(r, v):
            x = v[0]
            if name == "aten.relu6.default":
                return r.binary("min", r.binary(
                    "max", x, r.const(0.0, et), et), r.const(6.0, et), et)
            # hardsigmoid = relu6(x + 3) / 6; hardswish = x * hardsigmoid
            t = r.binary("add", x, r.const(3.0, et), et)
            t = r.binary("min", r.binary("max", t, r.const(0.0, et), et),
                         r.const(6.0, et), et)
            t = r.binary("div", t, r.const(6.0, et), et)
            if name == "aten.hardswish.default":
                t = r.binary("mul", x, t, et)
            return t
    return imp.ew([x], shape, et, et, body)


@_op("aten.pow.Tensor_Scalar")
def _h_pow(imp, node):
    x = imp.arg(node, 0, "self")
    e = imp.arg(node, 1, "exponent")
    shape, et = imp.meta(node)
    if not _is_float(et) or not isinstance(e, (int, float)):
        raise _Fail("pow of non-float tensor")
    e = float(e)

    def body(r, v):
        x = v[0]
        if e == 1.0:
            return x
        if e == 2.0:
            return r.binary("mul", x, x, et)
        if e == 0.5:
            return r.unary("math.sqrt", x, et)
        if e == -0.5:
            return r.unary("math.rsqrt", x, et)
        if e == -1.0:
            return r.binary("div", r.const(1.0, et), x, et)
        if e.is_integer() and abs(e) < 2 ** 31:
            n = r.const(int(e), "i32")
            return r.emit(f"math.fpowi {x}, {n} : {et}, i32")
        return r.binary("pow", x, r.const(e, et), et)

    return imp.ew([x], shape, et, et, body)


@_op("aten.pow.Scalar", "aten.pow.Tensor_Tensor")
def _h_pow2(imp, node):
    a = imp.arg(node, 0, "self")
    b = imp.arg(node, 1, "exponent")
    shape, et = imp.meta(node)
    if not _is_float(et):
        raise _Fail("pow of non-float tensor")
    return imp.ew([a, b], shape, et, et,
                  lambda r, v: r.binary("pow", v[0], v[1], et))


@_op("aten.clamp.default", "aten.clamp.Tensor", "aten.clamp_min.default",
     "aten.clamp_max.default", "aten.hardtanh.default")
def _h_clamp(imp, node):
    name = str(node.target)
    x = imp.arg(node, 0, "self")
    if name == "aten.clamp_min.default":
        lo, hi = imp.arg(node, 1, "min"), None
    elif name == "aten.clamp_max.default":
        lo, hi = None, imp.arg(node, 1, "max")
    elif name == "aten.hardtanh.default":
        lo, hi = imp.arg(node, 1, "min_val", -1.0), imp.arg(node, 2,
                                                             "max_val", 1.0)
    else:
        lo, hi = imp.arg(node, 1, "min", None), imp.arg(node, 2, "max", None)
    shape, et = imp.meta(node)
    ops = [x] + [y for y in (lo, hi) if y is not None]

    def body(r, v):
        y, k = v[0], 1
        if lo is not None:
            y = r.binary("max", y, v[k], et)
            k += 1
        if hi is not None:
            y = r.binary("min", y, v[k], et)
        return y

    return imp.ew(ops, shape, et, et, body)


_CMP = {"eq": "eq", "ne": "ne", "lt": "lt", "le": "le", "gt": "gt",
        "ge": "ge"}


@_op(*[f"aten.{c}.{k}" for c in _CMP for k in ("Tensor", "Scalar")])
def _h_compare(imp, node):
    pred = str(node.target).split(".")[1]
    a, b = imp.arg(node, 0), imp.arg(node, 1)
    shape, _ = imp.meta(node)
    ets = []
    for x in (a, b):
        if isinstance(x, (_T, _Const)):
            ets.append(imp.t(x).et)
        elif isinstance(x, float):
            ets.append("f32")
    if any(_is_float(e) for e in ets):
        cet = "f32"
    elif any(e != "i1" for e in ets):
        cet = next(e for e in ets if e != "i1")
    else:
        cet = "i1"
    if cet == "i1" and any(isinstance(x, int) and not isinstance(x, bool)
                           for x in (a, b)):
        cet = "i64"
    return imp.ew([a, b], shape, cet, "i1",
                  lambda r, v: r.compare(pred, v[0], v[1], cet))


@_op("aten.logical_not.default", "aten.bitwise_not.default")
def _h_not(imp, node):
    x = imp.arg(node, 0)
    shape, et = imp.meta(node)
    if et != "i1":
        raise _Fail("bitwise not of integers")
    return imp.ew([x], shape, "i1", "i1", lambda r, v: r.binary(
        "xor", v[0], r.const(True, "i1"), "i1"))


@_op("aten.logical_and.default", "aten.logical_or.default",
     "aten.bitwise_and.Tensor", "aten.bitwise_or.Tensor")
def _h_logical(imp, node):
    kind = "and" if "and" in str(node.target) else "or"
    a, b = imp.arg(node, 0), imp.arg(node, 1)
    shape, et = imp.meta(node)
    if et != "i1":
        raise _Fail("bitwise ops on integers")
    return imp.ew([a, b], shape, "i1", "i1",
                  lambda r, v: r.binary(kind, v[0], v[1], "i1"))


@_op("aten.where.self", "aten.where.ScalarSelf", "aten.where.ScalarOther",
     "aten.where.Scalar")
def _h_where(imp, node):
    c, a, b = imp.arg(node, 0), imp.arg(node, 1), imp.arg(node, 2)
    shape, et = imp.meta(node)
    return imp.ew([c, a, b], shape, et, et,
                  lambda r, v: r.select(v[0], v[1], v[2], et),
                  casts=["i1", et, et])


@_op("aten.masked_fill.Scalar", "aten.masked_fill.Tensor")
def _h_masked_fill(imp, node):
    x, m, value = imp.arg(node, 0), imp.arg(node, 1), imp.arg(node, 2)
    shape, et = imp.meta(node)
    return imp.ew([m, value, x], shape, et, et,
                  lambda r, v: r.select(v[0], v[1], v[2], et),
                  casts=["i1", et, et])


# ---- activations and norms -------------------------------------------------

@_op("aten.gelu.default")
def _h_gelu(imp, node):
    x = imp.cast(imp.arg(node, 0, "self"), "f32")
    approx = imp.arg(node, None, "approximate", "none")
    if approx not in ("none", "tanh"):
        raise _Fail(f"approximate={approx!r}")
    out = _T(imp.fresh(node.name), x.shape, "f32")
    mode = " approximate(tanh)" if approx == "tanh" else ""
    imp.emit(f"{out.ssa} = tessera.gelu {x.ssa}{mode} : {out.type}")
    return out


@_op("aten.silu.default")
def _h_silu(imp, node):
    x = imp.cast(imp.arg(node, 0, "self"), "f32")
    out = _T(imp.fresh(node.name), x.shape, "f32")
    imp.emit(f"{out.ssa} = tessera.silu {x.ssa} : {out.type}")
    return out


def _norm_operands(imp, x, normalized_shape, params):
    """Collapse the normalised dimensions into one."""
    n = len(normalized_shape)
    if n == 0 or tuple(x.shape[-n:]) != tuple(normalized_shape):
        raise _Fail(f"normalized_shape {list(normalized_shape)} of "
                    f"{list(x.shape)}")
    c = _prod(normalized_shape)
    xs = x if n == 1 else imp.reshape(x, x.shape[:-n] + (c,))
    ps = [None if p is None else imp.reshape(imp.cast(p, "f32"), (c,))
          for p in params]
    return xs, ps


@_op("aten.layer_norm.default", "aten.native_layer_norm.default")
def _h_layer_norm(imp, node):
    x = imp.cast(imp.arg(node, 0, "input"), "f32")
    ns = [int(d) for d in imp.arg(node, 1, "normalized_shape")]
    w = imp.arg(node, 2, "weight", None)
    b = imp.arg(node, 3, "bias", None)
    eps = imp.arg(node, 4, "eps", 1e-5)
    xs, (w, b) = _norm_operands(imp, x, ns, [w, b])
    out = _T(imp.fresh(node.name), xs.shape, "f32")
    operands = f"{xs.ssa}"
    types = [xs.type]
    if w is not None:
        operands += f" weight({w.ssa})"
        types.append(w.type)
    if b is not None:
        operands += f" bias({b.ssa})"
        types.append(b.type)
    imp.emit(f"{out.ssa} = tessera.layer_norm {operands} {{epsilon = "
             f"{_fmt_float(eps)} : f32}} : ({', '.join(types)}) -> "
             f"{out.type}")
    result = imp.reshape(out, x.shape)
    if str(node.target) == "aten.native_layer_norm.default":
        return [result, _NoValue("native_layer_norm's mean"),
                _NoValue("native_layer_norm's rstd")]
    return result


@_op("aten.rms_norm.default")
def _h_rms_norm(imp, node):
    x = imp.cast(imp.arg(node, 0, "input"), "f32")
    ns = [int(d) for d in imp.arg(node, 1, "normalized_shape")]
    w = imp.arg(node, 2, "weight", None)
    eps = imp.arg(node, 3, "eps", None)
    if eps is None:
        dtype = node.args[0].meta["val"].dtype
        eps = imp.torch.finfo(dtype).eps
    xs, (w,) = _norm_operands(imp, x, ns, [w])
    out = _T(imp.fresh(node.name), xs.shape, "f32")
    if w is not None:
        imp.emit(f"{out.ssa} = tessera.rms_norm {xs.ssa} weight({w.ssa}) "
                 f"{{epsilon = {_fmt_float(eps)} : f32}} : ({xs.type}, "
                 f"{w.type}) -> {out.type}")
    else:
        imp.emit(f"{out.ssa} = tessera.rms_norm {xs.ssa} {{epsilon = "
                 f"{_fmt_float(eps)} : f32}} : ({xs.type}) -> {out.type}")
    return imp.reshape(out, x.shape)


@_op("aten.group_norm.default", "aten.native_group_norm.default")
def _h_group_norm(imp, node):
    native = str(node.target) == "aten.native_group_norm.default"
    x = imp.cast(imp.arg(node, 0, "input"), "f32")
    if native:
        w = imp.arg(node, 1, "weight", None)
        b = imp.arg(node, 2, "bias", None)
        groups = int(imp.arg(node, 6, "group"))
        eps = imp.arg(node, 7, "eps")
    else:
        groups = int(imp.arg(node, 1, "num_groups"))
        w = imp.arg(node, 2, "weight", None)
        b = imp.arg(node, 3, "bias", None)
        eps = imp.arg(node, 4, "eps", 1e-5)
    if len(x.shape) < 2 or x.shape[1] % groups:
        raise _Fail(f"{groups} groups of {list(x.shape)}")
    n, c = x.shape[:2]
    per_group = _prod(x.shape[1:]) // groups
    xs = imp.reshape(x, (n, groups, per_group))
    out = _T(imp.fresh(node.name + ".norm"), xs.shape, "f32")
    imp.emit(f"{out.ssa} = tessera.layer_norm {xs.ssa} {{epsilon = "
             f"{_fmt_float(eps)} : f32}} : ({xs.type}) -> {out.type}")
    y = imp.reshape(out, x.shape)
    channel = (c,) + (1,) * (len(x.shape) - 2)
    if w is not None:
        y = imp.ew([y, imp.reshape(imp.cast(w, "f32"), channel)], x.shape,
                   "f32", "f32", lambda r, v: r.binary("mul", v[0], v[1],
                                                        "f32"))
    if b is not None:
        y = imp.ew([y, imp.reshape(imp.cast(b, "f32"), channel)], x.shape,
                   "f32", "f32", lambda r, v: r.binary("add", v[0], v[1],
                                                        "f32"))
    if native:
        return [y, _NoValue("native_group_norm's mean"),
                _NoValue("native_group_norm's rstd")]
    return y


@_op("aten.softmax.int", "aten._softmax.default", "aten.log_softmax.int",
     "aten._log_softmax.default")
def _h_softmax(imp, node):
    x = imp.arg(node, 0, "self")
    dim = imp.arg(node, 1, "dim")
    return imp.softmax(x, int(dim), log="log_softmax" in str(node.target))


# ---- attention -------------------------------------------------------------

@_op("aten.scaled_dot_product_attention.default",
     "aten._scaled_dot_product_flash_attention_for_cpu.default",
     "aten._scaled_dot_product_efficient_attention.default",
     "aten._scaled_dot_product_flash_attention.default")
def _h_sdpa(imp, node):
    name = str(node.target)
    q = imp.cast(imp.arg(node, 0, "query"), "f32")
    k = imp.cast(imp.arg(node, 1, "key"), "f32")
    v = imp.cast(imp.arg(node, 2, "value"), "f32")
    extra = None
    if name == "aten.scaled_dot_product_attention.default":
        mask = imp.arg(node, 3, "attn_mask", None)
        dropout = imp.arg(node, 4, "dropout_p", 0.0)
        causal = imp.arg(node, 5, "is_causal", False)
        scale = imp.arg(node, 6, "scale", None)
    elif name.startswith("aten._scaled_dot_product_flash_attention_for_cpu"):
        dropout = imp.arg(node, 3, "dropout_p", 0.0)
        causal = imp.arg(node, 4, "is_causal", False)
        mask = imp.arg(node, None, "attn_mask", None)
        scale = imp.arg(node, None, "scale", None)
        extra = 1
    elif name.startswith("aten._scaled_dot_product_efficient_attention"):
        mask = imp.arg(node, 3, "attn_bias", None)
        dropout = imp.arg(node, 5, "dropout_p", 0.0)
        causal = imp.arg(node, 6, "is_causal", False)
        scale = imp.arg(node, None, "scale", None)
        extra = 3
    else:
        mask = None
        dropout = imp.arg(node, 3, "dropout_p", 0.0)
        causal = imp.arg(node, 4, "is_causal", False)
        scale = imp.arg(node, None, "scale", None)
        extra = 8
    if dropout:
        raise _Fail("dropout_p must be 0 (call module.eval())")
    if causal and mask is not None:
        raise _Fail("both attn_mask and is_causal")
    if len(q.shape) < 2 or len(k.shape) != len(q.shape) or \
            len(v.shape) != len(q.shape):
        raise _Fail("query, key and value must have the same rank >= 2")
    rank = len(q.shape)
    sq, d = q.shape[-2:]
    sk, dv = v.shape[-2:]
    out_lead = q.shape[:-2]

    def to4(t):
        lead = t.shape[:-2]
        if rank == 4:
            return t
        if rank == 2:
            return imp.reshape(t, (1, 1) + t.shape[-2:])
        if rank == 3:
            return imp.reshape(t, (1,) + t.shape)
        return imp.reshape(t, (_prod(lead[:-1]), lead[-1]) + t.shape[-2:])

    if rank > 4 and (q.shape[:-3] != k.shape[:-3] or
                     q.shape[:-3] != v.shape[:-3]):
        raise _Fail("batch dimensions of query, key and value differ")
    q4, k4, v4 = to4(q), to4(k), to4(v)
    b = q4.shape[0]
    if k4.shape[0] != b:
        k4 = imp.broadcast_to(k4, (b,) + k4.shape[1:])
    if v4.shape[0] != b:
        v4 = imp.broadcast_to(v4, (b,) + v4.shape[1:])
    hq, hk = q4.shape[1], k4.shape[1]
    if hk == 0 or hq % hk != 0 or v4.shape[1] != hk:
        raise _Fail(f"{hq} query heads and {hk} key/value heads")
    operands = [q4.ssa, k4.ssa, v4.ssa]
    types = [q4.type, k4.type, v4.type]
    text = ""
    if mask is not None:
        mask = imp.t(mask)
        if mask.et != "i1":
            mask = imp.cast(mask, "f32")
        if rank > 4 and len(mask.shape) >= 4:
            # The batch dimensions were merged: merge the mask's too.
            if all(d == 1 for d in mask.shape[:-3]):
                mask = imp.reshape(mask, mask.shape[-3:])
            else:
                full = q.shape[:-1] + (sk,)
                mask = imp.reshape(imp.broadcast_to(mask, full),
                                   (b, hq, sq, sk))
        if len(mask.shape) > 4:
            raise _Fail("attn_mask of rank > 4")
        text += f" mask({mask.ssa})"
        types.append(mask.type)
    attrs = []
    if causal:
        attrs.append("mask = #tessera.causal")
        if sq != sk:
            c0 = imp.scalar(0, "index")
            text += f" q_offset({c0})"
            types.append("index")
    if scale is not None:
        attrs.append(f"scale = {_fmt_float(scale)} : f32")
    out = _T(imp.fresh(node.name), (b, hq, sq, dv), "f32")
    attr_text = f" {{{', '.join(attrs)}}}" if attrs else ""
    imp.emit(f"{out.ssa} = tessera.attention {', '.join(operands)}{text}"
             f"{attr_text} : ({', '.join(types)}) -> {out.type}")
    result = imp.reshape(out, out_lead + (sq, dv))
    if extra:
        return [result] + [_NoValue("attention statistics")] * extra
    return result


# ---- matmul family ---------------------------------------------------------

@_op("aten.linear.default")
def _h_linear(imp, node):
    x = imp.cast(imp.arg(node, 0, "input"), "f32")
    w = imp.cast(imp.arg(node, 1, "weight"), "f32")
    b = imp.arg(node, 2, "bias", None)
    shape, _ = imp.meta(node)
    if len(w.shape) != 2 or len(x.shape) == 0:
        raise _Fail(f"linear of {list(x.shape)} with weight {list(w.shape)}")
    if b is not None:
        b = imp.cast(b, "f32")
        if b.shape != (w.shape[0],):
            if len(b.shape) > 1:
                raise _Fail("bias shape")
            b = imp.broadcast_to(b, (w.shape[0],))
    return imp.linear_nt(x, w, b)


@_op("aten.mm.default", "aten.bmm.default", "aten.matmul.default")
def _h_matmul(imp, node):
    a, b = imp.arg(node, 0), imp.arg(node, 1)
    shape, _ = imp.meta(node)
    return imp.matmul(a, b, shape)


@_op("aten.addmm.default", "aten.baddbmm.default")
def _h_addmm(imp, node):
    bias = imp.arg(node, 0, "self")
    a, b = imp.arg(node, 1), imp.arg(node, 2)
    beta = imp.arg(node, None, "beta", 1)
    alpha = imp.arg(node, None, "alpha", 1)
    shape, et = imp.meta(node)
    if str(node.target) == "aten.addmm.default" and alpha == 1 and \
            beta == 1 and isinstance(bias, (_T, _Const)) and \
            imp.t(bias).shape in ((shape[-1],), (1, shape[-1])):
        # nn.Linear in ATen IR: addmm(b, x, t(w)) = tessera.linear x, w.
        w = imp.transpose_last2(imp.t(b))
        bias = imp.reshape(imp.t(bias), (shape[-1],))
        return imp.linear_nt(imp.t(a), w, bias)
    m = imp.matmul(a, b, shape)

    def body(r, v):
        x, y = v
        if alpha != 1:
            x = r.binary("mul", x, r.const(alpha, "f32"), "f32")
        if beta == 0:
            return x
        if beta != 1:
            y = r.binary("mul", y, r.const(beta, "f32"), "f32")
        return r.binary("add", x, y, "f32")

    return imp.ew([m, bias], shape, "f32", "f32", body)


@_op("aten.einsum.default")
def _h_einsum(imp, node):
    eq = imp.arg(node, 0, "equation")
    ops = imp.arg(node, 1, "tensors")
    shape, _ = imp.meta(node)
    return imp.reshape(imp.einsum(eq, ops), shape)


# ---- reductions ------------------------------------------------------------

def _reduce_dims(imp, node, x, dims_index, name="dim"):
    dims = imp.arg(node, dims_index, name, None)
    rank = len(x.shape)
    if dims is None or (isinstance(dims, (list, tuple)) and len(dims) == 0):
        return list(range(rank))
    if isinstance(dims, int):
        dims = [dims]
    return [int(d) % rank for d in dims] if rank else []


@_op("aten.sum.dim_IntList", "aten.sum.default", "aten.mean.dim",
     "aten.mean.default", "aten.amax.default", "aten.amin.default")
def _h_reduce(imp, node):
    name = str(node.target)
    x = imp.t(imp.arg(node, 0, "self"))
    shape, et = imp.meta(node)
    if name.endswith(".default") and name.split(".")[1] in ("sum", "mean"):
        dims = list(range(len(x.shape)))
    else:
        dims = _reduce_dims(imp, node, x, 1)
    kind = {"sum": "sum", "mean": "sum", "amax": "max", "amin": "min"}[
        name.split(".")[1]]
    x = imp.cast(x, et)
    r = imp.reduce(x, dims, kind)
    if name.startswith("aten.mean"):
        n = _prod(x.shape[d] for d in dims)
        r = imp.ew([r, float(n)], r.shape, et, et,
                   lambda rg, v: rg.binary("div", v[0], v[1], et))
    return imp.reshape(r, shape)


@_op("aten.any.dim", "aten.any.dims", "aten.any.default", "aten.all.dim",
     "aten.all.dims", "aten.all.default")
def _h_any_all(imp, node):
    name = str(node.target)
    x = imp.t(imp.arg(node, 0, "self"))
    shape, _ = imp.meta(node)
    if name.endswith(".default"):
        dims = list(range(len(x.shape)))
    else:
        dims = _reduce_dims(imp, node, x, 1)
    r = imp.reduce(imp.cast(x, "i1"), dims, "or" if ".any." in name
                   else "and")
    return imp.reshape(r, shape)


@_op("aten.full_like.default", "aten.zeros_like.default",
     "aten.ones_like.default", "aten.empty_like.default")
def _h_full_like(imp, node):
    name = str(node.target)
    value = {"aten.zeros_like.default": 0, "aten.ones_like.default": 1,
             "aten.empty_like.default": 0}.get(name)
    if value is None:
        value = imp.arg(node, 1, "fill_value")
    val = node.meta["val"]
    return imp.constant(imp.torch.full(tuple(val.shape), value,
                                       dtype=val.dtype))


@_op("aten.var.correction", "aten.var.dim", "aten.std.correction",
     "aten.std.dim")
def _h_var(imp, node):
    name = str(node.target)
    x = imp.cast(imp.arg(node, 0, "self"), "f32")
    shape, _ = imp.meta(node)
    dims = _reduce_dims(imp, node, x, 1)
    if name.endswith(".dim"):
        unbiased = imp.arg(node, 2, "unbiased", True)
        correction = 1 if unbiased else 0
    else:
        correction = imp.arg(node, None, "correction", None)
        correction = 1 if correction is None else correction
    n = _prod(x.shape[d] for d in dims)
    mean = imp.reduce(x, dims, "sum")
    mean = imp.ew([mean, float(n)], mean.shape, "f32", "f32",
                  lambda r, v: r.binary("div", v[0], v[1], "f32"))
    mean = imp.unsqueeze_like(mean, x.shape, dims)
    sq = imp.ew([x, mean], x.shape, "f32", "f32", lambda r, v: r.binary(
        "mul", r.binary("sub", v[0], v[1], "f32"),
        r.binary("sub", v[0], v[1], "f32"), "f32"))
    s = imp.reduce(sq, dims, "sum")
    denom = float(max(n - correction, 0))

    def body(r, v):
        q = r.binary("div", v[0], v[1], "f32")
        return r.unary("math.sqrt", q, "f32") if "std" in name else q

    s = imp.ew([s, denom], s.shape, "f32", "f32", body)
    return imp.reshape(s, shape)


# ---- shape ops -------------------------------------------------------------

@_op("aten.view.default", "aten.reshape.default", "aten._unsafe_view.default",
     "aten.flatten.using_ints", "aten.unflatten.int", "aten.squeeze.default",
     "aten.squeeze.dim", "aten.squeeze.dims", "aten.unsqueeze.default",
     "aten.view_as.default", "aten.reshape_as.default",
     "aten._reshape_alias.default")
def _h_reshape(imp, node):
    x = imp.arg(node, 0, "self")
    shape, _ = imp.meta(node)
    return imp.reshape(x, shape)


@_op("aten.permute.default")
def _h_permute(imp, node):
    return imp.permute(imp.arg(node, 0, "self"), imp.arg(node, 1, "dims"))


@_op("aten.transpose.int", "aten.swapaxes.default", "aten.swapdims.default")
def _h_transpose(imp, node):
    x = imp.t(imp.arg(node, 0, "self"))
    rank = len(x.shape)
    if rank == 0:
        return x
    d0 = int(imp.arg(node, 1, "dim0")) % rank
    d1 = int(imp.arg(node, 2, "dim1")) % rank
    perm = list(range(rank))
    perm[d0], perm[d1] = perm[d1], perm[d0]
    return imp.permute(x, perm)


@_op("aten.t.default", "aten.numpy_T.default")
def _h_t(imp, node):
    x = imp.t(imp.arg(node, 0, "self"))
    return imp.permute(x, list(range(len(x.shape)))[::-1])


@_op("aten.expand.default", "aten.expand_as.default",
     "aten.broadcast_to.default")
def _h_expand(imp, node):
    x = imp.arg(node, 0, "self")
    shape, _ = imp.meta(node)
    return imp.broadcast_to(x, shape)


@_op("aten.slice.Tensor", "aten.narrow.default")
def _h_slice(imp, node):
    x = imp.t(imp.arg(node, 0, "self"))
    rank = len(x.shape)
    dim = int(imp.arg(node, 1, "dim", 0)) % rank
    size = x.shape[dim]
    if str(node.target) == "aten.narrow.default":
        start = int(imp.arg(node, 2, "start"))
        length = int(imp.arg(node, 3, "length"))
        start = start + size if start < 0 else start
        end, step = start + length, 1
    else:
        start = imp.arg(node, 2, "start", None)
        end = imp.arg(node, 3, "end", None)
        step = int(imp.arg(node, 4, "step", 1))
        start = 0 if start is None else int(start)
        end = size if end is None else int(end)
        if start < 0:
            start += size
        if end < 0:
            end += size
        start = min(max(start, 0), size)
        end = min(max(end, start), size)
    if step <= 0:
        raise _Fail("non-positive slice step")
    n = (end - start + step - 1) // step
    offsets = [0] * rank
    sizes = list(x.shape)
    strides = [1] * rank
    offsets[dim], sizes[dim], strides[dim] = start, n, step
    return imp.slice(x, offsets, sizes, strides)


@_op("aten.select.int")
def _h_select(imp, node):
    x = imp.t(imp.arg(node, 0, "self"))
    rank = len(x.shape)
    dim = int(imp.arg(node, 1, "dim")) % rank
    index = int(imp.arg(node, 2, "index"))
    if index < 0:
        index += x.shape[dim]
    offsets = [0] * rank
    sizes = list(x.shape)
    offsets[dim], sizes[dim] = index, 1
    shape, _ = imp.meta(node)
    return imp.reshape(imp.slice(x, offsets, sizes), shape)


@_op("aten.split.Tensor", "aten.split_with_sizes.default", "aten.chunk.default",
     "aten.unbind.int", "aten.tensor_split.sections",
     "aten.tensor_split.indices", "aten.split.sizes")
def _h_split(imp, node):
    name = str(node.target)
    x = imp.t(imp.arg(node, 0, "self"))
    rank = len(x.shape)
    dim_index = {"aten.unbind.int": 1}.get(name, 2)
    dim = int(imp.arg(node, dim_index, "dim", 0)) % rank
    vals = node.meta.get("val")
    results, offset = [], 0
    for i in range(len(vals)):
        shape, _ = imp.meta(node, i)
        if name == "aten.unbind.int":
            n = 1
        else:
            n = shape[dim]
        offsets = [0] * rank
        sizes = list(x.shape)
        offsets[dim], sizes[dim] = offset, n
        part = imp.slice(x, offsets, sizes)
        results.append(imp.reshape(part, shape))
        offset += n
    return results


@_op("aten.repeat.default")
def _h_repeat(imp, node):
    x = imp.t(imp.arg(node, 0, "self"))
    repeats = [int(r) for r in imp.arg(node, 1, "repeats")]
    shape, _ = imp.meta(node)
    src = (1,) * (len(repeats) - len(x.shape)) + x.shape
    x = imp.reshape(x, [d for s in src for d in (1, s)])
    x = imp.broadcast_to(x, [d for r, s in zip(repeats, src) for d in (r, s)])
    return imp.reshape(x, shape)


@_op("aten.flip.default")
def _h_flip(imp, node):
    x = imp.t(imp.arg(node, 0, "self"))
    rank = len(x.shape)
    dims = {int(d) % rank for d in imp.arg(node, 1, "dims")}
    exprs = [f"{x.shape[i] - 1} - d{i}" if i in dims else f"d{i}"
             for i in range(rank)]
    return imp.generic([x], [exprs], x.shape, x.et,
                       [f"d{i}" for i in range(rank)], ["parallel"] * rank,
                       lambda r, a, acc: a[0])


@_op("aten.cat.default", "aten.concat.default", "aten.concatenate.default")
def _h_cat(imp, node):
    xs = [imp.t(x) for x in imp.arg(node, 0, "tensors")]
    shape, et = imp.meta(node)
    dim = int(imp.arg(node, 1, "dim", 0)) % len(shape)
    xs = [imp.cast(x, et) for x in xs if not (len(x.shape) == 1 and
                                               x.shape[0] == 0 and
                                               len(shape) != 1)]
    return imp.concat(xs, dim, shape)


@_op("aten.stack.default")
def _h_stack(imp, node):
    xs = [imp.t(x) for x in imp.arg(node, 0, "tensors")]
    shape, et = imp.meta(node)
    dim = int(imp.arg(node, 1, "dim", 0)) % len(shape)
    parts = []
    for x in xs:
        s = list(x.shape)
        s.insert(dim, 1)
        parts.append(imp.reshape(imp.cast(x, et), s))
    return imp.concat(parts, dim, shape)


@_op("aten.dropout.default", "aten.native_dropout.default",
     "aten.feature_dropout.default", "aten.alpha_dropout.default")
def _h_dropout(imp, node):
    x = imp.arg(node, 0, "input")
    p = imp.arg(node, 1, "p", 0.5)
    train = imp.arg(node, 2, "train", True)
    if train and p:
        raise _Fail("training-mode dropout (call module.eval())")
    if str(node.target) == "aten.native_dropout.default":
        return [imp.t(x), _NoValue("native_dropout's mask")]
    return x


# --------------------------------------------------------------------------
# safetensors
# --------------------------------------------------------------------------

def _write_safetensors(path, tensors):
    """Write ``{name: torch.Tensor}`` as a safetensors file, with
    ``tessera.save_safetensors`` when the package provides it, else with the
    small writer below (raw little-endian data, 8-byte aligned)."""
    import torch
    try:
        from .safetensors import save_safetensors
    except ImportError:
        save_safetensors = None
    if save_safetensors is not None:
        arrays = {}
        for name, tensor in tensors.items():
            tensor = tensor.detach().cpu().contiguous()
            if tensor.dtype == torch.bfloat16:  # raw bits, as np.uint16
                arrays[name] = tensor.view(torch.int16).numpy().view(
                    np.uint16)
            else:
                arrays[name] = tensor.numpy()
        save_safetensors(path, arrays)
        return
    _write_safetensors_here(path, tensors)


def _write_safetensors_here(path, tensors):
    import torch
    dtypes = {torch.float32: "F32", torch.float16: "F16",
              torch.bfloat16: "BF16", torch.float64: "F64",
              torch.int64: "I64", torch.int32: "I32", torch.int16: "I16",
              torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}
    header, blobs, offset = {}, [], 0
    for name, tensor in tensors.items():
        tensor = tensor.detach().cpu().contiguous()
        if tensor.dtype not in dtypes:
            raise ValueError(f"cannot write {name}: dtype {tensor.dtype}")
        if tensor.numel():
            data = tensor.reshape(-1).view(torch.uint8).numpy().tobytes()
        else:
            data = b""
        if np.little_endian is False:  # pragma: no cover
            raise ValueError("safetensors writing needs a little-endian host")
        header[name] = {"dtype": dtypes[tensor.dtype],
                        "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-(8 + len(text)) % 8)
    tmp = os.fspath(path) + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
    os.replace(tmp, path)


# --------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------

def _unsupported_nodes(ep):
    """Call nodes the importer has no translation for (ignoring
    constant sub-graphs, which are folded)."""
    from torch.export.graph_signature import InputKind
    const_inputs = {s.arg.name for s in ep.graph_signature.input_specs
                    if s.kind == InputKind.CONSTANT_TENSOR}
    const = set()
    bad = []
    for node in ep.graph.nodes:
        if node.op == "placeholder":
            if node.name in const_inputs:
                const.add(node)
            continue
        if node.op == "get_attr":
            const.add(node)
            continue
        if node.op != "call_function":
            continue
        name = _op_name(node.target)
        if all(x in const for x in node.all_input_nodes):
            const.add(node)
            continue
        if name in _OPS or name in _IDENTITY_OPS or name in _NOOP_OPS or \
                name == "getitem":
            continue
        bad.append(node)
    return bad


def import_program(exported_program, *, entry="main", weights=None):
    """MLIR text of ``func.func @<entry>`` computing ``exported_program``
    (a ``torch.export.ExportedProgram``); see the module documentation.
    With ``weights`` (a path), the parameters and buffers are written there
    as safetensors."""
    import torch
    if not isinstance(entry, str) or not _SYMBOL_RE.match(entry):
        raise ValueError(f"invalid entry function name {entry!r}")
    ep = exported_program
    bad = _unsupported_nodes(ep)
    if bad:
        # Let PyTorch decompose the ops the importer lacks, if it can.
        try:
            table = torch.export.default_decompositions()
        except AttributeError:  # torch < 2.5
            from torch._decomp import core_aten_decompositions
            table = core_aten_decompositions()
        current, rounds = ep, 0
        while bad:
            hopeless = [n for n in bad if n.target not in table]
            if hopeless or rounds == 4:
                node = (hopeless or bad)[0]
                reason = None if current is ep else \
                    "left by PyTorch's decompositions of unsupported ops"
                raise _Importer(current, entry).fail(node, reason)
            wanted = {n.target: table[n.target] for n in bad}
            try:
                decomposed = current.run_decompositions(wanted)
            except Exception as e:
                raise _Importer(current, entry).fail(
                    bad[0], f"PyTorch's decomposition failed: {e}") from e
            current, rounds = decomposed, rounds + 1
            bad = _unsupported_nodes(current)
        ep = current
    return _Importer(ep, entry).run(weights)


def import_module(module, example_args, *, example_kwargs=None, entry="main",
                  weights=None):
    """Export ``module`` with ``torch.export.export(module, example_args,
    kwargs=example_kwargs)`` and return ``import_program`` of it."""
    import torch
    if not isinstance(example_args, tuple):
        example_args = tuple(example_args) if isinstance(
            example_args, list) else (example_args,)
    ep = torch.export.export(module, example_args, kwargs=example_kwargs)
    return import_program(ep, entry=entry, weights=weights)
