// Every op not covered by storage-types.mlir, linear-storage.mlir and
// attention-nan-bf16.mlir, on f16 or bf16 storage (the sampler ops keep
// their latents in f32, by their verifiers): inputs widened exactly,
// computed in f32, each result rounded once, against the float64
// references on the rounded inputs (the f32 tolerance plus half an ulp of
// the output type, check.py). Under --param tessera_target=cuda (or
// cuda-emulate) the same models run through the CUDA mapping.
// RUN: tesserac %s --entry=rms_norm_bf16 -o %t.rms
// RUN: %PYTHON %reference/check.py %t.rms "ops.rms_norm(x, g, eps=1e-6)" | FileCheck %s
// RUN: tesserac %s --entry=silu_f16 -o %t.silu
// RUN: %PYTHON %reference/check.py %t.silu "ops.silu(x)" --range x=-8,8 | FileCheck %s
// RUN: tesserac %s --entry=swiglu_bf16 -o %t.swiglu
// RUN: %PYTHON %reference/check.py %t.swiglu "ops.swiglu(x, u)" | FileCheck %s
// RUN: tesserac %s --entry=rope_bf16 -o %t.rope
// RUN: %PYTHON %reference/check.py %t.rope "ops.rope(x, theta=500000.0, offset=7, interleaved=True)" | FileCheck %s
// RUN: tesserac %s --entry=rope_f16 -o %t.rope16
// RUN: %PYTHON %reference/check.py %t.rope16 "ops.rope(x)" | FileCheck %s
// RUN: tesserac %s --entry=modulate_f16 -o %t.mod
// RUN: %PYTHON %reference/check.py %t.mod "ops.modulate(x, shift, scale)" | FileCheck %s
// RUN: tesserac %s --entry=timestep_bf16 -o %t.ts
// RUN: %PYTHON %reference/check.py %t.ts "ops.timestep_embedding(x, 256)" --range x=0,1000 | FileCheck %s
// RUN: tesserac %s --entry=layer_norm_f16 -o %t.ln
// RUN: %PYTHON %reference/check.py %t.ln "ops.layer_norm(x, g, b, eps=1e-5)" --range x=-4,9 | FileCheck %s
// RUN: tesserac %s --entry=probsparse_bf16 -o %t.ps
// RUN: %PYTHON %reference/check.py %t.ps "ops.probsparse_attention(q, k, v, factor=2, causal=True)" | FileCheck %s
// RUN: tesserac %s --entry=strip_f16 -o %t.strip
// RUN: %PYTHON %reference/check.py %t.strip "ops.strip_attention(q, k, v, wq, wk, 4)" | FileCheck %s
// RUN: tesserac %s --entry=window_decode_f16 -o %t.win
// RUN: %PYTHON %reference/check.py %t.win "ops.full_attention(q, ops.kv_cache_update(kc, kn, pos), ops.kv_cache_update(vc, vn, pos), mask=ops.sliding_window(8, 0), q_offset=pos)" --set pos=21 | FileCheck %s
// RUN: %t.rms --print-signature | FileCheck %s --check-prefix=SIG
// Composite ops decompose on f32: no f16/bf16 arithmetic, no rounding in
// between, one rounding of the result.
// RUN: tesserac %s --entry=strip_f16,probsparse_bf16 --compile-to=decompose | FileCheck %s --check-prefix=DECOMP

// CHECK: PASS y: max_err=
// SIG: input  x: bf16[3,5,64]
// SIG: input  g: bf16[64]
// SIG: output y: bf16[3,5,64]
// DECOMP-LABEL: func.func @probsparse_bf16
// DECOMP-NOT: {{(addf|mulf|divf|maximumf|subf).*: bf16}}
// DECOMP-COUNT-1: arith.truncf
// DECOMP-NOT: {{(addf|mulf|divf|maximumf|subf).*: bf16}}
// DECOMP-LABEL: func.func @strip_f16
// DECOMP-NOT: {{(addf|mulf|divf|maximumf|subf).*: f16}}
// DECOMP-COUNT-1: arith.truncf
// DECOMP-NOT: {{(addf|mulf|divf|maximumf|subf|truncf).*: f16}}

func.func @rms_norm_bf16(%x: tensor<3x5x64xbf16> {tessera.name = "x"}, %g: tensor<64xbf16> {tessera.name = "g"}) -> (tensor<3x5x64xbf16> {tessera.name = "y"}) {
  %0 = tessera.rms_norm %x weight(%g) {epsilon = 1.0e-6 : f32} : (tensor<3x5x64xbf16>, tensor<64xbf16>) -> tensor<3x5x64xbf16>
  return %0 : tensor<3x5x64xbf16>
}

func.func @silu_f16(%x: tensor<3x2x100xf16> {tessera.name = "x"}) -> (tensor<3x2x100xf16> {tessera.name = "y"}) {
  %0 = tessera.silu %x : tensor<3x2x100xf16>
  return %0 : tensor<3x2x100xf16>
}

func.func @swiglu_bf16(%x: tensor<6x96xbf16> {tessera.name = "x"}, %u: tensor<6x96xbf16> {tessera.name = "u"}) -> (tensor<6x96xbf16> {tessera.name = "y"}) {
  %0 = tessera.swiglu %x, %u : tensor<6x96xbf16>
  return %0 : tensor<6x96xbf16>
}

