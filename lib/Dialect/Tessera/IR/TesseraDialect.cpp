//===- TesseraDialect.cpp - Tessera dialect ---------------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#include "tessera/Dialect/Tessera/IR/TesseraDialect.h"
#include "tessera/Dialect/Tessera/IR/TesseraOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::tessera;

#include "tessera/Dialect/Tessera/IR/TesseraOpsDialect.cpp.inc"
#include "tessera/Dialect/Tessera/IR/TesseraEnums.cpp.inc"
#define GET_ATTRDEF_CLASSES
#include "tessera/Dialect/Tessera/IR/TesseraAttrs.cpp.inc"

void TesseraDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "tessera/Dialect/Tessera/IR/TesseraOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "tessera/Dialect/Tessera/IR/TesseraAttrs.cpp.inc"
      >();
}
