//===- Support.cpp - Tessera runtime support utilities --------------------===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#include "Support.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace tessera::runtime;

Error tessera::runtime::fileError(std::string_view file,
                                  std::string_view problem) {
  std::string msg(file);
  msg += ": ";
  msg += problem;
  return Error(std::move(msg));
}

Error tessera::runtime::tensorError(std::string_view file,
                                    std::string_view name,
                                    std::string_view problem) {
  std::string msg(file);
  msg += ": tensor ";
  msg += quoteForMessage(name, 256);
  msg += ": ";
  msg += problem;
  return Error(std::move(msg));
}

//===----------------------------------------------------------------------===//
// Element and tensor types
//===----------------------------------------------------------------------===//

static const DTypeInfo dtypeInfos[] = {
    {DType::F32, "f32", 4, "<f4", "F32"},
    {DType::F64, "f64", 8, "<f8", "F64"},
    {DType::F16, "f16", 2, "<f2", "F16"},
    {DType::BF16, "bf16", 2, "<V2", "BF16"},
    {DType::I8, "i8", 1, "|i1", "I8"},
    {DType::I32, "i32", 4, "<i4", "I32"},
    {DType::I64, "i64", 8, "<i8", "I64"},
    {DType::I1, "i1", 1, "|b1", "BOOL"},
};

const DTypeInfo &tessera::runtime::getDTypeInfo(DType dtype) {
  return dtypeInfos[static_cast<int>(dtype)];
}

std::optional<DType>
tessera::runtime::lookupDType(std::string_view key,
                              const char *DTypeInfo::*field) {
  for (const DTypeInfo &info : dtypeInfos)
    if (key == info.*field)
      return info.dtype;
  return std::nullopt;
}

std::string tessera::runtime::formatShape(const std::vector<int64_t> &shape) {
  std::string result = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      result += ',';
    result += std::to_string(shape[i]);
  }
  return result + "]";
}

std::string TensorType::str() const {
  return getDTypeInfo(dtype).name + formatShape(shape);
}

bool tessera::runtime::computeSize(const std::vector<int64_t> &shape,
                                   size_t elemSize, uint64_t &numElements,
                                   uint64_t *byteSize) {
  uint64_t count = 1;
  for (int64_t dim : shape)
    if (dim < 0 ||
        __builtin_mul_overflow(count, static_cast<uint64_t>(dim), &count))
      return false;
  // Keep sizes representable as int64 (memref sizes and strides are int64).
  uint64_t bytes;
  if (__builtin_mul_overflow(count, static_cast<uint64_t>(elemSize), &bytes) ||
      bytes > static_cast<uint64_t>(INT64_MAX))
    return false;
  numElements = count;
  if (byteSize)
    *byteSize = bytes;
  return true;
}

bool tessera::runtime::parseNonNegativeInt(std::string_view text,
                                           int64_t &value) {
  value = 0;
  for (char c : text)
    if (c < '0' || c > '9' || __builtin_mul_overflow(value, 10, &value) ||
        __builtin_add_overflow(value, c - '0', &value))
      return false;
  return !text.empty();
}

Error tessera::runtime::checkType(std::string_view file, std::string_view name,
                                  const TensorType &expected,
                                  const TensorType &actual) {
  if (expected.dtype != actual.dtype)
    return tensorError(file, name,
                       std::string("expected dtype ") +
                           getDTypeInfo(expected.dtype).name + ", got " +
                           getDTypeInfo(actual.dtype).name);
  if (expected.shape.size() != actual.shape.size())
    return tensorError(file, name,
                       "expected rank " +
                           std::to_string(expected.shape.size()) + ", got " +
                           std::to_string(actual.shape.size()));
  if (expected.shape != actual.shape)
    return tensorError(file, name,
                       "expected shape " + formatShape(expected.shape) +
                           ", got " + formatShape(actual.shape));
  return Error::success();
}

//===----------------------------------------------------------------------===//
// AlignedBuffer and InputFile
//===----------------------------------------------------------------------===//

void AlignedBuffer::Deleter::operator()(void *p) const { std::free(p); }

Error AlignedBuffer::allocate(uint64_t size) {
  // aligned_alloc requires a non-zero multiple of the alignment.
  if (size > SIZE_MAX - alignment)
    return Error("cannot allocate " + std::to_string(size) + " bytes");
  size_t rounded =
      size == 0 ? alignment : (size + alignment - 1) / alignment * alignment;
  ptr.reset(std::aligned_alloc(alignment, rounded));
  if (!ptr)
    return Error("cannot allocate " + std::to_string(size) + " bytes");
  bytes = size;
  return Error::success();
}

void UniqueFd::reset(int newFd) {
  if (fd >= 0)
    ::close(fd);
  fd = newFd;
}

const char *tessera::runtime::describeFileType(unsigned mode) {
  switch (mode & S_IFMT) {
  case S_IFREG:
    return "regular file";
  case S_IFDIR:
    return "directory";
  case S_IFIFO:
    return "FIFO";
  case S_IFCHR:
    return "character device";
  case S_IFBLK:
    return "block device";
  case S_IFSOCK:
    return "socket";
  case S_IFLNK:
    return "symbolic link";
  }
  return "special file";
}

