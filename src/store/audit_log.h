// The audit log: an append-only, hash-chained record of what was done (by
// whom, when), one chain per election ("" for installation-wide events).
// Each entry's hash covers the previous entry's hash, so a changed, removed
// or inserted entry breaks the chain from that point (docs/storage.md,
// "Audit log" gives the exact hash).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace isoloir::store {

struct AuditEntry {
  std::string election_id;  // "" for installation-wide events
  uint64_t seq = 0;         // 1, 2, 3... within the election's chain
  int64_t time = 0;         // Unix seconds, UTC
  std::string actor;        // who: "president", "cli:root", "portal"...
  std::string action;       // what: "roll.replace", "bve.seal"...
  std::string details;      // canonical JSON object (sorted keys, no spaces); never a secret
  std::string prev_hash;    // hex SHA-256 of the previous entry; 64 zeros for seq 1
  std::string hash;         // hex SHA-256 of this entry (AuditEntryHash)
  bool operator==(const AuditEntry&) const = default;
};

struct ChainCheck {
  uint64_t entries = 0;                  // entries read
  std::string head_hash;                 // hash of the last good entry (64 zeros if none)
  std::optional<uint64_t> first_broken;  // seq of the first entry that does not fit
  std::string reason;                    // why, for people; empty when intact
  bool intact() const { return !first_broken.has_value(); }
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;

  // Appends an entry at the end of the election's chain and returns it.
  // `details` must be a JSON object (it is stored in canonical form) with no
  // key that names a secret ("audit.secret_in_details": password, secret,
  // passphrase, private, token, verifier, security_key, mot_de_passe).
  virtual Result<AuditEntry> Append(const std::string& election_id, int64_t time,
                                    const std::string& actor, const std::string& action,
                                    const std::string& details) = 0;
  // Entries by seq, after `after_seq`, at most `limit` (0 = all).
  virtual Result<std::vector<AuditEntry>> List(const std::string& election_id,
                                               uint64_t after_seq = 0, size_t limit = 0) = 0;
  // Recomputes every hash and link of the election's chain.
  virtual Result<ChainCheck> VerifyChain(const std::string& election_id) = 0;
};

// Pure functions, also for verifiers that read a published log.
inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";
// Hex SHA-256 of the entry's fields (all but `hash`), docs/storage.md.
std::string AuditEntryHash(const AuditEntry& entry);
// Checks seqs 1, 2, 3..., each prev_hash and each hash, in order.
ChainCheck VerifyAuditChain(std::span<const AuditEntry> entries);
// The canonical form of a details object, or why it is refused.
Result<std::string> CanonicalAuditDetails(const std::string& details);

}  // namespace isoloir::store
