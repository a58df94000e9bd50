// RUN: tessera-opt %s -split-input-file -verify-diagnostics

func.func @linear_weight_rank(%x: tensor<4x16xf32>, %w: tensor<16xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{'tessera.linear' op expects weight of rank 2 ([N, K]), got rank 1}}
  %0 = tessera.linear %x, %w : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @linear_k_mismatch(%x: tensor<4x16xf32>, %w: tensor<8x15xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'tessera.linear' op expects weight of shape [8, 16], got [8, 15]}}
  %0 = tessera.linear %x, %w : (tensor<4x16xf32>, tensor<8x15xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @linear_bias(%x: tensor<4x16xf32>, %w: tensor<8x16xf32>, %b: tensor<16xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'tessera.linear' op expects bias of shape [8], got [16]}}
  %0 = tessera.linear %x, %w bias(%b) : (tensor<4x16xf32>, tensor<8x16xf32>, tensor<16xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @linear_result(%x: tensor<4x16xf32>, %w: tensor<8x16xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{'tessera.linear' op expects result of shape [4, 8], got [4, 16]}}
  %0 = tessera.linear %x, %w : (tensor<4x16xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @linear_element_type(%x: tensor<4x16xf32>, %w: tensor<8x16xf16>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'tessera.linear' op expects all operands and results to have the same element type, got 'f32' and 'f16'}}
  %0 = tessera.linear %x, %w : (tensor<4x16xf32>, tensor<8x16xf16>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @linear_not_float(%x: tensor<4x16xi32>, %w: tensor<8x16xi32>) -> tensor<4x8xi32> {
  // expected-error @+1 {{'tessera.linear' op operand #0 must be ranked tensor of floating-point values}}
  %0 = tessera.linear %x, %w : (tensor<4x16xi32>, tensor<8x16xi32>) -> tensor<4x8xi32>
  return %0 : tensor<4x8xi32>
}

// -----

func.func @layer_norm_rank(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'tessera.layer_norm' op expects input of rank >= 1, got rank 0}}
  %0 = tessera.layer_norm %x : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @layer_norm_weight(%x: tensor<4x16xf32>, %g: tensor<4xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{'tessera.layer_norm' op expects weight of shape [16], got [4]}}
  %0 = tessera.layer_norm %x weight(%g) : (tensor<4x16xf32>, tensor<4xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @layer_norm_bias(%x: tensor<4x16xf32>, %b: tensor<16x1xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{'tessera.layer_norm' op expects bias of shape [16], got [16, 1]}}
  %0 = tessera.layer_norm %x bias(%b) : (tensor<4x16xf32>, tensor<16x1xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @layer_norm_epsilon(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{'tessera.layer_norm' op expects a non-negative epsilon}}
  %0 = tessera.layer_norm %x {epsilon = -1.0 : f32} : (tensor<4x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @layer_norm_result(%x: tensor<4x16xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'tessera.layer_norm' op expects result of shape [4, 16], got [4, 8]}}
  %0 = tessera.layer_norm %x : (tensor<4x16xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @rms_norm_weight(%x: tensor<4x16xf32>, %g: tensor<8xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{'tessera.rms_norm' op expects weight of shape [16], got [8]}}
  %0 = tessera.rms_norm %x weight(%g) : (tensor<4x16xf32>, tensor<8xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @rms_norm_epsilon(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{'tessera.rms_norm' op expects a non-negative epsilon}}
  %0 = tessera.rms_norm %x {epsilon = -1.0e-6 : f32} : (tensor<4x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @gelu_types(%x: tensor<4x16xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'tessera.gelu' op requires the same type for all operands and results}}
  %0 = "tessera.gelu"(%x) : (tensor<4x16xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @gelu_approximation(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  // expected-error @+2 {{expected ::mlir::tessera::GeluApproximation to be one of: none, tanh}}
  // expected-error @+1 {{failed to parse Tessera_GeluApproximationAttr parameter 'value'}}
  %0 = tessera.gelu %x approximate(sigmoid) : tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @swiglu_types(%g: tensor<4x16xf32>, %u: tensor<4x8xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{'tessera.swiglu' op requires the same type for all operands and results}}
  %0 = "tessera.swiglu"(%g, %u) : (tensor<4x16xf32>, tensor<4x8xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @rope_rank(%x: tensor<16xf32>) -> tensor<16xf32> {
  // expected-error @+1 {{'tessera.rope' op expects input of rank >= 2, got rank 1}}
  %0 = tessera.rope %x : tensor<16xf32>
  return %0 : tensor<16xf32>
}

// -----

func.func @rope_odd(%x: tensor<8x15xf32>) -> tensor<8x15xf32> {
  // expected-error @+1 {{'tessera.rope' op expects an even head dimension, got 15}}
  %0 = tessera.rope %x : tensor<8x15xf32>
  return %0 : tensor<8x15xf32>
}

// -----

func.func @rope_theta(%x: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'tessera.rope' op expects a positive theta}}
  %0 = tessera.rope %x {theta = 0.0 : f64} : tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// -----

func.func @rope_offset(%x: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'tessera.rope' op expects a non-negative position_offset}}
  %0 = tessera.rope %x {position_offset = -1 : i64} : tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// -----

func.func @modulate_shift(%x: tensor<2x16x8xf32>, %s: tensor<2x16xf32>, %c: tensor<2x8xf32>) -> tensor<2x16x8xf32> {
  // expected-error @+1 {{'tessera.modulate' op expects shift of shape [2, 8], got [2, 16]}}
  %0 = tessera.modulate %x, %s, %c : (tensor<2x16x8xf32>, tensor<2x16xf32>, tensor<2x8xf32>) -> tensor<2x16x8xf32>
  return %0 : tensor<2x16x8xf32>
}

// -----

func.func @modulate_scale(%x: tensor<2x16x8xf32>, %s: tensor<2x8xf32>, %c: tensor<1x8xf32>) -> tensor<2x16x8xf32> {
  // expected-error @+1 {{'tessera.modulate' op expects scale of shape [2, 8], got [1, 8]}}
  %0 = tessera.modulate %x, %s, %c : (tensor<2x16x8xf32>, tensor<2x8xf32>, tensor<1x8xf32>) -> tensor<2x16x8xf32>
  return %0 : tensor<2x16x8xf32>
}

// -----

func.func @modulate_rank(%x: tensor<8xf32>, %s: tensor<8xf32>, %c: tensor<8xf32>) -> tensor<8xf32> {
  // expected-error @+1 {{'tessera.modulate' op expects input of rank >= 2, got rank 1}}
  %0 = tessera.modulate %x, %s, %c : (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

func.func @timestep_rank(%t: tensor<2x1xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'tessera.timestep_embedding' op expects timesteps of rank 1, got rank 2}}
  %0 = tessera.timestep_embedding %t : (tensor<2x1xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @timestep_result_rank(%t: tensor<2xf32>) -> tensor<2x8x1xf32> {
  // expected-error @+1 {{'tessera.timestep_embedding' op expects a result of rank 2 ([B, dim]), got rank 3}}
  %0 = tessera.timestep_embedding %t : (tensor<2xf32>) -> tensor<2x8x1xf32>
  return %0 : tensor<2x8x1xf32>
}

// -----

func.func @timestep_dim(%t: tensor<2xf32>) -> tensor<2x1xf32> {
  // expected-error @+1 {{'tessera.timestep_embedding' op expects an embedding dimension >= 2, got 1}}
  %0 = tessera.timestep_embedding %t : (tensor<2xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @timestep_period(%t: tensor<2xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'tessera.timestep_embedding' op expects a positive max_period}}
  %0 = tessera.timestep_embedding %t {max_period = -1.0 : f64} : (tensor<2xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @timestep_shift(%t: tensor<2xf32>) -> tensor<2x9xf32> {
  // expected-error @+1 {{'tessera.timestep_embedding' op expects downscale_freq_shift < dim / 2 = 4 (the frequency exponent divides by their difference), got 4}}
  %0 = tessera.timestep_embedding %t {downscale_freq_shift = 4.0 : f64} : (tensor<2xf32>) -> tensor<2x9xf32>
  return %0 : tensor<2x9xf32>
}

// -----

func.func @timestep_shift_dim2(%t: tensor<2xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'tessera.timestep_embedding' op expects downscale_freq_shift < dim / 2 = 1 (the frequency exponent divides by their difference), got 1}}
  %0 = tessera.timestep_embedding %t {downscale_freq_shift = 1.0 : f64} : (tensor<2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @timestep_shift_nan(%t: tensor<2xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'tessera.timestep_embedding' op expects a finite downscale_freq_shift}}
  %0 = tessera.timestep_embedding %t {downscale_freq_shift = 0x7FF8000000000000 : f64} : (tensor<2xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @timestep_scale(%t: tensor<2xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'tessera.timestep_embedding' op expects a finite scale}}
  %0 = tessera.timestep_embedding %t {scale = 0x7FF0000000000000 : f64} : (tensor<2xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @timestep_flip_type(%t: tensor<2xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'tessera.timestep_embedding' op attribute 'flip_sin_to_cos' failed to satisfy constraint: bool attribute}}
  %0 = tessera.timestep_embedding %t {flip_sin_to_cos = 1 : i64} : (tensor<2xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @timestep_batch(%t: tensor<2xf32>) -> tensor<3x8xf32> {
  // expected-error @+1 {{'tessera.timestep_embedding' op expects result of shape [2, 8], got [3, 8]}}
  %0 = tessera.timestep_embedding %t : (tensor<2xf32>) -> tensor<3x8xf32>
  return %0 : tensor<3x8xf32>
}

// -----

func.func @attention_rank(%q: tensor<2x4x16xf32>, %k: tensor<1x2x4x16xf32>, %v: tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32> {
  // expected-error @+1 {{'tessera.attention' op expects query of rank 4 ([B, H, S, D]), got rank 3}}
  %0 = tessera.attention %q, %k, %v : (tensor<2x4x16xf32>, tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32>
  return %0 : tensor<1x2x4x16xf32>
}

// -----

func.func @attention_heads(%q: tensor<1x6x4x16xf32>, %k: tensor<1x4x4x16xf32>, %v: tensor<1x4x4x16xf32>) -> tensor<1x6x4x16xf32> {
  // expected-error @+1 {{'tessera.attention' op expects the number of query heads (6) to be a multiple of the number of key/value heads (4)}}
  %0 = tessera.attention %q, %k, %v : (tensor<1x6x4x16xf32>, tensor<1x4x4x16xf32>, tensor<1x4x4x16xf32>) -> tensor<1x6x4x16xf32>
  return %0 : tensor<1x6x4x16xf32>
}

// -----

func.func @attention_key_dim(%q: tensor<1x2x4x16xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32> {
  // expected-error @+1 {{'tessera.attention' op expects key of shape [1, 2, 4, 16], got [1, 2, 4, 8]}}
  %0 = tessera.attention %q, %k, %v : (tensor<1x2x4x16xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32>
  return %0 : tensor<1x2x4x16xf32>
}

// -----

func.func @attention_value_len(%q: tensor<1x2x4x16xf32>, %k: tensor<1x2x4x16xf32>, %v: tensor<1x2x5x16xf32>) -> tensor<1x2x4x16xf32> {
  // expected-error @+1 {{'tessera.attention' op expects value of shape [1, 2, 4, 16], got [1, 2, 5, 16]}}
  %0 = tessera.attention %q, %k, %v : (tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>, tensor<1x2x5x16xf32>) -> tensor<1x2x4x16xf32>
  return %0 : tensor<1x2x4x16xf32>
}

// -----

func.func @attention_result(%q: tensor<1x2x4x16xf32>, %k: tensor<1x2x4x16xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x16xf32> {
  // expected-error @+1 {{'tessera.attention' op expects result of shape [1, 2, 4, 8], got [1, 2, 4, 16]}}
  %0 = tessera.attention %q, %k, %v : (tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x16xf32>
  return %0 : tensor<1x2x4x16xf32>
}

// -----

func.func @attention_scale(%q: tensor<1x2x4x16xf32>, %k: tensor<1x2x4x16xf32>, %v: tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32> {
  // expected-error @+1 {{'tessera.attention' op expects a finite scale}}
  %0 = tessera.attention %q, %k, %v {scale = 0x7F800000 : f32} : (tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>, tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32>
  return %0 : tensor<1x2x4x16xf32>
}
