// Compiles a file to a shared library with the compiler library alone: the
// client registers only the tessera dialect; the library adds what its
// pipeline needs.
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"
#include "tessera/Compiler/Compiler.h"
#include "tessera/InitAllDialects.h"

int main(int argc, char **argv) {
  if (argc != 3)
    return 2;
  mlir::DialectRegistry registry;
  registry.insert<mlir::func::FuncDialect>();
  mlir::tessera::registerAllTesseraDialects(registry);
  mlir::MLIRContext context(registry);
  context.allowUnregisteredDialects(false);
  auto module = mlir::parseSourceFile<mlir::ModuleOp>(argv[1], &context);
  if (!module)
    return 1;
  mlir::tessera::CompileOptions options;
  options.output = mlir::tessera::OutputKind::SharedLibrary;
  options.cpu = "x86-64-v3";
  return mlir::failed(mlir::tessera::compileModule(*module, options, argv[2]));
}
