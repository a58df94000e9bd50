// A task or category id that tessera.moe cannot route is rejected before any
// compute: the selector argument carries tessera.valid_range, the signature
// a `range=LO,HI`, and the runtime exits with status 2 and one line naming
// the file and the tensor, writing nothing. --random-inputs draws in range.
// RUN: rm -rf %t && mkdir -p %t
// RUN: tesserac %s --entry=task -o %t/task
// RUN: tesserac %s --entry=category -o %t/category
// RUN: tesserac %s --entry=task --compile-to=fuse-and-tile | FileCheck %s --check-prefix=CHECK-IR
// RUN: %PYTHON -c "import numpy as np; np.save('%t/t_ok.npy', np.array([2, 0], np.int64)); np.save('%t/t_high.npy', np.array([1, 3], np.int64)); np.save('%t/t_neg.npy', np.array([-1, 0], np.int64)); np.save('%t/c_high.npy', np.array(4, np.int32))"
// RUN: %PYTHON %reference/expect_exit.py 0 %t/task --random-inputs --input task=%t/t_ok.npy --output %t/ok | FileCheck %s --check-prefix=CHECK-OK
// RUN: %PYTHON %reference/expect_exit.py 0 %t/category --random-inputs --output %t/ok2 | FileCheck %s --check-prefix=CHECK-OK
// RUN: %PYTHON %reference/expect_exit.py 2 %t/task --random-inputs --input task=%t/t_high.npy --output %t/o1 | FileCheck %s --check-prefix=CHECK-HIGH
// RUN: %PYTHON %reference/expect_exit.py 2 %t/task --random-inputs --input task=%t/t_neg.npy --output %t/o1 | FileCheck %s --check-prefix=CHECK-NEG
// RUN: %PYTHON %reference/expect_exit.py 2 %t/category --random-inputs --input category=%t/c_high.npy --output %t/o1 | FileCheck %s --check-prefix=CHECK-CAT
// RUN: not test -e %t/o1

// CHECK-IR: func.func @task({{.*}}%arg4: tensor<2xi64> {tessera.name = "task", tessera.valid_range = array<i64: 0, 3>})
// CHECK-OK: exit status: 0
// CHECK-HIGH: error: {{.*}}t_high.npy: tensor 'task': element 1 is 3, outside the valid range [0, 3)
// CHECK-HIGH-NEXT: exit status: 2
// CHECK-NEG: error: {{.*}}t_neg.npy: tensor 'task': element 0 is -1, outside the valid range [0, 3)
// CHECK-NEG-NEXT: exit status: 2
// CHECK-CAT: error: {{.*}}c_high.npy: tensor 'category': element 0 is 4, outside the valid range [0, 4)
// CHECK-CAT-NEXT: exit status: 2

func.func @task(%x: tensor<2x5x8xf32> {tessera.name = "x"}, %wg: tensor<3x4x8xf32> {tessera.name = "wg"}, %wu: tensor<4x6x8xf32> {tessera.name = "wu"}, %wd: tensor<4x8x6xf32> {tessera.name = "wd"}, %task: tensor<2xi64> {tessera.name = "task"}) -> (tensor<2x5x8xf32> {tessera.name = "y"}) {
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) task(%task) routing(#tessera.task_conditioned<tasks = 3, gate = #tessera.token_choice<k = 1>>) activation(gelu) : (tensor<2x5x8xf32>, tensor<3x4x8xf32>, tensor<4x6x8xf32>, tensor<4x8x6xf32>, tensor<2xi64>) -> tensor<2x5x8xf32>
  return %y : tensor<2x5x8xf32>
}

func.func @category(%x: tensor<5x8xf32> {tessera.name = "x"}, %wu: tensor<4x6x8xf32> {tessera.name = "wu"}, %wd: tensor<4x8x6xf32> {tessera.name = "wd"}, %c: tensor<i32> {tessera.name = "category"}) -> (tensor<5x8xf32> {tessera.name = "y"}) {
  %y = tessera.moe %x experts(%wu, %wd) category(%c) routing(#tessera.category_conditioned<categories = 4, experts = [0, 1, 2, 3]>) activation(silu) : (tensor<5x8xf32>, tensor<4x6x8xf32>, tensor<4x8x6xf32>, tensor<i32>) -> tensor<5x8xf32>
  return %y : tensor<5x8xf32>
}
