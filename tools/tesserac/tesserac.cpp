//===- tesserac.cpp - Tessera compiler driver -------------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Parses a module, runs the CPU pipeline phases (lib/Pipelines), translates
// to LLVM IR, optimises and emits an object file in-process through an LLVM
// TargetMachine, and links it with the Tessera runtime into an executable or
// a shared library.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "tessera/Dialect/Tessera/Transforms/CPUTarget.h"
#include "tessera/InitAllDialects.h"
#include "tessera/InitAllPasses.h"
#include "tessera/Pipelines/Pipelines.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace mlir;
namespace cl = llvm::cl;

namespace {

enum class Emit { Exe, Obj, Shared, MLIR, LLVMIR, Asm, PTX };

cl::OptionCategory category("tesserac options");

cl::opt<std::string> inputFilename(cl::Positional, cl::desc("<input.mlir>"),
                                   cl::init("-"), cl::cat(category));
cl::opt<std::string> outputFilename(
    "o", cl::desc("Output file (default: the input's stem plus the emit "
                  "kind's extension; '-' for stdout)"),
    cl::value_desc("file"), cl::cat(category));
cl::opt<std::string> target("target", cl::desc("Target: cpu (default) or cuda"),
                            cl::init("cpu"), cl::cat(category));
cl::opt<Emit>
    emit("emit", cl::desc("What to produce"), cl::init(Emit::Exe),
         cl::values(clEnumValN(Emit::Exe, "exe", "native executable (default)"),
                    clEnumValN(Emit::Obj, "obj", "object file"),
                    clEnumValN(Emit::Shared, "shared", "shared library"),
                    clEnumValN(Emit::MLIR, "mlir", "MLIR after the last phase"),
                    clEnumValN(Emit::LLVMIR, "llvm", "optimised LLVM IR"),
                    clEnumValN(Emit::Asm, "asm",
                               "assembly for the target CPU (with LLVM's "
                               "spill/reload comments)"),
                    clEnumValN(Emit::PTX, "ptx", "PTX (cuda target)")),
         cl::cat(category));
cl::opt<std::string> entry("entry", cl::desc("Entry function (default: main, "
                                             "or the only public function)"),
                           cl::cat(category));
cl::opt<std::string> compileTo(
    "compile-to",
    cl::desc("Stop after PHASE and print its IR: input, decompose, "
             "fuse-and-tile, bufferize, llvm"),
    cl::value_desc("phase"), cl::cat(category));
cl::opt<std::string>
    mcpu("mcpu",
         cl::desc("Target CPU: an LLVM CPU name (x86-64-v3, x86-64-v4, znver4, "
                  "...) or native (the default: the host CPU with all its "
                  "features). The kernels' vector width and register blocks "
                  "follow it"),
         cl::init("native"), cl::cat(category));
cl::opt<std::string>
    mattr("mattr",
          cl::desc("LLVM target features added to the CPU's, e.g. -avx512f"),
          cl::value_desc("+a,-b"), cl::cat(category));
cl::opt<std::string> cudaArch("cuda-arch", cl::desc("CUDA architecture"),
                              cl::init("sm_90"), cl::cat(category));
cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimisation level (0-3)"),
                           cl::init(3), cl::Prefix, cl::cat(category));

int fail(const Twine &message) {
  llvm::errs() << "tesserac: error: " << message << "\n";
  return 1;
}

std::string defaultOutput() {
  if (emit == Emit::MLIR || emit == Emit::LLVMIR || emit == Emit::Asm ||
      emit == Emit::PTX || inputFilename == "-")
    return emit == Emit::Exe ? "a.out" : "-";
  SmallString<128> path(inputFilename.getValue());
  llvm::sys::path::replace_extension(path, emit == Emit::Obj      ? ".o"
                                           : emit == Emit::Shared ? ".so"
                                                                  : "");
  return std::string(path);
}

/// Largest model file tesserac reads.
constexpr uint64_t kMaxInputBytes = uint64_t(1) << 30;

