//===- safetensors_fuzzer.cpp - libFuzzer target for safetensors ----------===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Opens the input as a safetensors file. When the header is accepted, every
// tensor it lists must load with its own type, inside the data section and
// without overlapping another non-empty tensor; other types and unknown
// names must be rejected.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"
#include "SafeTensors.h"

#include <algorithm>

using namespace tessera::runtime;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char *>(data), size);
  InputFile input;
  input.openMemory("input.safetensors", bytes);
  SafeTensorsFile file;
  if (Error err = file.open(std::move(input))) {
    FUZZ_CHECK(!err.message().empty());
    return 0;
  }
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  for (const auto &[name, entry] : file.tensors()) {
    FUZZ_CHECK(file.contains(name));
    FUZZ_CHECK(entry.begin <= entry.end && entry.end <= size);
    uint64_t numElements, byteSize;
    FUZZ_CHECK(computeSize(entry.type.shape,
                           getDTypeInfo(entry.type.dtype).size, numElements,
                           &byteSize));
    FUZZ_CHECK(byteSize == entry.end - entry.begin);
    AlignedBuffer buffer;
    FUZZ_CHECK(!file.load(name, entry.type, buffer));
    FUZZ_CHECK(buffer.size() == byteSize);
    TensorType other = entry.type;
    other.dtype = other.dtype == DType::F32 ? DType::I32 : DType::F32;
    AlignedBuffer unused;
    FUZZ_CHECK(file.load(name, other, unused));
    if (byteSize)
      ranges.emplace_back(entry.begin, entry.end);
  }
  std::sort(ranges.begin(), ranges.end());
  for (size_t i = 1; i < ranges.size(); ++i)
    FUZZ_CHECK(ranges[i - 1].second <= ranges[i].first);
  AlignedBuffer unused;
  if (!file.contains("__missing__"))
    FUZZ_CHECK(file.load("__missing__", TensorType(), unused));
  return 0;
}
