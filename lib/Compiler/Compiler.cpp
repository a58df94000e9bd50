//===- Compiler.cpp - Tessera as a library ----------------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#include "tessera/Compiler/Compiler.h"

#include "tessera/Dialect/Tessera/IR/TesseraDialect.h"
#include "tessera/Dialect/Tessera/Transforms/CPUTarget.h"
#include "tessera/InitAllDialects.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"

#include <dlfcn.h>

using namespace mlir;
using namespace mlir::tessera;

std::optional<OutputKind> mlir::tessera::parseOutputKind(StringRef name) {
  return llvm::StringSwitch<std::optional<OutputKind>>(name)
      .Case("exe", OutputKind::Executable)
      .Case("obj", OutputKind::Object)
      .Case("shared", OutputKind::SharedLibrary)
      .Case("mlir", OutputKind::MLIR)
      .Case("llvm", OutputKind::LLVMIR)
      .Case("asm", OutputKind::Assembly)
      .Case("header", OutputKind::Header)
      .Case("ptx", OutputKind::PTX)
      .Default(std::nullopt);
}

std::string mlir::tessera::defaultSymbolPrefix(StringRef outputPath) {
  std::string prefix;
  if (outputPath != "-")
    for (char c : llvm::sys::path::stem(outputPath).take_front(64))
      prefix.push_back(llvm::isAlnum(c) ? c : '_');
  if (prefix.empty())
    return "tessera";
  if (llvm::isDigit(prefix.front()))
    prefix = "_" + prefix.substr(0, 63);
  return prefix;
}

void mlir::tessera::registerCompilerDependencies(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  registerAllTesseraDialects(registry);
}

LogicalResult mlir::tessera::lowerModule(ModuleOp module,
                                         const CompileOptions &options) {
  PipelineOptions pipeline;
  SmallVector<std::string> entries(options.entries.begin(),
                                   options.entries.end());
  if (entries.empty())
    entries.push_back(chooseEntryFunction(module, ""));
  if (options.lastPhase >= Phase::Bufferize)
    for (const std::string &name : entries)
      if (!module.lookupSymbol<func::FuncOp>(name))
        return module.emitError()
               << "entry function '@" << quoteForDiagnostic(name)
               << "' not found (use --entry=NAME)";
  pipeline.entry = entries;
  pipeline.symbolPrefix =
      options.symbolPrefix.empty() ? "tessera" : options.symbolPrefix;
  pipeline.cpu = options.cpu;
  pipeline.features = options.features;
  pipeline.target = options.output == OutputKind::PTX ? "cuda" : options.target;
  pipeline.cudaArch = options.cudaArchs;
  pipeline.toolkit = options.cudaToolkit;
  pipeline.cudaEmulate = options.cudaEmulate;
  // PTX output stops at the PTX; an executable embeds a fatbin.
  pipeline.cudaFormat = options.output == OutputKind::PTX ? "ptx" : "fatbin";
  std::string error;
  if (failed(verifyTargetOptions(pipeline, options.lastPhase == Phase::LLVM,
                                 error)))
    return module.emitError() << error;
  PassManager pm(module->getName());
  buildCPUPipeline(pm, pipeline, options.lastPhase);
  if (options.configurePassManager && failed(options.configurePassManager(pm)))
    return failure();
  return pm.run(module);
}

