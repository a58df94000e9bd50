//===- Npy.cpp - NumPy .npy file reading and writing ----------------------===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Format: "\x93NUMPY", major, minor, header length (u16 LE for 1.0, u32 LE
// for 2.0/3.0), then a Python dict literal such as
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces and a newline, then the raw data.
//
//===----------------------------------------------------------------------===//

#include "Npy.h"
#include "Json.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace tessera::runtime;

static constexpr char npyMagic[] = "\x93NUMPY";
static constexpr size_t npyMagicSize = 6;
/// Upper bound on the header size we are willing to read.
static constexpr uint64_t maxHeaderSize = 100'000'000;

namespace {
/// The fields of a .npy header dict.
struct NpyHeader {
  std::string descr;
  bool fortranOrder = false;
  std::vector<int64_t> shape;
};

/// Parses the Python dict literal of a .npy header.
class NpyHeaderParser {
public:
  explicit NpyHeaderParser(std::string_view text) : text(text) {}

  /// Returns an empty string on success, the problem otherwise.
  std::string parse(NpyHeader &header) {
    if (!consume('{'))
      return "expected '{'";
    bool seen[3] = {false, false, false};
    while (!consume('}')) {
      std::string key;
      if (!parseString(key))
        return "expected a string key";
      int index = -1;
      for (int i = 0; i < 3; ++i)
        if (key == keys[i])
          index = i;
      if (index < 0)
        return "unexpected key " + quoteForMessage(key);
      if (seen[index])
        return "duplicate key '" + key + "'";
      seen[index] = true;
      if (!consume(':'))
        return "expected ':' after '" + key + "'";
      bool ok = index == 0   ? parseString(header.descr)
                : index == 1 ? parseBool(header.fortranOrder)
                             : parseShape(header.shape);
      if (!ok)
        return "invalid value for '" + key + "'";
      if (!consume(',') && !peek('}'))
        return "expected ',' or '}'";
    }
    skipWhitespace();
    if (pos != text.size())
      return "unexpected characters after the dict";
    for (int i = 0; i < 3; ++i)
      if (!seen[i])
        return std::string("missing key '") + keys[i] + "'";
    return "";
  }

private:
  static constexpr const char *keys[3] = {"descr", "fortran_order", "shape"};

  void skipWhitespace() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' ||
                                 text[pos] == '\n' || text[pos] == '\r'))
      ++pos;
  }
  bool peek(char c) {
    skipWhitespace();
    return pos < text.size() && text[pos] == c;
  }
  bool consume(char c) {
    if (!peek(c))
      return false;
    ++pos;
    return true;
  }
  bool consumeWord(std::string_view word) {
    skipWhitespace();
    if (text.substr(pos, word.size()) != word)
      return false;
    pos += word.size();
    return true;
  }
  /// Parses a '...' or "..." literal without escapes.
  bool parseString(std::string &out) {
    skipWhitespace();
    if (pos == text.size() || (text[pos] != '\'' && text[pos] != '"'))
      return false;
    char quote = text[pos++];
    size_t end = text.find_first_of(std::string{quote, '\\', '\n'}, pos);
    if (end == std::string_view::npos || text[end] != quote)
      return false;
    out = std::string(text.substr(pos, end - pos));
    pos = end + 1;
    return true;
  }
  bool parseBool(bool &out) {
    out = consumeWord("True");
    return out || consumeWord("False");
  }
  /// Parses a tuple of non-negative integers: (), (5,), (2, 3) or (2, 3,).
  bool parseShape(std::vector<int64_t> &shape) {
    if (!consume('('))
      return false;
    while (!consume(')')) {
      skipWhitespace();
      size_t end =
          std::min(text.find_first_not_of("0123456789", pos), text.size());
      int64_t value;
      if (!parseNonNegativeInt(text.substr(pos, end - pos), value))
        return false;
      pos = end;
      shape.push_back(value);
      // A one-element tuple needs its trailing comma.
      if (!consume(',') && (shape.size() == 1 || !peek(')')))
        return false;
    }
    return true;
  }

  std::string_view text;
  size_t pos = 0;
};
} // namespace

