//===- Passes.h - Tessera conversion passes ---------------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_CONVERSION_PASSES_H
#define TESSERA_CONVERSION_PASSES_H

#include "tessera/Conversion/TesseraToGPU/TesseraToGPU.h"
#include "tessera/Conversion/TesseraToLinalg/TesseraToLinalg.h"

namespace mlir::tessera {

#define GEN_PASS_REGISTRATION
#include "tessera/Conversion/Passes.h.inc"

} // namespace mlir::tessera

#endif // TESSERA_CONVERSION_PASSES_H
