// RUN: tessera-opt %s -split-input-file --tessera-decompose | FileCheck %s

// tessera.sample becomes one scf.for over the steps carrying the latent (and
// DPM-Solver++'s state), with the denoiser inlined. Per step, guidance, its
// rescale and the scheduler step are two passes over the latent: one
// vectorised pass per sample for Σc, Σc², Σg, Σg² (f64 vector accumulators,
// for std(c) and std(g)), and one elementwise linalg.generic for everything
// else (guided output, rescale, step and next state), written over the
// carried tensors.
// CHECK-LABEL: func.func @guided
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0] [1, 7, 16]
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[1, 0, 0] [1, 7, 16]
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[X:.*]] = %{{.*}}, %[[H:.*]] = %{{.*}}) -> (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>)
// CHECK-NOT: linalg.generic
// CHECK: tensor.insert_slice %[[X]] into %{{.*}}[0, 0, 0, 0] [1, 4, 8, 8]
// CHECK: tensor.insert_slice %[[X]] into %{{.*}}[1, 0, 0, 0] [1, 4, 8, 8]
// CHECK: %[[OUT:.*]] = tessera.silu %{{.*}} : tensor<2x4x8x8xf32>
// CHECK: %[[U:.*]] = tensor.extract_slice %[[OUT]][0, 0, 0, 0] [1, 4, 8, 8]
// CHECK: %[[C:.*]] = tensor.extract_slice %[[OUT]][1, 0, 0, 0] [1, 4, 8, 8]
// CHECK-NOT: linalg.generic
// CHECK: %[[F:.*]] = scf.for {{.*}} -> (tensor<1xf32>)
// CHECK: scf.for {{.*}} step %c8 iter_args({{.*}}) -> (vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>)
// CHECK: vector.transfer_read {{.*}} {in_bounds = [true]} : tensor<1x256xf32>, vector<8xf32>
// CHECK: vector.transfer_read {{.*}} {in_bounds = [true]} : tensor<1x256xf32>, vector<8xf32>
// CHECK-COUNT-4: vector.reduction <add>
// CHECK: tensor.insert
// CHECK-NOT: linalg.generic
// CHECK: %[[NEXT:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[X]], %[[U]], %[[C]], %[[F]], %[[H]] : {{.*}}) outs(%[[X]], %[[H]] : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>)
// CHECK-NOT: linalg.generic
// CHECK: scf.yield %[[NEXT]]#0, %[[NEXT]]#1
// CHECK-NOT: tessera.sample
func.func @guided(%x: tensor<1x4x8x8xf32>, %c: tensor<1x7x16xf32>, %u: tensor<1x7x16xf32>) -> tensor<1x4x8x8xf32> {
  %y = tessera.sample %x cond(%c) uncond(%u) scheduler(#tessera.dpm_solver_2m<>) steps(20) {guidance_scale = 7.5, guidance_rescale = 0.7} : (tensor<1x4x8x8xf32>, tensor<1x7x16xf32>, tensor<1x7x16xf32>) -> tensor<1x4x8x8xf32> {
  ^bb0(%xi: tensor<2x4x8x8xf32>, %t: tensor<2xf32>, %ci: tensor<2x7x16xf32>):
    %s = tessera.silu %xi : tensor<2x4x8x8xf32>
    tessera.yield %s : tensor<2x4x8x8xf32>
  }
  return %y : tensor<1x4x8x8xf32>
}

// -----

// Without a rescale the step is one pass; Euler's model input x / sqrt(σ² + 1)
// is computed for the denoiser; DDPM-style noise comes from Philox inside
// the pass (mului_extended rounds, Box-Muller).
// CHECK-LABEL: func.func @euler
// CHECK: scf.for
// CHECK: %[[IN:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<2x16xf32>)
// CHECK: tessera.gelu %[[IN]]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]}
// CHECK-NOT: linalg.generic
// CHECK: scf.yield
func.func @euler(%x: tensor<2x16xf32>) -> tensor<2x16xf32> {
  %y = tessera.sample %x scheduler(#tessera.euler<>) steps(10) : (tensor<2x16xf32>) -> tensor<2x16xf32> {
  ^bb0(%xi: tensor<2x16xf32>, %t: tensor<2xf32>):
    %g = tessera.gelu %xi : tensor<2x16xf32>
    tessera.yield %g : tensor<2x16xf32>
  }
  return %y : tensor<2x16xf32>
}

// -----

// CHECK-LABEL: func.func @ddpm
// CHECK: scf.for
// CHECK-NOT: linalg.generic
// CHECK: linalg.generic
// CHECK-COUNT-20: arith.mului_extended
// CHECK: math.log
// CHECK: math.cos
// CHECK-NOT: linalg.generic
// CHECK: scf.yield
func.func @ddpm(%x: tensor<2x16xf32>, %seed: tensor<i64>) -> tensor<2x16xf32> {
  %y = tessera.sample %x seed(%seed) scheduler(#tessera.ddpm<>) steps(10) : (tensor<2x16xf32>, tensor<i64>) -> tensor<2x16xf32> {
  ^bb0(%xi: tensor<2x16xf32>, %t: tensor<2xf32>):
    tessera.yield %xi : tensor<2x16xf32>
  }
  return %y : tensor<2x16xf32>
}

// -----

// The single-step op: tables indexed by the clamped run-time step, one pass.
// CHECK-LABEL: func.func @step
// CHECK-SAME: tessera.valid_range = array<i64: 0, 50>
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: linalg.generic
// CHECK-NOT: linalg.generic
func.func @step(%x: tensor<2x16xf32>, %m: tensor<2x16xf32>, %i: tensor<i32>) -> tensor<2x16xf32> {
  %y = tessera.scheduler_step %x, %m, %i scheduler(#tessera.ddim<>) steps(50) : (tensor<2x16xf32>, tensor<2x16xf32>, tensor<i32>) -> tensor<2x16xf32>
  return %y : tensor<2x16xf32>
}
