//===- TesseraToGPU.h - Host-side mapping of kernels onto a GPU -*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_CONVERSION_TESSERATOGPU_TESSERATOGPU_H
#define TESSERA_CONVERSION_TESSERATOGPU_TESSERATOGPU_H

#include "mlir/Pass/Pass.h"

namespace mlir::tessera {

#define GEN_PASS_DECL_TESSERAGPUMAPLOOPSPASS
#define GEN_PASS_DECL_TESSERAGPUHOSTMEMORYPASS
#define GEN_PASS_DECL_TESSERAGPUFATBINPASS
#define GEN_PASS_DECL_TESSERAGPUEMULATELAUNCHESPASS
#include "tessera/Conversion/Passes.h.inc"

} // namespace mlir::tessera

#endif // TESSERA_CONVERSION_TESSERATOGPU_TESSERATOGPU_H
