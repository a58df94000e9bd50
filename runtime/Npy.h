//===- Npy.h - NumPy .npy file reading and writing --------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_NPY_H
#define TESSERA_RUNTIME_NPY_H

#include "Support.h"

namespace tessera::runtime {

/// Reads the .npy file at `path` (format versions 1.0, 2.0 and 3.0) as the
/// input tensor `name`. The file must be little-endian, C-ordered, hold
/// exactly the data described by its header, and match `expected`.
Error readNpy(const std::string &path, std::string_view name,
              const TensorType &expected, AlignedBuffer &data);

/// Writes the contiguous row-major tensor `data` of `type` to `path` as a
/// version 1.0 .npy file (2.0 if the header does not fit).
Error writeNpy(const std::string &path, const TensorType &type,
               const void *data);

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_NPY_H
