//===- Tessera.cpp - Tessera's C API ----------------------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#include "tessera-c/Tessera.h"

#include "Signature.h"
#include "tessera-c/Model.h"
#include "tessera/Compiler/Compiler.h"
#include "tessera/InitAllPasses.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"
#include "llvm/ADT/StringExtras.h"

#include <cstring>
#include <dlfcn.h>

using namespace mlir;
namespace compiler = mlir::tessera;
namespace rt = ::tessera::runtime;

static compiler::CompileOptions &unwrap(TesseraCompileOptions options) {
  return *static_cast<compiler::CompileOptions *>(options.ptr);
}

void tesseraRegisterAllDialects(MlirDialectRegistry registry) {
  compiler::registerCompilerDependencies(*unwrap(registry));
}

void tesseraRegisterAllPasses(void) { compiler::registerAllTesseraPasses(); }

TesseraCompileOptions tesseraCompileOptionsCreate(void) {
  return {new compiler::CompileOptions()};
}

void tesseraCompileOptionsDestroy(TesseraCompileOptions options) {
  delete &unwrap(options);
}

MlirLogicalResult
tesseraCompileOptionsSetOutputKind(TesseraCompileOptions options,
                                   MlirStringRef kind) {
  std::optional<compiler::OutputKind> parsed =
      compiler::parseOutputKind(unwrap(kind));
  if (!parsed)
    return mlirLogicalResultFailure();
  unwrap(options).output = *parsed;
  return mlirLogicalResultSuccess();
}

void tesseraCompileOptionsSetEntries(TesseraCompileOptions options,
                                     MlirStringRef entries) {
  SmallVector<StringRef> names;
  unwrap(entries).split(names, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  unwrap(options).entries.assign(names.begin(), names.end());
}

void tesseraCompileOptionsSetSymbolPrefix(TesseraCompileOptions options,
                                          MlirStringRef prefix) {
  unwrap(options).symbolPrefix = unwrap(prefix).str();
}

void tesseraCompileOptionsSetCPU(TesseraCompileOptions options,
                                 MlirStringRef cpu, MlirStringRef features) {
  unwrap(options).cpu = unwrap(cpu).str();
  unwrap(options).features = unwrap(features).str();
}

MlirLogicalResult tesseraCompileOptionsSetTarget(TesseraCompileOptions options,
                                                 MlirStringRef target,
                                                 MlirStringRef cudaArchs) {
  StringRef name = unwrap(target);
  if (name != "cpu" && name != "cuda")
    return mlirLogicalResultFailure();
  SmallVector<StringRef> archs;
  unwrap(cudaArchs).split(archs, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (StringRef arch : archs)
    if (mlir::tessera::getCUDAFeatures(arch).empty())
      return mlirLogicalResultFailure();
  unwrap(options).target = name.str();
  unwrap(options).cudaArchs.assign(archs.begin(), archs.end());
  return mlirLogicalResultSuccess();
}

MlirLogicalResult
tesseraCompileOptionsSetOptLevel(TesseraCompileOptions options,
                                 unsigned level) {
  if (level > 3)
    return mlirLogicalResultFailure();
  unwrap(options).optLevel = level;
  return mlirLogicalResultSuccess();
}

MlirLogicalResult
tesseraCompileOptionsSetLastPhase(TesseraCompileOptions options,
                                  MlirStringRef phase) {
  std::optional<compiler::Phase> parsed = compiler::parsePhase(unwrap(phase));
  if (!parsed)
    return mlirLogicalResultFailure();
  unwrap(options).lastPhase = *parsed;
  return mlirLogicalResultSuccess();
}

MlirLogicalResult tesseraCompileModule(MlirModule module,
                                       TesseraCompileOptions options,
                                       MlirStringRef outputPath) {
  return wrap(compiler::compileModule(unwrap(module), unwrap(options),
                                      unwrap(outputPath)));
}

MlirLogicalResult tesseraReadSignatures(MlirStringRef libraryPath,
                                        MlirStringRef prefix,
                                        MlirStringCallback callback,
                                        void *userData) {
  auto fail = [&](const std::string &message) {
    callback(mlirStringRefCreate(message.data(), message.size()), userData);
    return mlirLogicalResultFailure();
  };
  std::string path = unwrap(libraryPath).str();
  std::string symbols = unwrap(prefix).str();
  if (!llvm::all_of(symbols,
                    [](char c) { return llvm::isAlnum(c) || c == '_'; }))
    return fail("invalid symbol prefix");
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return fail(std::string("cannot load '") + path + "': " + dlerror());
  auto *table = static_cast<const TesseraModel *>(
      dlsym(handle, (symbols + "_models").c_str()));
  auto *count = static_cast<const int64_t *>(
      dlsym(handle, (symbols + "_num_models").c_str()));
  if (!table || !count || *count < 1) {
    dlclose(handle);
    return fail("'" + path + "' has no model table '" + symbols + "_models'");
  }
  std::vector<std::string> texts;
  for (int64_t i = 0; i < *count; ++i) {
    // The executable runtime's own checks (sizes, arity, names, shapes).
    rt::Signature signature;
    if (rt::Error err = rt::parseModelSignature(table[i], signature)) {
      dlclose(handle);
      return fail("model " + std::to_string(i) + " of '" + path +
                  "': " + err.message());
    }
    texts.push_back(table[i].signature);
  }
  dlclose(handle);
  for (const std::string &text : texts)
    callback(mlirStringRefCreate(text.data(), text.size()), userData);
  return mlirLogicalResultSuccess();
}
