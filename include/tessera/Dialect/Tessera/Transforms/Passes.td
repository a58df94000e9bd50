//===- Passes.td - Tessera transformation passes -----------*- tablegen -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECT_TESSERA_TRANSFORMS_PASSES_TD
#define TESSERA_DIALECT_TESSERA_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def TesseraExportEntryPass : Pass<"tessera-export-entry", "::mlir::ModuleOp"> {
  let summary = "Record the entry functions' signatures for the runtime";
  let description = [{
    Checks that each entry function takes and returns statically shaped
    tensors of supported element types (f32, f64, f16, bf16, i1, i8, i32,
    i64) and returns at least one result. It renames entry `NAME` to
    `@<prefix>_model_NAME` (the runtime owns `main`), makes every other
    defined function private (so `symbol-dce` can drop the unused ones and
    none is exported), adds `llvm.emit_c_interface` to it, and moves the
    `tessera.name` attributes into the entry's signature: one line per
    input and output (`input NAME DTYPE D0,D1,...`), which the runtime
    reads to validate `.npy` and safetensors inputs. Names come from the
    `tessera.name` argument/result attributes (default `arg<i>` and
    `result<i>`). The entries' arguments are marked
    `bufferization.writable = false`: inputs belong to the caller, so an op
    that updates one in place (`tessera.kv_cache_update`) works on a copy.

    The signatures are recorded in the module attribute
    `tessera.exports = {prefix = "...", models = [{function, signature,
    inputs, outputs}, ...]}`, from which `tessera-emit-entry-wrapper`
    builds the model table. Several entries (`entry=prefill,decode`) give
    one object several models; different prefixes let several objects
    share one binary.

    Run on tensor IR, before bufferization.
  }];
  let options = [
    ListOption<"entries", "entry", "std::string",
               "Names of the entry functions (default: main)">,
    Option<"symbolPrefix", "symbol-prefix", "std::string",
           /*default=*/"\"tessera\"",
           "Prefix of every exported symbol (a C identifier)">
  ];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect"];
}

