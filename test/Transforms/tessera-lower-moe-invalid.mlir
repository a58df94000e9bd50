// RUN: tessera-opt %s -split-input-file --tessera-lower-moe -verify-diagnostics

func.func @zero_hidden(%x: tensor<4x8xf32>, %wg: tensor<2x8xf32>, %wu: tensor<2x0x8xf32>, %wd: tensor<2x8x0xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'tessera.moe' op cannot be lowered: an expert hidden size of 0 is not supported}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 1>) activation(gelu) : (tensor<4x8xf32>, tensor<2x8xf32>, tensor<2x0x8xf32>, tensor<2x8x0xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

func.func @zero_shared_hidden(%x: tensor<4x8xf32>, %wg: tensor<2x8xf32>, %wu: tensor<2x4x8xf32>, %wd: tensor<2x8x4xf32>, %su: tensor<1x0x8xf32>, %sd: tensor<1x8x0xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'tessera.moe' op cannot be lowered: an expert hidden size of 0 is not supported}}
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) shared(%su, %sd) routing(#tessera.token_choice<k = 1>) activation(gelu) : (tensor<4x8xf32>, tensor<2x8xf32>, tensor<2x4x8xf32>, tensor<2x8x4xf32>, tensor<1x0x8xf32>, tensor<1x8x0xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
