#!/usr/bin/env python3
"""Summarises the innermost loops of an x86 assembly file (tesserac --emit=asm).

    scripts/asm_loops.py FILE.s

For every function, one line:

    <function>: fma-loops=N vector-spills=S exp-loops=M exp-spills=T widest=ymm|zmm|xmm

where an innermost loop is the code from a label to the last jump back to
it, containing no other such loop. fma-loops counts those that hold an FMA
instruction (the register-blocked products), vector-spills the 16/32/64-byte
spill and reload instructions LLVM marks in them; exp-loops and exp-spills
count the same for loops that evaluate the exp polynomial (they round:
vroundps / vrndscaleps), whose constants alone take most of 16 registers;
widest is the widest vector register the FMA loops use. The tests check
that the register blocks chosen for a CPU never spill.
"""
import re
import sys


def functions(lines):
    name, body = None, []
    for line in lines:
        m = re.match(r"^([A-Za-z_][\w.$]*):", line)
        if m and not m.group(1).startswith(".L"):
            if name:
                yield name, body
            name, body = m.group(1), []
        elif name:
            body.append(line)
    if name:
        yield name, body


def innermost_loops(body):
    labels = {}
    for i, line in enumerate(body):
        m = re.match(r"^(\.L\w+):", line)
        if m:
            labels[m.group(1)] = i
    spans = {}
    for i, line in enumerate(body):
        m = re.match(r"\s+j\w+\s+(\.L\w+)", line)
        if m and m.group(1) in labels and labels[m.group(1)] <= i:
            spans[m.group(1)] = (labels[m.group(1)], i)
    spans = sorted(spans.values())
    for a, b in spans:
        if not any(a <= c and d <= b and (c, d) != (a, b) for c, d in spans):
            yield body[a:b + 1]


def main():
    lines = open(sys.argv[1]).read().split("\n")
    for name, body in functions(lines):
        loops = [l for l in innermost_loops(body)
                 if any("vfmadd" in x or "vfmla" in x for x in l)]
        if not loops:
            continue
        exp = [l for l in loops
               if any(re.search(r"\bv(roundps|rndscaleps)\b", x) for x in l)]
        fma = [l for l in loops if l not in exp]

        def spills(ls):
            return sum(1 for l in ls for x in l if re.search(
                r"(16|32|64)-byte (Folded )?(Spill|Reload)", x))
        text = "\n".join(x for l in (fma or exp) for x in l)
        widest = ("zmm" if "%zmm" in text else "ymm" if "%ymm" in text
                  else "xmm")
        print(f"{name}: fma-loops={len(fma)} vector-spills={spills(fma)} "
              f"exp-loops={len(exp)} exp-spills={spills(exp)} widest={widest}")


if __name__ == "__main__":
    main()