def TesseraEmitEntryWrapperPass
    : Pass<"tessera-emit-entry-wrapper", "::mlir::ModuleOp"> {
  let summary = "Emit the model table `<prefix>_models` and packed entry points";
  let description = [{
    After lowering to the LLVM dialect, turns the module's
    `tessera.exports` attribute (left by `tessera-export-entry`) into the
    symbols the runtime and other loaders read (`include/tessera-c/Model.h`):

    ```c
    typedef struct TesseraModel {
      const char *signature;  int64_t signature_size;
      int64_t num_inputs;     int64_t num_outputs;
      void (*entry)(void **args);
    } TesseraModel;
    extern const TesseraModel <prefix>_models[];
    extern const int64_t <prefix>_num_models;
    ```

    Each model's packed entry point `<prefix>_entry_NAME(void **args)`
    loads `args[0]` (the storage of all result memref descriptors) and
    `args[1 + i]` (the descriptor of input i) and calls
    `_mlir_ciface_<prefix>_model_NAME`, the C interface of the renamed
    entry function, so a caller needs one function type whatever the
    entry's arity.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def TesseraRaiseAttentionPass : Pass<"tessera-raise-attention"> {
  let summary = "Raise attention written in upstream ops to tessera.attention";
  let description = [{
    Recognises scaled dot-product attention as frontends (torch-mlir,
    IREE's importers, TOSA) write it, and rewrites it into one
    `tessera.attention`, which never materialises the Sq×Sk scores:

    * `S = matmul(Q, Kᵀ)`: `linalg.batch_matmul`, `linalg.matmul` or a
      contraction `linalg.generic` (two leading batch/head dimensions at
      most), with Kᵀ a `linalg.transpose`, a transposing copy or a
      transposed indexing map;
    * optionally a scale: multiplication or division by a constant,
      elementwise (`linalg.generic` or tensor `arith` ops);
    * optionally a mask after the scale: an additive tensor (`S + M`) or a
      boolean one (`select(M, S, -inf)`), broadcast like NumPy;
    * `softmax` over the key axis: `linalg.softmax`, or its decomposition
      `e / sum(e)` with `e = exp(S - max(S))` (reductions starting at 0 and
      -inf);
    * `O = matmul(P, V)`.

    Ranks below 4 get leading unit dimensions (`[B·H, S, D]` becomes
    `[1, B·H, S, D]`). A mask whose values are known at compile time — a
    constant, or a `linalg.generic` computing it from `linalg.index`
    (iota/compare) — that allows a band `q - left <= k <= q + right` of a
    square score matrix becomes `#tessera.causal` or
    `#tessera.sliding_window<left, right>`; one allowing everything is
    dropped; any other stays an explicit mask operand. Anything else is
    left as it is. One difference from the unraised IR: a query row whose
    keys are all masked yields zeros instead of NaN (as tessera.attention
    documents). The pipeline runs this pass first in the decompose phase.
  }];
  let dependentDialects = [
    "::mlir::tensor::TensorDialect", "::mlir::tessera::TesseraDialect"
  ];
}

def TesseraDecomposePass : Pass<"tessera-decompose"> {
  let summary = "Decompose composite ops into core tessera ops";
  let description = [{
    Calls `DecomposableOpInterface::decompose` on every op that implements
    it (`tessera.probsparse_attention`, `tessera.strip_attention`,
    `tessera.scheduler_step`, `tessera.sample`); a new composite op needs
    no change here. A composite op without regions on f16/bf16 storage is
    first moved onto f32 as `tessera-widen-storage` does, so the ops it
    becomes (poolings, projections, ProbSparse's measurements) compute in
    f32 and its results are rounded once. Upstream aggregate ops left in
    the module (`linalg.softmax`, through `linalg::AggregatedOpInterface`)
    are decomposed into elementwise and reduction ops too.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect", "::mlir::tessera::TesseraDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def TesseraWidenStoragePass : Pass<"tessera-widen-storage"> {
  let summary = "Compute f16 and bf16 tensors of tessera ops in f32";
  let description = [{
    f16 and bf16 are storage types: every `tessera` op whose tensor
    operands or results have one of them is rewritten to compute in f32.
    Its f16/bf16 operands are widened exactly (`arith.extf`), the op runs on
    f32 tensors, and each f16/bf16 result is rounded once, to nearest even
    (`arith.truncf`). Integer and i1 tensors (routing indices, masks) and
    f32 ones are left alone. The conversions are elementwise loop nests of
    their own (fused with neighbouring elementwise work where the
    elementwise fusion finds it, not into the kernels' loads).

    Scalar regions (`score_mod`, epilogues) written in the storage type
    keep computing in it: their f16/bf16 arguments arrive in f32 and are
    rounded on entry, their f16/bf16 yields are widened. An op that does not
    verify on f32 tensors is reported and the pass fails.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def TesseraPrintSchedulePass : Pass<"tessera-print-schedule"> {
  let summary = "Print the sampling tables of every scheduler_step and sample op";
  let description = [{
    For each `tessera.scheduler_step` and `tessera.sample` op, prints to
    standard output one line per table of its scheduler's float64
    coefficients (see `SchedulerAttrInterface`), each value with 17
    significant digits:

    ```
    schedule @<function> #<op index> steps=<n> init_noise_sigma=<v>
      timestep: v0 v1 ...
      input_scale: ...   level: ...   A: ...   B: ...   C: ...   D: ...
      P: ...   Q: ...
    ```

    The IR is unchanged. For checking a scheduler configuration against
    diffusers, and for tests.
  }];
}

def TesseraCPUTargetPass : Pass<"tessera-cpu-target", "::mlir::ModuleOp"> {
  let summary = "Record the CPU the kernels are built for";
  let description = [{
    Sets the module's `tessera.target` attribute to the
    `#tessera.cpu_target` LLVM describes for `cpu` with `features`:
    512-bit vectors and 32 registers with AVX-512F, 256 bits and 16
    registers with AVX, 128 bits otherwise (32 registers on AArch64); FMA
    from the `fma` feature (AVX-512F implies it; always on AArch64). The
    kernel passes derive their vector width, register blocks and use of
    FMA from it. `cpu=native` (the default) means the host CPU with its
    features; `features` is an LLVM feature list (`+avx2,-avx512f`) added
    to them. An unknown CPU or feature is an error. A module that already
    has a `tessera.target` keeps it (a hand-written description wins).

    `tesserac --mcpu=... --mattr=...` runs it with the same CPU the object
    code is compiled for.
  }];
  let options = [
    Option<"cpu", "cpu", "std::string", /*default=*/"\"native\"",
           "LLVM CPU name (x86-64-v3, x86-64-v4, znver4, ...), or native">,
    Option<"features", "features", "std::string", /*default=*/"\"\"",
           "LLVM target features to add, e.g. +avx2,-avx512f">
  ];
  let dependentDialects = ["::mlir::tessera::TesseraDialect"];
}

def TesseraFlashAttentionPass
    : Pass<"tessera-flash-attention", "::mlir::ModuleOp"> {
  let summary = "Schedule tessera.attention as a fused, tiled flash-style "
                "kernel in the tile-level form";
  let description = [{
    Rewrites every `tessera.attention` into a parallel loop over (batch,
    group of query heads sharing a K/V head, query tile) that calls a
    private task function. The task streams key tiles through an online
    softmax (running max and sum, rescaled accumulator); no Sq×Sk buffer
    exists. This pass is the target-independent half: it writes the
    schedule (task grid, key-tile loops, GQA grouping, mask tests, scratch)
    and leaves the arithmetic on one tile as `tessera.tile_*` ops on views
    of the operands and of the task's scratch:

    ```
    per key tile the query tile visits:
      per query head of the group (the K/V tile stays in cache):
        tessera.tile_matmul Q, Kᵀ into S {scale}     S = scale·Q·Kᵀ
        tessera.tile_score_mod S                      (score_mod region)
        tessera.tile_add_mask M into S                (explicit mask)
        tessera.tile_mask S {mask, num_keys}          (partial tiles only)
        tessera.tile_online_softmax S, max, sum, acc
        tessera.tile_matmul S, V into acc {accumulate[, skip_masked]}
    tessera.tile_normalize acc, sum into out (fused epilogue region)
    ```

    A target lowers the tile ops (`tessera-lower-tiles` for the CPU); the
    schedule is the same for every target.

    Tiles: `tile-q` query rows (fewer for a shorter sequence, else rounded
    up to a multiple of 8) by `tile-k` keys (a multiple of 16, the widest
    vector of any target; fewer for a shorter sequence); Dv is padded to
    a multiple of 16.

    Tile skipping: with a mask attribute and no run-time `q_offset`, each
    (query tile, key tile) pair is classified at compile time through the
    mask's `MaskAttrInterface`; the key tiles a query tile visits are a
    constant CSR table (`@__tessera_attention_rows_N` /
    `@__tessera_attention_tiles_N`, entries `2·tile + partial`), so empty
    tiles are never visited and full tiles run without mask arithmetic.
    With a run-time `q_offset` every key tile is visited and masked per
    element. `block_index` supplies the tile lists at run time; a block
    larger than a kernel tile is visited as several tiles.

    Masked keys contribute exactly nothing: their probability is stored as
    -0.0 and, in tiles that may hold masked keys (partial tiles; every tile
    under an explicit mask or a `score_mod`), P·V skips such entries
    (`skip_masked`), so NaN/Inf in a masked key or value never reaches the
    output. Full tiles run the plain product.

    Limits (compile time and memory are bounded for every input): operand
    dimensions at most 2^40, and every buffer's byte size representable in
    64 bits (else a diagnostic); kernel tiles of at most 512 query rows and
    128 keys (`tile-q` / `tile-k` above that are capped); the tile table
    is built when (query tiles × key tiles × mask size) is at most 2^22 and
    it holds at most 2^20 entries, otherwise every key tile is visited and
    masked at run time; per-task scratch is at most 1 MiB (query tiles
    shrink to fit, down to one row: Dv up to about 260000; a diagnostic
    beyond); a run-time `q_offset` is clamped to [-2^61, 2^61].

    Epilogue fusion: a chain of single-use elementwise consumers of the
    result (e.g. a sigmoid gate, a residual add), whose other operands are
    splat constants or tensors of the result's type, becomes the
    `tile_normalize` epilogue region, applied to each output element
    before it is stored.

    Inputs are copied into padded contiguous layouts first (K transposed
    into [B, Hkv, tiles, D, Tk] blocks), which costs O(S·D) memory.
    Function arguments that need no padding are used in place. Only f32
    with static shapes is supported.
  }];
  let options = [
    Option<"tileQ", "tile-q", "int64_t", /*default=*/"64",
           "Query rows per tile (rounded up to a multiple of 8; at most 512 "
           "are used)">,
    Option<"tileK", "tile-k", "int64_t", /*default=*/"64",
           "Keys per tile (a multiple of 16; at most 128 are used)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def TesseraPlanBuffersPass
    : Pass<"tessera-plan-buffers", "::mlir::ModuleOp"> {
  let summary = "Place a function's intermediate buffers in one planned arena";
  let description = [{
    After bufferization and deallocation, the intermediate buffers of a
    function are statically shaped `memref.alloc` / `memref.dealloc` pairs
    in its body's one block; their lifetimes are intervals of the block's
    op order. This pass places every such buffer at an offset of one arena
    (largest first, each at the lowest 64-byte-aligned offset where it
    overlaps no placed buffer it is live with), allocates the arena once
    per call and turns each buffer into a `memref.view` of it: one
    allocation per call instead of one per buffer, and a footprint of the
    planned peak.

    Buffers that are results, freed in a nested region, dynamically shaped
    or more than 64-byte aligned keep their own allocation. The planned
    size is recorded as `tessera.scratch_bytes` on every function and, for
    exported entries, as a `scratch_bytes N` line of the signature, which
    the executable's `--print-signature` shows.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect"
  ];
}

def TesseraLowerTilesPass
    : Pass<"tessera-lower-tiles", "::mlir::ModuleOp"> {
  let summary = "Lower the tile-level form to vector code for the CPU";
  let description = [{
    Turns every `tessera.tile_*` op into scf/vector code for the module's
    `#tessera.cpu_target` (see `tessera-cpu-target`; x86-64-v3 without
    one); the loops around them are left as they are.

    `tessera.tile_matmul` becomes an outer-product register block: R rows
    of A broadcast against V vectors of a row of B, R × V accumulators
    held in vector registers for the whole reduction. The block is the one
    with the most accumulators whose accumulators, loaded vectors and
    broadcast (plus one register for the masked-entry test of
    `skip_masked`) fit the target's vector registers, V dividing B's
    vectors, R at most 8 (the last M mod R rows are one smaller block);
    ties go to fewer loads per FMA (x86-64-v3: 8 lanes, 16 registers,
    6 × 2; x86-64-v4: 16 lanes, 32 registers, 6 × 4). `block-rows` and `block-vectors`
    override the choice for every product (for experiments; a block too
    large for the register file spills).

    The other tile ops become per-row vector loops; the online softmax
    makes two passes per row (maxima, then exponentials) so that no row's
    scores stay live across the exp polynomial. Columns of every tile
    except `tile_normalize`'s output must be whole vectors of the target.

    The CUDA pipeline runs it after `tessera-gpu-map-loops`, which lowers
    the tile ops of the tasks that run on warps, for the tile ops that
    stay on one thread.
  }];
  let options = [
    Option<"blockRows", "block-rows", "int64_t", /*default=*/"0",
           "Rows of every register block (0: from the target; at most 16)">,
    Option<"blockVectors", "block-vectors", "int64_t", /*default=*/"0",
           "Vectors of every register block (0: from the target; at most "
           "16)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect", "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def TesseraTileLinearPass : Pass<"tessera-tile-linear", "::mlir::ModuleOp"> {
  let summary = "Schedule tessera.linear as tiled products in the tile-level "
                "form";
  let description = [{
    Rewrites every statically shaped f32 `tessera.linear` into a parallel
    loop over (row tile of up to 64 rows, column tile of up to 64
    columns). Wᵀ is laid out once as contiguous column tiles [N/C, K, C];
    each task runs `tessera.tile_matmul` over chunks of `tile-k` of the
    reduction (the bias added by the first, the others accumulating), so
    that one chunk of Wᵀ stays in cache while every row block of the tile
    reads it. The output is computed padded to whole tiles and sliced.
    Tile shapes do not depend on the target; `tessera-lower-tiles` turns
    the products into register-blocked vector code for the module's CPU.
    Other linears are left to `convert-tessera-to-linalg`.
  }];
  let options = [
    Option<"tileK", "tile-k", "int64_t", /*default=*/"128",
           "Reduction chunk of one tile product (a chunk of Wᵀ is tile-k × "
           "64 floats: 32 KiB at 128)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::bufferization::BufferizationDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def TesseraLowerMoEPass : Pass<"tessera-lower-moe", "::mlir::ModuleOp"> {
  let summary = "Lower tessera.moe to routing, a counting sort and grouped GEMMs";
  let description = [{
    Rewrites every statically shaped f32 `tessera.moe` into: a routing pass
    over the tokens (gate logits, softmax, top-k; expert choice; task or
    category tables) producing K (expert, weight) slots per token; capacity
    drops and a per-expert histogram in token order; a prefix sum and a
    scatter of the routed rows into per-expert groups; a grouped
    up-projection (bias and activation, or SwiGLU, in its epilogue) and a
    grouped down-projection (bias and routing weight in its epilogue, one
    partial output row per routed row), each an `scf.parallel` over (row
    tile, column chunk) whose tiles come from the run-time offsets, so an
    expert with no token is never read, and whose register blocks (column
    blocks outer, blocks of 4 rows inner) are a nested `scf.parallel`
    (in order on the CPU, see `tessera-serialize-nested-parallel`; spread
    over a warp's lanes on the GPU); and a combine that sums each
    token's slots in slot order, plus the shared experts (the same grouped
    kernels, one group of all tokens per shared expert). Extra memory is
    O(R·(d + f)) for R = min(T·K, E·C) routed rows, plus the T·K routing
    slots; results do not depend on the thread count.
    Other `tessera.moe` ops are left to `convert-tessera-to-linalg`, which
    reports them.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::bufferization::BufferizationDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect", "::mlir::vector::VectorDialect"
  ];
}

def TesseraSerializeNestedParallelPass
    : Pass<"tessera-serialize-nested-parallel", "::mlir::ModuleOp"> {
  let summary = "Run parallel loops nested in parallel loops in order";
  let description = [{
    Rewrites every `scf.parallel` (without reductions) nested in another
    `scf.parallel`, or in a function called from one's body (an attention
    task function, and the functions it calls), into a nest of `scf.for`
    over its dimensions, the first outermost. A kernel's task states the
    independence of its inner blocks this way (the grouped GEMMs of
    `tessera-lower-moe`, the row-wise initialization of attention's
    running max, sum and accumulator): the GPU spreads them over a warp's
    lanes (`tessera-gpu-map-loops`), while on the CPU
    the outer loop already fills the threads, and the inner one runs in the
    order its cache blocking was written for instead of as a nested OpenMP
    region. The CPU pipeline runs it just before `convert-scf-to-openmp`.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

def TesseraMemRefCopyToLinalgPass : Pass<"tessera-memref-copy-to-linalg"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    Bufferization copies strided views with `memref.copy`, whose LLVM
    lowering calls `memrefCopy` from MLIR's C runner library, which neither
    the generated executables nor shared libraries link. As `linalg.copy`
    the copy becomes an ordinary (parallel) loop nest.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def TesseraMathApproximationPass : Pass<"tessera-math-approximation"> {
  let summary = "Replace f32 transcendental calls by vectorisable polynomials";
  let description = [{
    Rewrites f32 (scalar or vector) `math` ops named in `functions` into
    MLIR's polynomial approximations (upstream
    `populateMathPolynomialApproximationPatterns`), which LLVM vectorises;
    libm's `tanhf`, `erff` and `expf` are scalar calls, and glibc's `tanhf`
    is slow. It runs in the llvm phase with the default list, so no f32
    `exp`, `tanh` or `erf` reaches libm. Accuracy against float64, measured
    by test/Integration/CPU/math-approximation.mlir on [-87, 88] and
    [-5, 5]: `exp` within 1 ulp (0.98), `tanh` and `erf` within 3e-7
    absolute (2.7e-7 and 2.4e-7; the test allows 2 ulp and 5e-7). f64 ops
    (the RoPE and timestep-embedding angles) are left to libm. It also
    expands bf16 conversions (`arith.truncf` to bf16 with round-to-nearest-
    even, `arith.extf` from bf16) into integer arithmetic, so no compiler-rt
    routine (`__truncsfbf2`) is needed at link time.
  }];
  let options = [
    ListOption<"functions", "functions", "std::string",
               "math op names to approximate (default: exp, tanh, erf)">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::math::MathDialect"];
}

#endif // TESSERA_DIALECT_TESSERA_TRANSFORMS_PASSES_TD
