#include "crypto/credential.h"

#include <sodium.h>

namespace isoloir::crypto {
namespace {
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford
}

std::string GenerateSecurityKey(Rng& rng) {
  std::string key;
  uint8_t buf[kSecurityKeyChars];
  rng.Fill(buf);
  for (uint8_t b : buf) key += kAlphabet[b & 31];  // 256 is a multiple of 32: no bias
  sodium_memzero(buf, sizeof buf);
  return key;
}

Result<std::string> NormalizeSecurityKey(std::string_view typed) {
  std::string out;
  for (char ch : typed) {
    if (ch == ' ' || ch == '-' || ch == '\t') continue;
    char c = (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 'a' + 'A') : ch;
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    if (kAlphabet.find(c) == std::string_view::npos) {
      return MakeError("security_key.character",
                       "the security key contains a character that is not a letter or digit "
                       "of the key alphabet");
    }
    out += c;
  }
  if (out.size() != kSecurityKeyChars) {
    return MakeError("security_key.length", "the security key must have 20 letters or digits");
  }
  return out;
}

std::string FormatSecurityKey(std::string_view canonical) {
  std::string out;
  for (size_t i = 0; i < canonical.size(); ++i) {
    if (i > 0 && i % 5 == 0) out += '-';
    out += canonical[i];
  }
  return out;
}

Digest LoginToken(std::string_view election_id, std::string_view canonical_key) {
  return Transcript("isoloir/credential/login/v1").Add(election_id).Add(canonical_key).Finish();
}

Digest LoginVerifier(const Digest& login_token) {
  return Transcript("isoloir/credential/login-verifier/v1").Add(login_token).Finish();
}

Scalar CredentialSecret(std::string_view election_id, std::string_view scrutin,
                        std::string_view canonical_key) {
  return Transcript("isoloir/credential/signing/v1")
      .Add(election_id)
      .Add(scrutin)
      .Add(canonical_key)
      .FinishScalar();
}

Point CredentialPublic(const Scalar& secret) { return Point::MulBase(secret); }

}  // namespace isoloir::crypto
