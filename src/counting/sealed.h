// Secrets a key holder keeps on their own machine, sealed with a passphrase
// only they know: argon2id (libsodium, moderate limits) then XChaCha20-Poly1305.
// The fragment file v2 and the ceremony's state file. docs/counting.md §3.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "counting/ceremony.h"

namespace isoloir::counting {

inline constexpr std::string_view kSealedFragmentFormat = "isoloir/fragment/v2";
inline constexpr std::string_view kCeremonyStateFormat = "isoloir/ceremony-state/v1";
inline constexpr size_t kMinPassphraseLength = 12;

// {"kdf": {...}, "aead": {...}, "ciphertext"} sealing `plain` with a key
// derived from `passphrase` (fresh salt and nonce); `ad` is authenticated.
nlohmann::json Seal(std::string_view passphrase, std::span<const uint8_t> plain,
                    std::string_view ad);
// The plaintext, or "fragment.passphrase" when the passphrase is wrong (or
// the file was altered), or a field error for a malformed envelope.
Result<Bytes> Unseal(std::string_view passphrase, const nlohmann::json& sealed,
                     std::string_view ad);

// Fragment v2: the public fields of v1 in the clear, the share sealed.
nlohmann::json SealedFragmentJson(const Fragment& f, std::string_view passphrase);

// Reads a v1 or v2 fragment file; for v2 asks `passphrase()` once.
using PassphraseSource = std::function<Result<std::string>()>;
Result<Fragment> ReadAnyFragment(const nlohmann::json& j, const PassphraseSource& passphrase);

// A passphrase good enough to protect a share (length only: we cannot judge more).
Status CheckNewPassphrase(std::string_view passphrase);

}  // namespace isoloir::counting
