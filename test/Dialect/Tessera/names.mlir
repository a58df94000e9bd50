// RUN: tessera-opt %s | tessera-opt | FileCheck %s

// Names in the documented character set round-trip unchanged.
// CHECK-LABEL: func @names
// CHECK-SAME: {tessera.name = "blocks.0.attn-qkv_w"}
// CHECK-SAME: {tessera.name = "_x9"}
// CHECK-SAME: {tessera.name = "Out.1"}
func.func @names(%w: tensor<2xf32> {tessera.name = "blocks.0.attn-qkv_w"}, %x: tensor<2xf32> {tessera.name = "_x9"}) -> (tensor<2xf32> {tessera.name = "Out.1"}) {
  return %x : tensor<2xf32>
}
