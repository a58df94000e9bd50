//===- ir_fuzzer.cpp - libFuzzer target for the Tessera compiler ----------===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Parses the input as an MLIR module with every upstream dialect and the
// tessera dialect registered, verifies it, and runs the whole CPU pipeline
// (decompose, fuse-and-tile, bufferize, LLVM dialect) on the entry function
// tesserac would pick. Diagnostics are silenced: rejecting an input is fine,
// crashing (assertion, sanitizer report, LLVM fatal error) is a finding.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "tessera/InitAllDialects.h"
#include "tessera/InitAllPasses.h"
#include "tessera/Pipelines/Pipelines.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cstdint>
#include <string>

using namespace mlir;

static DialectRegistry &getRegistry() {
  static DialectRegistry *registry = [] {
    auto *result = new DialectRegistry();
    registerAllDialects(*result);
    registerAllExtensions(*result);
    tessera::registerAllTesseraDialects(*result);
    return result;
  }();
  return *registry;
}

/// libMLIR.so is not instrumented, but LLVM's BumpPtrAllocator poisons fresh
/// slabs in the instrumented (inlined) code and only the instrumented code
/// unpoisons what it hands out: memory that libMLIR.so then takes from such a
/// slab reads as use-after-poison. Manual poisoning is therefore ignored.
extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  registerAllPasses();
  tessera::registerAllTesseraPasses();
  (void)getRegistry();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // The lexer expects a NUL-terminated buffer.
  std::string text(reinterpret_cast<const char *>(data), size);
  MLIRContext context(getRegistry(), MLIRContext::Threading::DISABLED);
  context.printOpOnDiagnostic(false);
  context.printStackTraceOnDiagnostic(false);
  ScopedDiagnosticHandler silence(&context,
                                  [](Diagnostic &) { return success(); });

  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBuffer(llvm::StringRef(text.c_str(), size),
                                       "fuzz.mlir",
                                       /*RequiresNullTerminator=*/true),
      llvm::SMLoc());
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
  if (!module || failed(verify(*module)))
    return 0;

  tessera::PipelineOptions options;
  std::string entry = tessera::chooseEntryFunction(*module, "");
  if (!module->lookupSymbol<func::FuncOp>(entry))
    return 0;
  options.entry = ArrayRef<std::string>{entry};
  PassManager pm(&context);
  tessera::buildCPUPipeline(pm, options);
  (void)pm.run(*module);
  return 0;
}
