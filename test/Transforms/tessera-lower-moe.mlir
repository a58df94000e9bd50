// RUN: tessera-opt %s -split-input-file --tessera-cpu-target=cpu=x86-64-v4 --tessera-lower-moe --canonicalize --cse | FileCheck %s
// RUN: tessera-opt %s -split-input-file --tessera-cpu-target=cpu=x86-64-v4 --tessera-lower-moe | FileCheck %s --check-prefix=MEM

// No buffer is [T, E, f]- or [T·E, f]-sized (T = 70, E = 8, f = 70, k = 2;
// expert choice: C = 18, so 8·18 = 144 rows, not 560).
// MEM-NOT: memref<70x8x70xf32>
// MEM-NOT: memref<560x70xf32>
// MEM-NOT: memref<560x19xf32>

// Top-2 of 8: a routing table of T·k = 140 slots; the tile count and every
// tile's (expert, first row, end row) come from the run-time offsets, and the
// grouped GEMMs loop over exactly those rows, reading the tile's expert;
// a task's register blocks (columns outer, row blocks of 4) are a nested
// scf.parallel.
// CHECK-LABEL: func.func @token_choice
// CHECK: memref.alloc() {{.*}} : memref<140xindex>
// CHECK: scf.parallel
// CHECK: %[[NT:.*]] = scf.for {{.*}} iter_args({{.*}}) -> (index)
// CHECK: %[[LO:.*]] = memref.load
// CHECK: %[[HI:.*]] = arith.addi %[[LO]]
// CHECK: scf.for %{{.*}} = %[[LO]] to %[[HI]] step %c32 iter_args
// CHECK: memref.alloc() {{.*}} : memref<140x70xf32>
// CHECK: memref.alloc() {{.*}} : memref<140x19xf32>
// CHECK: scf.parallel (%[[TILE:.*]], %{{.*}}) = (%{{.*}}, %{{.*}}) to (%[[NT]], %c2)
// CHECK: %[[E:.*]] = memref.load %{{.*}}[%[[TILE]]] : memref<13xindex>
// CHECK: %[[B:.*]] = memref.load %{{.*}}[%[[TILE]]] : memref<13xindex>
// CHECK: %[[END:.*]] = memref.load %{{.*}}[%[[TILE]]] : memref<13xindex>
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) = (%{{.*}}, %[[B]]) to (%{{.*}}, %[[END]]) step (%c{{[0-9]+}}, %c4)
// CHECK: vector.load %{{.*}}[%[[E]], %{{.*}}, %{{.*}}] : memref<8x70x19xf32>, vector<16xf32>
// CHECK-COUNT-16: vector.fma
// CHECK: vector.maskedload
// CHECK: math.erf
// CHECK: scf.parallel (%[[TILE2:.*]]) = (%{{.*}}) to (%[[NT]])
// CHECK: %[[E2:.*]] = memref.load %{{.*}}[%[[TILE2]]] : memref<13xindex>
// CHECK: vector.load %{{.*}}[%[[E2]], %{{.*}}, %{{.*}}] : memref<8x19x70xf32>, vector<16xf32>
// CHECK-NOT: tessera.moe
func.func @token_choice(%x: tensor<2x35x19xf32>, %wg: tensor<8x19xf32>, %wu: tensor<8x70x19xf32>, %wd: tensor<8x19x70xf32>) -> tensor<2x35x19xf32> {
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 2>) activation(gelu) : (tensor<2x35x19xf32>, tensor<8x19xf32>, tensor<8x70x19xf32>, tensor<8x19x70xf32>) -> tensor<2x35x19xf32>
  return %y : tensor<2x35x19xf32>
}

// -----

// Expert choice: T·E scores, but only E·C = 144 routed rows.
// CHECK-LABEL: func.func @expert_choice
// CHECK: memref.alloc() {{.*}} : memref<560xf32>
// CHECK: memref.alloc() {{.*}} : memref<144x70xf32>
// CHECK: memref.alloc() {{.*}} : memref<144x19xf32>
// CHECK-NOT: tessera.moe
func.func @expert_choice(%x: tensor<70x19xf32>, %wg: tensor<8x19xf32>, %wu: tensor<8x70x19xf32>, %wd: tensor<8x19x70xf32>) -> tensor<70x19xf32> {
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.expert_choice<capacity_factor = 2.0>) activation(silu) : (tensor<70x19xf32>, tensor<8x19xf32>, tensor<8x70x19xf32>, tensor<8x19x70xf32>) -> tensor<70x19xf32>
  return %y : tensor<70x19xf32>
}

// -----

// f16 is not lowered here; convert-tessera-to-linalg reports it.
// CHECK-LABEL: func.func @negative_f16
// CHECK: tessera.moe
func.func @negative_f16(%x: tensor<4x8xf16>, %wg: tensor<2x8xf16>, %wu: tensor<2x16x8xf16>, %wd: tensor<2x8x16xf16>) -> tensor<4x8xf16> {
  %y = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 1>) activation(gelu) : (tensor<4x8xf16>, tensor<2x8xf16>, tensor<2x16x8xf16>, tensor<2x8x16xf16>) -> tensor<4x8xf16>
  return %y : tensor<4x8xf16>
}

// -----

// No token: an empty result and zero counts, nothing computed.
// CHECK-LABEL: func.func @zero_tokens
// CHECK-NOT: tessera.moe
// CHECK-DAG: %[[N:.*]] = arith.constant dense<0> : tensor<3xi64>
// CHECK-DAG: %[[Y:.*]] = tensor.empty() : tensor<2x0x8xf32>
// CHECK: return %[[Y]], %[[N]]
func.func @zero_tokens(%x: tensor<2x0x8xf32>, %wg: tensor<3x8xf32>, %wu: tensor<3x16x8xf32>, %wd: tensor<3x8x16xf32>) -> (tensor<2x0x8xf32>, tensor<3xi64>) {
  %y, %n = tessera.moe %x router(%wg) experts(%wu, %wd) routing(#tessera.token_choice<k = 1>) activation(gelu) : (tensor<2x0x8xf32>, tensor<3x8xf32>, tensor<3x16x8xf32>, tensor<3x8x16xf32>) -> (tensor<2x0x8xf32>, tensor<3xi64>)
  return %y, %n : tensor<2x0x8xf32>, tensor<3xi64>
}
