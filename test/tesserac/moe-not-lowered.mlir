// tessera.moe verifies, but has no CPU lowering yet: the driver says so and
// fails, without a crash or an output file.
// RUN: not tesserac %s -o %t 2>&1 | FileCheck %s
// RUN: not test -e %t

// CHECK: error: 'tessera.moe' op is not lowered yet: the grouped mixture-of-experts lowering is not implemented
// CHECK-NOT: Stack dump

func.func @main(%x: tensor<2x4x8xf32> {tessera.name = "x"},
                %wg: tensor<4x8xf32> {tessera.name = "router"},
                %wu: tensor<4x16x8xf32> {tessera.name = "w_up"},
                %wd: tensor<4x8x16xf32> {tessera.name = "w_down"},
                %wgt: tensor<4x16x8xf32> {tessera.name = "w_gate"})
    -> (tensor<2x4x8xf32> {tessera.name = "y"}) {
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) gate(%wgt)
      routing(#tessera.token_choice<k = 2, order = topk_then_softmax>)
      activation(swiglu)
      : (tensor<2x4x8xf32>, tensor<4x8xf32>, tensor<4x16x8xf32>,
         tensor<4x8x16xf32>, tensor<4x16x8xf32>) -> tensor<2x4x8xf32>
  return %y : tensor<2x4x8xf32>
}
