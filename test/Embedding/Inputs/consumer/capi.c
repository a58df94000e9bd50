/* Tessera from C through the C API: parse a module, compile it to a shared
 * library, read the library's signatures; then a bad option and a bad module
 * fail with a diagnostic, not an abort. */
#include <stdio.h>
#include <string.h>

#include "mlir-c/Diagnostics.h"
#include "tessera-c/Tessera.h"

static void print(MlirStringRef text, void *user) {
  (void)user;
  fwrite(text.data, 1, text.length, stdout);
}

static MlirLogicalResult onDiagnostic(MlirDiagnostic diagnostic, void *user) {
  (void)user;
  printf("diagnostic: ");
  mlirDiagnosticPrint(diagnostic, print, NULL);
  printf("\n");
  return mlirLogicalResultSuccess();
}

static const char *model =
    "func.func @step(%x: tensor<4xf32> {tessera.name = \"x\"}) -> "
    "(tensor<4xf32> {tessera.name = \"y\"}) {\n"
    "  %0 = tessera.silu %x : tensor<4xf32>\n"
    "  return %0 : tensor<4xf32>\n"
    "}\n";

int main(int argc, char **argv) {
  if (argc != 2)
    return 2;
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  tesseraRegisterAllDialects(registry);
  tesseraRegisterAllPasses();
  MlirContext ctx = mlirContextCreateWithRegistry(registry, false);
  mlirDialectRegistryDestroy(registry);
  mlirContextAttachDiagnosticHandler(ctx, onDiagnostic, NULL, NULL);

  MlirModule module =
      mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(model));
  if (mlirModuleIsNull(module))
    return 1;
  TesseraCompileOptions options = tesseraCompileOptionsCreate();
  if (mlirLogicalResultIsSuccess(tesseraCompileOptionsSetOutputKind(
          options, mlirStringRefCreateFromCString("dll"))))
    return 1;
  printf("bad output kind rejected\n");
  tesseraCompileOptionsSetOutputKind(options,
                                     mlirStringRefCreateFromCString("shared"));
  if (mlirLogicalResultIsSuccess(tesseraCompileOptionsSetTarget(
          options, mlirStringRefCreateFromCString("tpu"),
          mlirStringRefCreateFromCString(""))) ||
      mlirLogicalResultIsSuccess(tesseraCompileOptionsSetTarget(
          options, mlirStringRefCreateFromCString("cuda"),
          mlirStringRefCreateFromCString("sm_80,sm_70"))) ||
      mlirLogicalResultIsFailure(tesseraCompileOptionsSetTarget(
          options, mlirStringRefCreateFromCString("cpu"),
          mlirStringRefCreateFromCString(""))))
    return 1;
  printf("bad target rejected\n");
  tesseraCompileOptionsSetCPU(options, mlirStringRefCreateFromCString("x86-64-v3"),
                              mlirStringRefCreateFromCString(""));
  tesseraCompileOptionsSetSymbolPrefix(options,
                                       mlirStringRefCreateFromCString("capi"));
  if (mlirLogicalResultIsFailure(tesseraCompileModule(
          module, options, mlirStringRefCreateFromCString(argv[1]))))
    return 1;
  mlirModuleDestroy(module);
  if (mlirLogicalResultIsFailure(tesseraReadSignatures(
          mlirStringRefCreateFromCString(argv[1]),
          mlirStringRefCreateFromCString("capi"), print, NULL)))
    return 1;
  /* The wrong prefix: one message, failure. */
  if (mlirLogicalResultIsSuccess(tesseraReadSignatures(
          mlirStringRefCreateFromCString(argv[1]),
          mlirStringRefCreateFromCString("other"), print, NULL)))
    return 1;
  printf("\n");

  /* An entry that does not exist: a diagnostic and failure. */
  module = mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(model));
  tesseraCompileOptionsSetEntries(options, mlirStringRefCreateFromCString("nope"));
  if (mlirLogicalResultIsSuccess(tesseraCompileModule(
          module, options, mlirStringRefCreateFromCString(argv[1]))))
    return 1;
  mlirModuleDestroy(module);
  tesseraCompileOptionsDestroy(options);
  mlirContextDestroy(ctx);
  printf("done\n");
  return 0;
}
