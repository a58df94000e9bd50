// The only public function is the entry; its name would become the
// signature's first line.
func.func @"m\0Ainput x f32 2"(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
