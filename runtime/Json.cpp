//===- Json.cpp - Minimal strict JSON parser ------------------------------===//
//
// Part of the Tessera project.
//
//===----------------------------------------------------------------------===//

#include "Json.h"

#include <cstring>
#include <set>

using namespace tessera::runtime;

std::optional<int64_t> JsonValue::getNonNegativeInt() const {
  int64_t value;
  if (kind != Kind::Number || !parseNonNegativeInt(text, value))
    return std::nullopt;
  return value;
}

const JsonValue *JsonValue::find(std::string_view key) const {
  for (const auto &member : members)
    if (member.first == key)
      return &member.second;
  return nullptr;
}

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

namespace {
/// Recursive-descent parser over a UTF-8-validated buffer.
class JsonParser {
public:
  explicit JsonParser(std::string_view text) : text(text) {}

  Error parseDocument(JsonValue &result) {
    if (Error err = parseValue(result, 0))
      return err;
    skipWhitespace();
    if (pos != text.size())
      return fail("unexpected trailing characters");
    return Error::success();
  }

private:
  static constexpr int maxDepth = 64;

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

  Error parseValue(JsonValue &value, int depth) {
    if (depth > maxDepth)
      return fail("nesting too deep");
    skipWhitespace();
    if (pos == text.size())
      return fail("unexpected end of input");
    char c = text[pos];
    if (c == '{')
      return parseContainer(value, depth, /*isObject=*/true);
    if (c == '[')
      return parseContainer(value, depth, /*isObject=*/false);
    if (c == '"') {
      value.kind = JsonValue::Kind::String;
      return parseString(value.text);
    }
    if (c == '-' || isDigit(pos))
      return parseNumber(value);
    if (consumeWord("true") || consumeWord("false")) {
      value.kind = JsonValue::Kind::Bool;
      value.boolean = c == 't';
      return Error::success();
    }
    if (consumeWord("null")) {
      value.kind = JsonValue::Kind::Null;
      return Error::success();
    }
    return fail("unexpected character");
  }

  Error parseContainer(JsonValue &value, int depth, bool isObject) {
    value.kind = isObject ? JsonValue::Kind::Object : JsonValue::Kind::Array;
    ++pos;
    char close = isObject ? '}' : ']';
    if (consume(close))
      return Error::success();
    std::set<std::string> keys;
    do {
      JsonValue *element;
      if (isObject) {
        skipWhitespace();
        std::string key;
        if (pos == text.size() || text[pos] != '"')
          return fail("expected string key");
        if (Error err = parseString(key))
          return err;
        if (!keys.insert(key).second)
          return fail("duplicate key '" + key + "'");
        if (!consume(':'))
          return fail("expected ':'");
        value.members.emplace_back(std::move(key), JsonValue());
        element = &value.members.back().second;
      } else {
        element = &value.elements.emplace_back();
      }
      if (Error err = parseValue(*element, depth + 1))
        return err;
    } while (consume(','));
    if (!consume(close))
      return fail(std::string("expected ',' or '") + close + "'");
    return Error::success();
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

  static void appendUtf8(std::string &out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xe0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }

  Error parseString(std::string &out) {
    ++pos; // Opening quote.
    while (true) {
      if (pos == text.size())
        return fail("unterminated string");
      char c = text[pos];
      if (c == '"') {
        ++pos;
        return Error::success();
      }
      if (static_cast<uint8_t>(c) < 0x20)
        return fail("control character in string");
      if (c != '\\') {
        out += c;
        ++pos;
        continue;
      }
      if (++pos == text.size())
        return fail("unterminated string");
      char esc = text[pos++];
      const char *plain = "\"\\/bfnrt", *decoded = "\"\\/\b\f\n\r\t";
      if (const char *p = esc ? std::strchr(plain, esc) : nullptr) {
        out += decoded[p - plain];
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
      appendUtf8(out, cp);
    }
  }

  Error parseNumber(JsonValue &value) {
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
    value.kind = JsonValue::Kind::Number;
    value.text = std::string(text.substr(start, pos - start));
    return Error::success();
  }

  std::string_view text;
  size_t pos = 0;
};
} // namespace

Error tessera::runtime::parseJson(std::string_view text, JsonValue &result) {
  if (!isValidUtf8(text))
    return Error("invalid UTF-8");
  result = JsonValue();
  return JsonParser(text).parseDocument(result);
}
