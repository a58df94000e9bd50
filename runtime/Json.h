//===- Json.h - Minimal strict JSON parser ----------------------*- C++ -*-===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//
//
// A small strict RFC 8259 JSON parser used for safetensors headers, plus a
// UTF-8 validator.
//
// Memory is bounded by a small constant factor of the text size: a parsed
// document is one array of 16-byte nodes (every value takes at least two
// bytes of text, counting its separator, so at most 8 bytes of nodes per
// byte of text) and one string holding the decoded strings and number
// literals (at most the size of the text). A first pass validates the text
// and counts both, so nothing is reallocated while the document is built.
// The number of values and the nesting depth are limited.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_JSON_H
#define TESSERA_RUNTIME_JSON_H

#include "Support.h"

#include <iterator>

namespace tessera::runtime {

class JsonDocument;
class JsonIterator;

/// A reference to one value of a JsonDocument; cheap to copy, valid while
/// the document lives.
class JsonValue {
public:
  enum class Kind : uint8_t { Null, Bool, Number, String, Array, Object };

  Kind kind() const;
  bool isContainer() const {
    return kind() == Kind::Array || kind() == Kind::Object;
  }
  /// The value of a Bool.
  bool getBool() const;
  /// The decoded text of a String, or the literal text of a Number (empty
  /// for other kinds).
  std::string_view text() const;
  /// Returns the value if this is a non-negative integer literal that fits
  /// in an int64.
  std::optional<int64_t> getNonNegativeInt() const;
  /// The number of elements of an Array or members of an Object (0 for
  /// scalars).
  size_t size() const;
  /// Returns the member called `key` of an Object.
  std::optional<JsonValue> find(std::string_view key) const;
  /// The offset just past this value in the parsed text.
  size_t sourceEnd() const;

  /// Iterates over the elements of an Array or the members of an Object,
  /// in text order (empty for scalars).
  JsonIterator begin() const;
  JsonIterator end() const;

private:
  friend class JsonDocument;
  friend class JsonIterator;
  JsonValue(const JsonDocument *doc, uint32_t index) : doc(doc), index(index) {}
  /// The index of the node after this value's subtree.
  uint32_t skip() const;

  const JsonDocument *doc;
  uint32_t index;
};

/// An array element (`key` is empty) or an object member: its decoded key
/// and its value.
struct JsonMember {
  std::string_view key;
  JsonValue value;
};

/// Iterates over the children of an Array or Object.
class JsonIterator {
public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = JsonMember;
  using difference_type = std::ptrdiff_t;
  using pointer = const JsonMember *;
  using reference = JsonMember;

  JsonMember operator*() const;
  JsonIterator &operator++();
  bool operator==(const JsonIterator &other) const {
    return index == other.index;
  }
  bool operator!=(const JsonIterator &other) const {
    return !(*this == other);
  }

private:
  friend class JsonValue;
  JsonIterator(const JsonDocument *doc, uint32_t index, bool isObject)
      : doc(doc), index(index), isObject(isObject) {}
  const JsonDocument *doc;
  uint32_t index;
  bool isObject;
};

/// A parsed JSON text.
class JsonDocument {
public:
  /// Limits enforced by parseJson.
  static constexpr int maxDepth = 64;
  static constexpr size_t maxValues = 10'000'000;
  static constexpr size_t maxTextSize = 0xffff'fff0;

  /// The top-level value; the document must have been parsed.
  JsonValue root() const { return JsonValue(this, 0); }
  size_t numValues() const { return nodes.size(); }

private:
  friend class JsonValue;
  friend class JsonParser;
  friend Error parseJson(std::string_view text, JsonDocument &document);

  struct Node {
    JsonValue::Kind kind;
    bool boolean;
    /// String, Number: offset of the text in `pool`. Array, Object: number
    /// of elements or members.
    uint32_t a;
    /// String, Number: length of the text. Array, Object: index of the node
    /// after the subtree (children follow their parent in order; an object
    /// member is its key, a String node, followed by its value).
    uint32_t b;
    /// Offset just past the value in the source text.
    uint32_t sourceEnd;
  };
  static_assert(sizeof(Node) == 16, "JSON nodes should stay compact");

  std::vector<Node> nodes;
  std::string pool;
};

/// Returns true if `text` is well-formed UTF-8 (no overlong encodings,
/// surrogates or code points above U+10FFFF).
bool isValidUtf8(std::string_view text);

/// Parses `text` (one JSON value surrounded by optional whitespace) into
/// `document`. Object keys must be unique.
Error parseJson(std::string_view text, JsonDocument &document);

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_JSON_H
