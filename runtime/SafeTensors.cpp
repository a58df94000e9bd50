//===- SafeTensors.cpp - safetensors file reading -------------------------===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Format: u64 LE header size N, N bytes of UTF-8 JSON mapping tensor names to
// {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative to the
// data section that follows the header), plus an optional "__metadata__"
// string-to-string map.
//
//===----------------------------------------------------------------------===//

#include "SafeTensors.h"
#include "Json.h"

#include <algorithm>

using namespace tessera::runtime;

/// Upper bound on the JSON header size.
static constexpr uint64_t maxHeaderSize = 100'000'000;

Error SafeTensorsFile::parseEntry(const std::string &name, JsonValue value,
                                  uint64_t dataSize, Entry &entry) {
  auto fail = [&](const std::string &problem) {
    return tensorError(path(), name, problem);
  };
  using Kind = JsonValue::Kind;
  if (value.kind() != Kind::Object)
    return fail("entry is not an object");
  std::optional<JsonValue> dtype = value.find("dtype");
  std::optional<JsonValue> shape = value.find("shape");
  std::optional<JsonValue> offsets = value.find("data_offsets");
  if (!dtype || dtype->kind() != Kind::String)
    return fail("missing or invalid \"dtype\"");
  std::optional<DType> parsed =
      lookupDType(dtype->text(), &DTypeInfo::safeTensorsName);
  if (!parsed)
    return fail("unknown dtype " + quoteForMessage(dtype->text()));
  entry.type.dtype = *parsed;
  if (!shape || shape->kind() != Kind::Array)
    return fail("missing or invalid \"shape\"");
  entry.type.shape.reserve(shape->size());
  for (JsonMember dim : *shape) {
    std::optional<int64_t> size = dim.value.getNonNegativeInt();
    if (!size)
      return fail("\"shape\" must be an array of non-negative integers");
    entry.type.shape.push_back(*size);
  }
  std::optional<int64_t> begin, end;
  if (offsets && offsets->kind() == Kind::Array && offsets->size() == 2) {
    JsonIterator it = offsets->begin();
    begin = (*it).value.getNonNegativeInt();
    end = (*++it).value.getNonNegativeInt();
  }
  if (!begin || !end)
    return fail("\"data_offsets\" must be [begin, end] with non-negative "
                "integers");
  if (*begin > *end)
    return fail("invalid \"data_offsets\" [" + std::to_string(*begin) + ", " +
                std::to_string(*end) + "]: begin > end");
  if (static_cast<uint64_t>(*end) > dataSize)
    return fail("\"data_offsets\" end " + std::to_string(*end) +
                " exceeds the data size " + std::to_string(dataSize));
  entry.begin = *begin;
  entry.end = *end;
  uint64_t numElements, byteSize;
  if (!computeSize(entry.type.shape, getDTypeInfo(entry.type.dtype).size,
                   numElements, &byteSize))
    return fail("shape " + formatShape(entry.type.shape) + " is too large");
  if (byteSize != entry.end - entry.begin)
    return fail("byte size mismatch: " + entry.type.str() + " needs " +
                std::to_string(byteSize) + " bytes, data_offsets span " +
                std::to_string(entry.end - entry.begin));
  return Error::success();
}

Error SafeTensorsFile::open(const std::string &path) {
  InputFile input;
  if (Error err = input.open(path))
    return err;
  return open(std::move(input));
}

Error SafeTensorsFile::open(InputFile input) {
  file = std::move(input);
  entries.clear();
  const std::string &path = file.path();
  if (file.size() < 8)
    return fileError(path, "file too short for a safetensors header (" +
                               std::to_string(file.size()) + " bytes)");
  unsigned char sizeBytes[8];
  if (Error err = file.read(0, sizeBytes, 8))
    return err;
  uint64_t headerSize = 0;
  for (int i = 7; i >= 0; --i)
    headerSize = headerSize << 8 | sizeBytes[i];
  if (headerSize > maxHeaderSize)
    return fileError(path, "header length " + std::to_string(headerSize) +
                               " exceeds the limit of " +
                               std::to_string(maxHeaderSize));
  if (headerSize > file.size() - 8)
    return fileError(path, "header length " + std::to_string(headerSize) +
                               " exceeds the file size");
  std::string text(headerSize, '\0');
  if (Error err = file.read(8, text.data(), headerSize))
    return err;
  JsonDocument header;
  if (Error err = parseJson(text, header))
    return fileError(path, "invalid header: " + err.message());
  // The text is no longer needed.
  std::string().swap(text);
  JsonValue root = header.root();
  if (root.kind() != JsonValue::Kind::Object)
    return fileError(path, "invalid header: not a JSON object");

  dataStart = 8 + headerSize;
  uint64_t dataSize = file.size() - dataStart;
  std::vector<std::pair<const std::string, Entry> *> ordered;
  ordered.reserve(root.size());
  for (JsonMember member : root) {
    std::string name(member.key);
    if (name == "__metadata__") {
      bool valid = member.value.kind() == JsonValue::Kind::Object;
      for (JsonMember item : member.value)
        valid &= item.value.kind() == JsonValue::Kind::String;
      if (!valid)
        return fileError(path, "invalid header: \"__metadata__\" must be a "
                               "string-to-string map");
      continue;
    }
    Entry entry;
    if (Error err = parseEntry(name, member.value, dataSize, entry))
      return err;
    ordered.push_back(&*entries.emplace(name, std::move(entry)).first);
  }

  // Check that no two non-empty tensors share bytes.
  std::sort(ordered.begin(), ordered.end(), [](auto *a, auto *b) {
    return std::make_pair(a->second.begin, a->second.end) <
           std::make_pair(b->second.begin, b->second.end);
  });
  const std::pair<const std::string, Entry> *previous = nullptr;
  for (auto *current : ordered) {
    if (current->second.begin == current->second.end)
      continue;
    if (previous && current->second.begin < previous->second.end)
      return tensorError(path, current->first,
                         "data overlaps tensor '" + previous->first + "'");
    if (!previous || current->second.end > previous->second.end)
      previous = current;
  }
  return Error::success();
}

Error SafeTensorsFile::load(const std::string &name, const TensorType &expected,
                            AlignedBuffer &data) {
  auto it = entries.find(name);
  if (it == entries.end())
    return tensorError(path(), name, "not found");
  const Entry &entry = it->second;
  if (Error err = checkType(path(), name, expected, entry.type))
    return err;
  if (Error err = data.allocate(entry.end - entry.begin))
    return tensorError(path(), name, err.message());
  return file.read(dataStart + entry.begin, data.data(),
                   entry.end - entry.begin);
}
