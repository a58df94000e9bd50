//===- Json.cpp - Minimal strict JSON parser ------------------------------===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#include "Json.h"

#include <algorithm>
#include <cstring>

using namespace tessera::runtime;

/// Decodes one UTF-8 sequence at `pos`, advancing it; returns -1 if invalid.
static int32_t decodeUtf8(std::string_view text, size_t &pos) {
  auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  uint8_t lead = byte(pos);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  size_t length;
  int32_t cp, min;
  if ((lead & 0xe0) == 0xc0) {
    length = 2, cp = lead & 0x1f, min = 0x80;
  } else if ((lead & 0xf0) == 0xe0) {
    length = 3, cp = lead & 0x0f, min = 0x800;
  } else if ((lead & 0xf8) == 0xf0) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return -1;
  }
  if (text.size() - pos < length)
    return -1;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(pos + i) & 0xc0) != 0x80)
      return -1;
    cp = (cp << 6) | (byte(pos + i) & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
    return -1;
  pos += length;
  return cp;
}

bool tessera::runtime::isValidUtf8(std::string_view text) {
  for (size_t pos = 0; pos < text.size();)
    if (decodeUtf8(text, pos) < 0)
      return false;
  return true;
}

//===----------------------------------------------------------------------===//
// JsonValue
//===----------------------------------------------------------------------===//

JsonValue::Kind JsonValue::kind() const { return doc->nodes[index].kind; }

bool JsonValue::getBool() const { return doc->nodes[index].boolean; }

std::string_view JsonValue::text() const {
  const JsonDocument::Node &node = doc->nodes[index];
  if (node.kind != Kind::String && node.kind != Kind::Number)
    return {};
  return std::string_view(doc->pool).substr(node.a, node.b);
}

std::optional<int64_t> JsonValue::getNonNegativeInt() const {
  int64_t value;
  if (kind() != Kind::Number || !parseNonNegativeInt(text(), value))
    return std::nullopt;
  return value;
}

size_t JsonValue::size() const {
  return isContainer() ? doc->nodes[index].a : 0;
}

size_t JsonValue::sourceEnd() const { return doc->nodes[index].sourceEnd; }

uint32_t JsonValue::skip() const {
  return isContainer() ? doc->nodes[index].b : index + 1;
}

std::optional<JsonValue> JsonValue::find(std::string_view key) const {
  if (kind() != Kind::Object)
    return std::nullopt;
  for (JsonMember member : *this)
    if (member.key == key)
      return member.value;
  return std::nullopt;
}

JsonIterator JsonValue::begin() const {
  return isContainer() ? JsonIterator(doc, index + 1, kind() == Kind::Object)
                       : end();
}

JsonIterator JsonValue::end() const {
  return JsonIterator(doc, skip(), kind() == Kind::Object);
}

JsonMember JsonIterator::operator*() const {
  if (isObject)
    return {JsonValue(doc, index).text(), JsonValue(doc, index + 1)};
  return {std::string_view(), JsonValue(doc, index)};
}

JsonIterator &JsonIterator::operator++() {
  index = JsonValue(doc, isObject ? index + 1 : index).skip();
  return *this;
}

//===----------------------------------------------------------------------===//
// Parser
//===----------------------------------------------------------------------===//

namespace tessera::runtime {
/// Recursive-descent parser over a UTF-8-validated buffer. It runs twice:
/// without a document to validate the syntax and count the nodes and pool
/// bytes, then with the document (reserved to the exact sizes) to build it
/// and check for duplicate keys.
class JsonParser {
public:
  JsonParser(std::string_view text, JsonDocument *doc) : text(text), doc(doc) {}

  Error parseDocument() {
    if (Error err = parseValue(0))
      return err;
    skipWhitespace();
    if (pos != text.size())
      return fail("unexpected trailing characters");
    return Error::success();
  }

  size_t numNodes = 0, poolBytes = 0;

private:
  using Kind = JsonValue::Kind;
  using Node = JsonDocument::Node;

