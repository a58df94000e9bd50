// The MoE vision-transformer examples (M³ViT, AniMer+, Union-of-Experts
// blocks) compiled, run, and compared with the float64 references in
// test/reference/models.py, which build the blocks from ops.py and moe.py.
// Weights are scaled down as a trained model's would be; x and the layer
// norms' weights are O(1).

// RUN: tesserac %S/../../../examples/m3vit_block.mlir -o %t.m3vit
// RUN: %PYTHON %reference/check.py %t.m3vit "models.m3vit_block(I)" --set task=1 --range x=-1,1 --range norm1.weight=0.5,1.5 --range norm2.weight=0.5,1.5 --default-range=-0.1,0.1 | FileCheck %s --check-prefix=CHECK2
// RUN: %PYTHON %reference/check.py %t.m3vit "models.m3vit_block(I)" --set task=0 --range x=-1,1 --range norm1.weight=0.5,1.5 --range norm2.weight=0.5,1.5 --default-range=-0.1,0.1 --seed 1 | FileCheck %s --check-prefix=CHECK2

// Task 0 never reaches experts 12..15, task 1 never reaches 0..3: their
// weights may hold anything (NaN here) without reaching the output.
// RUN: %PYTHON %reference/check.py %t.m3vit "models.m3vit_block(I)" --set task=0 --range x=-1,1 --range norm1.weight=0.5,1.5 --range norm2.weight=0.5,1.5 --default-range=-0.1,0.1 --nan mlp.experts.fc1.weight=12: --nan mlp.experts.fc2.weight=12: | FileCheck %s --check-prefix=CHECK2
// RUN: %PYTHON %reference/check.py %t.m3vit "models.m3vit_block(I)" --set task=1 --range x=-1,1 --range norm1.weight=0.5,1.5 --range norm2.weight=0.5,1.5 --default-range=-0.1,0.1 --nan mlp.experts.fc1.weight=:4 --nan mlp.experts.fc2.weight=:4 | FileCheck %s --check-prefix=CHECK2

// A task id out of range: exit status 2, one line, nothing written.
// RUN: rm -rf %t.bad && mkdir -p %t.bad
// RUN: %PYTHON -c "import numpy as np; np.save('%t.bad/task.npy', np.array(2, np.int32))"
// RUN: %PYTHON %reference/expect_exit.py 2 %t.m3vit --random-inputs --input task=%t.bad/task.npy --output %t.bad/out | FileCheck %s --check-prefix=CHECK-BAD
// RUN: not test -e %t.bad/out

// RUN: tesserac %S/../../../examples/animer_block.mlir -o %t.animer
// RUN: %PYTHON %reference/check.py %t.animer "models.animer_block(I)" --set "family=[1, 0]" --range x=-1,1 --range norm1.weight=0.5,1.5 --range norm2.weight=0.5,1.5 --default-range=-0.1,0.1 | FileCheck %s
// RUN: %PYTHON %reference/check.py %t.animer "models.animer_block(I)" --set "family=[0, 0]" --range x=-1,1 --range norm1.weight=0.5,1.5 --range norm2.weight=0.5,1.5 --default-range=-0.1,0.1 --nan mlp.experts.fc1.weight=2: | FileCheck %s

// RUN: tesserac %S/../../../examples/uoe_block.mlir -o %t.uoe
// RUN: %PYTHON %reference/check.py %t.uoe "models.uoe_block(I)" --range x=-1,1 --range norm1.weight=0.5,1.5 --range norm2.weight=0.5,1.5 --default-range=-0.1,0.1 | FileCheck %s --check-prefix=CHECK2

// CHECK: PASS y: max_err=
// CHECK2: PASS y: max_err=
// CHECK2-NEXT: PASS tokens_per_expert: max_err=0.000e+00
// CHECK-BAD: error: {{.*}}task.npy: tensor 'task': element 0 is 2, outside the valid range [0, 2)
// CHECK-BAD-NEXT: exit status: 2
