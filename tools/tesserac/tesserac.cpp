//===- tesserac.cpp - Tessera compiler driver -------------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// The command line over the compiler library (include/tessera/Compiler):
// parses a module and compiles it to an executable, a shared library, an
// object, assembly, LLVM IR or MLIR after a phase. MLIR's own debugging
// options (--mlir-print-ir-after-all, --mlir-timing, crash reproducers,
// ...) apply to its pass manager.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "tessera/Compiler/Compiler.h"
#include "tessera/Dialect/Tessera/Transforms/CPUTarget.h"
#include "tessera/InitAllPasses.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace mlir;
namespace cl = llvm::cl;

namespace {

enum class Emit { Exe, Obj, Shared, MLIR, LLVMIR, Asm, Header, PTX };

cl::OptionCategory category("tesserac options");

cl::opt<std::string> inputFilename(cl::Positional, cl::desc("<input.mlir>"),
                                   cl::init("-"), cl::cat(category));
cl::opt<std::string> outputFilename(
    "o", cl::desc("Output file (default: the input's stem plus the emit "
                  "kind's extension; '-' for stdout)"),
    cl::value_desc("file"), cl::cat(category));
cl::opt<std::string> target(
    "target",
    cl::desc("Where the kernels run: cpu (default) or cuda (an NVIDIA GPU; "
             "the host code still follows --mcpu)"),
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
                    clEnumValN(Emit::Header, "header",
                               "C header declaring the model table of the "
                               "obj/shared output built with the same "
                               "options"),
                    clEnumValN(Emit::PTX, "ptx",
                               "the kernels' PTX, per --cuda-arch (implies "
                               "--target=cuda)")),
         cl::cat(category));
cl::list<std::string>
    entries("entry",
            cl::desc("Entry functions, comma-separated (default: main, or the "
                     "only public function); several give one library several "
                     "models"),
            cl::CommaSeparated, cl::value_desc("name"), cl::cat(category));
cl::opt<std::string> symbolPrefix(
    "symbol-prefix",
    cl::desc("Prefix of the exported symbols (<prefix>_models, ...; "
             "include/tessera-c/Model.h), so several models can be linked "
             "into one binary (obj, shared and header; default: the output "
             "file's name as a C identifier)"),
    cl::value_desc("identifier"), cl::cat(category));
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
cl::list<std::string> cudaArchs(
    "cuda-arch",
    cl::desc("CUDA architectures of the embedded fatbin, comma-separated "
             "(default sm_80): a cubin for each, plus the lowest one's PTX "
             "for newer GPUs"),
    cl::CommaSeparated, cl::value_desc("sm_80,sm_90a"), cl::cat(category));
cl::opt<std::string> cudaToolkit(
    "cuda-toolkit",
    cl::desc("CUDA toolkit root holding ptxas and fatbinary (default: the one "
             "found when Tessera was built)"),
    cl::value_desc("dir"), cl::cat(category));
cl::opt<bool> cudaEmulate(
    "cuda-emulate",
    cl::desc("With --target=cuda: build a CPU executable that runs every "
             "kernel launch as CPU loops over its blocks and threads (checks "
             "the GPU mapping without a GPU)"),
    cl::cat(category));
cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimisation level (0-3)"),
                           cl::init(3), cl::Prefix, cl::cat(category));

