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
        return "unexpected key '" + key + "'";
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
    // (little-endian on all supported hosts).
    if (getDTypeInfo(*dtype).size == 1 ? order != '|' : order == '=')
      return dtype;
    bigEndian = order == '>';
    return std::nullopt;
  }
  return std::nullopt;
}

Error tessera::runtime::readNpy(const std::string &path, std::string_view name,
                                const TensorType &expected,
                                AlignedBuffer &data) {
  InputFile file;
  if (Error err = file.open(path))
    return err;
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
    return fileError(path, "big-endian data ('" + header.descr +
                               "') is not supported");
  if (!dtype)
    return fileError(path, "unsupported dtype '" + header.descr + "'");
  if (header.fortranOrder)
    return fileError(path, "fortran_order=True is not supported");
  TensorType actual{*dtype, header.shape};
  uint64_t numElements, byteSize;
  if (!computeSize(actual.shape, getDTypeInfo(actual.dtype).size, numElements,
                   &byteSize))
    return fileError(path,
                     "shape " + formatShape(actual.shape) + " is too large");
  uint64_t dataOffset = prefixSize + headerSize;
  uint64_t available = file.size() - dataOffset;
  if (available != byteSize)
    return fileError(path, std::string(available < byteSize
                                           ? "truncated data"
                                           : "trailing bytes after data") +
                               ": expected " + std::to_string(byteSize) +
                               " bytes, got " + std::to_string(available));
  if (Error err = checkType(path, name, expected, actual))
    return err;
  if (Error err = data.allocate(byteSize))
    return fileError(path, err.message());
  return file.read(dataOffset, data.data(), byteSize);
}

Error tessera::runtime::writeNpy(const std::string &path,
                                 const TensorType &type, const void *data) {
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

  std::string prefix(npyMagic, npyMagicSize);
  prefix += static_cast<char>(v1 ? 1 : 2);
  prefix += '\0';
  for (size_t i = 0; i < prefixSize - 8; ++i)
    prefix += static_cast<char>((dict.size() >> (8 * i)) & 0xff);

  uint64_t numElements, byteSize;
  if (!computeSize(type.shape, getDTypeInfo(type.dtype).size, numElements,
                   &byteSize))
    return fileError(path,
                     "shape " + formatShape(type.shape) + " is too large");
  std::FILE *f = std::fopen(path.c_str(), "wb");
  if (!f)
    return fileError(path, std::string("cannot open: ") + std::strerror(errno));
  bool ok = std::fwrite(prefix.data(), 1, prefix.size(), f) == prefix.size() &&
            std::fwrite(dict.data(), 1, dict.size(), f) == dict.size() &&
            (byteSize == 0 || std::fwrite(data, 1, byteSize, f) == byteSize);
  int savedErrno = errno;
  if (std::fclose(f) != 0 && ok) {
    ok = false;
    savedErrno = errno;
  }
  if (!ok)
    return fileError(path,
                     std::string("cannot write: ") + std::strerror(savedErrno));
  return Error::success();
}
