// Every example model compiles, runs on seeded random inputs and produces
// finite outputs of the documented shapes (the next-frame sampler the same
// sum with 1 and 2 threads). (Numerics of each op and of the
// DiT block are checked against NumPy in Integration/CPU; the MoE example
// blocks are compiled, run and checked in Integration/CPU/moe-examples.mlir.)
// RUN: tesserac %S/../../examples/gqa_decoder.mlir -o %t.gqa
// RUN: %t.gqa --random-inputs --seed 0 | FileCheck %s --check-prefix=CHECK-GQA
// RUN: tesserac %S/../../examples/informer_encoder.mlir -o %t.informer
// RUN: %t.informer --random-inputs --seed 0 | FileCheck %s --check-prefix=CHECK-INFORMER
// RUN: tesserac %S/../../examples/s2aformer_block.mlir -o %t.s2a
// RUN: %t.s2a --random-inputs --seed 0 | FileCheck %s --check-prefix=CHECK-S2A
// RUN: tesserac %S/../../examples/next_frame_diffusion.mlir -o %t.nfd
// RUN: %t.nfd --random-inputs --seed 0 | FileCheck %s --check-prefix=CHECK-NFD
// RUN: tesserac %S/../../examples/next_frame_diffusion.mlir --entry=decode_frame -o %t.dec
// RUN: %t.dec --random-inputs --seed 0 | FileCheck %s --check-prefix=CHECK-DEC
// RUN: tesserac %S/../../examples/pixart_sampler.mlir -o %t.pixart
// RUN: %t.pixart --random-inputs --seed 0 | FileCheck %s --check-prefix=CHECK-PIXART
// RUN: tesserac %S/../../examples/ezaudio_sampler.mlir -o %t.ezaudio
// RUN: %t.ezaudio --random-inputs --seed 0 | FileCheck %s --check-prefix=CHECK-EZAUDIO
// RUN: tesserac %S/../../examples/wan_sampler.mlir -o %t.wan
// RUN: %t.wan --random-inputs --seed 0 | FileCheck %s --check-prefix=CHECK-WAN
// RUN: tesserac %S/../../examples/nfd_sampler.mlir -o %t.nfd_sampler
// RUN: rm -rf %t.nfd1 %t.nfd2
// RUN: %t.nfd_sampler --random-inputs --seed 0 --threads 1 --output %t.nfd1 | FileCheck %s --check-prefix=CHECK-NFDS
// RUN: %t.nfd_sampler --random-inputs --seed 0 --threads 2 --output %t.nfd2
// RUN: cmp %t.nfd1/sample.npy %t.nfd2/sample.npy
// RUN: tesserac %S/../../examples/dit_block.mlir -o %t.dit
// RUN: %t.dit --random-inputs --seed 0 | FileCheck %s --check-prefix=CHECK-DIT

// CHECK-GQA: output y: f32[1,128,512] sum={{-?[0-9]\.[0-9]+e[-+][0-9]+}} mean_abs={{[0-9]}}
// CHECK-INFORMER: output y: f32[1,96,256] sum={{-?[0-9]\.[0-9]+e[-+][0-9]+}} mean_abs={{[0-9]}}
// CHECK-S2A: output y: f32[1,256,128] sum={{-?[0-9]\.[0-9]+e[-+][0-9]+}} mean_abs={{[0-9]}}
// CHECK-NFD: output y: f32[1,256,256] sum={{-?[0-9]\.[0-9]+e[-+][0-9]+}} mean_abs={{[0-9]}}
// CHECK-DEC: output y: f32[1,64,256] sum={{-?[0-9]\.[0-9]+e[-+][0-9]+}} mean_abs={{[0-9]}}
// CHECK-DEC-NEXT: output k_cache_out: f32[1,4,320,64] sum={{-?[0-9]}}
// CHECK-DEC-NEXT: output v_cache_out: f32[1,4,320,64] sum={{-?[0-9]}}
// CHECK-PIXART: output sample: f32[1,64,16] sum={{-?[0-9]\.[0-9]+e[-+][0-9]+}} mean_abs={{[0-9]}}
// CHECK-EZAUDIO: output sample: f32[1,256,32] sum={{-?[0-9]\.[0-9]+e[-+][0-9]+}} mean_abs={{[0-9]}}
// CHECK-WAN: output sample: f32[1,128,16] sum={{-?[0-9]\.[0-9]+e[-+][0-9]+}} mean_abs={{[0-9]}}
// CHECK-NFDS: output sample: f32[1,16,16] sum={{-?[0-9]\.[0-9]+e[-+][0-9]+}} mean_abs={{[0-9]}}
// CHECK-DIT: output y: f32[2,256,384] sum={{-?[0-9]\.[0-9]+e[-+][0-9]+}} mean_abs={{[0-9]}}
