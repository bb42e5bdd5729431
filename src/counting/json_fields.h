// Strict reading of the counting documents (docs/counting.md): objects with
// exactly the listed keys, typed fields, and errors that name the JSON path.
// Internal to src/counting: failures travel as an exception caught by Guard.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "crypto/elgamal.h"
#include "crypto/threshold.h"
#include "crypto/transcript.h"

namespace isoloir::counting::fields {

using Json = nlohmann::json;

struct Failure {
  std::string path;
  Error error;
};

[[noreturn]] void Fail(const std::string& path, std::string code, std::string message);

std::string Sub(const std::string& path, std::string_view key);
std::string Index(const std::string& path, size_t i);

// Exactly these keys (an unknown or a missing one fails, naming it).
const Json& Object(const Json& j, const std::string& path,
                   std::initializer_list<std::string_view> keys);
const Json& Array(const Json& j, const std::string& path, size_t min_items, size_t max_items);
uint64_t U64(const Json& j, const std::string& path);
uint32_t U32(const Json& j, const std::string& path);
std::string Text(const Json& j, const std::string& path);
// The exact string `expected` (a document's "format").
void Format(const Json& j, const std::string& path, std::string_view expected);
// A whole document: an object whose "format" is `format` (checked first, so
// that a wrong file is called so), with exactly `keys` ("format" among them).
const Json& Document(const Json& j, std::string_view format,
                     std::initializer_list<std::string_view> keys);
// 64 lowercase hexadecimal characters.
crypto::Digest Hex32(const Json& j, const std::string& path);
crypto::Point PointAt(const Json& j, const std::string& path, bool allow_identity = false);
crypto::Scalar ScalarAt(const Json& j, const std::string& path);
crypto::Ciphertext CiphertextAt(const Json& j, const std::string& path);  // identity allowed
crypto::PartialDecryption PartialAt(const Json& j, const std::string& path);

// Runs f, turning a Failure into an Error whose message starts with the path.
template <typename T, typename F>
Result<T> Guard(F&& f) {
  try {
    return f();
  } catch (const Failure& e) {
    return MakeError(e.error.code, (e.path.empty() ? "" : e.path + ": ") + e.error.message);
  } catch (const Json::exception&) {
    return MakeError("json.type", "a field has the wrong type");
  }
}

}  // namespace isoloir::counting::fields
