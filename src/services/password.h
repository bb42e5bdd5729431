// Voter passwords: generated, never chosen, 12 characters (60 bits) shown as
// "k7m2-q9xw-t4hr"; typed forms are normalised before checking.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/random.h"

namespace isoloir::services {

inline constexpr size_t kPasswordChars = 12;

// 12 characters of lower-case Crockford base 32, grouped 4-4-4 with hyphens.
std::string GeneratePassword(crypto::Rng& rng);
// Drops spaces and hyphens, lower-cases ASCII, reads o as 0 and i, l as 1;
// then 12 characters of the alphabet, else an error ("password.format").
Result<std::string> NormalizePassword(std::string_view typed);

}  // namespace isoloir::services
