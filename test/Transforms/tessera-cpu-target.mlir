// RUN: tessera-opt %s --tessera-cpu-target=cpu=x86-64-v4 | FileCheck %s --check-prefix=CHECK-V4
// RUN: tessera-opt %s --tessera-cpu-target=cpu=x86-64-v3 | FileCheck %s --check-prefix=CHECK-V3
// RUN: tessera-opt %s --tessera-cpu-target=cpu=x86-64 | FileCheck %s --check-prefix=CHECK-V1
// RUN: tessera-opt %s --tessera-cpu-target="cpu=x86-64-v4 features=-avx512f" | FileCheck %s --check-prefix=CHECK-V4-NO512
// RUN: tessera-opt %s --tessera-cpu-target="cpu=x86-64-v3 features=-fma" | FileCheck %s --check-prefix=CHECK-V3-NOFMA
// RUN: tessera-opt %s --tessera-cpu-target=cpu=native | FileCheck %s --check-prefix=CHECK-NATIVE
// RUN: tessera-opt %s --tessera-cpu-target=cpu=x86-64-v4 --tessera-cpu-target=cpu=x86-64 | FileCheck %s --check-prefix=CHECK-V4
// RUN: not tessera-opt %s --tessera-cpu-target=cpu=pentium9000 2>&1 | FileCheck %s --check-prefix=CHECK-BAD-CPU
// RUN: not tessera-opt %s --tessera-cpu-target="cpu=x86-64-v3 features=+avx9000" 2>&1 | FileCheck %s --check-prefix=CHECK-BAD-FEATURE
// RUN: not tessera-opt %s --tessera-cpu-target="cpu=x86-64-v3 features=avx2" 2>&1 | FileCheck %s --check-prefix=CHECK-BAD-FEATURE

// The CPU's vector width, register file and FMA as LLVM describes them;
// a module that has a description keeps it. (fma = true is the default
// and not printed.)
// CHECK-V4: module attributes {tessera.target = #tessera.cpu_target<cpu = "x86-64-v4", vector_bits = 512, vector_registers = 32>}
// CHECK-V3: module attributes {tessera.target = #tessera.cpu_target<cpu = "x86-64-v3", vector_bits = 256, vector_registers = 16>}
// CHECK-V1: module attributes {tessera.target = #tessera.cpu_target<cpu = "x86-64", vector_bits = 128, vector_registers = 16, fma = false>}
// CHECK-V4-NO512: vector_bits = 256, vector_registers = 16>
// CHECK-V3-NOFMA: vector_bits = 256, vector_registers = 16, fma = false
// CHECK-NATIVE: module attributes {tessera.target = #tessera.cpu_target<cpu = "{{[a-z0-9_-]+}}", vector_bits = {{128|256|512}}
// CHECK-BAD-CPU: error: tessera-cpu-target: unknown CPU 'pentium9000'
// CHECK-BAD-FEATURE: error: tessera-cpu-target: unknown target feature
func.func @f() {
  return
}