func.func @rope_bf16(%x: tensor<1x2x17x32xbf16> {tessera.name = "x"}) -> (tensor<1x2x17x32xbf16> {tessera.name = "y"}) {
  %0 = tessera.rope %x {theta = 500000.0 : f64, position_offset = 7 : i64, interleaved} : tensor<1x2x17x32xbf16>
  return %0 : tensor<1x2x17x32xbf16>
}

func.func @rope_f16(%x: tensor<2x3x40x64xf16> {tessera.name = "x"}) -> (tensor<2x3x40x64xf16> {tessera.name = "y"}) {
  %0 = tessera.rope %x : tensor<2x3x40x64xf16>
  return %0 : tensor<2x3x40x64xf16>
}

func.func @modulate_f16(%x: tensor<2x50x24xf16> {tessera.name = "x"}, %shift: tensor<2x24xf16> {tessera.name = "shift"}, %scale: tensor<2x24xf16> {tessera.name = "scale"}) -> (tensor<2x50x24xf16> {tessera.name = "y"}) {
  %0 = tessera.modulate %x, %shift, %scale : (tensor<2x50x24xf16>, tensor<2x24xf16>, tensor<2x24xf16>) -> tensor<2x50x24xf16>
  return %0 : tensor<2x50x24xf16>
}

func.func @timestep_bf16(%x: tensor<5xbf16> {tessera.name = "x"}) -> (tensor<5x256xbf16> {tessera.name = "y"}) {
  %0 = tessera.timestep_embedding %x : (tensor<5xbf16>) -> tensor<5x256xbf16>
  return %0 : tensor<5x256xbf16>
}

func.func @layer_norm_f16(%x: tensor<7x100xf16> {tessera.name = "x"}, %g: tensor<100xf16> {tessera.name = "g"}, %b: tensor<100xf16> {tessera.name = "b"}) -> (tensor<7x100xf16> {tessera.name = "y"}) {
  %0 = tessera.layer_norm %x weight(%g) bias(%b) : (tensor<7x100xf16>, tensor<100xf16>, tensor<100xf16>) -> tensor<7x100xf16>
  return %0 : tensor<7x100xf16>
}

func.func @probsparse_bf16(%q: tensor<1x4x72x16xbf16> {tessera.name = "q"}, %k: tensor<1x4x72x16xbf16> {tessera.name = "k"}, %v: tensor<1x4x72x24xbf16> {tessera.name = "v"}) -> (tensor<1x4x72x24xbf16> {tessera.name = "y"}) {
  %0 = tessera.probsparse_attention %q, %k, %v {factor = 2 : i64, causal} : (tensor<1x4x72x16xbf16>, tensor<1x4x72x16xbf16>, tensor<1x4x72x24xbf16>) -> tensor<1x4x72x24xbf16>
  return %0 : tensor<1x4x72x24xbf16>
}

func.func @strip_f16(%q: tensor<1x4x128x32xf16> {tessera.name = "q"}, %k: tensor<1x4x128x32xf16> {tessera.name = "k"}, %v: tensor<1x4x128x32xf16> {tessera.name = "v"}, %wq: tensor<16x32xf16> {tessera.name = "wq"}, %wk: tensor<16x32xf16> {tessera.name = "wk"}) -> (tensor<1x4x128x32xf16> {tessera.name = "y"}) {
  %0 = tessera.strip_attention %q, %k, %v, %wq, %wk {pool = 4 : i64} : (tensor<1x4x128x32xf16>, tensor<1x4x128x32xf16>, tensor<1x4x128x32xf16>, tensor<16x32xf16>, tensor<16x32xf16>) -> tensor<1x4x128x32xf16>
  return %0 : tensor<1x4x128x32xf16>
}

// A KV-cache decode step with a sliding window: three new keys written at
// a run-time offset, then attended to with q_offset.
func.func @window_decode_f16(%q: tensor<1x4x3x16xf16> {tessera.name = "q"}, %kc: tensor<1x2x64x16xf16> {tessera.name = "kc"}, %kn: tensor<1x2x3x16xf16> {tessera.name = "kn"}, %vc: tensor<1x2x64x16xf16> {tessera.name = "vc"}, %vn: tensor<1x2x3x16xf16> {tessera.name = "vn"}, %pos: tensor<i64> {tessera.name = "pos"}) -> (tensor<1x4x3x16xf16> {tessera.name = "y"}) {
  %off = tensor.extract %pos[] : tensor<i64>
  %o = arith.index_cast %off : i64 to index
  %k = tessera.kv_cache_update %kc, %kn, %o : (tensor<1x2x64x16xf16>, tensor<1x2x3x16xf16>, index) -> tensor<1x2x64x16xf16>
  %v = tessera.kv_cache_update %vc, %vn, %o : (tensor<1x2x64x16xf16>, tensor<1x2x3x16xf16>, index) -> tensor<1x2x64x16xf16>
  %y = tessera.attention %q, %k, %v q_offset(%o) {mask = #tessera.sliding_window<left = 8, right = 0>} : (tensor<1x4x3x16xf16>, tensor<1x2x64x16xf16>, tensor<1x2x64x16xf16>, index) -> tensor<1x4x3x16xf16>
  return %y : tensor<1x4x3x16xf16>
}
