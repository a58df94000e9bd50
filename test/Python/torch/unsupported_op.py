# REQUIRES: torch
# RUN: %torch_python %s %t | FileCheck %s
#
# Ops and forms the importer cannot translate raise UnsupportedOpError (a
# NotImplementedError) naming the ATen op and the model's source line.

import os
import sys

import torch
import torch.nn as nn

from tessera.from_torch import (UnsupportedOpError, import_module,  # noqa
                                import_program)


def line_of(marker):
    """The line of this file that contains ``marker`` (after this
    function)."""
    with open(__file__) as f:
        lines = f.read().splitlines()
    return next(i for i, text in enumerate(lines, 1)
                if marker in text and "line_of(" not in text)


def show(module, args, **kwargs):
    try:
        import_module(module.eval() if not kwargs.pop("train", False)
                      else module.train(), args, **kwargs)
        print("no error")
    except UnsupportedOpError as e:
        assert isinstance(e, NotImplementedError)
        print(f"error: {e}")


class CumSum(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(8, 8)

    def forward(self, x):
        h = self.proj(x)
        return torch.cumsum(h, dim=-1)  # cumsum here


print(f"line {line_of('# cumsum here')}")
show(CumSum(), (torch.randn(2, 8),))
# CHECK: line [[L1:[0-9]+]]
# CHECK-NEXT: error: unsupported op aten.cumsum.default at unsupported_op.py:[[L1]] in forward


class Sort(nn.Module):
    def forward(self, x):
        return x.sort(dim=-1).values * 2  # sort here


print(f"line {line_of('# sort here')}")
show(Sort(), (torch.randn(4, 5),))
# CHECK: line [[L2:[0-9]+]]
# CHECK-NEXT: error: unsupported op aten.sort.default at unsupported_op.py:[[L2]] in forward


class Dropout(nn.Module):
    def __init__(self):
        super().__init__()
        self.drop = nn.Dropout(0.1)

    def forward(self, x):
        return self.drop(x) + 1


# Training-mode dropout: the op is known, its form is not.
print(f"line {line_of('self.drop(x)')}")
show(Dropout(), (torch.randn(4, 5),), train=True)
# CHECK: line [[L3:[0-9]+]]
# CHECK-NEXT: error: unsupported op aten.dropout.default at unsupported_op.py:[[L3]] in forward: training-mode dropout (call module.eval())


class Counter(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("count", torch.zeros(1))

    def forward(self, x):
        self.count.add_(1)
        return x * 2


# In-place buffer updates (KV caches, running statistics).
show(Counter(), (torch.randn(3),))
# (PyTorch's training IR keeps the in-place op; a functionalised program
# has a buffer-mutation output instead.)
# CHECK: error: unsupported op {{aten.add_.Tensor at unsupported_op.py:[0-9]+ in forward|output kind BUFFER_MUTATION at output .*: in-place update of count}}


# Dynamic shapes.
batch = torch.export.Dim("batch", min=2, max=64)
try:
    import_program(torch.export.export(nn.Linear(8, 8).eval(),
                                       (torch.randn(4, 8),),
                                       dynamic_shapes=({0: batch},)))
    print("no error")
except UnsupportedOpError as e:
    print(f"error: {e}")
# CHECK: error: unsupported op placeholder at input input: dynamic shapes are not supported

# A bad entry name.
try:
    import_module(nn.Linear(2, 2), (torch.randn(2),), entry='m"ain')
except ValueError as e:
    print(f"ValueError: {e}")
# CHECK: ValueError: invalid entry function name 'm"ain'
