//===- Support.h - Tessera runtime support utilities ------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Error handling, element types, tensor types, aligned buffers and file
// reading shared by the Tessera runtime. Fallible functions return an Error;
// the only exception expected is std::bad_alloc from the standard
// containers, which main() reports as one error line.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_SUPPORT_H
#define TESSERA_RUNTIME_SUPPORT_H

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::runtime {

/// The outcome of a fallible operation. Like llvm::Error, it converts to true
/// when it holds a failure.
class [[nodiscard]] Error {
public:
  static Error success() { return Error(); }
  explicit Error(std::string message) : failed(true), msg(std::move(message)) {}

  explicit operator bool() const { return failed; }
  const std::string &message() const { return msg; }

private:
  Error() = default;
  bool failed = false;
  std::string msg;
};

/// Returns the error "<file>: <problem>".
Error fileError(std::string_view file, std::string_view problem);
/// Returns the error "<file>: tensor '<name>': <problem>".
Error tensorError(std::string_view file, std::string_view name,
                  std::string_view problem);

/// Element types supported by the runtime.
enum class DType { F32, F64, F16, BF16, I8, I32, I64, I1 };

/// Static description of an element type.
struct DTypeInfo {
  DType dtype;
  /// Name used in signatures and messages ("f32").
  const char *name;
  /// Size of one element in bytes (i1 is stored as one byte).
  size_t size;
  /// NumPy descr ("<f4").
  const char *npyDescr;
  /// safetensors dtype ("F32").
  const char *safeTensorsName;
};

/// Returns the description of `dtype`.
const DTypeInfo &getDTypeInfo(DType dtype);
/// Looks up the element type whose `field` equals `key`.
std::optional<DType> lookupDType(std::string_view key,
                                 const char *DTypeInfo::*field);

/// A tensor type: element type and (static) shape.
struct TensorType {
  DType dtype = DType::F32;
  std::vector<int64_t> shape;

  /// Formats the type as "f32[2,3]".
  std::string str() const;
  bool operator==(const TensorType &other) const {
    return dtype == other.dtype && shape == other.shape;
  }
};

/// Formats a shape as "[2,3]".
std::string formatShape(const std::vector<int64_t> &shape);

/// Computes the number of elements of `shape` and, if `byteSize` is given,
/// its size in bytes for elements of `elemSize` bytes. Fails on negative
/// dimensions or overflow.
bool computeSize(const std::vector<int64_t> &shape, size_t elemSize,
                 uint64_t &numElements, uint64_t *byteSize = nullptr);

/// Parses a non-empty string of decimal digits that fits in an int64.
bool parseNonNegativeInt(std::string_view text, int64_t &value);

/// Checks that the tensor `name` read from `file` with type `actual` has the
/// `expected` type.
Error checkType(std::string_view file, std::string_view name,
                const TensorType &expected, const TensorType &actual);

/// A 64-byte-aligned heap buffer.
class AlignedBuffer {
public:
  static constexpr size_t alignment = 64;

  /// Allocates `size` bytes (uninitialized).
  Error allocate(uint64_t size);
  void *data() const { return ptr.get(); }
  uint64_t size() const { return bytes; }

private:
  struct Deleter {
    void operator()(void *p) const;
  };
  std::unique_ptr<void, Deleter> ptr;
  uint64_t bytes = 0;
};

/// Owns a POSIX file descriptor.
class UniqueFd {
public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd(fd) {}
  UniqueFd(UniqueFd &&other) noexcept : fd(other.release()) {}
  UniqueFd &operator=(UniqueFd &&other) noexcept {
    reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd &) = delete;
  UniqueFd &operator=(const UniqueFd &) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd; }
  int release() {
    int result = fd;
    fd = -1;
    return result;
  }
  void reset(int newFd = -1);

private:
  int fd = -1;
};

/// Describes a non-regular file type for messages ("FIFO", "directory",
/// "character device", ...), given a `st_mode`.
const char *describeFileType(unsigned mode);

/// A read-only regular file. Opening never blocks: FIFOs, devices,
/// directories and sockets are rejected before anything is read.
class InputFile {
public:
  /// Opens `path` with O_NONBLOCK, checks that it is a regular file, then
  /// clears O_NONBLOCK. Fails with "<path>: cannot open: <problem>".
  Error open(const std::string &path);
  /// Reads from `contents` instead of a file (used by the fuzzers); the
  /// memory must outlive this object.
  void openMemory(const std::string &name, std::string_view contents);
  const std::string &path() const { return filePath; }
  uint64_t size() const { return fileSize; }
  /// Reads `length` bytes at `offset` into `dst`.
  Error read(uint64_t offset, void *dst, uint64_t length);

private:
  UniqueFd fd;
  std::optional<std::string_view> memory;
  std::string filePath;
  uint64_t fileSize = 0;
};

/// Quotes `text` for an error message, shortened to about `maxBytes` bytes
/// ("'abc'" or "'abcd...' (1000 bytes)").
std::string quoteForMessage(std::string_view text, size_t maxBytes = 64);

/// Converts IEEE half and bfloat16 bit patterns to float and back (round to
/// nearest even).
float halfToFloat(uint16_t bits);
float bf16ToFloat(uint16_t bits);
uint16_t floatToHalf(float value);
uint16_t floatToBF16(float value);

/// Reads element `index` of a contiguous array of `dtype` as a double.
double loadAsDouble(DType dtype, const void *data, uint64_t index);

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_SUPPORT_H
