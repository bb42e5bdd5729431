// Strict reading of the record's JSON bodies (docs/record.md): objects with
// exactly the documented keys, integers without fraction, every problem named
// by its path. Failures travel as FieldError inside the module only.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "crypto/codec.h"

namespace isoloir::record::internal {

using Json = crypto::codec::Json;

// Thrown by the readers below; caught by Guard at the module's boundary.
struct FieldError {
  Error error;  // message starts with the path
};

[[noreturn]] void FailAt(const std::string& path, std::string_view code, std::string_view message);
std::string Sub(const std::string& path, std::string_view key);
std::string Index(const std::string& path, size_t i);

// `j` must be an object with exactly `required` plus any of `optional`.
const Json& Object(const Json& j, const std::string& path,
                   std::initializer_list<std::string_view> required,
                   std::initializer_list<std::string_view> optional = {});
// An array of min..max items.
const Json& Array(const Json& j, const std::string& path, size_t min_items, size_t max_items);
const std::string& String(const Json& j, const std::string& path);
// A JSON integer in [0, max], written without fraction or exponent.
uint64_t Unsigned(const Json& j, const std::string& path, uint64_t max = 0xffffffffffffull);
// Lowercase hex of 32 bytes.
crypto::Digest Hex32(const Json& j, const std::string& path);
// A protocol object decoded by `decode` (crypto::codec), its errors prefixed by `path`.
[[noreturn]] void FailDecoded(const std::string& path, const Error& error);
template <typename T, typename Decode>
T Decoded(const Json& j, const std::string& path, Decode&& decode) {
  auto r = decode(j);
  if (!r.ok()) FailDecoded(path, r.error());
  return std::move(r).value();
}

// Refuses any number that is not a non-negative integer, anywhere in `j`
// (record bodies hash their canonical text: floats have no canonical form).
void IntegersOnly(const Json& j, const std::string& path);

// Runs f, turning a FieldError into an Error.
template <typename T, typename F>
Result<T> Guard(F&& f) {
  try {
    return f();
  } catch (const FieldError& e) {
    return e.error;
  } catch (const Json::exception& e) {
    return MakeError("record.json", std::string("unexpected JSON shape: ") + e.what());
  }
}

}  // namespace isoloir::record::internal
