//===- Pipelines.cpp - Tessera compilation phases ---------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Phases are written as textual pipelines of registered passes: what a phase
// runs can be read here and pasted into `mlir-opt --pass-pipeline=...`.
//
//===----------------------------------------------------------------------===//

#include "tessera/Pipelines/Pipelines.h"

#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::tessera;

static constexpr Phase kPhases[] = {Phase::Input, Phase::Decompose,
                                    Phase::FuseAndTile, Phase::Bufferize,
                                    Phase::LLVM};

ArrayRef<Phase> mlir::tessera::allPhases() { return kPhases; }

StringRef mlir::tessera::getPhaseName(Phase phase) {
  switch (phase) {
  case Phase::Input:
    return "input";
  case Phase::Decompose:
    return "decompose";
  case Phase::FuseAndTile:
    return "fuse-and-tile";
  case Phase::Bufferize:
    return "bufferize";
  case Phase::LLVM:
    return "llvm";
  }
  llvm_unreachable("unknown phase");
}

std::optional<Phase> mlir::tessera::parsePhase(StringRef name) {
  for (Phase p : kPhases)
    if (getPhaseName(p) == name)
      return p;
  return std::nullopt;
}

/// Appends a textual pipeline of module-level passes; the passes are all
/// registered by `registerAllTesseraPasses`, so failure is a programming
/// error.
static void addPipeline(OpPassManager &pm, const Twine &pipeline) {
  std::string text = pipeline.str();
  std::string error;
  llvm::raw_string_ostream os(error);
  if (failed(parsePassPipeline(text, pm, os)))
    llvm::report_fatal_error(llvm::Twine("tessera: invalid phase pipeline '") +
                             text + "': " + error);
}

void mlir::tessera::populateDecomposePhase(OpPassManager &pm,
                                           const PipelineOptions &) {
  addPipeline(pm, "tessera-decompose,canonicalize,cse");
}

void mlir::tessera::populateFuseAndTilePhase(OpPassManager &pm,
                                             const PipelineOptions &) {
  addPipeline(pm, "tessera-flash-attention,tessera-tile-linear,"
                  "convert-tessera-to-linalg,"
                  "convert-elementwise-to-linalg,"
                  "linalg-fuse-elementwise-ops,canonicalize,cse");
}

void mlir::tessera::populateBufferizePhase(OpPassManager &pm,
                                           const PipelineOptions &options) {
  addPipeline(pm, "tessera-export-entry{entry=" + options.entry + "},symbol-dce," +
                      "one-shot-bufferize{bufferize-function-boundaries "
                      "function-boundary-type-conversion=identity-layout-map},"
                      "buffer-deallocation-pipeline,convert-bufferization-to-memref,"
                      "tessera-memref-copy-to-linalg,"
                      "convert-linalg-to-parallel-loops,canonicalize,cse");
}

void mlir::tessera::populateLLVMPhase(OpPassManager &pm,
                                      const PipelineOptions &) {
  addPipeline(pm, "convert-scf-to-openmp,canonicalize,expand-strided-metadata,lower-affine,"
                  "convert-scf-to-cf,tessera-math-approximation,convert-math-to-llvm,"
                  "convert-math-to-libm,convert-vector-to-llvm,"
                  "convert-to-llvm,reconcile-unrealized-casts,"
                  "tessera-emit-entry-wrapper");
}

void mlir::tessera::populatePhase(OpPassManager &pm, Phase phase,
                                  const PipelineOptions &options) {
  switch (phase) {
  case Phase::Input:
    return;
  case Phase::Decompose:
    return populateDecomposePhase(pm, options);
  case Phase::FuseAndTile:
    return populateFuseAndTilePhase(pm, options);
  case Phase::Bufferize:
    return populateBufferizePhase(pm, options);
  case Phase::LLVM:
    return populateLLVMPhase(pm, options);
  }
}

void mlir::tessera::buildCPUPipeline(OpPassManager &pm,
                                     const PipelineOptions &options,
                                     Phase last) {
  for (Phase p : kPhases) {
    populatePhase(pm, p, options);
    if (p == last)
      return;
  }
}

void mlir::tessera::registerTesseraPipelines() {
  for (Phase p : kPhases) {
    if (p == Phase::Input)
      continue;
    std::string arg = ("tessera-phase-" + getPhaseName(p)).str();
    PassPipelineRegistration<PipelineOptions>(
        arg, "Run the '" + getPhaseName(p).str() + "' phase of tesserac",
        [p](OpPassManager &pm, const PipelineOptions &options) {
          populatePhase(pm, p, options);
        });
  }
  PassPipelineRegistration<PipelineOptions>(
      "tessera-cpu-pipeline",
      "Run every phase of the CPU pipeline, as tesserac does",
      [](OpPassManager &pm, const PipelineOptions &options) {
        buildCPUPipeline(pm, options);
      });
}
