// RUN: tessera-opt %s -split-input-file --tessera-plan-buffers | FileCheck %s

// Lifetimes run from the alloc to the last use: %b (128 bytes) is placed
// first at 0; %a is still read after %b exists, so it goes above it
// (128); %c starts after %a's last use, so it reuses %a's bytes. The
// result %r keeps its own allocation. One 192-byte arena is allocated per
// call and freed before the return.
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
func.func @chain(%x: f32, %o: memref<16xf32>) -> memref<16xf32> {
  %a = memref.alloc() : memref<16xf32>
  linalg.fill ins(%x : f32) outs(%a : memref<16xf32>)
  %b = memref.alloc() : memref<32xf32>
  linalg.fill ins(%x : f32) outs(%b : memref<32xf32>)
  memref.copy %a, %o : memref<16xf32> to memref<16xf32>
  memref.dealloc %a : memref<16xf32>
  %c = memref.alloc() : memref<16xf32>
  linalg.fill ins(%x : f32) outs(%c : memref<16xf32>)
  %bv = memref.subview %b[0] [16] [1] : memref<32xf32> to memref<16xf32, strided<[1]>>
  memref.copy %bv, %o : memref<16xf32, strided<[1]>> to memref<16xf32>
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

// -----

// Deallocs at the end, as the deallocation pipeline leaves them: a buffer
// is live until its last use, through views too. %a's last use is the
// copy out of its subview, so %c (allocated after it) reuses %a's bytes;
// %b is live with both.
// CHECK-LABEL: func.func @last_use
// CHECK-SAME: attributes {tessera.scratch_bytes = 192 : i64}
// CHECK: %[[ARENA:.*]] = memref.alloc() {alignment = 64 : i64} : memref<192xi8>
// CHECK: memref.view %[[ARENA]][%c128{{.*}}][] : memref<192xi8> to memref<16xf32>
// CHECK: memref.view %[[ARENA]][%c0{{.*}}][] : memref<192xi8> to memref<32xf32>
// CHECK: memref.view %[[ARENA]][%c128{{.*}}][] : memref<192xi8> to memref<16xf32>
func.func @last_use(%x: f32, %out: memref<8xf32>) {
  %a = memref.alloc() : memref<16xf32>
  linalg.fill ins(%x : f32) outs(%a : memref<16xf32>)
  %b = memref.alloc() : memref<32xf32>
  linalg.fill ins(%x : f32) outs(%b : memref<32xf32>)
  %v = memref.subview %a[0] [8] [1] : memref<16xf32> to memref<8xf32, strided<[1]>>
  memref.copy %v, %out : memref<8xf32, strided<[1]>> to memref<8xf32>
  %c = memref.alloc() : memref<16xf32>
  linalg.fill ins(%x : f32) outs(%c : memref<16xf32>)
  %w = memref.subview %b[0] [8] [1] : memref<32xf32> to memref<8xf32, strided<[1]>>
  memref.copy %w, %out : memref<8xf32, strided<[1]>> to memref<8xf32>
  memref.dealloc %a : memref<16xf32>
  memref.dealloc %b : memref<32xf32>
  memref.dealloc %c : memref<16xf32>
  return
}

// -----

// A buffer that flows through a select keeps its allocation (where its
// bytes are read is not known); the other two are planned.
// CHECK-LABEL: func.func @escapes
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<128xi8>
// CHECK: %[[S:.*]] = memref.alloc() : memref<16xf32>
// CHECK: arith.select %{{.*}}, %[[S]]
func.func @escapes(%p: i1, %x: f32, %o: memref<16xf32>) {
  %s = memref.alloc() : memref<16xf32>
  %t = memref.alloc() : memref<16xf32>
  %u = memref.alloc() : memref<16xf32>
  linalg.fill ins(%x : f32) outs(%t : memref<16xf32>)
  linalg.fill ins(%x : f32) outs(%u : memref<16xf32>)
  %m = arith.select %p, %s, %o : memref<16xf32>
  linalg.fill ins(%x : f32) outs(%m : memref<16xf32>)
  memref.dealloc %s : memref<16xf32>
  memref.dealloc %t : memref<16xf32>
  memref.dealloc %u : memref<16xf32>
  return
}
