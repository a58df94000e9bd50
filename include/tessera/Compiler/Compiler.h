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
};

/// Parses `exe`, `obj`, `shared`, `mlir`, `llvm` or `asm`.
std::optional<OutputKind> parseOutputKind(llvm::StringRef name);

struct CompileOptions {
  /// Entry functions; empty: chooseEntryFunction's choice.
  llvm::SmallVector<std::string> entries;
  /// Prefix of the exported symbols. Executables need the default.
  std::string symbolPrefix = "tessera";
  /// LLVM CPU name (or "native") and extra features (`+a,-b`).
  std::string cpu = "native";
  std::string features;
  /// LLVM optimisation level, 0 to 3.
  unsigned optLevel = 3;
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
