//===- VerifyUtils.h - Shape checks shared by op verifiers ------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_DIALECT_TESSERA_IR_VERIFYUTILS_H
#define TESSERA_LIB_DIALECT_TESSERA_IR_VERIFYUTILS_H

#include "mlir/IR/Operation.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::tessera::detail {

/// Prints `[2, ?, 4]`.
void printShape(llvm::raw_ostream &os, ArrayRef<int64_t> shape);

/// Checks that `value` (a ranked tensor or memref) has exactly `expected` as
/// shape, where a dynamic dimension on either side matches anything; reports
/// "expects WHAT of shape [...], got [...]" otherwise.
LogicalResult verifyShape(Operation *op, StringRef what, Value value,
                          ArrayRef<int64_t> expected);

/// Checks that `region` is one block with arguments `args`, holding only
/// elementwise ops and constants, ended by a `tessera.yield` of `result`;
/// `what` names the region and `argsText` spells the expected arguments.
LogicalResult verifyElementwiseRegion(Operation *op, Region &region,
                                      StringRef what, TypeRange args,
                                      StringRef argsText, Type result);

} // namespace mlir::tessera::detail

#endif // TESSERA_LIB_DIALECT_TESSERA_IR_VERIFYUTILS_H