/// The --emit value's name (parseOutputKind's spelling).
StringRef getEmitName(Emit kind) {
  switch (kind) {
  case Emit::Exe:
    return "exe";
  case Emit::Obj:
    return "obj";
  case Emit::Shared:
    return "shared";
  case Emit::MLIR:
    return "mlir";
  case Emit::LLVMIR:
    return "llvm";
  case Emit::Asm:
    return "asm";
  case Emit::Header:
    return "header";
  case Emit::PTX:
    return "ptx";
  }
  return "";
}

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
                                           : emit == Emit::Header ? ".h"
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

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAllPasses();
  tessera::registerAllTesseraPasses();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  registerAsmPrinterCLOptions();
  // --help lists tesserac's options and MLIR's --mlir-* debugging options.
  for (auto &option : cl::getRegisteredOptions())
    if (option.first.starts_with("mlir-"))
      option.second->addCategory(category);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "tesserac - the Tessera compiler\n\n"
      "  tesserac model.mlir -o model && ./model --random-inputs --bench 10\n");

  if (target != "cpu" && target != "cuda")
    return fail("unknown --target '" + target + "' (expected cpu or cuda)");
  if (emit == Emit::PTX) {
    if (target.getNumOccurrences() && target != "cuda")
      return fail("--emit=ptx prints CUDA kernels; it needs --target=cuda");
    target = "cuda";
  }
  if (target != "cuda" && (cudaArchs.getNumOccurrences() ||
                           cudaToolkit.getNumOccurrences() || cudaEmulate))
    return fail("--cuda-arch, --cuda-toolkit and --cuda-emulate apply to "
                "--target=cuda");
  if (cudaEmulate && emit == Emit::PTX)
    return fail("--cuda-emulate builds CPU code; it has no PTX");
  for (const std::string &arch : cudaArchs)
    if (tessera::getCUDAFeatures(arch).empty())
      return fail("unsupported --cuda-arch '" + arch + "' (expected " +
                  tessera::getSupportedCUDAArchs() + ")");
  tessera::CompileOptions options;
  if (!compileTo.empty()) {
    std::optional<tessera::Phase> last = tessera::parsePhase(compileTo);
    if (!last)
      return fail("unknown --compile-to phase '" + compileTo +
                  "' (expected input, decompose, fuse-and-tile, bufferize or "
                  "llvm)");
    if (emit.getNumOccurrences() && emit != Emit::MLIR)
      return fail("--compile-to prints MLIR; it cannot be combined with "
                  "--emit other than mlir");
    emit = Emit::MLIR;
    options.lastPhase = *last;
  }
  if (symbolPrefix.getNumOccurrences() && emit == Emit::Exe)
    return fail("--symbol-prefix applies to --emit=obj and --emit=shared; an "
                "executable's runtime reads the 'tessera' symbols");
  if (optLevel > 3)
    return fail("-O" + Twine(optLevel) + " is not in 0-3");
  std::string output =
      outputFilename.empty() ? defaultOutput() : outputFilename.getValue();

  // Resolved once here for a plain error line; the library resolves the same
  // names again.
  llvm::InitializeNativeTarget();
  std::string error;
  if (failed(tessera::resolveCPU(mcpu, mattr, error)))
    return fail(error);

  DialectRegistry registry;
  tessera::registerCompilerDependencies(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);

  std::unique_ptr<llvm::MemoryBuffer> file = readInput(inputFilename, error);
  if (!file)
    return fail(error);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;

  options.entries.assign(entries.begin(), entries.end());
  if (options.entries.empty())
    options.entries.push_back(tessera::chooseEntryFunction(*module, ""));
  if (options.lastPhase >= tessera::Phase::Bufferize)
    for (const std::string &name : options.entries)
      if (!module->lookupSymbol<func::FuncOp>(name))
        return fail("entry function '@" + tessera::quoteForDiagnostic(name) +
                    "' not found in " + inputFilename + " (use --entry=NAME)");
  options.symbolPrefix = symbolPrefix;
  options.cpu = mcpu;
  options.features = mattr;
  options.optLevel = optLevel;
  options.target = target;
  options.cudaArchs.assign(cudaArchs.begin(), cudaArchs.end());
  options.cudaToolkit = cudaToolkit;
  options.cudaEmulate = cudaEmulate;
  options.output = *tessera::parseOutputKind(getEmitName(emit));
  options.configurePassManager = [](PassManager &pm) {
    if (failed(applyPassManagerCLOptions(pm)))
      return failure();
    applyDefaultTimingPassManagerCLOptions(pm);
    return success();
  };
  return failed(tessera::compileModule(*module, options, output)) ? 1 : 0;
}
