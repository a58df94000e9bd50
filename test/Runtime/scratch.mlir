// Intermediate buffers are planned at compile time into one arena per
// call, and --print-signature reports its size: here the two 64×128 f32
// results of the first linears (32 KiB each, live together) and the
// padded copies the layout needs.
// RUN: tesserac %s -o %t
// RUN: %t --print-signature | FileCheck %s
// RUN: %PYTHON %reference/check.py %t "(x @ w1.T) * (x @ w2.T) @ w3.T" | FileCheck %s --check-prefix=CHECK-NUM
// CHECK: input  x: f32[64,96]
// CHECK: output y: f32[64,32]
// CHECK-NEXT: scratch: {{[0-9]+}} bytes (intermediate buffers, planned at compile time)
// CHECK-NUM: PASS y:
func.func @main(%x: tensor<64x96xf32> {tessera.name = "x"}, %w1: tensor<128x96xf32> {tessera.name = "w1"}, %w2: tensor<128x96xf32> {tessera.name = "w2"}, %w3: tensor<32x128xf32> {tessera.name = "w3"}) -> (tensor<64x32xf32> {tessera.name = "y"}) {
  %a = tessera.linear %x, %w1 : (tensor<64x96xf32>, tensor<128x96xf32>) -> tensor<64x128xf32>
  %b = tessera.linear %x, %w2 : (tensor<64x96xf32>, tensor<128x96xf32>) -> tensor<64x128xf32>
  %c = arith.mulf %a, %b : tensor<64x128xf32>
  %y = tessera.linear %c, %w3 : (tensor<64x128xf32>, tensor<32x128xf32>) -> tensor<64x32xf32>
  return %y : tensor<64x32xf32>
}
