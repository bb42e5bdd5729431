#include "services/password.h"

#include <sodium.h>

namespace isoloir::services {
namespace {
constexpr std::string_view kAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";
}

std::string GeneratePassword(crypto::Rng& rng) {
  uint8_t buf[kPasswordChars];
  rng.Fill(buf);
  std::string out;
  for (size_t i = 0; i < kPasswordChars; ++i) {
    if (i > 0 && i % 4 == 0) out += '-';
    out += kAlphabet[buf[i] & 31];
  }
  sodium_memzero(buf, sizeof buf);
  return out;
}

Result<std::string> NormalizePassword(std::string_view typed) {
  std::string out;
  for (char ch : typed) {
    if (ch == ' ' || ch == '-' || ch == '\t') continue;
    char c = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
    if (c == 'o') c = '0';
    if (c == 'i' || c == 'l') c = '1';
    if (kAlphabet.find(c) == std::string_view::npos || out.size() >= kPasswordChars) {
      return MakeError("password.format", "a password has 12 letters or digits, as printed");
    }
    out += c;
  }
  if (out.size() != kPasswordChars) {
    return MakeError("password.format", "a password has 12 letters or digits, as printed");
  }
  return out;
}

}  // namespace isoloir::services
