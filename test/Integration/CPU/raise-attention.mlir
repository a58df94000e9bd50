// Attention written in upstream ops (as torch-mlir and IREE emit it) is
// raised to tessera.attention and matches the NumPy float64 reference; a
// standalone linalg.softmax compiles too.
// RUN: tesserac %s --entry=bmm_softmax --compile-to=decompose | FileCheck %s --check-prefix=CHECK-IR
// RUN: tesserac %s --entry=bmm_softmax -o %t.bmm
// RUN: %PYTHON %reference/check.py %t.bmm "ops.full_attention(q[None], k[None], v[None], scale=0.125)[0]" | FileCheck %s
// RUN: tesserac %s --entry=generic_causal -o %t.causal
// RUN: %PYTHON %reference/check.py %t.causal "ops.full_attention(q, k, v, scale=0.25, mask=ops.causal())" | FileCheck %s
// RUN: tesserac %s --entry=softmax_only -o %t.softmax
// RUN: %PYTHON %reference/check.py %t.softmax "np.exp(x - x.max(-1, keepdims=True)) / np.exp(x - x.max(-1, keepdims=True)).sum(-1, keepdims=True)" --default-range=-8,8 | FileCheck %s

// CHECK-IR-LABEL: func.func @bmm_softmax
// CHECK-IR: tessera.attention
// CHECK-IR-NOT: linalg.softmax
// CHECK-IR-NOT: linalg.batch_matmul
// CHECK: PASS

#qk_a = affine_map<(b, h, m, n, k) -> (b, h, m, k)>
#qk_b = affine_map<(b, h, m, n, k) -> (b, h, n, k)>
#qk_c = affine_map<(b, h, m, n, k) -> (b, h, m, n)>
#pv_a = affine_map<(b, h, m, n, k) -> (b, h, m, k)>
#pv_b = affine_map<(b, h, m, n, k) -> (b, h, k, n)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#row4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#mask4 = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>

func.func @bmm_softmax(%q: tensor<8x64x32xf32> {tessera.name = "q"}, %k: tensor<8x48x32xf32> {tessera.name = "k"}, %v: tensor<8x48x16xf32> {tessera.name = "v"}) -> tensor<8x64x16xf32> {
  %zero = arith.constant 0.0 : f32
  %c = arith.constant 0.125 : f32
  %kt0 = tensor.empty() : tensor<8x32x48xf32>
  %kt = linalg.transpose ins(%k : tensor<8x48x32xf32>) outs(%kt0 : tensor<8x32x48xf32>) permutation = [0, 2, 1]
  %s0 = tensor.empty() : tensor<8x64x48xf32>
  %sf = linalg.fill ins(%zero : f32) outs(%s0 : tensor<8x64x48xf32>) -> tensor<8x64x48xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<8x64x32xf32>, tensor<8x32x48xf32>) outs(%sf : tensor<8x64x48xf32>) -> tensor<8x64x48xf32>
  %scaled = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%s : tensor<8x64x48xf32>) outs(%s0 : tensor<8x64x48xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %c : f32
    linalg.yield %m : f32
  } -> tensor<8x64x48xf32>
  %p = linalg.softmax dimension(2) ins(%scaled : tensor<8x64x48xf32>) outs(%s0 : tensor<8x64x48xf32>) -> tensor<8x64x48xf32>
  %o0 = tensor.empty() : tensor<8x64x16xf32>
  %of = linalg.fill ins(%zero : f32) outs(%o0 : tensor<8x64x16xf32>) -> tensor<8x64x16xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<8x64x48xf32>, tensor<8x48x16xf32>) outs(%of : tensor<8x64x16xf32>) -> tensor<8x64x16xf32>
  return %o : tensor<8x64x16xf32>
}

