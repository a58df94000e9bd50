//===- CPUTarget.cpp - The CPU the kernels are built for --------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/Transforms/CPUTarget.h"
#include "tessera/Dialect/Tessera/Transforms/KernelBuilder.h"
#include "tessera/Dialect/Tessera/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/TargetParser/Triple.h"

#include <memory>

namespace mlir::tessera {
#define GEN_PASS_DEF_TESSERACPUTARGETPASS
#include "tessera/Dialect/Tessera/Transforms/Passes.h.inc"
} // namespace mlir::tessera

using namespace mlir;
using namespace mlir::tessera;

namespace {

std::unique_ptr<llvm::MCSubtargetInfo> subtarget(const ResolvedCPU &cpu,
                                                 std::string &error) {
  llvm::InitializeNativeTarget();
  llvm::Triple triple(cpu.triple);
  const llvm::Target *t = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!t)
    return nullptr;
  return std::unique_ptr<llvm::MCSubtargetInfo>(
      t->createMCSubtargetInfo(triple, cpu.cpu, cpu.features));
}

} // namespace

FailureOr<ResolvedCPU> mlir::tessera::resolveCPU(StringRef cpu,
                                                 StringRef features,
                                                 std::string &error) {
  ResolvedCPU r;
  r.triple = llvm::sys::getDefaultTargetTriple();
  llvm::SubtargetFeatures f;
  if (cpu.empty() || cpu == "native") {
    r.cpu = llvm::sys::getHostCPUName().str();
    for (auto &feature : llvm::sys::getHostCPUFeatures())
      f.AddFeature(feature.first(), feature.second);
  } else {
    r.cpu = cpu.str();
  }
  ResolvedCPU generic{r.triple, "", ""};
  std::unique_ptr<llvm::MCSubtargetInfo> sti = subtarget(generic, error);
  if (!sti)
    return failure();
  if (!sti->isCPUStringValid(r.cpu)) {
    error = "unknown CPU '" + quoteForDiagnostic(r.cpu) + "' for " + r.triple;
    return failure();
  }
  SmallVector<StringRef> items;
  features.split(items, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (StringRef item : items) {
    StringRef name = item.drop_front();
    bool known = llvm::any_of(
        sti->getAllProcessorFeatures(),
        [&](const llvm::SubtargetFeatureKV &kv) { return name == kv.Key; });
    if ((!item.starts_with("+") && !item.starts_with("-")) || !known) {
      error = "unknown target feature '" + quoteForDiagnostic(item) +
              "' (expected +name or -name, with an LLVM feature name)";
      return failure();
    }
    f.AddFeature(item);
  }
  r.features = f.getString();
  return r;
}

CPUTargetAttr mlir::tessera::describeCPU(MLIRContext *context,
                                         const ResolvedCPU &cpu) {
  llvm::Triple triple(cpu.triple);
  std::string error;
  std::unique_ptr<llvm::MCSubtargetInfo> sti = subtarget(cpu, error);
  auto has = [&](StringRef feature) {
    return sti && sti->checkFeatures(("+" + feature).str());
  };
  int64_t bits = 128, registers = 16;
  bool fma = false;
  if (triple.isX86()) {
    if (has("avx512f"))
      bits = 512, registers = 32;
    else if (has("avx"))
      bits = 256;
    if (!triple.isArch64Bit())
      registers = 8;
    fma = has("fma") || has("avx512f");
  } else if (triple.isAArch64()) {
    registers = 32;
    fma = true;
  }
  return CPUTargetAttr::get(context, cpu.cpu, bits, registers, fma);
}

kernel::KernelConfig mlir::tessera::kernel::getKernelConfig(Operation *op) {
  auto module = dyn_cast<ModuleOp>(op);
  if (!module)
    module = op->getParentOfType<ModuleOp>();
  KernelConfig config;
  if (auto target = module
                        ? module->getAttrOfType<CPUTargetAttr>(kTargetAttrName)
                        : CPUTargetAttr()) {
    config.vectorBits = target.getVectorBits();
    config.registers = target.getVectorRegisters();
    config.fma = target.getFma();
  }
  return config;
}

namespace {

struct TesseraCPUTargetPass
    : tessera::impl::TesseraCPUTargetPassBase<TesseraCPUTargetPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (module->hasAttr(kTargetAttrName))
      return;
    std::string error;
    FailureOr<ResolvedCPU> resolved = resolveCPU(cpu, features, error);
    if (failed(resolved)) {
      module.emitError() << "tessera-cpu-target: " << error;
      return signalPassFailure();
    }
    module->setAttr(kTargetAttrName, describeCPU(&getContext(), *resolved));
  }
};

} // namespace
