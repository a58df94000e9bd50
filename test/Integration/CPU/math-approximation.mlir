// Accuracy of the vectorised exp/tanh/erf (tessera-math-approximation)
// against float64 NumPy; also checks they replaced the libm calls.
// The test is about the CPU's vectorised polynomials (CUDA kernels take
// these functions from libdevice), so it calls the build's tesserac
// directly, without the tessera_target/tessera_mcpu parameters' options.
// RUN: %tessera_obj_root/bin/tesserac %s -o %t
// RUN: %PYTHON %reference/check_math.py %t | FileCheck %s
// RUN: %tessera_obj_root/bin/tesserac %s --emit=llvm -o - | FileCheck %s --check-prefix=CHECK-IR
// CHECK: PASS [-87, 88]
// CHECK: PASS [-5, 5]
// CHECK-IR-NOT: call {{.*}}@expf
// CHECK-IR-NOT: call {{.*}}@tanhf
// CHECK-IR-NOT: call {{.*}}@erff
// CHECK-IR: fmul <{{[0-9]+}} x float>

func.func @main(%x: tensor<100000xf32> {tessera.name = "x"}) -> (tensor<100000xf32> {tessera.name = "e"}, tensor<100000xf32> {tessera.name = "t"}, tensor<100000xf32> {tessera.name = "f"}) {
  %e = math.exp %x : tensor<100000xf32>
  %t = math.tanh %x : tensor<100000xf32>
  %f = math.erf %x : tensor<100000xf32>
  return %e, %t, %f : tensor<100000xf32>, tensor<100000xf32>, tensor<100000xf32>
}