/// Reads the model: a regular file or standard input ("-"), at most
/// kMaxInputBytes. A FIFO, device or directory is refused before any read
/// that could block or never end.
std::unique_ptr<llvm::MemoryBuffer> readInput(StringRef path,
                                              std::string &error) {
  auto tooLarge = [&] {
    error = ("input file '" + path + "' is larger than " +
             Twine(kMaxInputBytes >> 20) + " MiB")
                .str();
    return nullptr;
  };
  if (path == "-") {
    std::string text;
    char chunk[1 << 16];
    while (true) {
      ssize_t n = ::read(0, chunk, sizeof(chunk));
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0) {
        error = std::string("cannot read standard input: ") +
                std::strerror(errno);
        return nullptr;
      }
      if (n == 0)
        break;
      if (text.size() + n > kMaxInputBytes)
        return tooLarge();
      text.append(chunk, n);
    }
    return llvm::MemoryBuffer::getMemBufferCopy(text, "<stdin>");
  }
  int fd = ::open(path.str().c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    error = ("cannot open input file '" + path + "': " + std::strerror(errno))
                .str();
    return nullptr;
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    error = ("cannot read input file '" + path + "': not a regular file").str();
    return nullptr;
  }
  if (uint64_t(st.st_size) > kMaxInputBytes) {
    ::close(fd);
    return tooLarge();
  }
  auto buffer = llvm::MemoryBuffer::getOpenFile(
      llvm::sys::fs::convertFDToNativeFile(fd), path, st.st_size,
      /*RequiresNullTerminator=*/true);
  ::close(fd);
  if (!buffer) {
    error = (path + ": " + buffer.getError().message()).str();
    return nullptr;
  }
  return std::move(*buffer);
}

int writeText(const std::string &path,
              function_ref<void(llvm::raw_ostream &)> print) {
  std::string error;
  auto out = openOutputFile(path, &error);
  if (!out)
    return fail(error);
  print(out->os());
  out->keep();
  return 0;
}

