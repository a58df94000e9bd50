// RUN: tessera-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// The target description round-trips; fma defaults to true.
// CHECK: module attributes {tessera.target = #tessera.cpu_target<cpu = "znver2", vector_bits = 256, vector_registers = 16>}
module attributes {tessera.target = #tessera.cpu_target<cpu = "znver2", vector_bits = 256, vector_registers = 16, fma = true>} {
}

// -----

// CHECK: module attributes {tessera.target = #tessera.cpu_target<vector_bits = 128, vector_registers = 32, fma = false>}
module attributes {tessera.target = #tessera.cpu_target<vector_bits = 128, vector_registers = 32, fma = false>} {
}

// -----

// CHECK: module attributes {tessera.target = #tessera.cpu_target<cpu = "znver2", vector_bits = 256, vector_registers = 16>}
module attributes {tessera.target = #tessera.cpu_target<cpu = "znver2", vector_bits = 256, vector_registers = 16>} {
}

// -----

// expected-error @+1 {{expects vector_bits of 128, 256 or 512, got 100}}
module attributes {tessera.target = #tessera.cpu_target<vector_bits = 100, vector_registers = 16>} {
}

// -----

// expected-error @+1 {{expects 8 to 64 vector_registers, got 4}}
module attributes {tessera.target = #tessera.cpu_target<vector_bits = 256, vector_registers = 4>} {
}

// -----

// expected-error @+1 {{'tessera.target' must be a #tessera.cpu_target}}
module attributes {tessera.target = 3 : i64} {
}

// -----

// expected-error @+1 {{'tessera.target' is a module attribute}}
func.func @f() attributes {tessera.target = #tessera.cpu_target<vector_bits = 256, vector_registers = 16>} {
  return
}

// -----

// expected-error @+1 {{unknown attribute 'tessera.targt'}}
module attributes {tessera.targt = 1 : i64} {
}
