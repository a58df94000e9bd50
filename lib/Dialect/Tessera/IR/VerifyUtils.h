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

/// Checks that `value` (a ranked tensor) has exactly `expected` as shape,
/// where a dynamic dimension on either side matches anything; reports
/// "expects WHAT of shape [...], got [...]" otherwise.
LogicalResult verifyShape(Operation *op, StringRef what, Value value,
                          ArrayRef<int64_t> expected);

} // namespace mlir::tessera::detail

#endif // TESSERA_LIB_DIALECT_TESSERA_IR_VERIFYUTILS_H