std::unique_ptr<llvm::TargetMachine>
createTargetMachine(const tessera::ResolvedCPU &cpu, std::string &error) {
  llvm::Triple triple(cpu.triple);
  const llvm::Target *t = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!t)
    return nullptr;
  llvm::TargetOptions options;
  // --emit=asm marks spills and reloads (scripts/asm_loops.py reads them).
  options.MCOptions.AsmVerbose = true;
  return std::unique_ptr<llvm::TargetMachine>(t->createTargetMachine(
      triple, cpu.cpu, cpu.features, options, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
}

/// Links `object` into `output` with the system C++ compiler driver.
int link(StringRef object, StringRef output, bool shared, const char *argv0) {
  StringRef driver = TESSERA_LINK_DRIVER;
  auto cxx = llvm::sys::path::is_absolute(driver)
                 ? llvm::ErrorOr<std::string>(driver.str())
                 : llvm::sys::findProgramByName(driver);
  if (!cxx)
    return fail("no linker driver '" + driver + "' found on PATH");
  std::string exe = llvm::sys::fs::getMainExecutable(
      argv0, reinterpret_cast<void *>(&fail));
  SmallString<256> runtime(llvm::sys::path::parent_path(
      llvm::sys::path::parent_path(exe)));
  llvm::sys::path::append(runtime, "lib", "libTesseraRuntime.a");
  if (!shared && !llvm::sys::fs::exists(runtime))
    return fail("runtime library not found at " + runtime);
  std::string ompDir = TESSERA_OPENMP_LIB_DIR;
  SmallVector<std::string> args = {*cxx};
  if (shared)
    args.push_back("-shared");
  args.push_back(object.str());
  if (!shared)
    args.push_back(runtime.str().str());
  // A sanitizer build's runtime needs the sanitizer's libraries too.
  if (StringRef(TESSERA_SANITIZE).size())
    args.push_back("-fsanitize=" + std::string(TESSERA_SANITIZE));
  args.append({"-o", output.str(), "-L" + ompDir, "-lomp",
               "-Wl,-rpath," + ompDir, "-lm"});
  SmallVector<StringRef> argRefs(args.begin(), args.end());
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(*cxx, argRefs, std::nullopt, {}, 0, 0,
                                     &error);
  if (rc != 0)
    return fail("linking failed" + (error.empty() ? "" : ": " + error));
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAllPasses();
  tessera::registerAllTesseraPasses();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "tesserac - the Tessera compiler\n\n"
      "  tesserac model.mlir -o model && ./model --random-inputs --bench 10\n");

  if (target != "cpu" && target != "cuda")
    return fail("unknown --target '" + target + "' (expected cpu or cuda)");
  if (target == "cuda" || emit == Emit::PTX)
    return fail("the CUDA target (--target=cuda, --emit=ptx) is not "
                "implemented yet; use --target=cpu");
  std::optional<tessera::Phase> last = tessera::Phase::LLVM;
  if (!compileTo.empty()) {
    last = tessera::parsePhase(compileTo);
    if (!last)
      return fail("unknown --compile-to phase '" + compileTo +
                  "' (expected input, decompose, fuse-and-tile, bufferize or "
                  "llvm)");
    if (emit.getNumOccurrences() && emit != Emit::MLIR)
      return fail("--compile-to prints MLIR; it cannot be combined with "
                  "--emit other than mlir");
    emit = Emit::MLIR;
  }
  std::string output =
      outputFilename.empty() ? defaultOutput() : outputFilename.getValue();

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  tessera::registerAllTesseraDialects(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);

  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> file = readInput(inputFilename, error);
  if (!file)
    return fail(error);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;

  // One CPU for the kernels and the object code.
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  // Inline assembly in the module is parsed during code generation.
  llvm::InitializeNativeTargetAsmParser();
  FailureOr<tessera::ResolvedCPU> cpu = tessera::resolveCPU(mcpu, mattr, error);
  if (failed(cpu))
    return fail(error);

  tessera::PipelineOptions options;
  options.entry = tessera::chooseEntryFunction(*module, entry);
  options.cpu = cpu->cpu;
  options.features = cpu->features;
  if ((compileTo.empty() || *last >= tessera::Phase::Bufferize) &&
      !module->lookupSymbol<func::FuncOp>(options.entry.getValue())) {
    std::string shown;
    llvm::raw_string_ostream(shown).write_escaped(options.entry.getValue(),
                                                  /*UseHexEscapes=*/true);
    return fail("entry function '@" + shown + "' not found in " +
                inputFilename + " (use --entry=NAME)");
  }
  PassManager pm(&context);
  tessera::buildCPUPipeline(pm, options, *last);
  if (failed(pm.run(*module)))
    return 1;
  if (emit == Emit::MLIR)
    return writeText(output, [&](llvm::raw_ostream &os) { module->print(os); });

  std::unique_ptr<llvm::TargetMachine> tm = createTargetMachine(*cpu, error);
  if (!tm)
    return fail(error);
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmContext, inputFilename);
  if (!llvmModule)
    return fail("translation to LLVM IR failed");
  llvmModule->setTargetTriple(tm->getTargetTriple());
  llvmModule->setDataLayout(tm->createDataLayout());
  // Make the IR self-describing (and --emit=llvm reproducible elsewhere).
  for (llvm::Function &f : *llvmModule) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", tm->getTargetCPU());
    if (!tm->getTargetFeatureString().empty())
      f.addFnAttr("target-features", tm->getTargetFeatureString());
  }
  if (llvm::Error err =
          makeOptimizingTransformer(optLevel, 0, tm.get())(llvmModule.get()))
    return fail("LLVM optimisation failed: " + toString(std::move(err)));
  if (emit == Emit::LLVMIR)
    return writeText(output,
                     [&](llvm::raw_ostream &os) { llvmModule->print(os, nullptr); });

  // Object file (or assembly): straight to the output, or to a temporary
  // to link.
  SmallString<128> objPath(output);
  int objFd = -1;
  if (emit != Emit::Obj && emit != Emit::Asm) {
    if (auto ec = llvm::sys::fs::createTemporaryFile("tesserac", "o", objFd,
                                                     objPath))
      return fail("cannot create a temporary file: " + ec.message());
  }
  {
    std::unique_ptr<llvm::ToolOutputFile> out;
    if (objFd >= 0)
      out = std::make_unique<llvm::ToolOutputFile>(objPath, objFd);
    else
      out = openOutputFile(objPath, &error);
    if (!out)
      return fail(error);
    llvm::legacy::PassManager codegen;
    if (tm->addPassesToEmitFile(codegen, out->os(), nullptr,
                                emit == Emit::Asm
                                    ? llvm::CodeGenFileType::AssemblyFile
                                    : llvm::CodeGenFileType::ObjectFile))
      return fail("the target cannot emit object files");
    codegen.run(*llvmModule);
    out->keep();
  }
  if (emit == Emit::Obj || emit == Emit::Asm)
    return 0;
  int rc = link(objPath, output, emit == Emit::Shared, argv[0]);
  llvm::sys::fs::remove(objPath);
  return rc;
}