Error InputFile::open(const std::string &path) {
  filePath = path;
  memory.reset();
  auto fail = [&](const std::string &problem) {
    fd.reset();
    return fileError(path, "cannot open: " + problem);
  };
  // O_NONBLOCK: opening a FIFO without a writer (or some devices) must not
  // block; the file type is checked before anything is read.
  fd.reset(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0)
    return fail(std::strerror(errno));
  struct stat st;
  if (fstat(fd.get(), &st) != 0)
    return fail(std::strerror(errno));
  if (S_ISDIR(st.st_mode))
    return fail(std::strerror(EISDIR));
  if (!S_ISREG(st.st_mode))
    return fail(std::string("not a regular file (") +
                describeFileType(st.st_mode) + ")");
  int flags = fcntl(fd.get(), F_GETFL);
  if (flags < 0 || fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK) != 0)
    return fail(std::strerror(errno));
  fileSize = static_cast<uint64_t>(st.st_size);
  return Error::success();
}

void InputFile::openMemory(const std::string &name,
                           std::string_view contents) {
  fd.reset();
  filePath = name;
  memory = contents;
  fileSize = contents.size();
}

Error InputFile::read(uint64_t offset, void *dst, uint64_t length) {
  if (offset > fileSize || length > fileSize - offset)
    return fileError(filePath, "unexpected end of file");
  if (memory) {
    if (length)
      std::memcpy(dst, memory->data() + offset, length);
    return Error::success();
  }
  char *out = static_cast<char *>(dst);
  while (length > 0) {
    size_t chunk = static_cast<size_t>(std::min<uint64_t>(length, 1 << 30));
    ssize_t got = ::pread(fd.get(), out, chunk, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      return fileError(filePath,
                       std::string("cannot read: ") + std::strerror(errno));
    if (got == 0) // The file shrank after it was opened.
      return fileError(filePath, "unexpected end of file");
    out += got;
    offset += static_cast<uint64_t>(got);
    length -= static_cast<uint64_t>(got);
  }
  return Error::success();
}

std::string tessera::runtime::quoteForMessage(std::string_view text,
                                              size_t maxBytes) {
  if (text.size() <= maxBytes)
    return "'" + std::string(text) + "'";
  // Cut at a UTF-8 character boundary.
  size_t cut = maxBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80)
    --cut;
  return "'" + std::string(text.substr(0, cut)) + "...' (" +
         std::to_string(text.size()) + " bytes)";
}

//===----------------------------------------------------------------------===//
// Floating-point conversions
//===----------------------------------------------------------------------===//

static float bitsToFloat(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

static uint32_t floatToBits(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  return bits;
}

float tessera::runtime::halfToFloat(uint16_t bits) {
  uint32_t sign = static_cast<uint32_t>(bits & 0x8000) << 16;
  uint32_t exp = (bits >> 10) & 0x1f, mant = bits & 0x3ff;
  if (exp == 0x1f) // Inf or NaN.
    return bitsToFloat(sign | 0x7f800000 | (mant << 13));
  if (exp == 0) { // Zero or subnormal: mant * 2^-24.
    float value = static_cast<float>(mant) * 0x1p-24f;
    return sign ? -value : value;
  }
  return bitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
}

float tessera::runtime::bf16ToFloat(uint16_t bits) {
  return bitsToFloat(static_cast<uint32_t>(bits) << 16);
}

uint16_t tessera::runtime::floatToHalf(float value) {
  uint32_t bits = floatToBits(value);
  uint16_t sign = (bits >> 16) & 0x8000;
  uint32_t absBits = bits & 0x7fffffff;
  if (absBits > 0x7f800000) // NaN.
    return sign | 0x7e00;
  if (absBits >= 0x477ff000) // Rounds to infinity (>= 65520).
    return sign | 0x7c00;
  if (absBits < 0x38800000) { // Subnormal half (< 2^-14) or zero.
    float scaled = bitsToFloat(absBits) * 0x1p24f; // Units of 2^-24.
    return sign | static_cast<uint16_t>(std::nearbyint(scaled));
  }
  // Normal: rebias the exponent and round the 13 dropped bits to even.
  uint32_t half = (absBits - (112u << 23)) >> 13;
  uint32_t rest = absBits & 0x1fff;
  if (rest > 0x1000 || (rest == 0x1000 && (half & 1)))
    ++half;
  return sign | static_cast<uint16_t>(half);
}

uint16_t tessera::runtime::floatToBF16(float value) {
  uint32_t bits = floatToBits(value);
  if ((bits & 0x7fffffff) > 0x7f800000) // NaN: keep it quiet.
    return static_cast<uint16_t>((bits >> 16) | 0x40);
  bits += 0x7fff + ((bits >> 16) & 1);
  return static_cast<uint16_t>(bits >> 16);
}

double tessera::runtime::loadAsDouble(DType dtype, const void *data,
                                      uint64_t index) {
  auto load = [&](auto zero) {
    decltype(zero) value;
    std::memcpy(&value, static_cast<const char *>(data) + index * sizeof(value),
                sizeof(value));
    return value;
  };
  switch (dtype) {
  case DType::F32:
    return load(float());
  case DType::F64:
    return load(double());
  case DType::F16:
    return halfToFloat(load(uint16_t()));
  case DType::BF16:
    return bf16ToFloat(load(uint16_t()));
  case DType::I8:
    return load(int8_t());
  case DType::I32:
    return load(int32_t());
  case DType::I64:
    return static_cast<double>(load(int64_t()));
  case DType::I1:
    return load(uint8_t()) != 0;
  }
  return 0;
}
