// Every scheduler × beta_schedule × timestep_spacing × prediction_type (with
// eta, set_alpha_to_one, zero terminal SNR, Karras sigmas, steps_offset and
// shift variants): the float64 tables printed by --tessera-print-schedule
// against test/reference/schedulers.py (diffusers' semantics): integer
// timesteps exactly, coefficients to 1e-11 relative.
// RUN: %PYTHON %reference/check_schedules.py tessera-opt | FileCheck %s
// CHECK: PASS ddim:
// CHECK: PASS ddpm:
// CHECK: PASS euler:
// CHECK: PASS dpmsolver:
// CHECK: PASS flow_match_euler:
// CHECK: PASS lcm:

// The printed form.
// RUN: tessera-opt %s --tessera-print-schedule -o /dev/null | FileCheck %s --check-prefix=CHECK-PRINT
// CHECK-PRINT: schedule @f #0 steps=4 init_noise_sigma=1
// CHECK-PRINT-NEXT: timestep: 999 759 499 259
// CHECK-PRINT-NEXT: input_scale: 1 1 1 1
// CHECK-PRINT: C: {{[0-9.e-]+}} {{[0-9.e-]+}} {{[0-9.e-]+}} 0
func.func @f(%x: tensor<2xf32>, %i: tensor<i64>) {
  %0 = tessera.scheduler_step %x, %x, %i noise(%x) scheduler(#tessera.lcm<>) steps(4) : (tensor<2xf32>, tensor<2xf32>, tensor<i64>, tensor<2xf32>) -> tensor<2xf32>
  return
}
