// The example DiT block end to end against a NumPy float64 reference of the
// same block. Weights are scaled down as a trained model's would be.
// RUN: tesserac %S/../../../examples/dit_block.mlir -o %t
// RUN: %PYTHON %reference/check.py %t "ops.dit_block(I)" --range t=0,1000 --range x=-2,2 --default-range=-0.05,0.05 | FileCheck %s
// CHECK: PASS y: max_err=
