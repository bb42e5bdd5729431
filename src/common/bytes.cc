#include "common/bytes.h"

#include <array>

namespace isoloir {
namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::array<int8_t, 256> MakeB64Table() {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 64; ++i) t[static_cast<uint8_t>(kB64[i])] = static_cast<int8_t>(i);
  return t;
}
constexpr auto kB64Table = MakeB64Table();

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // upper case is not canonical
}

}  // namespace

std::string Base64UrlEncode(std::span<const uint8_t> data) {
  std::string out;
  out.reserve((data.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += kB64[v & 63];
  }
  size_t rest = data.size() - i;
  if (rest == 1) {
    uint32_t v = data[i] << 16;
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
  } else if (rest == 2) {
    uint32_t v = (data[i] << 16) | (data[i + 1] << 8);
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
  }
  return out;
}

Result<Bytes> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) {
    return MakeError("base64url.length", "base64url text has an impossible length");
  }
  Bytes out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int8_t v = kB64Table[static_cast<uint8_t>(c)];
    if (v < 0) {
      return MakeError("base64url.character",
                       "base64url text contains a character outside A-Z a-z 0-9 - _");
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>((acc >> bits) & 0xff));
    }
  }
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) {
    return MakeError("base64url.noncanonical", "base64url text has non-zero padding bits");
  }
  return out;
}

std::string HexEncode(std::span<const uint8_t> data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (uint8_t b : data) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

Result<Bytes> HexDecode(std::string_view text) {
  if (text.size() % 2 != 0) return MakeError("hex.length", "hex text has an odd length");
  Bytes out(text.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = HexValue(text[2 * i]), lo = HexValue(text[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return MakeError("hex.character", "hex text must use only 0-9 and a-f (lower case)");
    }
    out[i] = static_cast<uint8_t>((hi << 4) | lo);
  }
  return out;
}

}  // namespace isoloir
