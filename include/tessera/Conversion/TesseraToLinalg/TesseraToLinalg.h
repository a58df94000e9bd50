//===- TesseraToLinalg.h - Tessera to linalg lowering -----------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_CONVERSION_TESSERATOLINALG_TESSERATOLINALG_H
#define TESSERA_CONVERSION_TESSERATOLINALG_TESSERATOLINALG_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace mlir::tessera {

#define GEN_PASS_DECL_CONVERTTESSERATOLINALGPASS
#include "tessera/Conversion/Passes.h.inc"

/// Adds the patterns that rewrite tessera ops into linalg/tensor/arith/math.
void populateTesseraToLinalgPatterns(RewritePatternSet &patterns);

} // namespace mlir::tessera

#endif // TESSERA_CONVERSION_TESSERATOLINALG_TESSERATOLINALG_H
