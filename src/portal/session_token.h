// Session cookies and CSRF tokens. A cookie carries 256 random bits; the
// store keeps only their SHA-256; a form's CSRF token is an HMAC of the
// cookie under the server key, so it needs no storage and cannot be guessed.
#pragma once

#include <string>
#include <string_view>

#include "services/server_key.h"

namespace isoloir::portal {

// 43 base64url characters from 32 random bytes (libsodium).
std::string NewCookieValue();
// Lowercase hex SHA-256 of the cookie value: what the session store keeps.
std::string CookieHash(std::string_view cookie);
// The CSRF token bound to a cookie (a visitor's or a voter's session).
std::string CsrfToken(const services::ServerKey& key, std::string_view election_id,
                      std::string_view cookie);
bool CheckCsrf(const services::ServerKey& key, std::string_view election_id,
               std::string_view cookie, std::string_view token);

}  // namespace isoloir::portal
