//===- InitAllPasses.h - Register Tessera passes ----------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_INITALLPASSES_H
#define TESSERA_INITALLPASSES_H

#include "tessera/Conversion/Passes.h"
#include "tessera/Dialect/Tessera/Transforms/Passes.h"
#include "tessera/Pipelines/Pipelines.h"

namespace mlir::tessera {

/// Registers every Tessera pass and pipeline. The pipelines are built from
/// registered pass names, so a tool must also register the upstream passes
/// (`mlir::registerAllPasses`), as a stock `mlir-opt` does.
inline void registerAllTesseraPasses() {
  registerTesseraConversionPasses();
  registerTesseraPasses();
  registerTesseraPipelines();
}

} // namespace mlir::tessera

#endif // TESSERA_INITALLPASSES_H