/// Maps a NumPy descr to an element type. Sets `bigEndian` for big-endian
/// variants of supported multi-byte types.
static std::optional<DType> mapDescr(std::string_view descr, bool &bigEndian) {
  if (std::optional<DType> dtype = lookupDType(descr, &DTypeInfo::npyDescr))
    return dtype;
  if (descr.size() < 2 ||
      std::string_view("<>=|").find(descr[0]) == std::string_view::npos)
    return std::nullopt;
  char order = descr[0];
  std::string_view rest = descr.substr(1);
  for (char canonical : {'<', '|'}) {
    std::optional<DType> dtype = lookupDType(
        std::string(1, canonical) + std::string(rest), &DTypeInfo::npyDescr);
    if (!dtype)
      continue;
    // Byte order is irrelevant for one-byte types; '=' is native
    // (little-endian on all supported hosts). bf16 is raw 2-byte data
    // ('V2'), for which NumPy itself writes '|'.
    bool isVoid = rest.front() == 'V';
    if (getDTypeInfo(*dtype).size == 1
            ? order != '|'
            : order == '=' || (isVoid && order == '|'))
      return dtype;
    bigEndian = order == '>';
    return std::nullopt;
  }
  return std::nullopt;
}

Error tessera::runtime::readNpyHeader(InputFile &file, TensorType &type,
                                      uint64_t &dataOffset) {
  const std::string &path = file.path();
  unsigned char prefix[12];
  if (file.size() < 8)
    return fileError(path, "bad magic (not a .npy file)");
  if (Error err = file.read(0, prefix, 8))
    return err;
  if (std::memcmp(prefix, npyMagic, npyMagicSize) != 0)
    return fileError(path, "bad magic (not a .npy file)");
  unsigned major = prefix[6], minor = prefix[7];
  if (major < 1 || major > 3 || minor != 0)
    return fileError(path, "unsupported .npy version " + std::to_string(major) +
                               "." + std::to_string(minor));
  size_t prefixSize = major == 1 ? 10 : 12;
  if (file.size() < prefixSize)
    return fileError(path, "truncated header");
  if (Error err = file.read(8, prefix + 8, prefixSize - 8))
    return err;
  uint64_t headerSize = prefix[8] | (prefix[9] << 8);
  if (major > 1)
    headerSize |= static_cast<uint64_t>(prefix[10]) << 16 |
                  static_cast<uint64_t>(prefix[11]) << 24;
  if (headerSize > file.size() - prefixSize || headerSize > maxHeaderSize)
    return fileError(path, "header length " + std::to_string(headerSize) +
                               " exceeds the file size");
  std::string text(headerSize, '\0');
  if (Error err = file.read(prefixSize, text.data(), headerSize))
    return err;
  if (major == 3 && !isValidUtf8(text))
    return fileError(path, "invalid header: invalid UTF-8");

  NpyHeader header;
  std::string problem = NpyHeaderParser(text).parse(header);
  if (!problem.empty())
    return fileError(path, "invalid header: " + problem);
  bool bigEndian = false;
  std::optional<DType> dtype = mapDescr(header.descr, bigEndian);
  if (bigEndian)
    return fileError(path, "big-endian data (" + quoteForMessage(header.descr) +
                               ") is not supported");
  if (!dtype)
    return fileError(path,
                     "unsupported dtype " + quoteForMessage(header.descr));
  if (header.fortranOrder)
    return fileError(path, "fortran_order=True is not supported");
  type = TensorType{*dtype, std::move(header.shape)};
  uint64_t numElements, byteSize;
  if (!computeSize(type.shape, getDTypeInfo(type.dtype).size, numElements,
                   &byteSize))
    return fileError(path, "shape " + formatShape(type.shape) + " is too large");
  dataOffset = prefixSize + headerSize;
  uint64_t available = file.size() - dataOffset;
  if (available != byteSize)
    return fileError(path, std::string(available < byteSize
                                           ? "truncated data"
                                           : "trailing bytes after data") +
                               ": expected " + std::to_string(byteSize) +
                               " bytes, got " + std::to_string(available));
  return Error::success();
}

Error tessera::runtime::readNpy(InputFile &file, std::string_view name,
                                const TensorType &expected,
                                AlignedBuffer &data) {
  TensorType actual;
  uint64_t dataOffset;
  if (Error err = readNpyHeader(file, actual, dataOffset))
    return err;
  if (Error err = checkType(file.path(), name, expected, actual))
    return err;
  uint64_t byteSize = file.size() - dataOffset;
  if (Error err = data.allocate(byteSize))
    return fileError(file.path(), err.message());
  return file.read(dataOffset, data.data(), byteSize);
}

Error tessera::runtime::readNpy(const std::string &path, std::string_view name,
                                const TensorType &expected,
                                AlignedBuffer &data) {
  InputFile file;
  if (Error err = file.open(path))
    return err;
  return readNpy(file, name, expected, data);
}