func.func @generic_causal(%q: tensor<2x4x32x16xf32> {tessera.name = "q"}, %k: tensor<2x4x32x16xf32> {tessera.name = "k"}, %v: tensor<2x4x32x16xf32> {tessera.name = "v"}) -> tensor<2x4x32x16xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %c = arith.constant 4.0 : f32
  %e4 = tensor.empty() : tensor<2x4x32x32xf32>
  %sf = linalg.fill ins(%zero : f32) outs(%e4 : tensor<2x4x32x32xf32>) -> tensor<2x4x32x32xf32>
  %s = linalg.generic {indexing_maps = [#qk_a, #qk_b, #qk_c], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%q, %k : tensor<2x4x32x16xf32>, tensor<2x4x32x16xf32>) outs(%sf : tensor<2x4x32x32xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x4x32x32xf32>
  %scaled = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s : tensor<2x4x32x32xf32>) outs(%e4 : tensor<2x4x32x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.divf %in, %c : f32
    linalg.yield %m : f32
  } -> tensor<2x4x32x32xf32>
  %e2 = tensor.empty() : tensor<32x32xf32>
  %mask = linalg.generic {indexing_maps = [#id2], iterator_types = ["parallel", "parallel"]} outs(%e2 : tensor<32x32xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %ok = arith.cmpi ule, %j, %i : index
    %val = arith.select %ok, %zero, %ninf : f32
    linalg.yield %val : f32
  } -> tensor<32x32xf32>
  %masked = linalg.generic {indexing_maps = [#mask4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%mask, %scaled : tensor<32x32xf32>, tensor<2x4x32x32xf32>) outs(%e4 : tensor<2x4x32x32xf32>) {
  ^bb0(%mm: f32, %x: f32, %out: f32):
    %a = arith.addf %mm, %x : f32
    linalg.yield %a : f32
  } -> tensor<2x4x32x32xf32>
  %e3 = tensor.empty() : tensor<2x4x32xf32>
  %mf = linalg.fill ins(%ninf : f32) outs(%e3 : tensor<2x4x32xf32>) -> tensor<2x4x32xf32>
  %max = linalg.generic {indexing_maps = [#id4, #row4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%masked : tensor<2x4x32x32xf32>) outs(%mf : tensor<2x4x32xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %r = arith.maximumf %in, %acc : f32
    linalg.yield %r : f32
  } -> tensor<2x4x32xf32>
  %sub = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%masked, %max : tensor<2x4x32x32xf32>, tensor<2x4x32xf32>) outs(%e4 : tensor<2x4x32x32xf32>) {
  ^bb0(%x: f32, %mx: f32, %out: f32):
    %r = arith.subf %x, %mx : f32
    linalg.yield %r : f32
  } -> tensor<2x4x32x32xf32>
  %exp = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sub : tensor<2x4x32x32xf32>) outs(%e4 : tensor<2x4x32x32xf32>) {
  ^bb0(%x: f32, %out: f32):
    %r = math.exp %x : f32
    linalg.yield %r : f32
  } -> tensor<2x4x32x32xf32>
  %zf = linalg.fill ins(%zero : f32) outs(%e3 : tensor<2x4x32xf32>) -> tensor<2x4x32xf32>
  %sum = linalg.generic {indexing_maps = [#id4, #row4], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%exp : tensor<2x4x32x32xf32>) outs(%zf : tensor<2x4x32xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %r = arith.addf %in, %acc : f32
    linalg.yield %r : f32
  } -> tensor<2x4x32xf32>
  %pr = linalg.generic {indexing_maps = [#id4, #row4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%exp, %sum : tensor<2x4x32x32xf32>, tensor<2x4x32xf32>) outs(%e4 : tensor<2x4x32x32xf32>) {
  ^bb0(%x: f32, %sm: f32, %out: f32):
    %r = arith.divf %x, %sm : f32
    linalg.yield %r : f32
  } -> tensor<2x4x32x32xf32>
  %eo = tensor.empty() : tensor<2x4x32x16xf32>
  %of = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x4x32x16xf32>) -> tensor<2x4x32x16xf32>
  %o = linalg.generic {indexing_maps = [#pv_a, #pv_b, #qk_c], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%pr, %v : tensor<2x4x32x32xf32>, tensor<2x4x32x16xf32>) outs(%of : tensor<2x4x32x16xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x4x32x16xf32>
  return %o : tensor<2x4x32x16xf32>
}

func.func @softmax_only(%x: tensor<3x5x7xf32> {tessera.name = "x"}) -> tensor<3x5x7xf32> {
  %e = tensor.empty() : tensor<3x5x7xf32>
  %p = linalg.softmax dimension(2) ins(%x : tensor<3x5x7xf32>) outs(%e : tensor<3x5x7xf32>) -> tensor<3x5x7xf32>
  return %p : tensor<3x5x7xf32>
}
