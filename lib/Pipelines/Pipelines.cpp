//===- Pipelines.cpp - Tessera compilation phases ---------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Phases are built through the pass constructors, not parsed from text: a
// client need not register any pass to build them, and no option value (the
// entry name) is ever spliced into a pipeline string. Each pass added here is
// also registered under its flag name, so a phase can be replayed with
// `mlir-opt --pass-pipeline=...` (`tessera-opt --tessera-phase-<name>
// --dump-pass-pipeline` prints it).
//
//===----------------------------------------------------------------------===//

#include "tessera/Pipelines/Pipelines.h"

#include "tessera/Conversion/Passes.h"
#include "tessera/Dialect/Tessera/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/ErrorHandling.h"

using namespace mlir;
using namespace mlir::tessera;

namespace {
/// Runs nothing; declares, as dependencies, the interfaces the later passes
/// need from the upstream dialects (bufferization models, conversions to
/// LLVM, LLVM IR translations), so a client whose context registered only
/// the dialects it parses can run the pipeline.
struct PipelineDependenciesPass
    : PassWrapper<PipelineDependenciesPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(PipelineDependenciesPass)
  StringRef getArgument() const override {
    return "tessera-pipeline-dependencies";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registerAllDialects(registry);
    registerAllExtensions(registry);
    registerAllToLLVMIRTranslations(registry);
  }
  void runOnOperation() override {}
};
} // namespace

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

void mlir::tessera::populateDecomposePhase(OpPassManager &pm,
                                           const PipelineOptions &) {
  pm.addPass(createTesseraRaiseAttentionPass());
  pm.addPass(createTesseraDecomposePass());
  pm.addPass(createTesseraWidenStoragePass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

static bool cudaArchsHaveMMA(const PipelineOptions &options);

void mlir::tessera::populateFuseAndTilePhase(OpPassManager &pm,
                                             const PipelineOptions &options) {
  if (!options.cpu.empty() || !options.features.empty()) {
    TesseraCPUTargetPassOptions target;
    target.cpu = options.cpu;
    target.features = options.features;
    pm.addPass(createTesseraCPUTargetPass(target));
  }
  // The kernels read their operands through bufferization.to_buffer, which
  // is Pure: CSE after them would merge one kernel's to_buffer into an
  // earlier kernel's, so that bufferization no longer sees the later read
  // and may reuse the buffer in place in between. CSE runs in the
  // decompose phase and after bufferization instead.
  pm.addPass(createTesseraFlashAttentionPass());
  pm.addPass(createTesseraTileLinearPass());
  // The CUDA target keeps the tile-level form through bufferization and
  // lowers it for warps (tessera-gpu-map-loops).
  if (options.target != "cuda")
    pm.addPass(createTesseraLowerTilesPass());
  pm.addPass(createTesseraLowerMoEPass());
  pm.addPass(createConvertTesseraToLinalgPass());
  pm.addPass(createConvertElementwiseToLinalgPass());
  pm.addPass(createLinalgElementwiseOpFusionPass());
  pm.addPass(createCanonicalizerPass());
}

void mlir::tessera::populateBufferizePhase(OpPassManager &pm,
                                           const PipelineOptions &options) {
  pm.addPass(std::make_unique<PipelineDependenciesPass>());
  // Options are set through the API: the entry name never becomes text.
  TesseraExportEntryPassOptions exportOptions;
  exportOptions.entries.assign(options.entry.begin(), options.entry.end());
  exportOptions.symbolPrefix = options.symbolPrefix;
  pm.addPass(createTesseraExportEntryPass(exportOptions));
  pm.addPass(createSymbolDCEPass());
  bufferization::OneShotBufferizePassOptions bufferizeOptions;
  bufferizeOptions.bufferizeFunctionBoundaries = true;
  bufferizeOptions.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  // Sampling loops (tessera.sample) carry the latent through scf.for.
  bufferizeOptions.allowReturnAllocsFromLoops = true;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferizeOptions));
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
  pm.addPass(createTesseraMemRefCopyToLinalgPass());
  pm.addPass(createConvertLinalgToParallelLoopsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createTesseraPlanBuffersPass());
}

namespace {
struct CUDAArch {
  StringLiteral name, features;
  /// Whether it has mma.sync m16n8k16 for f16 and bf16 (sm_80 and newer).
  bool mma = true;
};
// ptxas 13 supports sm_75 and newer; each with the oldest PTX ISA that has
// it.
constexpr CUDAArch kCUDAArchs[] = {
    {"sm_75", "+ptx63", /*mma=*/false},
    {"sm_80", "+ptx70"},
    {"sm_86", "+ptx71"},
    {"sm_87", "+ptx74"},
    {"sm_89", "+ptx78"},
    {"sm_90", "+ptx78"},
    {"sm_90a", "+ptx80"},
    {"sm_100", "+ptx86"},
    {"sm_100a", "+ptx86"},
    {"sm_120", "+ptx87"},
    {"sm_120a", "+ptx87"},
};
} // namespace

StringRef mlir::tessera::getCUDAFeatures(StringRef arch) {
  for (const CUDAArch &a : kCUDAArchs)
    if (a.name == arch)
      return a.features;
  return "";
}

StringRef mlir::tessera::getSupportedCUDAArchs() {
  return "sm_75, sm_80, sm_86, sm_87, sm_89, sm_90, sm_90a, sm_100, sm_100a, "
         "sm_120, sm_120a";
}

