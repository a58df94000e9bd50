//===- Signature.cpp - Model signature parsing ----------------------------===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#include "Signature.h"

#include <algorithm>
#include <cstring>
#include <set>

using namespace tessera::runtime;

std::optional<size_t> Signature::findInput(std::string_view name) const {
  for (size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].name == name)
      return i;
  return std::nullopt;
}

/// Splits `line` into whitespace-separated words.
static std::vector<std::string_view> splitWords(std::string_view line) {
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (true) {
    pos = line.find_first_not_of(" \t\r", pos);
    if (pos == std::string_view::npos)
      return words;
    size_t end = std::min(line.find_first_of(" \t\r", pos), line.size());
    words.push_back(line.substr(pos, end - pos));
    pos = end;
  }
}

/// Parses a comma-separated list of non-negative dimensions.
static bool parseDims(std::string_view text, std::vector<int64_t> &dims) {
  while (!text.empty()) {
    size_t comma = std::min(text.find(','), text.size());
    int64_t value;
    if (!parseNonNegativeInt(text.substr(0, comma), value))
      return false;
    dims.push_back(value);
    // A trailing comma is an error.
    if (comma + 1 == text.size())
      return false;
    text.remove_prefix(std::min(comma + 1, text.size()));
  }
  return true;
}

bool tessera::runtime::isValidTensorName(std::string_view name) {
  if (name.empty() || name.size() > maxTensorNameLength)
    return false;
  auto isAlpha = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  };
  if (!isAlpha(name[0]))
    return false;
  for (char c : name.substr(1))
    if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '.' && c != '-')
      return false;
  return true;
}

static constexpr const char *malformed = "malformed embedded signature: ";

Error tessera::runtime::parseSignature(std::string_view text,
                                       Signature &signature) {
  signature = Signature();
  size_t lineNo = 0;
  bool seenEntry = false;
  // Views into `text`, for the duplicate check.
  std::set<std::string_view> names;
  while (!text.empty()) {
    ++lineNo;
    size_t eol = std::min(text.find('\n'), text.size());
    std::vector<std::string_view> words = splitWords(text.substr(0, eol));
    text.remove_prefix(std::min(eol + 1, text.size()));
    auto fail = [&](const std::string &problem) {
      return Error(malformed + ("line " + std::to_string(lineNo)) + ": " +
                   problem);
    };
    if (words.empty())
      continue;
    if (words[0] == "entry") {
      if (words.size() != 2)
        return fail("expected 'entry NAME'");
      if (seenEntry)
        return fail("more than one 'entry' line");
      for (char c : words[1])
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
          return fail("invalid entry name " + quoteForMessage(words[1]));
      seenEntry = true;
      signature.entry = std::string(words[1]);
      continue;
    }
    if (words[0] == "target") {
      if (words.size() != 2 || (words[1] != "cpu" && words[1] != "cuda"))
        return fail("expected 'target cpu' or 'target cuda'");
      signature.target = std::string(words[1]);
      continue;
    }
    if (words[0] == "scratch_bytes") {
      int64_t bytes;
      if (words.size() != 2 || !parseNonNegativeInt(words[1], bytes))
        return fail("expected 'scratch_bytes N'");
      signature.scratchBytes = static_cast<uint64_t>(bytes);
      continue;
    }
    bool isInput = words[0] == "input";
    if (!isInput && words[0] != "output")
      continue;
    // An optional last word `range=LO,HI` (inputs only, 0 <= LO < HI).
    std::optional<std::pair<int64_t, int64_t>> range;
    if (isInput && words.size() >= 4 && words.back().substr(0, 6) == "range=") {
      std::string_view r = words.back().substr(6);
      size_t comma = r.find(',');
      int64_t lo, hi;
      if (comma == std::string_view::npos ||
          !parseNonNegativeInt(r.substr(0, comma), lo) ||
          !parseNonNegativeInt(r.substr(comma + 1), hi) || lo >= hi)
        return fail("invalid range '" + std::string(words.back()) + "'");
      range = {lo, hi};
      words.pop_back();
    }
    if (words.size() != 3 && words.size() != 4)
      return fail("expected '" + std::string(words[0]) + " NAME DTYPE DIMS'");
    if (!isValidTensorName(words[1]))
      return fail("invalid tensor name " + quoteForMessage(words[1]));
    if (!names.insert(words[1]).second)
      return fail("duplicate name " + quoteForMessage(words[1]));
    TensorSpec spec;
    spec.name = std::string(words[1]);
    std::optional<DType> dtype = lookupDType(words[2], &DTypeInfo::name);
    if (!dtype)
      return fail("unknown dtype " + quoteForMessage(words[2]));
    spec.type.dtype = *dtype;
    spec.range = range;
    if (words.size() == 4 && !parseDims(words[3], spec.type.shape))
      return fail("invalid dimensions " + quoteForMessage(words[3]));
    uint64_t numElements;
    if (!computeSize(spec.type.shape, getDTypeInfo(spec.type.dtype).size,
                     numElements))
      return fail("tensor '" + spec.name + "': shape " +
                  formatShape(spec.type.shape) + " is too large");
    (isInput ? signature.inputs : signature.outputs).push_back(std::move(spec));
  }
  return Error::success();
}

Error tessera::runtime::parseModelSignature(const TesseraModel &model,
                                            Signature &signature) {
  if (!model.signature)
    return Error(std::string(malformed) + "no signature text");
  size_t length = std::strlen(model.signature);
  if (model.signature_size < 0 ||
      static_cast<uint64_t>(model.signature_size) != length)
    return Error(std::string(malformed) + "signature_size is " +
                 std::to_string(model.signature_size) + " but the text is " +
                 std::to_string(length) +
                 " bytes long (a NUL inside the text?)");
  if (Error err =
          parseSignature(std::string_view(model.signature, length), signature))
    return err;
  auto arity = [&](const char *what, size_t parsed, int64_t expected) {
    return Error(std::string(malformed) + std::to_string(parsed) + " " + what +
                 " in the text, but num_" + what + " is " +
                 std::to_string(expected));
  };
  if (model.num_inputs < 0 ||
      static_cast<uint64_t>(model.num_inputs) != signature.inputs.size())
    return arity("inputs", signature.inputs.size(), model.num_inputs);
  if (model.num_outputs < 0 ||
      static_cast<uint64_t>(model.num_outputs) != signature.outputs.size())
    return arity("outputs", signature.outputs.size(), model.num_outputs);
  if (!model.entry)
    return Error(std::string(malformed) + "no entry point");
  return Error::success();
}
