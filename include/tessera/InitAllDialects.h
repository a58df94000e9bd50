//===- InitAllDialects.h - Register Tessera dialects ------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_INITALLDIALECTS_H
#define TESSERA_INITALLDIALECTS_H

#include "mlir/IR/DialectRegistry.h"
#include "tessera/Dialect/Tessera/IR/TesseraDialect.h"

namespace mlir::tessera {

/// Adds every Tessera dialect to `registry`. The pipelines also need the
/// upstream dialects and extensions (`mlir::registerAllDialects`,
/// `mlir::registerAllExtensions`), which a stock `mlir-opt` already has.
inline void registerAllTesseraDialects(DialectRegistry &registry) {
  registry.insert<TesseraDialect>();
}

} // namespace mlir::tessera

#endif // TESSERA_INITALLDIALECTS_H
