// The voter's anonymous credential (spec §8): the security key ("clé de
// sécurité") seeds, by separate derivations, a login token the portal checks
// and one signing key per scrutin whose public key is in a list naming nobody.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/random.h"
#include "crypto/transcript.h"

namespace isoloir::crypto {

// §8.1 A security key is 20 characters of Crockford's base-32 alphabet
// (100 bits), shown in four groups of five: "7K3QD-M9XWT-2HFRB-YP4NA".
inline constexpr size_t kSecurityKeyChars = 20;

std::string GenerateSecurityKey(Rng& rng);
// Upper-cases, drops spaces and hyphens, maps O to 0 and I, L to 1; then checks
// length and alphabet. Returns the 20 canonical characters.
Result<std::string> NormalizeSecurityKey(std::string_view typed);
// The grouped form printed on letters.
std::string FormatSecurityKey(std::string_view canonical);

// §8.2 What the browser sends at login instead of the key.
Digest LoginToken(std::string_view election_id, std::string_view canonical_key);
// §8.2 What the portal stores: a hash of the token (the token has 256 bits of
// entropy from a 100-bit key, so no slow hash is needed).
Digest LoginVerifier(const Digest& login_token);

// §8.3 The signing key of one scrutin, and its public credential g^sk.
Scalar CredentialSecret(std::string_view election_id, std::string_view scrutin,
                        std::string_view canonical_key);
Point CredentialPublic(const Scalar& secret);

}  // namespace isoloir::crypto
