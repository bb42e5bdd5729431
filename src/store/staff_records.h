// The board's and helpdesk's accounts as the portal store keeps them: who
// (an id and a role), the argon2id hash of the password, the TOTP secret
// sealed under the server key, the last accepted TOTP step; and their sessions.
#pragma once

#include <cstdint>
#include <string>

namespace isoloir::store {

struct StaffAccount {
  std::string election_id;
  std::string id;             // login name: a BVE member's id, or an organiser's or agent's
  std::string role;           // organisateur, president, secretaire, delegue, assistance
  std::string password_hash;  // libsodium crypto_pwhash_str (argon2id)
  std::string totp_sealed;    // base64url(nonce || secretbox(TOTP secret)), key from the server key
  int64_t last_totp_step = 0;  // the last accepted time step: a code is never accepted twice
  bool disabled = false;
  int64_t created = 0;
  bool operator==(const StaffAccount&) const = default;
};

// A staff member's session; as for voters only the cookie's SHA-256 is kept.
struct StaffSessionRecord {
  std::string id_hash;  // 64 lowercase hex
  std::string election_id;
  std::string staff_id;
  int64_t created = 0;
  int64_t last_seen = 0;
  bool operator==(const StaffSessionRecord&) const = default;
};

}  // namespace isoloir::store