/// The architectures to build, lowest first (the fatbin's PTX is the
/// first's), without repeats.
static SmallVector<std::string> cudaArchs(const PipelineOptions &options) {
  SmallVector<std::string> archs(options.cudaArch.begin(),
                                 options.cudaArch.end());
  if (archs.empty())
    archs.push_back("sm_80");
  auto rank = [](StringRef a) {
    for (auto [i, known] : llvm::enumerate(kCUDAArchs))
      if (known.name == a)
        return i;
    return std::size(kCUDAArchs);
  };
  llvm::sort(archs, [&](const std::string &a, const std::string &b) {
    return rank(a) < rank(b);
  });
  archs.erase(std::unique(archs.begin(), archs.end()), archs.end());
  return archs;
}

/// Whether every architecture built has the tensor-core instructions that
/// tessera-gpu-map-loops emits.
static bool cudaArchsHaveMMA(const PipelineOptions &options) {
  return llvm::all_of(cudaArchs(options), [](const std::string &arch) {
    return llvm::any_of(
        kCUDAArchs, [&](const CUDAArch &a) { return a.name == arch && a.mma; });
  });
}

LogicalResult mlir::tessera::verifyTargetOptions(const PipelineOptions &options,
                                                 bool needsKernels,
                                                 std::string &error) {
  if (options.target != "cpu" && options.target != "cuda") {
    error = "unknown target '" + options.target + "' (expected cpu or cuda)";
    return failure();
  }
  for (const std::string &arch : options.cudaArch)
    if (getCUDAFeatures(arch).empty()) {
      error = "unsupported CUDA architecture '" + arch + "' (expected one of " +
              getSupportedCUDAArchs().str() + ")";
      return failure();
    }
  if (options.cudaFormat != "fatbin" && options.cudaFormat != "ptx") {
    error = "unknown CUDA format '" + options.cudaFormat +
            "' (expected fatbin or ptx)";
    return failure();
  }
  if (needsKernels && options.target == "cuda" && !options.cudaEmulate &&
      options.libdevice.empty() && StringRef(TESSERA_LIBDEVICE).empty()) {
    error = "the CUDA target needs libdevice (the CUDA toolkit's "
            "nvvm/libdevice/libdevice.10.bc), and none was found when Tessera "
            "was configured; install the toolkit and reconfigure, or pass "
            "libdevice=PATH";
    return failure();
  }
  return success();
}

/// Kernels out of the host's parallel loops, tensor-core products in
/// them (emulated on the host's threads with `emulate`), and the vector
/// lowering of the products left to a single thread or to the host.
static void populateGPUMapping(OpPassManager &pm,
                               const PipelineOptions &options, bool emulate) {
  TesseraGPUMapLoopsPassOptions map;
  // Exact f16/bf16 products go to tensor cores where every architecture
  // built has them.
  map.mma = cudaArchsHaveMMA(options);
  map.emulateMMA = emulate;
  pm.addPass(createTesseraGPUMapLoopsPass(map));
  pm.addNestedPass<func::FuncOp>(createConvertParallelLoopToGpuPass());
  pm.addPass(createTesseraLowerTilesPass());
}

/// The CUDA half of the last phase: kernels out of the host's parallel
/// loops, NVVM, PTX (and a fatbin).
static void populateCUDAKernels(OpPassManager &pm,
                                const PipelineOptions &options) {
  populateGPUMapping(pm, options, /*emulate=*/false);
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createTesseraGPUHostMemoryPass());
  pm.addPass(createSymbolDCEPass());
  std::string libdevice = options.libdevice.empty()
                              ? std::string(TESSERA_LIBDEVICE)
                              : options.libdevice.getValue();
  for (const std::string &arch : cudaArchs(options)) {
    GpuNVVMAttachTargetOptions attach;
    attach.chip = arch;
    attach.features = getCUDAFeatures(arch).str();
    attach.optLevel = 3;
    if (!libdevice.empty())
      attach.linkLibs.push_back(libdevice);
    pm.addPass(createGpuNVVMAttachTarget(attach));
  }
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  OpPassManager &device = pm.nest<gpu::GPUModuleOp>();
  device.addPass(createConvertVectorToLLVMPass());
  device.addPass(createConvertGpuOpsToNVVMOps());
  device.addPass(createCanonicalizerPass());
  device.addPass(createCSEPass());
  device.addPass(createReconcileUnrealizedCastsPass());
  GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = "isa";
  pm.addPass(createGpuModuleToBinaryPass(binary));
  if (options.cudaFormat == "fatbin") {
    TesseraGPUFatbinPassOptions fatbin;
    fatbin.toolkit = options.toolkit;
    pm.addPass(createTesseraGPUFatbinPass(fatbin));
  }
}

void mlir::tessera::populateLLVMPhase(OpPassManager &pm,
                                      const PipelineOptions &options) {
  bool cuda = options.target == "cuda" && !options.cudaEmulate;
  if (cuda) {
    populateCUDAKernels(pm, options);
  } else {
    if (options.cudaEmulate) {
      populateGPUMapping(pm, options, /*emulate=*/true);
      pm.addPass(createTesseraGPUEmulateLaunchesPass());
    }
    pm.addPass(createTesseraSerializeNestedParallelPass());
    pm.addPass(createConvertSCFToOpenMPPass());
  }
  pm.addPass(createCanonicalizerPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createTesseraMathApproximationPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertVectorToLLVMPass());
  if (cuda)
    pm.addPass(createGpuToLLVMConversionPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createTesseraEmitEntryWrapperPass());
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

std::string mlir::tessera::chooseEntryFunction(ModuleOp module,
                                               StringRef requested) {
  if (!requested.empty())
    return requested.str();
  if (module.lookupSymbol<func::FuncOp>("main"))
    return "main";
  func::FuncOp only;
  for (auto f : module.getOps<func::FuncOp>()) {
    if (f.isPublic() && !f.isExternal()) {
      if (only)
        return "main";
      only = f;
    }
  }
  return only ? only.getSymName().str() : "main";
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
