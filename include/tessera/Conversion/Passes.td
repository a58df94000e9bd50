//===- Passes.td - Tessera conversion passes ---------------*- tablegen -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_CONVERSION_PASSES_TD
#define TESSERA_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertTesseraToLinalgPass : Pass<"convert-tessera-to-linalg"> {
  let summary = "Lower tessera ops to linalg, tensor, arith and math";
  let description = [{
    Rewrites every `tessera` op into value-semantic `linalg.generic` ops
    (plus `tensor` reshapes and slices) with static shapes. Reductions carry
    `reassoc`/`contract` fast-math flags so that the CPU code generator can
    vectorise them. Dense attention is lowered as explicit scores, a
    numerically stable softmax (max-subtracted) and a P·V product.

    Ops with dynamic shapes or non-f32 element types are reported with a
    diagnostic and the pass fails.

    Example: `tessera-opt --convert-tessera-to-linalg input.mlir`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect"
  ];
}

def TesseraGPUMapLoopsPass : Pass<"tessera-gpu-map-loops", "::mlir::ModuleOp"> {
  let summary = "Map the host functions' parallel loops to GPU blocks and threads";
  let description = [{
    Runs on bufferized IR, where every kernel (an attention or linear task
    grid, an elementwise or reduction loop nest) is a top-level
    `scf.parallel`. Each such loop of a host function becomes a
    `gpu.launch` (through the upstream `convert-parallel-loops-to-gpu`):
    its dimensions are collapsed into one linear index, split into blocks of
    `max-threads` threads (whole warps, or the iteration count below 32),
    the last block guarded. One linear grid keeps every warp full whatever
    the loop's shape and has no 65535-block limit. Tasks keep the
    schedule's tiles: one task is one thread.

    A task of tile ops (an attention query tile, a linear column tile: the
    CUDA pipeline leaves the tile-level form through bufferization) or of
    nested `scf.parallel` loops without reductions (independent blocks,
    such as the register blocks of MoE's grouped GEMMs) runs on one warp
    instead, if besides them it writes only its own scratch (allocas of
    static shape at the top of the task or of the task function it calls,
    which is inlined); the number of tasks may be known only at run time
    (MoE's row tiles) if they have no scratch:
    - the loop gets 32 iterations per task; the task's scalar code runs
      alike in the 32 lanes;
    - the scratch becomes one 64-byte aligned slice per task of a buffer
      allocated around the loop, which the lanes share;
    - each product for tensor cores (a `tessera.tile_matmul` with an
      `operand_type` and without `skip_masked`, with `mma` on) becomes
      m16n8k16 `mma.sync` instructions (f32 accumulation) whose lanes
      write disjoint entries of C; every other tile op (f32 products
      included) is lowered as by `tessera-lower-tiles`, for the rows lane,
      lane + 32, ... of its output;
    - the iterations of each nested parallel loop, linearized (first
      dimension outermost), are taken from the lane's index in steps of 32;
    - a warp barrier (`nvvm.bar.warp.sync`) follows every tile op and every
      other write, so that each op sees what the lanes wrote before it.
    With `emulate-mma` (the host emulation of the CUDA mapping) lane 0 of
    each warp does the whole task: each row-wise op and each lane's share
    of a nested loop for every lane in turn,
    and each product through a host implementation of the instruction on
    the same fragments. Tile ops left in any other loop are lowered for one
    thread afterwards.

    The operands of a kernel must be device-visible: function arguments,
    allocations (made host-shared by `tessera-gpu-host-memory`), constant
    globals (sunk into the kernel so that outlining copies them to the
    device) and views of these. A loop that reads anything else, that has
    reductions, or that allocates, runs on the host instead (correct with
    host-shared memory; `remarks=1` reports each such loop and why).

    Functions called from a kernel are device functions; their loops are
    not mapped.
  }];
  let options = [
    Option<"maxThreads", "max-threads", "int64_t", "256",
           "Threads per block (a multiple of 32, at most 1024)">,
    Option<"remarks", "remarks", "bool", "false",
           "Emit a remark for each loop left on the host">,
    Option<"mma", "mma", "bool", "true",
           "Multiply the tile products with an operand_type on tensor cores "
           "(off where an architecture built lacks bf16 and f16 m16n8k16)">,
    Option<"emulateMMA", "emulate-mma", "bool", "false",
           "Compute the tensor-core products on one thread per warp "
           "(for tessera-gpu-emulate-launches)">
  ];
  let dependentDialects = [
    "::mlir::gpu::GPUDialect", "::mlir::scf::SCFDialect",
    "::mlir::memref::MemRefDialect", "::mlir::arith::ArithDialect",
    "::mlir::LLVM::LLVMDialect", "::mlir::NVVM::NVVMDialect",
    "::mlir::vector::VectorDialect", "::mlir::math::MathDialect"
  ];
}

def TesseraGPUHostMemoryPass : Pass<"tessera-gpu-host-memory", "::mlir::ModuleOp"> {
  let summary = "Allocate the host functions' buffers as host-shared (managed) GPU memory";
  let description = [{
    Rewrites `memref.alloc` / `memref.dealloc` in the functions outside
    `gpu.module`s into `gpu.alloc host_shared` / `gpu.dealloc`, so that
    both the kernels and any loop left on the host can read and write every
    intermediate buffer. The runtime allocates the entry's inputs the same
    way. Allocations inside device functions are not touched.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

def TesseraGPUFatbinPass : Pass<"tessera-gpu-fatbin", "::mlir::ModuleOp"> {
  let summary = "Assemble each gpu.binary's PTX into one fatbin for every architecture";
  let description = [{
    Runs after `gpu-module-to-binary{format=isa}` with one `#nvvm.target`
    per architecture. For every `gpu.binary`, each PTX object is assembled
    by `ptxas` into a cubin for its chip, and `fatbinary` packs the cubins
    plus the PTX of the lowest architecture (for forward compatibility,
    JIT-compiled by the driver on newer GPUs) into one fatbin, which
    replaces the objects. The driver then picks the cubin matching the GPU
    at load time.

    `ptxas` and `fatbinary` are looked up in `toolkit`/bin if it is set;
    else in the toolkit found when the project was configured, then under
    CUDA_HOME, CUDA_ROOT and CUDA_PATH, then on PATH. A missing tool or a
    failing assembly is a diagnostic, with ptxas's own message.
  }];
  let options = [
    Option<"toolkit", "toolkit", "std::string", "\"\"",
           "CUDA toolkit root (default: the one found at configure time)">
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

def TesseraGPUEmulateLaunchesPass : Pass<"tessera-gpu-emulate-launches", "::mlir::ModuleOp"> {
  let summary = "Run gpu.launch bodies as CPU loops (testing without a GPU)";
  let description = [{
    Rewrites every `gpu.launch` into one `scf.parallel` over its blocks and
    threads, the block and thread ids becoming induction variables, whose
    body calls the kernel body outlined into a private function. This is
    exact for kernels without barriers or shared memory, which is all that
    `tessera-gpu-map-loops` makes: so the CUDA target's loop mapping
    (tiling, guards, sunk constants, what stays on the host) can be run and
    checked numerically on a machine without a GPU. `tesserac
    --cuda-emulate` builds such a CPU executable.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

#endif // TESSERA_CONVERSION_PASSES_TD