std::string tessera::runtime::formatNpyHeader(const TensorType &type) {
  std::string dict = std::string("{'descr': '") +
                     getDTypeInfo(type.dtype).npyDescr +
                     "', 'fortran_order': False, 'shape': (";
  for (int64_t dim : type.shape)
    dict += std::to_string(dim) + (type.shape.size() == 1 ? ",)" : ", ");
  if (type.shape.size() != 1) {
    if (!type.shape.empty())
      dict.resize(dict.size() - 2);
    dict += ')';
  }
  dict += ", }";
  // Pad with spaces and a final newline so that the data is 64-byte aligned.
  bool v1 = dict.size() + 11 + 63 <= 0xffff;
  size_t prefixSize = v1 ? 10 : 12;
  size_t total = (prefixSize + dict.size() + 1 + 63) / 64 * 64;
  dict.append(total - prefixSize - dict.size() - 1, ' ');
  dict += '\n';

  std::string header(npyMagic, npyMagicSize);
  header += static_cast<char>(v1 ? 1 : 2);
  header += '\0';
  for (size_t i = 0; i < prefixSize - 8; ++i)
    header += static_cast<char>((dict.size() >> (8 * i)) & 0xff);
  return header + dict;
}

//===----------------------------------------------------------------------===//
// OutputDirectory
//===----------------------------------------------------------------------===//

Error OutputDirectory::open(const std::string &path) {
  dirPath = path;
  int savedErrno = 0;
  if (mkdir(path.c_str(), 0777) != 0 && errno != EEXIST)
    savedErrno = errno;
  if (!savedErrno) {
    // Opened once; every result is created relative to this descriptor.
    dir.reset(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() >= 0)
      return Error::success();
    savedErrno = errno;
  }
  return fileError(path, std::string("cannot create output directory: ") +
                             std::strerror(savedErrno));
}

std::string OutputDirectory::displayPath(const std::string &fileName) const {
  return dirPath + "/" + fileName;
}

Error OutputDirectory::checkTarget(const std::string &fileName) const {
  struct stat st;
  if (fstatat(dir.get(), fileName.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT)
      return Error::success();
    return fileError(displayPath(fileName),
                     std::string("cannot write: ") + std::strerror(errno));
  }
  return checkExisting(fileName, st);
}

Error OutputDirectory::checkExisting(const std::string &fileName,
                                     const struct stat &st) const {
  if (S_ISLNK(st.st_mode))
    return fileError(displayPath(fileName),
                     "refusing to write through a symbolic link");
  if (!S_ISREG(st.st_mode))
    return fileError(displayPath(fileName),
                     std::string("cannot write: not a regular file (") +
                         describeFileType(st.st_mode) + ")");
  if (st.st_nlink > 1)
    return fileError(displayPath(fileName),
                     "refusing to overwrite a file with other hard links");
  return Error::success();
}

Error OutputDirectory::writeNpy(const std::string &fileName,
                                const TensorType &type,
                                const void *data) const {
  std::string path = displayPath(fileName);
  uint64_t numElements, byteSize;
  if (!computeSize(type.shape, getDTypeInfo(type.dtype).size, numElements,
                   &byteSize))
    return fileError(path,
                     "shape " + formatShape(type.shape) + " is too large");
  std::string header = formatNpyHeader(type);
  // No O_TRUNC: the file is checked (not a symbolic link, FIFO, device or
  // hard link) before it is truncated. O_NONBLOCK: a FIFO must not block.
  UniqueFd fd(openat(dir.get(), fileName.c_str(),
                     O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
                         O_NOCTTY,
                     0644));
  if (fd.get() < 0) {
    int savedErrno = errno;
    struct stat st;
    if (fstatat(dir.get(), fileName.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0)
      if (Error err = checkExisting(fileName, st))
        return err;
    return fileError(path,
                     std::string("cannot open: ") + std::strerror(savedErrno));
  }
  struct stat st;
  if (fstat(fd.get(), &st) != 0)
    return fileError(path, std::string("cannot open: ") + std::strerror(errno));
  if (Error err = checkExisting(fileName, st))
    return err;
  int flags = fcntl(fd.get(), F_GETFL);
  if (flags < 0 || fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK) != 0 ||
      ftruncate(fd.get(), 0) != 0)
    return fileError(path, std::string("cannot write: ") + std::strerror(errno));
  auto writeAll = [&](const void *bytes, uint64_t length) {
    const char *p = static_cast<const char *>(bytes);
    while (length > 0) {
      size_t chunk = static_cast<size_t>(std::min<uint64_t>(length, 1 << 30));
      ssize_t n = ::write(fd.get(), p, chunk);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return false;
      p += n;
      length -= static_cast<uint64_t>(n);
    }
    return true;
  };
  errno = 0;
  if (!writeAll(header.data(), header.size()) || !writeAll(data, byteSize))
    return fileError(path, std::string("cannot write: ") +
                               std::strerror(errno ? errno : EIO));
  if (::close(fd.release()) != 0)
    return fileError(path, std::string("cannot write: ") + std::strerror(errno));
  return Error::success();
}
