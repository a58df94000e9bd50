// Code for each x86-64 level, whatever the host: the kernels' register
// blocks come from --mcpu, and no innermost loop holding FMAs spills a
// vector register (scripts/asm_loops.py reads LLVM's spill/reload
// comments). The numeric suite runs at both levels where the host has
// them (scripts/test.sh).

// RUN: tesserac %S/../../examples/dit_block.mlir --emit=asm --mcpu=x86-64-v3 -o %t.dit3.s
// RUN: %PYTHON %S/../../scripts/asm_loops.py %t.dit3.s | FileCheck %s --check-prefix=CHECK-V3
// RUN: tesserac %S/../../examples/dit_block.mlir --emit=asm --mcpu=x86-64-v4 -o %t.dit4.s
// RUN: %PYTHON %S/../../scripts/asm_loops.py %t.dit4.s | FileCheck %s --check-prefix=CHECK-V4
// RUN: tesserac %S/../../examples/m3vit_block.mlir --emit=asm --mcpu=x86-64-v3 -o %t.moe3.s
// RUN: %PYTHON %S/../../scripts/asm_loops.py %t.moe3.s | FileCheck %s --check-prefix=CHECK-V3
// RUN: tesserac %S/../../examples/m3vit_block.mlir --emit=asm --mcpu=x86-64-v4 -o %t.moe4.s
// RUN: %PYTHON %S/../../scripts/asm_loops.py %t.moe4.s | FileCheck %s --check-prefix=CHECK-V4

// --mattr takes features away: x86-64-v4 without AVX-512 is AVX2 code.
// RUN: tesserac %S/../../examples/dit_block.mlir --emit=asm --mcpu=x86-64-v4 --mattr=-avx512f -o %t.dit4n.s
// RUN: %PYTHON %S/../../scripts/asm_loops.py %t.dit4n.s | FileCheck %s --check-prefix=CHECK-V3

// The checker itself: a block too large for 16 registers spills.
// RUN: tessera-opt %S/../../examples/dit_block.mlir --tessera-cpu-target=cpu=x86-64-v3 --tessera-decompose --tessera-flash-attention --tessera-lower-tiles="block-rows=8 block-vectors=4" -o %t.big.mlir
// RUN: tesserac %t.big.mlir --emit=asm --mcpu=x86-64-v3 -o %t.big.s
// RUN: %PYTHON %S/../../scripts/asm_loops.py %t.big.s | FileCheck %s --check-prefix=CHECK-SPILL

// With 16 registers the exp polynomial's constants alone take most of the
// register file: the softmax loop may spill a few values on x86-64-v3, the
// register-blocked product loops never.
// CHECK-V3: __tessera_attention_task_{{[0-9]+}}: fma-loops={{[1-9][0-9]*}} vector-spills=0 exp-loops=1 exp-spills={{[0-9]+}} widest=ymm
// CHECK-V3-NOT: vector-spills={{[1-9]}}
// CHECK-V3-NOT: zmm
// CHECK-V4: __tessera_attention_task_{{[0-9]+}}: fma-loops={{[1-9][0-9]*}} vector-spills=0 exp-loops=1 exp-spills=0 widest=zmm
// CHECK-V4-NOT: spills={{[1-9]}}
// CHECK-SPILL: __tessera_attention_task_{{[0-9]+}}: fma-loops={{[0-9]+}} vector-spills={{[1-9][0-9]*}}
