//===- Npy.h - NumPy .npy file reading and writing --------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_NPY_H
#define TESSERA_RUNTIME_NPY_H

#include "Support.h"

#include <sys/stat.h>

namespace tessera::runtime {

/// Reads and checks the header of the .npy file `file` (format versions
/// 1.0, 2.0 and 3.0): the file must be little-endian, C-ordered and hold
/// exactly the data the header describes. Sets the tensor type it holds and
/// the offset of its data.
Error readNpyHeader(InputFile &file, TensorType &type, uint64_t &dataOffset);

/// Reads the .npy file `file` as the input tensor `name`, which must match
/// `expected`.
Error readNpy(InputFile &file, std::string_view name,
              const TensorType &expected, AlignedBuffer &data);
/// Opens `path` and reads it as above.
Error readNpy(const std::string &path, std::string_view name,
              const TensorType &expected, AlignedBuffer &data);

/// Returns the prefix and header (padded so that the data is 64-byte
/// aligned) of a version 1.0 .npy file holding `type` (2.0 if the header
/// does not fit).
std::string formatNpyHeader(const TensorType &type);

/// The directory given by --output. Results are created only inside it,
/// relative to a descriptor opened once, and never through a symbolic link:
/// an existing symbolic link, non-regular file or file with other hard
/// links at a target is an error and is left untouched.
class OutputDirectory {
public:
  /// Creates `path` (one level) unless it exists, and opens it.
  Error open(const std::string &path);
  /// Checks, before anything is computed, that `fileName` can be written:
  /// it does not exist or is a regular file with a single link.
  Error checkTarget(const std::string &fileName) const;
  /// Writes the contiguous row-major tensor `data` of `type` to `fileName`
  /// (see formatNpyHeader).
  Error writeNpy(const std::string &fileName, const TensorType &type,
                 const void *data) const;
  /// "DIR/fileName", for messages.
  std::string displayPath(const std::string &fileName) const;

private:
  Error checkExisting(const std::string &fileName,
                      const struct stat &st) const;

  UniqueFd dir;
  std::string dirPath;
};

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_NPY_H
