//===- SafeTensors.h - safetensors file reading -----------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_SAFETENSORS_H
#define TESSERA_RUNTIME_SAFETENSORS_H

#include "Support.h"

#include <map>

namespace tessera::runtime {

class JsonValue;

/// A safetensors file whose header has been read and fully validated. Tensor
/// data is only read on demand.
class SafeTensorsFile {
public:
  /// Opens `path` and validates its header: size limits, UTF-8, strict JSON,
  /// entry dtypes, shapes, byte sizes, data offsets and overlaps.
  Error open(const std::string &path);
  /// Validates the header of an already opened file (e.g. in memory).
  Error open(InputFile input);

  const std::string &path() const { return file.path(); }
  bool contains(const std::string &name) const {
    return entries.count(name) != 0;
  }
  /// Reads tensor `name`, which must exist and match `expected`.
  Error load(const std::string &name, const TensorType &expected,
             AlignedBuffer &data);

  /// A tensor described by the header (offsets relative to the data).
  struct Entry {
    TensorType type;
    uint64_t begin = 0, end = 0;
  };
  const std::map<std::string, Entry> &tensors() const { return entries; }

private:
  Error parseEntry(const std::string &name, JsonValue value, uint64_t dataSize,
                   Entry &entry);

  InputFile file;
  uint64_t dataStart = 0;
  std::map<std::string, Entry> entries;
};

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_SAFETENSORS_H
