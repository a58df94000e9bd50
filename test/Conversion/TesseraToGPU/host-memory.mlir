// RUN: tessera-opt %s --tessera-gpu-host-memory | FileCheck %s

// Host functions allocate host-shared memory, readable by kernels and by
// loops left on the host; a free waits for the stream.
// The signature tells the runtime to pass host-shared inputs.
// CHECK: signature = "entry model\0Aoutput y f32 16\0Atarget cuda\0A"
// CHECK-LABEL: func.func @model
// CHECK: %[[A:.*]] = gpu.alloc  host_shared () : memref<16xf32>
// CHECK: %[[D:.*]] = gpu.alloc  host_shared (%{{.*}}) : memref<?xf32>
// CHECK: %[[T:.*]] = gpu.wait async
// CHECK: %[[F:.*]] = gpu.dealloc async [%[[T]]] %[[D]] : memref<?xf32>
// CHECK: gpu.wait [%[[F]]]
// CHECK: return %[[A]]
// CHECK-NOT: memref.alloc
module attributes {tessera.exports = {models = [{function = "model", inputs = 1 : i64, outputs = 1 : i64, signature = "entry model\0Aoutput y f32 16\0A"}], prefix = "tessera"}} {
  func.func @model(%n: index) -> memref<16xf32> {
    %a = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
    %d = memref.alloc(%n) : memref<?xf32>
    memref.dealloc %d : memref<?xf32>
    return %a : memref<16xf32>
  }
  // Device functions (already outlined) keep their allocations.
  // CHECK: gpu.module
  // CHECK: memref.alloca
  gpu.module @kernels {
    gpu.func @k() kernel {
      %s = memref.alloca() : memref<4xf32>
      gpu.return
    }
  }
}
