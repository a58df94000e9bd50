//===- json_fuzzer.cpp - libFuzzer target for the JSON parser -------------===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// Parses the input as JSON. An accepted document is written back out
// (strings re-escaped, number literals kept); that text must parse to a
// document that writes out identically, with the same number of values.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"
#include "Json.h"

using namespace tessera::runtime;

static void writeString(std::string_view text, std::string &out) {
  out += '"';
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

/// Writes `value` as compact JSON; returns the number of values written.
static size_t write(JsonValue value, std::string &out) {
  using Kind = JsonValue::Kind;
  switch (value.kind()) {
  case Kind::Null:
    out += "null";
    return 1;
  case Kind::Bool:
    out += value.getBool() ? "true" : "false";
    return 1;
  case Kind::Number:
    FUZZ_CHECK(!value.text().empty());
    out += value.text();
    return 1;
  case Kind::String:
    writeString(value.text(), out);
    return 1;
  case Kind::Array:
  case Kind::Object:
    break;
  }
  bool isObject = value.kind() == Kind::Object;
  out += isObject ? '{' : '[';
  size_t count = 1, members = 0;
  for (JsonMember member : value) {
    if (members++)
      out += ',';
    if (isObject) {
      writeString(member.key, out);
      out += ':';
      ++count;
      // find() returns the (unique) member with this key.
      std::optional<JsonValue> found = value.find(member.key);
      FUZZ_CHECK(found && found->sourceEnd() == member.value.sourceEnd());
    } else {
      FUZZ_CHECK(member.key.empty());
    }
    count += write(member.value, out);
  }
  FUZZ_CHECK(members == value.size());
  out += isObject ? '}' : ']';
  return count;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view text(reinterpret_cast<const char *>(data), size);
  JsonDocument document;
  if (Error err = parseJson(text, document)) {
    FUZZ_CHECK(!err.message().empty());
    return 0;
  }
  FUZZ_CHECK(isValidUtf8(text));
  std::string first;
  FUZZ_CHECK(write(document.root(), first) == document.numValues());
  FUZZ_CHECK(document.root().sourceEnd() <= size);
  JsonDocument again;
  FUZZ_CHECK(!parseJson(first, again));
  std::string second;
  FUZZ_CHECK(write(again.root(), second) == again.numValues());
  FUZZ_CHECK(first == second);
  FUZZ_CHECK(again.numValues() == document.numValues());
  return 0;
}
