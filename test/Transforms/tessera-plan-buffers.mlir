// RUN: tessera-opt %s -split-input-file --tessera-plan-buffers | FileCheck %s

// Lifetimes are intervals of the block: %b (128 bytes) is placed first at
// 0; %a is live with %b, so it goes above it (128); %c starts after %a is
// freed, so it reuses %a's bytes. The result %r keeps its own allocation.
// One 192-byte arena is allocated per call and freed before the return.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: attributes {tessera.scratch_bytes = 192 : i64}
// CHECK: %[[ARENA:.*]] = memref.alloc() {alignment = 64 : i64} : memref<192xi8>
// CHECK: %[[A:.*]] = memref.view %[[ARENA]][%c128{{.*}}][] : memref<192xi8> to memref<16xf32>
// CHECK: %[[B:.*]] = memref.view %[[ARENA]][%c0{{.*}}][] : memref<192xi8> to memref<32xf32>
// CHECK: %[[C:.*]] = memref.view %[[ARENA]][%c128{{.*}}][] : memref<192xi8> to memref<16xf32>
// CHECK: %[[R:.*]] = memref.alloc() : memref<16xf32>
// CHECK-NOT: memref.dealloc %[[A]]
// CHECK-NOT: memref.dealloc %[[C]]
// CHECK: memref.dealloc %[[ARENA]]
// CHECK-NEXT: return %[[R]]
func.func @chain(%x: f32) -> memref<16xf32> {
  %a = memref.alloc() : memref<16xf32>
  linalg.fill ins(%x : f32) outs(%a : memref<16xf32>)
  %b = memref.alloc() : memref<32xf32>
  linalg.fill ins(%x : f32) outs(%b : memref<32xf32>)
  memref.dealloc %a : memref<16xf32>
  %c = memref.alloc() : memref<16xf32>
  linalg.fill ins(%x : f32) outs(%c : memref<16xf32>)
  memref.dealloc %b : memref<32xf32>
  %r = memref.alloc() : memref<16xf32>
  memref.copy %c, %r : memref<16xf32> to memref<16xf32>
  memref.dealloc %c : memref<16xf32>
  return %r : memref<16xf32>
}

// -----

// Not planned: dynamic shapes, buffers freed in a nested region, and a
// function with a single candidate (nothing to share).
// CHECK-LABEL: func.func @unplanned
// CHECK-NOT: tessera.scratch_bytes
// CHECK-NOT: memref.view
// CHECK: memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK: memref.alloc() : memref<8xf32>
func.func @unplanned(%n: index, %p: i1, %x: f32) {
  %d = memref.alloc(%n) : memref<?xf32>
  linalg.fill ins(%x : f32) outs(%d : memref<?xf32>)
  %e = memref.alloc() : memref<8xf32>
  linalg.fill ins(%x : f32) outs(%e : memref<8xf32>)
  scf.if %p {
    memref.dealloc %e : memref<8xf32>
  }
  memref.dealloc %d : memref<?xf32>
  return
}

// -----

// An exported entry's signature gains the planned size.
// CHECK: signature = "entry main\0Aoutput y f32 4\0Ascratch_bytes 128\0A"
module attributes {tessera.exports = {models = [{function = "tessera_model_main", inputs = 0 : i64, outputs = 1 : i64, signature = "entry main\0Aoutput y f32 4\0A"}], prefix = "tessera"}} {
  func.func @tessera_model_main(%x: f32) -> memref<4xf32> {
    %a = memref.alloc() : memref<4xf32>
    linalg.fill ins(%x : f32) outs(%a : memref<4xf32>)
    %b = memref.alloc() : memref<4xf32>
    memref.copy %a, %b : memref<4xf32> to memref<4xf32>
    %r = memref.alloc() : memref<4xf32>
    memref.copy %b, %r : memref<4xf32> to memref<4xf32>
    memref.dealloc %a : memref<4xf32>
    memref.dealloc %b : memref<4xf32>
    return %r : memref<4xf32>
  }
}
