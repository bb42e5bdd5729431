// Strict field readers for the counting documents; see json_fields.h.
#include "counting/json_fields.h"

#include <set>

#include "common/bytes.h"
#include "crypto/codec.h"

namespace isoloir::counting::fields {

void Fail(const std::string& path, std::string code, std::string message) {
  throw Failure{path, MakeError(std::move(code), std::move(message))};
}

std::string Sub(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string Index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

const Json& Object(const Json& j, const std::string& path,
                   std::initializer_list<std::string_view> keys) {
  if (!j.is_object()) Fail(path, "json.type", "expected an object");
  const std::set<std::string_view> allowed(keys);
  for (const auto& [k, v] : j.items()) {
    if (!allowed.count(k)) Fail(Sub(path, k), "json.unknown_field", "unexpected field");
  }
  for (auto k : keys) {
    if (!j.contains(k)) Fail(Sub(path, k), "json.missing_field", "missing field");
  }
  return j;
}

const Json& Array(const Json& j, const std::string& path, size_t min_items, size_t max_items) {
  if (!j.is_array()) Fail(path, "json.type", "expected an array");
  if (j.size() < min_items) {
    Fail(path, "json.size", "at least " + std::to_string(min_items) + " item(s) expected");
  }
  if (j.size() > max_items) {
    Fail(path, "json.size", "at most " + std::to_string(max_items) + " items expected");
  }
  return j;
}

uint64_t U64(const Json& j, const std::string& path) {
  // Parsed texts give unsigned integers; documents built in memory may hold signed ones.
  if (!j.is_number_integer() || (!j.is_number_unsigned() && j.get<int64_t>() < 0)) {
    Fail(path, "json.type", "expected a non-negative integer");
  }
  return j.get<uint64_t>();
}

uint32_t U32(const Json& j, const std::string& path) {
  const uint64_t v = U64(j, path);
  if (v > 0xffffffffu) Fail(path, "json.range", "the integer is too large");
  return static_cast<uint32_t>(v);
}

std::string Text(const Json& j, const std::string& path) {
  if (!j.is_string()) Fail(path, "json.type", "expected a string");
  return j.get<std::string>();
}

void Format(const Json& j, const std::string& path, std::string_view expected) {
  const std::string found = Text(j, path);
  if (found != expected) {
    Fail(path, "json.format",
         "\"" + found + "\" is not \"" + std::string(expected) + "\" (wrong file or version)");
  }
}

const Json& Document(const Json& j, std::string_view format,
                     std::initializer_list<std::string_view> keys) {
  if (!j.is_object()) Fail("", "json.type", "expected an object");
  if (!j.contains("format")) Fail("format", "json.missing_field", "missing field");
  Format(j["format"], "format", format);
  return Object(j, "", keys);
}

crypto::Digest Hex32(const Json& j, const std::string& path) {
  const std::string text = Text(j, path);
  auto bytes = HexDecode(text);
  bool lower = true;
  for (char c : text) lower = lower && !(c >= 'A' && c <= 'F');
  if (!bytes || bytes->size() != 32 || !lower) {
    Fail(path, "json.hex", "expected 64 lowercase hexadecimal characters");
  }
  crypto::Digest d{};
  std::copy(bytes->begin(), bytes->end(), d.begin());
  return d;
}

namespace {

// The codec's errors start with the path inside the object ("alpha: ..."):
// join it to ours so that the message names one path ("tally[1].alpha: ...").
[[noreturn]] void FailNested(const std::string& path, const Error& e) {
  const size_t colon = e.message.find(": ");
  if (colon != std::string::npos && e.message.find(' ') > colon) {
    const std::string inner = e.message.substr(0, colon);
    Fail(path + (inner.front() == '[' ? "" : ".") + inner, e.code, e.message.substr(colon + 2));
  }
  Fail(path, e.code, e.message);
}

}  // namespace

crypto::Point PointAt(const Json& j, const std::string& path, bool allow_identity) {
  auto p = crypto::codec::DecodePoint(j, allow_identity);
  if (!p) Fail(path, p.error().code, p.error().message);
  return std::move(p).value();
}

crypto::Scalar ScalarAt(const Json& j, const std::string& path) {
  auto s = crypto::codec::DecodeScalar(j);
  if (!s) Fail(path, s.error().code, s.error().message);
  return std::move(s).value();
}

crypto::Ciphertext CiphertextAt(const Json& j, const std::string& path) {
  auto c = crypto::codec::DecodeCiphertext(j, /*allow_identity=*/true);
  if (!c) FailNested(path, c.error());
  return std::move(c).value();
}

crypto::PartialDecryption PartialAt(const Json& j, const std::string& path) {
  auto pd = crypto::codec::DecodePartialDecryption(j);
  if (!pd) FailNested(path, pd.error());
  return std::move(pd).value();
}

}  // namespace isoloir::counting::fields
