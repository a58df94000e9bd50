func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
  llvm.inline_asm has_side_effects "nop", "" : () -> ()
  return %x : tensor<2xf32>
}
