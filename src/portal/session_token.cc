#include "portal/session_token.h"

#include <sodium.h>

#include <array>

#include "common/bytes.h"
#include "crypto/transcript.h"

namespace isoloir::portal {

std::string NewCookieValue() {
  std::array<uint8_t, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::string out = Base64UrlEncode(bytes);
  sodium_memzero(bytes.data(), bytes.size());
  return out;
}

std::string CookieHash(std::string_view cookie) {
  return HexEncode(crypto::Sha256(ToBytes(cookie)));
}

std::string CsrfToken(const services::ServerKey& key, std::string_view election_id,
                      std::string_view cookie) {
  return key.Verifier("csrf", election_id, "", cookie);
}

bool CheckCsrf(const services::ServerKey& key, std::string_view election_id,
               std::string_view cookie, std::string_view token) {
  if (cookie.empty() || token.empty()) return false;
  return key.Check("csrf", election_id, "", cookie, token);
}

}  // namespace isoloir::portal
