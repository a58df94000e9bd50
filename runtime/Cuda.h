//===- Cuda.h - The CUDA driver, loaded at run time --------------*- C++
//-*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Executables built with --target=cuda call the mgpu* entry points of the
// upstream GPU-to-LLVM lowering; Cuda.cpp implements them over the CUDA
// driver API, which it loads with dlopen, so that an executable starts on a
// machine without a driver and says so in one line.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_CUDA_H
#define TESSERA_RUNTIME_CUDA_H

#include "Support.h"

#include <cstddef>

namespace tessera::runtime::cuda {

/// Loads the driver and makes device `device`'s primary context current.
/// Fails (without side effects on the process) if there is no driver, no
/// such device, or the driver cannot initialise.
Error initialize(int device);

/// Host-shared (managed) memory, readable by the host and every kernel;
/// at least one byte. Requires initialize().
Error allocateShared(size_t bytes, void *&ptr);
void freeShared(void *ptr);

/// Waits for everything launched so far.
Error synchronize();

/// "NAME (sm_XY)" of the current device.
std::string deviceName();

} // namespace tessera::runtime::cuda

#endif // TESSERA_RUNTIME_CUDA_H
