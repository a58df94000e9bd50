//===- Json.h - Minimal strict JSON parser ----------------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// A small strict RFC 8259 JSON parser used for safetensors headers, plus a
// UTF-8 validator.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_JSON_H
#define TESSERA_RUNTIME_JSON_H

#include "Support.h"

#include <utility>

namespace tessera::runtime {

/// A parsed JSON value.
struct JsonValue {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  /// The decoded string, or the literal text of a number.
  std::string text;
  std::vector<JsonValue> elements;
  /// Object members in file order (keys are unique).
  std::vector<std::pair<std::string, JsonValue>> members;

  /// Returns the value if this is a non-negative integer literal that fits
  /// in an int64.
  std::optional<int64_t> getNonNegativeInt() const;
  /// Returns the member called `key`, or null.
  const JsonValue *find(std::string_view key) const;
};

/// Returns true if `text` is well-formed UTF-8 (no overlong encodings,
/// surrogates or code points above U+10FFFF).
bool isValidUtf8(std::string_view text);

/// Parses `text` (one JSON value surrounded by optional whitespace).
Error parseJson(std::string_view text, JsonValue &result);

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_JSON_H