namespace {

/// Writes text output through `print`.
LogicalResult writeText(ModuleOp module, StringRef path,
                        function_ref<void(llvm::raw_ostream &)> print) {
  std::string error;
  auto out = openOutputFile(path, &error);
  if (!out)
    return module.emitError() << error;
  print(out->os());
  out->keep();
  return success();
}

std::unique_ptr<llvm::TargetMachine> createTargetMachine(const ResolvedCPU &cpu,
                                                         std::string &error) {
  llvm::Triple triple(cpu.triple);
  const llvm::Target *t = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!t)
    return nullptr;
  llvm::TargetOptions options;
  // Assembly marks spills and reloads (scripts/asm_loops.py reads them).
  options.MCOptions.AsmVerbose = true;
  return std::unique_ptr<llvm::TargetMachine>(t->createTargetMachine(
      triple, cpu.cpu, cpu.features, options, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
}

/// The runtime archive next to the code that holds this function: in
/// `<dir>/` or `<dir>/../lib/` of the executable or shared library.
std::string findRuntimeLibrary() {
  Dl_info info;
  if (!dladdr(reinterpret_cast<void *>(&findRuntimeLibrary), &info) ||
      !info.dli_fname)
    return "";
  // The main program's name may be relative (or empty); /proc/self/exe is
  // not.
  std::string image = info.dli_fname;
  if (!llvm::sys::path::is_absolute(image) || !llvm::sys::fs::exists(image))
    image = llvm::sys::fs::getMainExecutable(
        nullptr, reinterpret_cast<void *>(&findRuntimeLibrary));
  StringRef dir = llvm::sys::path::parent_path(image);
  SmallString<256> here(dir);
  llvm::sys::path::append(here, "libTesseraRuntime.a");
  if (llvm::sys::fs::exists(here))
    return std::string(here);
  SmallString<256> lib(llvm::sys::path::parent_path(dir));
  llvm::sys::path::append(lib, "lib", "libTesseraRuntime.a");
  return std::string(lib);
}

/// Links `object` into `output` with the system C++ compiler driver.
LogicalResult link(ModuleOp module, StringRef object, StringRef output,
                   bool shared, bool cuda, StringRef runtimeLibrary) {
  StringRef driver = TESSERA_LINK_DRIVER;
  auto cxx = llvm::sys::path::is_absolute(driver)
                 ? llvm::ErrorOr<std::string>(driver.str())
                 : llvm::sys::findProgramByName(driver);
  if (!cxx)
    return module.emitError()
           << "no linker driver '" << driver << "' found on PATH";
  std::string runtime =
      runtimeLibrary.empty() ? findRuntimeLibrary() : runtimeLibrary.str();
  // A CUDA library takes the runtime's driver calls (Cuda.cpp) along.
  bool withRuntime = !shared || cuda;
  if (withRuntime && !llvm::sys::fs::exists(runtime))
    return module.emitError()
           << "runtime library not found at '" << runtime << "'";
  std::string ompDir = TESSERA_OPENMP_LIB_DIR;
  SmallVector<std::string> args = {*cxx};
  if (shared)
    args.push_back("-shared");
  args.push_back(object.str());
  if (withRuntime)
    args.push_back(runtime);
  // A sanitizer build's runtime needs the sanitizer's libraries too.
  if (StringRef(TESSERA_SANITIZE).size())
    args.push_back("-fsanitize=" + std::string(TESSERA_SANITIZE));
  args.append({"-o", output.str(), "-L" + ompDir, "-lomp",
               "-Wl,-rpath," + ompDir, "-lm"});
  SmallVector<StringRef> argRefs(args.begin(), args.end());
  std::string error;
  int rc =
      llvm::sys::ExecuteAndWait(*cxx, argRefs, std::nullopt, {}, 0, 0, &error);
  if (rc != 0)
    return module.emitError()
           << "linking failed" << (error.empty() ? "" : ": " + error);
  return success();
}

/// Adds `<prefix>_cpu_features`: the CPU name and the features the code may
/// use, space-separated, so that a loader can refuse to run it on a CPU
/// that lacks one (instead of dying on an illegal instruction).
void addCPUFeatures(llvm::Module &module, const llvm::TargetMachine &tm,
                    StringRef prefix) {
  const llvm::MCSubtargetInfo *sti = tm.getMCSubtargetInfo();
  std::string text = tm.getTargetCPU().str();
  for (const llvm::SubtargetFeatureKV &kv : sti->getAllProcessorFeatures())
    if (sti->getFeatureBits().test(kv.Value))
      text += std::string(" ") + kv.Key;
  llvm::Constant *init =
      llvm::ConstantDataArray::getString(module.getContext(), text);
  new llvm::GlobalVariable(module, init->getType(), /*isConstant=*/true,
                           llvm::GlobalValue::ExternalLinkage, init,
                           (prefix + "_cpu_features").str());
}

/// Writes the C header of the models recorded in `tessera.exports`.
LogicalResult writeHeader(ModuleOp module, StringRef path) {
  auto exports = module->getAttrOfType<DictionaryAttr>(kExportsAttrName);
  if (!exports)
    return module.emitError() << "no exported models";
  std::string prefix = exports.getAs<StringAttr>("prefix").str();
  std::string guard = StringRef(prefix).upper() + "_H";
  return writeText(module, path, [&](llvm::raw_ostream &os) {
    os << "/* The models of the object or library built with symbol prefix '"
       << prefix << "' (generated by tesserac --emit=header). */\n"
       << "#ifndef " << guard << "\n#define " << guard << "\n\n"
       << "#include \"tessera-c/Model.h\"\n\n"
       << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
       << "extern const TesseraModel " << prefix << "_models[];\n"
       << "extern const int64_t " << prefix << "_num_models;\n"
       << "extern const char " << prefix << "_cpu_features[];\n";
    for (auto [i, attr] : llvm::enumerate(exports.getAs<ArrayAttr>("models"))) {
      auto model = cast<DictionaryAttr>(attr);
      StringRef text = model.getAs<StringAttr>("signature").getValue();
      StringRef entry = text.split('\n').first.drop_front(strlen("entry "));
      std::string macro = StringRef(prefix).upper() + "_MODEL_";
      for (char c : entry)
        macro.push_back(llvm::isAlnum(c) ? llvm::toUpper(c) : '_');
      // Names are [A-Za-z_][A-Za-z0-9_.-]*: the text cannot end the comment.
      os << "\n/* " << prefix << "_models[" << i << "]:\n";
      SmallVector<StringRef> lines;
      text.trim().split(lines, '\n');
      for (StringRef line : lines)
        os << " *   " << line << "\n";
      os << " */\n#define " << macro << " " << i << "\n";
    }
    os << "\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  });
}

/// Writes the PTX objects of every gpu.binary, each after a comment naming
/// its module and architecture.
LogicalResult writePTX(ModuleOp module, StringRef path) {
  return writeText(module, path, [&](llvm::raw_ostream &os) {
    for (auto binary : module.getOps<gpu::BinaryOp>())
      for (Attribute attr : binary.getObjects()) {
        auto object = cast<gpu::ObjectAttr>(attr);
        std::string chip = "?";
        if (auto target = dyn_cast<NVVM::NVVMTargetAttr>(object.getTarget()))
          chip = target.getChip().str();
        os << "// kernels of @" << binary.getSymName() << " for " << chip
           << "\n"
           << object.getObject().getValue().rtrim(StringRef("\0", 1)) << "\n";
      }
  });
}

} // namespace

LogicalResult mlir::tessera::compileModule(ModuleOp module,
                                           const CompileOptions &options,
                                           StringRef outputPath) {
  OutputKind kind = options.output;
  CompileOptions resolved = options;
  if (resolved.symbolPrefix.empty())
    resolved.symbolPrefix = kind == OutputKind::Object ||
                                    kind == OutputKind::SharedLibrary ||
                                    kind == OutputKind::Header
                                ? defaultSymbolPrefix(outputPath)
                                : "tessera";
  if (kind == OutputKind::Header)
    resolved.lastPhase = Phase::Bufferize;
  else if (kind != OutputKind::MLIR && options.lastPhase != Phase::LLVM)
    return module.emitError() << "a pipeline stopped after phase '"
                              << getPhaseName(options.lastPhase)
                              << "' can only be printed as MLIR";
  if (kind == OutputKind::Executable && resolved.symbolPrefix != "tessera")
    return module.emitError()
           << "an executable's runtime reads the 'tessera' symbols; a symbol "
              "prefix applies to objects and shared libraries";
  if (options.optLevel > 3)
    return module.emitError()
           << "optimisation level " << options.optLevel << " is not in 0-3";

  // One CPU for the kernels and the object code.
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  // Inline assembly in the module is parsed during code generation.
  llvm::InitializeNativeTargetAsmParser();
  std::string error;
  FailureOr<ResolvedCPU> cpu = resolveCPU(options.cpu, options.features, error);
  if (failed(cpu))
    return module.emitError() << error;
  resolved.cpu = cpu->cpu;
  resolved.features = cpu->features;

  DialectRegistry registry;
  registerCompilerDependencies(registry);
  module->getContext()->appendDialectRegistry(registry);
  if (failed(lowerModule(module, resolved)))
    return failure();
  if (kind == OutputKind::MLIR)
    return writeText(module, outputPath,
                     [&](llvm::raw_ostream &os) { module->print(os); });
  if (kind == OutputKind::Header)
    return writeHeader(module, outputPath);
  if (kind == OutputKind::PTX)
    return writePTX(module, outputPath);

  std::unique_ptr<llvm::TargetMachine> tm = createTargetMachine(*cpu, error);
  if (!tm)
    return module.emitError() << error;
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, "tessera");
  if (!llvmModule)
    return module.emitError() << "translation to LLVM IR failed";
  llvmModule->setTargetTriple(tm->getTargetTriple());
  llvmModule->setDataLayout(tm->createDataLayout());
  // Make the IR self-describing (and LLVM IR output reproducible elsewhere).
  for (llvm::Function &f : *llvmModule) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", tm->getTargetCPU());
    if (!tm->getTargetFeatureString().empty())
      f.addFnAttr("target-features", tm->getTargetFeatureString());
  }
  addCPUFeatures(*llvmModule, *tm, resolved.symbolPrefix);
  if (llvm::Error err = makeOptimizingTransformer(options.optLevel, 0,
                                                  tm.get())(llvmModule.get()))
    return module.emitError()
           << "LLVM optimisation failed: " << toString(std::move(err));
  if (kind == OutputKind::LLVMIR)
    return writeText(module, outputPath, [&](llvm::raw_ostream &os) {
      llvmModule->print(os, nullptr);
    });

  // Object file (or assembly): straight to the output, or to a temporary
  // to link.
  bool linked =
      kind == OutputKind::Executable || kind == OutputKind::SharedLibrary;
  SmallString<128> objPath(outputPath);
  int objFd = -1;
  if (linked) {
    if (auto ec =
            llvm::sys::fs::createTemporaryFile("tessera", "o", objFd, objPath))
      return module.emitError()
             << "cannot create a temporary file: " << ec.message();
  }
  {
    std::unique_ptr<llvm::ToolOutputFile> out;
    if (objFd >= 0)
      out = std::make_unique<llvm::ToolOutputFile>(objPath, objFd);
    else
      out = openOutputFile(objPath, &error);
    if (!out)
      return module.emitError() << error;
    llvm::legacy::PassManager codegen;
    if (tm->addPassesToEmitFile(codegen, out->os(), nullptr,
                                kind == OutputKind::Assembly
                                    ? llvm::CodeGenFileType::AssemblyFile
                                    : llvm::CodeGenFileType::ObjectFile))
      return module.emitError() << "the target cannot emit object files";
    codegen.run(*llvmModule);
    out->keep();
  }
  if (!linked)
    return success();
  LogicalResult result = link(
      module, objPath, outputPath, kind == OutputKind::SharedLibrary,
      options.target == "cuda" && !options.cudaEmulate, options.runtimeLibrary);
  llvm::sys::fs::remove(objPath);
  return result;
}
