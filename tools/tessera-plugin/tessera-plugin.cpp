//===- tessera-plugin.cpp - Tessera plugin for mlir-opt ---------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Loads the tessera dialect, passes and pipelines into a stock mlir-opt:
//   mlir-opt --load-dialect-plugin=TesseraPlugin.so \
//            --load-pass-plugin=TesseraPlugin.so \
//            --pass-pipeline='builtin.module(convert-tessera-to-linalg)'
//
//===----------------------------------------------------------------------===//

#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "tessera/InitAllDialects.h"
#include "tessera/InitAllPasses.h"
#include "llvm/Config/llvm-config.h"

extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Tessera", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            mlir::tessera::registerAllTesseraDialects(*registry);
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Tessera", LLVM_VERSION_STRING,
          []() { mlir::tessera::registerAllTesseraPasses(); }};
}
