//===- npy_fuzzer.cpp - libFuzzer target for the .npy reader --------------===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Reads the input as a .npy file. When the header is accepted, the data must
// load as the type the header describes, a different expected type must be
// rejected, and the header written by the runtime for that type must read
// back to the same type.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"
#include "Npy.h"

using namespace tessera::runtime;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char *>(data), size);
  InputFile file;
  file.openMemory("input.npy", bytes);
  TensorType type;
  uint64_t dataOffset = 0;
  if (Error err = readNpyHeader(file, type, dataOffset)) {
    FUZZ_CHECK(!err.message().empty());
    return 0;
  }
  uint64_t numElements, byteSize;
  FUZZ_CHECK(computeSize(type.shape, getDTypeInfo(type.dtype).size,
                         numElements, &byteSize));
  FUZZ_CHECK(dataOffset <= size && size - dataOffset == byteSize);

  AlignedBuffer buffer;
  FUZZ_CHECK(!readNpy(file, "x", type, buffer));
  FUZZ_CHECK(buffer.size() == byteSize);
  double sum = 0;
  for (uint64_t i = 0; i < numElements && i < 4096; ++i)
    sum += loadAsDouble(type.dtype, buffer.data(), i);
  (void)sum;

  TensorType other = type;
  other.shape.push_back(1);
  AlignedBuffer unused;
  FUZZ_CHECK(readNpy(file, "x", other, unused));

  // What the runtime writes for this type reads back as the same type.
  std::string written = formatNpyHeader(type);
  FUZZ_CHECK(written.size() % 64 == 0);
  written.append(bytes.substr(dataOffset));
  InputFile again;
  again.openMemory("again.npy", written);
  TensorType reread;
  uint64_t rereadOffset = 0;
  FUZZ_CHECK(!readNpyHeader(again, reread, rereadOffset));
  FUZZ_CHECK(reread == type);
  return 0;
}
