// Byte strings and their canonical text forms: base64url without padding
// (strict: rejects padding, whitespace and non-canonical trailing bits) and hex.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace isoloir {

using Bytes = std::vector<uint8_t>;

std::string Base64UrlEncode(std::span<const uint8_t> data);
Result<Bytes> Base64UrlDecode(std::string_view text);

std::string HexEncode(std::span<const uint8_t> data);
Result<Bytes> HexDecode(std::string_view text);

inline Bytes ToBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

}  // namespace isoloir
