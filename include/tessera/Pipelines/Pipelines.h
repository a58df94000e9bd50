//===- Pipelines.h - Tessera compilation phases -----------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// The CPU pipeline is a sequence of named phases. `tesserac --compile-to=PHASE`
// stops after a phase, and every phase is also a registered pass pipeline
// (`tessera-opt --tessera-phase-<name>`), so tests run exactly what the driver
// runs.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_PIPELINES_PIPELINES_H
#define TESSERA_PIPELINES_PIPELINES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace mlir::tessera {

/// The phases of the CPU pipeline, in order. `Input` is the parsed and
/// verified module; the others name the IR after that phase.
enum class Phase { Input, Decompose, FuseAndTile, Bufferize, LLVM };

/// All phases in order, for iteration and `--help` texts.
llvm::ArrayRef<Phase> allPhases();
/// The phase's flag name (`input`, `decompose`, `fuse-and-tile`,
/// `bufferize`, `llvm`).
llvm::StringRef getPhaseName(Phase phase);
std::optional<Phase> parsePhase(llvm::StringRef name);

struct PipelineOptions : public PassPipelineOptions<PipelineOptions> {
  PassOptions::ListOption<std::string> entry{
      *this, "entry",
      llvm::cl::desc("Names of the entry functions (default: main)")};
  PassOptions::Option<std::string> symbolPrefix{
      *this, "symbol-prefix",
      llvm::cl::desc("Prefix of the exported symbols (a C identifier)"),
      llvm::cl::init("tessera")};
  PassOptions::Option<std::string> cpu{
      *this, "cpu",
      llvm::cl::desc("CPU the kernels are built for (an LLVM CPU name or "
                     "native; empty: the module's tessera.target, else "
                     "x86-64-v3's shape)"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> features{
      *this, "features",
      llvm::cl::desc("LLVM target features added to the CPU's"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> target{
      *this, "target",
      llvm::cl::desc("Where the kernels run: cpu or cuda (the host runs the "
                     "rest, and launches them)"),
      llvm::cl::init("cpu")};
  PassOptions::ListOption<std::string> cudaArch{
      *this, "cuda-arch",
      llvm::cl::desc("CUDA architectures of the fatbin (default: sm_80); "
                     "the lowest one's PTX is embedded too")};
  PassOptions::Option<std::string> cudaFormat{
      *this, "cuda-format",
      llvm::cl::desc("What the kernels are embedded as: fatbin (cubins "
                     "assembled by ptxas, plus PTX) or ptx (compiled by the "
                     "driver when loaded)"),
      llvm::cl::init("fatbin")};
  PassOptions::Option<bool> cudaEmulate{
      *this, "cuda-emulate",
      llvm::cl::desc("With target=cuda: map the kernels onto blocks and "
                     "threads as for a GPU, then run each launch as CPU "
                     "loops (checks the mapping on a machine without a GPU)"),
      llvm::cl::init(false)};
  PassOptions::Option<std::string> libdevice{
      *this, "libdevice",
      llvm::cl::desc("libdevice bitcode for the kernels' math (default: the "
                     "toolkit's, found at configure time)"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> toolkit{
      *this, "toolkit",
      llvm::cl::desc("CUDA toolkit root holding ptxas and fatbinary "
                     "(default: the one found at configure time)"),
      llvm::cl::init("")};
};

/// The PTX ISA version (an NVPTX feature such as "+ptx80") used for a CUDA
/// architecture, or "" if it is not supported.
llvm::StringRef getCUDAFeatures(llvm::StringRef arch);

/// The supported CUDA architectures, comma-separated (for diagnostics).
llvm::StringRef getSupportedCUDAArchs();

/// Checks the target options of `options`; `needsKernels`: the pipeline
/// runs to the last phase (which needs libdevice for CUDA).
llvm::LogicalResult verifyTargetOptions(const PipelineOptions &options,
                                        bool needsKernels, std::string &error);

/// Composite ops into core ops.
void populateDecomposePhase(OpPassManager &pm, const PipelineOptions &options);
/// Tessera ops into fused linalg on tensors.
void populateFuseAndTilePhase(OpPassManager &pm,
                              const PipelineOptions &options);
/// Entry signature export, bufferization, loops.
void populateBufferizePhase(OpPassManager &pm, const PipelineOptions &options);
/// OpenMP, LLVM dialect and the packed entry point.
void populateLLVMPhase(OpPassManager &pm, const PipelineOptions &options);
/// Adds the phase's passes to `pm`.
void populatePhase(OpPassManager &pm, Phase phase,
                   const PipelineOptions &options);
/// Adds every phase after `Input` up to and including `last`. The passes are
/// created through their constructors, so no pass need be registered; the
/// context must have the dialects and interfaces of
/// registerCompilerDependencies (include/tessera/Compiler/Compiler.h), which
/// compileModule adds itself.
void buildCPUPipeline(OpPassManager &pm, const PipelineOptions &options,
                      Phase last = Phase::LLVM);

/// The entry function a driver compiles: `requested` if not empty, else
/// `@main` if the module has it, else the module's only public function with
/// a body, else "main".
std::string chooseEntryFunction(ModuleOp module, llvm::StringRef requested);

/// Registers `tessera-phase-<name>` for every phase and
/// `tessera-cpu-pipeline` for all of them.
void registerTesseraPipelines();

} // namespace mlir::tessera

#endif // TESSERA_PIPELINES_PIPELINES_H
