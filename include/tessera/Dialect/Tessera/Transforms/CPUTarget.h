//===- CPUTarget.h - The CPU the kernels are built for ----------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// One place turns an LLVM CPU name and feature list into what the kernel
// passes need (#tessera.cpu_target), and the driver compiles the object
// code for the same resolved CPU.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_DIALECT_TESSERA_TRANSFORMS_CPUTARGET_H
#define TESSERA_DIALECT_TESSERA_TRANSFORMS_CPUTARGET_H

#include "tessera/Dialect/Tessera/IR/TesseraOps.h"

#include <string>

namespace mlir::tessera {

/// An LLVM CPU name and feature string for the default target triple.
struct ResolvedCPU {
  std::string triple, cpu, features;
};

/// Resolves `cpu` ("native" or empty: the host CPU and its features) and
/// the extra `features` (`+a,-b`), checking both against LLVM's tables;
/// on failure returns a message in `error`.
FailureOr<ResolvedCPU> resolveCPU(StringRef cpu, StringRef features,
                                  std::string &error);

/// The kernel-facing description of a resolved CPU.
CPUTargetAttr describeCPU(MLIRContext *context, const ResolvedCPU &cpu);

} // namespace mlir::tessera

#endif // TESSERA_DIALECT_TESSERA_TRANSFORMS_CPUTARGET_H
