//===- Tessera.cpp - Tessera's C API ----------------------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#include "tessera-c/Tessera.h"

#include "tessera-c/Model.h"
#include "tessera/Compiler/Compiler.h"
#include "tessera/InitAllPasses.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"
#include "llvm/ADT/StringExtras.h"

#include <cstring>
#include <dlfcn.h>

using namespace mlir;

static tessera::CompileOptions &unwrap(TesseraCompileOptions options) {
  return *static_cast<tessera::CompileOptions *>(options.ptr);
}

void tesseraRegisterAllDialects(MlirDialectRegistry registry) {
  tessera::registerCompilerDependencies(*unwrap(registry));
}

void tesseraRegisterAllPasses(void) { tessera::registerAllTesseraPasses(); }

TesseraCompileOptions tesseraCompileOptionsCreate(void) {
  return {new tessera::CompileOptions()};
}

void tesseraCompileOptionsDestroy(TesseraCompileOptions options) {
  delete &unwrap(options);
}

MlirLogicalResult
tesseraCompileOptionsSetOutputKind(TesseraCompileOptions options,
                                   MlirStringRef kind) {
  std::optional<tessera::OutputKind> parsed =
      tessera::parseOutputKind(unwrap(kind));
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
  std::optional<tessera::Phase> parsed = tessera::parsePhase(unwrap(phase));
  if (!parsed)
    return mlirLogicalResultFailure();
  unwrap(options).lastPhase = *parsed;
  return mlirLogicalResultSuccess();
}

MlirLogicalResult tesseraCompileModule(MlirModule module,
                                       TesseraCompileOptions options,
                                       MlirStringRef outputPath) {
  return wrap(tessera::compileModule(unwrap(module), unwrap(options),
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
    const TesseraModel &model = table[i];
    StringRef text = model.signature ? StringRef(model.signature) : "";
    if (!model.signature || int64_t(text.size()) != model.signature_size ||
        int64_t(text.count("\ninput ") + text.starts_with("input ")) !=
            model.num_inputs ||
        int64_t(text.count("\noutput ")) != model.num_outputs) {
      dlclose(handle);
      return fail("model " + std::to_string(i) + " of '" + path +
                  "' has a malformed signature");
    }
    texts.push_back(text.str());
  }
  dlclose(handle);
  for (const std::string &text : texts)
    callback(mlirStringRefCreate(text.data(), text.size()), userData);
  return mlirLogicalResultSuccess();
}
