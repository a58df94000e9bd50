// f16 and bf16 are storage types: inputs are widened exactly, every kernel
// computes in f32, results are rounded once (tessera-widen-storage). The
// reference sees the rounded inputs; outputs get half an ulp of their type
// on top of the f32 tolerance (check.py).
// RUN: tesserac %s --entry=attention_f16 -o %t.a
// RUN: %PYTHON %reference/check.py %t.a "ops.full_attention(q, k, v, mask=ops.causal())" --range q=-3,3 | FileCheck %s
// RUN: tesserac %s --entry=gqa_bf16 -o %t.b
// RUN: %PYTHON %reference/check.py %t.b "ops.attention(q, k, v)" | FileCheck %s
// RUN: tesserac %s --entry=linear_bf16 -o %t.c
// RUN: %PYTHON %reference/check.py %t.c "ops.linear(x, w, b)" | FileCheck %s
// RUN: tesserac %s --entry=norm_bf16 -o %t.d
// RUN: %PYTHON %reference/check.py %t.d "ops.layer_norm(x, g, b, eps=1e-5)" | FileCheck %s
// RUN: %t.d --print-signature | FileCheck %s --check-prefix=SIG
// RUN: tesserac %s --entry=gelu_f16 -o %t.e
// RUN: %PYTHON %reference/check.py %t.e "ops.gelu(x)" --range x=-6,6 | FileCheck %s
// RUN: tesserac %s --entry=moe_f16 -o %t.f
// RUN: %PYTHON %reference/check.py %t.f "moe.moe(x, moe.token_choice(x.reshape(-1, 8), router, 2, 'topk_then_softmax', False, None), w_up, w_down, 'swiglu', w_gate=w_gate)" | FileCheck %s
// RUN: tesserac %s --entry=attention_f16 --compile-to=decompose | FileCheck %s --check-prefix=IR

// CHECK: PASS y: max_err=
// SIG: input  x: bf16[3,40,96]
// SIG: input  g: bf16[96]
// SIG: output y: bf16[3,40,96]

// IR: %[[Q:.*]] = arith.extf %arg0 : tensor<1x2x70x16xf16> to tensor<1x2x70x16xf32>
// IR: %[[A:.*]] = tessera.attention %[[Q]], %{{.*}}, %{{.*}} {mask = #tessera.causal} : (tensor<1x2x70x16xf32>, tensor<1x2x70x16xf32>, tensor<1x2x70x16xf32>) -> tensor<1x2x70x16xf32>
// IR: arith.truncf %[[A]] : tensor<1x2x70x16xf32> to tensor<1x2x70x16xf16>

func.func @attention_f16(%q: tensor<1x2x70x16xf16> {tessera.name = "q"}, %k: tensor<1x2x70x16xf16> {tessera.name = "k"}, %v: tensor<1x2x70x16xf16> {tessera.name = "v"}) -> (tensor<1x2x70x16xf16> {tessera.name = "y"}) {
  %0 = tessera.attention %q, %k, %v {mask = #tessera.causal} : (tensor<1x2x70x16xf16>, tensor<1x2x70x16xf16>, tensor<1x2x70x16xf16>) -> tensor<1x2x70x16xf16>
  return %0 : tensor<1x2x70x16xf16>
}

func.func @gqa_bf16(%q: tensor<1x8x20x16xbf16> {tessera.name = "q"}, %k: tensor<1x2x45x16xbf16> {tessera.name = "k"}, %v: tensor<1x2x45x24xbf16> {tessera.name = "v"}) -> (tensor<1x8x20x24xbf16> {tessera.name = "y"}) {
  %0 = tessera.attention %q, %k, %v : (tensor<1x8x20x16xbf16>, tensor<1x2x45x16xbf16>, tensor<1x2x45x24xbf16>) -> tensor<1x8x20x24xbf16>
  return %0 : tensor<1x8x20x24xbf16>
}

func.func @linear_bf16(%x: tensor<3x37x67xbf16> {tessera.name = "x"}, %w: tensor<29x67xbf16> {tessera.name = "w"}, %b: tensor<29xbf16> {tessera.name = "b"}) -> (tensor<3x37x29xbf16> {tessera.name = "y"}) {
  %0 = tessera.linear %x, %w bias(%b) : (tensor<3x37x67xbf16>, tensor<29x67xbf16>, tensor<29xbf16>) -> tensor<3x37x29xbf16>
  return %0 : tensor<3x37x29xbf16>
}

func.func @norm_bf16(%x: tensor<3x40x96xbf16> {tessera.name = "x"}, %g: tensor<96xbf16> {tessera.name = "g"}, %b: tensor<96xbf16> {tessera.name = "b"}) -> (tensor<3x40x96xbf16> {tessera.name = "y"}) {
  %0 = tessera.layer_norm %x weight(%g) bias(%b) : (tensor<3x40x96xbf16>, tensor<96xbf16>, tensor<96xbf16>) -> tensor<3x40x96xbf16>
  return %0 : tensor<3x40x96xbf16>
}

// An elementwise op: computed in f32, rounded to f16 once.
func.func @gelu_f16(%x: tensor<5x300xf16> {tessera.name = "x"}) -> (tensor<5x300xf16> {tessera.name = "y"}) {
  %0 = tessera.gelu %x : tensor<5x300xf16>
  return %0 : tensor<5x300xf16>
}

// A mixture of experts in f16 (routing computed in f32 from the f16
// values).
func.func @moe_f16(%x: tensor<2x20x8xf16> {tessera.name = "x"},
                   %wg: tensor<4x8xf16> {tessera.name = "router"},
                   %wu: tensor<4x16x8xf16> {tessera.name = "w_up"},
                   %wd: tensor<4x8x16xf16> {tessera.name = "w_down"},
                   %wgt: tensor<4x16x8xf16> {tessera.name = "w_gate"})
    -> (tensor<2x20x8xf16> {tessera.name = "y"}) {
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) gate(%wgt)
      routing(#tessera.token_choice<k = 2, order = topk_then_softmax>)
      activation(swiglu)
      : (tensor<2x20x8xf16>, tensor<4x8xf16>, tensor<4x16x8xf16>,
         tensor<4x8x16xf16>, tensor<4x16x8xf16>) -> tensor<2x20x8xf16>
  return %y : tensor<2x20x8xf16>
}
