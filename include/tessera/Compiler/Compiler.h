//===- Compiler.h - Tessera as a library ------------------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Everything `tesserac` does, for other programs: lower a module through the
// CPU pipeline, translate it to LLVM IR, emit assembly or an object file for
// one resolved CPU, and link an executable or a shared library with the
// Tessera runtime. Failures are MLIR diagnostics on the module's context;
// nothing here exits or aborts.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_COMPILER_COMPILER_H
#define TESSERA_COMPILER_COMPILER_H

#include "tessera/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallVector.h"

#include <functional>
#include <optional>
#include <string>

namespace mlir::tessera {

/// What compileModule writes.
enum class OutputKind {
  /// MLIR after `CompileOptions::lastPhase`.
  MLIR,
  /// Optimised LLVM IR.
  LLVMIR,
  /// Assembly for the target CPU (with LLVM's spill/reload comments).
  Assembly,
  /// A relocatable object file.
  Object,
  /// A shared library exporting the model table (include/tessera-c/Model.h).
  SharedLibrary,
  /// An executable with the runtime's command line (runtime/README.md).
  Executable,
  /// A C header declaring the model table of the object or library built
  /// with the same options (include/tessera-c/Model.h), one index macro and
  /// the signature per entry.
  Header,
  /// The PTX of every kernel module (the CUDA target), one per
  /// architecture.
  PTX,
};

/// Parses `exe`, `obj`, `shared`, `mlir`, `llvm`, `asm`, `header` or `ptx`.
std::optional<OutputKind> parseOutputKind(llvm::StringRef name);

struct CompileOptions {
  /// Entry functions; empty: chooseEntryFunction's choice.
  llvm::SmallVector<std::string> entries;
  /// Prefix of the exported symbols; empty: defaultSymbolPrefix of the
  /// output path for objects, shared libraries and headers, `tessera`
  /// otherwise (executables need `tessera`).
  std::string symbolPrefix;
  /// LLVM CPU name (or "native") and extra features (`+a,-b`).
  std::string cpu = "native";
  std::string features;
  /// LLVM optimisation level, 0 to 3.
  unsigned optLevel = 3;
  /// Where the kernels run: "cpu" or "cuda" (then the CPU options apply to
  /// the host code).
  std::string target = "cpu";
  /// CUDA architectures (default sm_80) and the CUDA toolkit root (default:
  /// the one found at configure time).
  llvm::SmallVector<std::string> cudaArchs;
  std::string cudaToolkit;
  /// Build the CUDA target's kernel mapping as a CPU program (testing).
  bool cudaEmulate = false;
  /// The phase whose IR OutputKind::MLIR prints.
  Phase lastPhase = Phase::LLVM;
  OutputKind output = OutputKind::Executable;
  /// The runtime archive executables link; empty: found next to the
  /// compiler (its `lib/` directory, or the directory of the library that
  /// holds this code).
  std::string runtimeLibrary;
  /// Called on the pass manager before it runs (instrumentation, crash
  /// reproducers, timing: tesserac applies MLIR's --mlir-* options here).
  std::function<LogicalResult(PassManager &)> configurePassManager;
};

/// The symbol prefix an object, shared library or header written to
/// `outputPath` gets by default: the file name without its extension, as a
/// C identifier (`models/llama-7b.so` -> `llama_7b`); `tessera` for "-" or
/// an empty name.
std::string defaultSymbolPrefix(llvm::StringRef outputPath);

/// Registers every dialect, interface and LLVM IR translation the pipeline
/// and compileModule need. buildCPUPipeline and compileModule add them to
/// the context themselves; this is for clients that parse first.
void registerCompilerDependencies(DialectRegistry &registry);

/// Lowers `module` in place through the phases up to `options.lastPhase`.
LogicalResult lowerModule(ModuleOp module, const CompileOptions &options);

/// Lowers `module` in place and writes `options.output` to `outputPath`
/// ("-" is standard output, for text outputs).
LogicalResult compileModule(ModuleOp module, const CompileOptions &options,
                            llvm::StringRef outputPath);

} // namespace mlir::tessera

#endif // TESSERA_COMPILER_COMPILER_H
