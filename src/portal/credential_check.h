// "Nobody voted in my name" in the voter's browser (issue 6 §3), without the
// portal learning which credential is the voter's: after the closing it
// answers a 16-bit prefix with every used credential's digest under it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "portal/voter_portal.h"

namespace isoloir::portal {

// The prefix a browser asks for: the first 4 hex digits (16 bits) of the
// digest, so each answer holds about 1/65536 of the scrutin's ballots.
inline constexpr size_t kCredentialPrefixDigits = 4;

// SHA-256 of the credential's point encoding (protocol §2.3: 65 bytes), as
// 64 lowercase hex digits; "" when the text is not a base64url point.
std::string CredentialDigest(std::string_view credential_b64);

// One scrutin's used credentials, as sorted digests.
class UsedCredentials {
 public:
  explicit UsedCredentials(const std::vector<std::string>& credentials);
  // Digests starting with `prefix` (exactly kCredentialPrefixDigits
  // lowercase hex digits; checked by the caller).
  std::vector<std::string> WithPrefix(std::string_view prefix) const;
  size_t size() const { return digests_.size(); }

 private:
  std::vector<std::string> digests_;
};

// The scrutin's used credentials, once no ballot can be added: after the
// closing and its grace period. Errors: "scrutin.unknown",
// "credential_check.not_closed" (with the time it becomes available).
Result<UsedCredentials> LoadUsedCredentials(const ElectionSite& site, PortalStores& stores,
                                            const std::string& scrutin, int64_t now);

// "credential_check.prefix" unless `prefix` is 4 lowercase hex digits.
Status CheckCredentialPrefix(std::string_view prefix);

}  // namespace isoloir::portal
