/*===- tessera-c/Tessera.h - Tessera's C API ----------------------*- C -*-===*
 *
 * Part of the Tessera project.
 *
 *===----------------------------------------------------------------------===*
 *
 * Tessera for any language, in the style of MLIR's C API (mlir-c/): register
 * the dialect and passes into an MlirDialectRegistry / MlirContext, compile a
 * module to a file, and read a compiled model's signatures. Diagnostics go
 * to the context's diagnostic handlers (mlirContextAttachDiagnosticHandler);
 * no function here exits or aborts on bad input. libTesseraCAPI also
 * exports MLIR's core C API (mlirContextCreate, mlirModuleCreateParse, ...).
 *
 *   MlirDialectRegistry registry = mlirDialectRegistryCreate();
 *   tesseraRegisterAllDialects(registry);
 *   MlirContext ctx = mlirContextCreateWithRegistry(registry, false);
 *   MlirModule module = mlirModuleCreateParse(ctx, text);
 *   TesseraCompileOptions options = tesseraCompileOptionsCreate();
 *   tesseraCompileOptionsSetOutputKind(options,
 *mlirStringRefCreateFromCString("shared")); tesseraCompileModule(module,
 *options, mlirStringRefCreateFromCString("model.so"));
 *
 *===----------------------------------------------------------------------===*/

#ifndef TESSERA_C_TESSERA_H
#define TESSERA_C_TESSERA_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Registers the tessera dialect and every upstream dialect, interface and
/// LLVM IR translation the compiler needs.
MLIR_CAPI_EXPORTED void
tesseraRegisterAllDialects(MlirDialectRegistry registry);

/// Registers Tessera's passes and pass pipelines (tessera-*, for textual
/// pipelines and mlirParsePassPipeline).
MLIR_CAPI_EXPORTED void tesseraRegisterAllPasses(void);

/// Options of tesseraCompileModule; create, set, destroy.
typedef struct TesseraCompileOptions {
  void *ptr;
} TesseraCompileOptions;

MLIR_CAPI_EXPORTED TesseraCompileOptions tesseraCompileOptionsCreate(void);
MLIR_CAPI_EXPORTED void
tesseraCompileOptionsDestroy(TesseraCompileOptions options);

/// `exe` (the default), `obj`, `shared`, `header`, `asm`, `llvm`, `mlir` or
/// `ptx` (the CUDA kernels' PTX).
/// Fails on any other name.
MLIR_CAPI_EXPORTED MlirLogicalResult tesseraCompileOptionsSetOutputKind(
    TesseraCompileOptions options, MlirStringRef kind);
/// Comma-separated entry function names (default: main, or the only public
/// function).
MLIR_CAPI_EXPORTED void
tesseraCompileOptionsSetEntries(TesseraCompileOptions options,
                                MlirStringRef entries);
/// Prefix of the exported symbols (default `tessera`;
/// include/tessera-c/Model.h).
MLIR_CAPI_EXPORTED void
tesseraCompileOptionsSetSymbolPrefix(TesseraCompileOptions options,
                                     MlirStringRef prefix);
/// LLVM CPU name or `native` (the default), and extra features (`+a,-b`).
MLIR_CAPI_EXPORTED void
tesseraCompileOptionsSetCPU(TesseraCompileOptions options, MlirStringRef cpu,
                            MlirStringRef features);
/// Where the kernels run: `cpu` (the default) or `cuda`, and for `cuda` the
/// comma-separated architectures of the embedded fatbin (empty: sm_80).
/// Fails on an unknown target or an unsupported architecture, leaving the
/// options as they were.
MLIR_CAPI_EXPORTED MlirLogicalResult
tesseraCompileOptionsSetTarget(TesseraCompileOptions options,
                               MlirStringRef target, MlirStringRef cudaArchs);
/// LLVM optimisation level 0-3 (default 3); fails outside that range.
MLIR_CAPI_EXPORTED MlirLogicalResult
tesseraCompileOptionsSetOptLevel(TesseraCompileOptions options, unsigned level);
/// Stops after a phase (`input`, `decompose`, `fuse-and-tile`, `bufferize`,
/// `llvm`); only with the `mlir` output kind. Fails on an unknown name.
MLIR_CAPI_EXPORTED MlirLogicalResult tesseraCompileOptionsSetLastPhase(
    TesseraCompileOptions options, MlirStringRef phase);

/// Lowers `module` in place and writes the output to `outputPath` ("-":
/// standard output, for text kinds). Failures are reported as diagnostics on
/// the module's context.
MLIR_CAPI_EXPORTED MlirLogicalResult tesseraCompileModule(
    MlirModule module, TesseraCompileOptions options, MlirStringRef outputPath);

/// Loads the shared library at `libraryPath` and calls `callback` with the
/// signature text of each model under `prefix` (include/tessera-c/Model.h),
/// in order, after checking each against its declared sizes. On failure
/// `callback` receives one message instead and the result is failure.
MLIR_CAPI_EXPORTED MlirLogicalResult
tesseraReadSignatures(MlirStringRef libraryPath, MlirStringRef prefix,
                      MlirStringCallback callback, void *userData);

#ifdef __cplusplus
}
#endif

#endif /* TESSERA_C_TESSERA_H */
