//===- Signature.cpp - Model signature parsing ----------------------------===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#include "Signature.h"

#include <algorithm>

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

Error tessera::runtime::parseSignature(std::string_view text,
                                       Signature &signature) {
  size_t lineNo = 0;
  while (!text.empty()) {
    ++lineNo;
    size_t eol = std::min(text.find('\n'), text.size());
    std::vector<std::string_view> words = splitWords(text.substr(0, eol));
    text.remove_prefix(std::min(eol + 1, text.size()));
    auto fail = [&](const std::string &problem) {
      return Error("malformed model signature: line " + std::to_string(lineNo) +
                   ": " + problem);
    };
    if (words.empty())
      continue;
    if (words[0] == "entry") {
      if (words.size() != 2)
        return fail("expected 'entry NAME'");
      signature.entry = std::string(words[1]);
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
    TensorSpec spec;
    spec.name = std::string(words[1]);
    std::optional<DType> dtype = lookupDType(words[2], &DTypeInfo::name);
    if (!dtype)
      return fail("unknown dtype '" + std::string(words[2]) + "'");
    spec.type.dtype = *dtype;
    spec.range = range;
    if (words.size() == 4 && !parseDims(words[3], spec.type.shape))
      return fail("invalid dimensions '" + std::string(words[3]) + "'");
    std::vector<TensorSpec> &list =
        isInput ? signature.inputs : signature.outputs;
    for (const TensorSpec &other : list)
      if (other.name == spec.name)
        return fail("duplicate name '" + spec.name + "'");
    list.push_back(std::move(spec));
  }
  return Error::success();
}