  Error fail(const std::string &problem) const {
    return Error(problem + " at offset " + std::to_string(pos));
  }
  void skipWhitespace() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' ||
                                 text[pos] == '\n' || text[pos] == '\r'))
      ++pos;
  }
  bool consume(char c) {
    skipWhitespace();
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  bool consumeWord(std::string_view word) {
    if (text.substr(pos, word.size()) != word)
      return false;
    pos += word.size();
    return true;
  }
  bool isDigit(size_t i) const {
    return i < text.size() && text[i] >= '0' && text[i] <= '9';
  }

  /// Adds a node of `kind`; `index` is its index.
  Error addNode(Kind kind, uint32_t &index) {
    if (numNodes == JsonDocument::maxValues)
      return fail("too many values (limit " +
                  std::to_string(JsonDocument::maxValues) + ")");
    index = static_cast<uint32_t>(numNodes++);
    if (doc)
      doc->nodes.push_back(Node{kind, false, 0, 0, 0});
    return Error::success();
  }
  /// Records that node `index` ends at the current position.
  void finishNode(uint32_t index) {
    if (doc)
      doc->nodes[index].sourceEnd = static_cast<uint32_t>(pos);
  }
  /// Appends `bytes` to the pool.
  void append(std::string_view bytes) {
    poolBytes += bytes.size();
    if (doc)
      doc->pool.append(bytes);
  }

  Error parseValue(int depth) {
    if (depth > JsonDocument::maxDepth)
      return fail("nesting too deep (limit " +
                  std::to_string(JsonDocument::maxDepth) + ")");
    skipWhitespace();
    if (pos == text.size())
      return fail("unexpected end of input");
    char c = text[pos];
    uint32_t index;
    if (c == '{' || c == '[') {
      bool isObject = c == '{';
      if (Error err = addNode(isObject ? Kind::Object : Kind::Array, index))
        return err;
      return parseContainer(index, depth, isObject);
    }
    if (c == '"') {
      if (Error err = addNode(Kind::String, index))
        return err;
      return parseString(index);
    }
    if (c == '-' || isDigit(pos)) {
      if (Error err = addNode(Kind::Number, index))
        return err;
      return parseNumber(index);
    }
    bool isTrue = consumeWord("true");
    if (isTrue || consumeWord("false") || consumeWord("null")) {
      if (Error err = addNode(c == 'n' ? Kind::Null : Kind::Bool, index))
        return err;
      if (doc)
        doc->nodes[index].boolean = isTrue;
      finishNode(index);
      return Error::success();
    }
    return fail("unexpected character");
  }

  Error parseContainer(uint32_t index, int depth, bool isObject) {
    ++pos;
    char close = isObject ? '}' : ']';
    uint32_t count = 0;
    if (!consume(close)) {
      do {
        if (isObject) {
          skipWhitespace();
          uint32_t key;
          if (pos == text.size() || text[pos] != '"')
            return fail("expected string key");
          if (Error err = addNode(Kind::String, key))
            return err;
          if (Error err = parseString(key))
            return err;
          if (!consume(':'))
            return fail("expected ':'");
        }
        if (Error err = parseValue(depth + 1))
          return err;
        ++count;
      } while (consume(','));
      if (!consume(close))
        return fail(std::string("expected ',' or '") + close + "'");
    }
    if (!doc)
      return Error::success();
    Node &node = doc->nodes[index];
    node.a = count;
    node.b = static_cast<uint32_t>(doc->nodes.size());
    node.sourceEnd = static_cast<uint32_t>(pos);
    return isObject ? checkDuplicateKeys(index) : Error::success();
  }

  /// Reports the first key of object `index` (in text order) that repeats an
  /// earlier key. Sorting indices keeps the extra memory at 4 bytes per
  /// member.
  Error checkDuplicateKeys(uint32_t index) {
    const std::vector<Node> &nodes = doc->nodes;
    uint32_t count = nodes[index].a;
    if (count < 2)
      return Error::success();
    auto skip = [&](uint32_t i) {
      return nodes[i].kind == Kind::Array || nodes[i].kind == Kind::Object
                 ? nodes[i].b
                 : i + 1;
    };
    keys.clear();
    for (uint32_t i = 0, key = index + 1; i < count; ++i, key = skip(key + 1))
      keys.push_back(key);
    auto keyText = [&](uint32_t i) {
      return std::string_view(doc->pool).substr(nodes[i].a, nodes[i].b);
    };
    std::sort(keys.begin(), keys.end(), [&](uint32_t l, uint32_t r) {
      int cmp = keyText(l).compare(keyText(r));
      return cmp < 0 || (cmp == 0 && l < r);
    });
    std::optional<uint32_t> first;
    for (size_t i = 1; i < keys.size(); ++i)
      if (keyText(keys[i]) == keyText(keys[i - 1]) &&
          (!first || keys[i] < *first))
        first = keys[i];
    if (!first)
      return Error::success();
    return Error("duplicate key " + quoteForMessage(keyText(*first)) +
                 " at offset " + std::to_string(nodes[*first].sourceEnd));
  }

  Error parseHex4(uint32_t &result) {
    result = 0;
    for (int i = 0; i < 4; ++i, ++pos) {
      if (pos == text.size())
        return fail("unterminated string");
      char c = text[pos];
      int digit = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
      if (digit < 0)
        return fail("invalid \\u escape");
      result = result * 16 + digit;
    }
    return Error::success();
  }

  void appendUtf8(uint32_t cp) {
    char out[4];
    size_t n;
    if (cp < 0x80) {
      out[0] = static_cast<char>(cp), n = 1;
    } else if (cp < 0x800) {
      out[0] = static_cast<char>(0xc0 | (cp >> 6));
      out[1] = static_cast<char>(0x80 | (cp & 0x3f)), n = 2;
    } else if (cp < 0x10000) {
      out[0] = static_cast<char>(0xe0 | (cp >> 12));
      out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out[2] = static_cast<char>(0x80 | (cp & 0x3f)), n = 3;
    } else {
      out[0] = static_cast<char>(0xf0 | (cp >> 18));
      out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out[3] = static_cast<char>(0x80 | (cp & 0x3f)), n = 4;
    }
    append(std::string_view(out, n));
  }

  /// Parses a string literal into node `index` (decoded into the pool).
  Error parseString(uint32_t index) {
    ++pos; // Opening quote.
    size_t start = poolBytes;
    while (true) {
      // Copy the run of plain characters at once.
      size_t run = pos;
      while (run < text.size() && text[run] != '"' && text[run] != '\\' &&
             static_cast<uint8_t>(text[run]) >= 0x20)
        ++run;
      append(text.substr(pos, run - pos));
      pos = run;
      if (pos == text.size())
        return fail("unterminated string");
      char c = text[pos];
      if (c == '"') {
        ++pos;
        break;
      }
      if (c != '\\')
        return fail("control character in string");
      if (++pos == text.size())
        return fail("unterminated string");
      char esc = text[pos++];
      const char *plain = "\"\\/bfnrt", *decoded = "\"\\/\b\f\n\r\t";
      if (const char *p = esc ? std::strchr(plain, esc) : nullptr) {
        append(std::string_view(decoded + (p - plain), 1));
        continue;
      }
      if (esc != 'u') {
        pos -= 2; // Point at the backslash.
        return fail("invalid escape");
      }
      uint32_t cp;
      if (Error err = parseHex4(cp))
        return err;
      if (cp >= 0xdc00 && cp <= 0xdfff)
        return fail("unpaired surrogate");
      if (cp >= 0xd800 && cp <= 0xdbff) {
        uint32_t low;
        if (!consumeWord("\\u"))
          return fail("unpaired surrogate");
        if (Error err = parseHex4(low))
          return err;
        if (low < 0xdc00 || low > 0xdfff)
          return fail("unpaired surrogate");
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
      }
      appendUtf8(cp);
    }
    if (doc) {
      Node &node = doc->nodes[index];
      node.a = static_cast<uint32_t>(start);
      node.b = static_cast<uint32_t>(poolBytes - start);
      node.sourceEnd = static_cast<uint32_t>(pos);
    }
    return Error::success();
  }

  /// Parses a number literal into node `index` (its text into the pool).
  Error parseNumber(uint32_t index) {
    size_t start = pos;
    if (text[pos] == '-')
      ++pos;
    if (!isDigit(pos))
      return fail("invalid number");
    if (text[pos] == '0')
      ++pos;
    else
      while (isDigit(pos))
        ++pos;
    if (pos < text.size() && text[pos] == '.') {
      if (!isDigit(++pos))
        return fail("invalid number");
      while (isDigit(pos))
        ++pos;
    }
    if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
      ++pos;
      if (pos < text.size() && (text[pos] == '+' || text[pos] == '-'))
        ++pos;
      if (!isDigit(pos))
        return fail("invalid number");
      while (isDigit(pos))
        ++pos;
    }
    size_t poolStart = poolBytes;
    append(text.substr(start, pos - start));
    if (doc) {
      Node &node = doc->nodes[index];
      node.a = static_cast<uint32_t>(poolStart);
      node.b = static_cast<uint32_t>(pos - start);
      node.sourceEnd = static_cast<uint32_t>(pos);
    }
    return Error::success();
  }

  std::string_view text;
  JsonDocument *doc;
  size_t pos = 0;
  /// Scratch space for checkDuplicateKeys.
  std::vector<uint32_t> keys;
};
} // namespace tessera::runtime

Error tessera::runtime::parseJson(std::string_view text,
                                  JsonDocument &document) {
  document.nodes.clear();
  document.pool.clear();
  if (text.size() > JsonDocument::maxTextSize)
    return Error("text too large (" + std::to_string(text.size()) +
                 " bytes, limit " + std::to_string(JsonDocument::maxTextSize) +
                 ")");
  if (!isValidUtf8(text))
    return Error("invalid UTF-8");
  // Validate and count, then build with exactly sized storage.
  JsonParser counter(text, nullptr);
  if (Error err = counter.parseDocument())
    return err;
  document.nodes.reserve(counter.numNodes);
  document.pool.reserve(counter.poolBytes);
  JsonParser builder(text, &document);
  if (Error err = builder.parseDocument()) {
    document.nodes.clear();
    document.pool.clear();
    return err;
  }
  return Error::success();
}
