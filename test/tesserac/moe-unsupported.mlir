// tessera.moe in f16 verifies, but the CPU lowering is f32 only: the driver
// says so and fails, without a crash or an output file.
// RUN: not tesserac %s -o %t 2>&1 | FileCheck %s
// RUN: not test -e %t

// CHECK: error: 'tessera.moe' op cannot be lowered: element type 'f16' is not supported yet (only f32 is)
// CHECK-NOT: Stack dump

func.func @main(%x: tensor<2x4x8xf16> {tessera.name = "x"},
                %wg: tensor<4x8xf16> {tessera.name = "router"},
                %wu: tensor<4x16x8xf16> {tessera.name = "w_up"},
                %wd: tensor<4x8x16xf16> {tessera.name = "w_down"},
                %wgt: tensor<4x16x8xf16> {tessera.name = "w_gate"})
    -> (tensor<2x4x8xf16> {tessera.name = "y"}) {
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) gate(%wgt)
      routing(#tessera.token_choice<k = 2, order = topk_then_softmax>)
      activation(swiglu)
      : (tensor<2x4x8xf16>, tensor<4x8xf16>, tensor<4x16x8xf16>,
         tensor<4x8x16xf16>, tensor<4x16x8xf16>) -> tensor<2x4x8xf16>
  return %y : tensor<2x4x8xf16>
}
