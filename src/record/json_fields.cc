// Strict field readers for the record's bodies; see json_fields.h.
#include "record/json_fields.h"

#include <set>

namespace isoloir::record::internal {

void FailAt(const std::string& path, std::string_view code, std::string_view message) {
  throw FieldError{
      MakeError(std::string(code), (path.empty() ? "" : path + ": ") + std::string(message))};
}

std::string Sub(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string Index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

void FailDecoded(const std::string& path, const Error& error) {
  // crypto::codec messages start with the inner path when there is one
  // ("choices[2].alpha: ..."): a first word ending in ':' with no space before it.
  const std::string& m = error.message;
  const size_t colon = m.find(": ");
  if (colon != std::string::npos && colon > 0 && m.find(' ') == colon + 1) {
    const std::string inner = m.substr(0, colon);
    const std::string joined = inner[0] == '[' ? path + inner : Sub(path, inner);
    FailAt(joined, error.code, m.substr(colon + 2));
  }
  FailAt(path, error.code, m);
}

const Json& Object(const Json& j, const std::string& path,
                   std::initializer_list<std::string_view> required,
                   std::initializer_list<std::string_view> optional) {
  if (!j.is_object()) FailAt(path, "json.type", "expected an object");
  std::set<std::string_view> allowed(required);
  allowed.insert(optional.begin(), optional.end());
  for (const auto& [k, v] : j.items()) {
    if (!allowed.count(k)) FailAt(Sub(path, k), "json.unknown_field", "unexpected field");
  }
  for (auto k : required) {
    if (!j.contains(k)) FailAt(Sub(path, k), "json.missing_field", "missing field");
  }
  return j;
}

const Json& Array(const Json& j, const std::string& path, size_t min_items, size_t max_items) {
  if (!j.is_array()) FailAt(path, "json.type", "expected an array");
  if (j.size() < min_items) {
    FailAt(path, "json.size", "expected at least " + std::to_string(min_items) + " items");
  }
  if (j.size() > max_items) {
    FailAt(path, "json.size", "expected at most " + std::to_string(max_items) + " items");
  }
  return j;
}

const std::string& String(const Json& j, const std::string& path) {
  if (!j.is_string()) FailAt(path, "json.type", "expected a string");
  return j.get_ref<const std::string&>();
}

uint64_t Unsigned(const Json& j, const std::string& path, uint64_t max) {
  if (!j.is_number_unsigned() && !(j.is_number_integer() && j.get<int64_t>() >= 0)) {
    FailAt(path, "json.type", "expected a non-negative integer");
  }
  const uint64_t v = j.get<uint64_t>();
  if (v > max) FailAt(path, "json.range", "at most " + std::to_string(max));
  return v;
}

crypto::Digest Hex32(const Json& j, const std::string& path) {
  const std::string& s = String(j, path);
  auto bytes = HexDecode(s);
  if (!bytes || bytes->size() != 32 || HexEncode(*bytes) != s) {
    FailAt(path, "record.hex", "expected 64 lowercase hexadecimal characters");
  }
  crypto::Digest d{};
  std::copy(bytes->begin(), bytes->end(), d.begin());
  return d;
}

void IntegersOnly(const Json& j, const std::string& path) {
  if (j.is_number_float()) FailAt(path, "record.number", "numbers must be integers");
  if (j.is_number_integer() && !j.is_number_unsigned() && j.get<int64_t>() < 0) {
    FailAt(path, "record.number", "numbers must not be negative");
  }
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) IntegersOnly(v, Sub(path, k));
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) IntegersOnly(j[i], Index(path, i));
  }
}

}  // namespace isoloir::record::internal
