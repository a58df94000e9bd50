// Runs Tessera's whole CPU pipeline from a client that registered only the
// dialects it parses: the pipeline brings the interfaces it needs
// (bufferization models, LLVM conversions) itself.
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "tessera/InitAllDialects.h"
#include "tessera/Pipelines/Pipelines.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  if (argc != 2)
    return 2;
  mlir::DialectRegistry registry;
  registry.insert<mlir::func::FuncDialect>();
  mlir::tessera::registerAllTesseraDialects(registry);
  mlir::MLIRContext context(registry);
  auto module = mlir::parseSourceFile<mlir::ModuleOp>(argv[1], &context);
  if (!module)
    return 1;
  mlir::PassManager pm(&context);
  mlir::tessera::PipelineOptions options;
  options.cpu = "x86-64-v3";
  mlir::tessera::buildCPUPipeline(pm, options);
  if (mlir::failed(pm.run(*module)))
    return 1;
  module->print(llvm::outs());
  return 0;
}
