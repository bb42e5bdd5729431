// One-time codes for staff logins (RFC 6238 TOTP over RFC 4226 HOTP):
// HMAC-SHA1 from OpenSSL, 30-second steps, 6 digits, one step of clock drift
// either way; and the base32 and otpauth:// forms authenticator apps read. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace isoloir::portal {

inline constexpr int64_t kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;

// RFC 4648 base32 (A-Z2-7) without padding; decoding ignores spaces and case.
std::string Base32Encode(const std::vector<uint8_t>& bytes);
std::optional<std::vector<uint8_t>> Base32Decode(std::string_view text);

// RFC 4226: the `digits`-digit code of `counter` (leading zeros kept).
std::string Hotp(const std::vector<uint8_t>& secret, uint64_t counter, int digits = kTotpDigits);
// The time step of a Unix time, and its code.
int64_t TotpStep(int64_t unix_seconds);
std::string Totp(const std::vector<uint8_t>& secret, int64_t unix_seconds,
                 int digits = kTotpDigits);
// The step whose code `code` is, among now's step and the one before and
// after (compared in constant time), or nullopt. The caller refuses a step
// already used (PortalStore::UseTotpStep).
std::optional<int64_t> MatchTotp(const std::vector<uint8_t>& secret, std::string_view code,
                                 int64_t unix_seconds);

// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30
std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       const std::vector<uint8_t>& secret);

}  // namespace isoloir::portal
