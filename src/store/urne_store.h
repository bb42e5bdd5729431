// The urne: the encrypted ballots of each scrutin, and the scrutin's public
// credential list with its revocations (protocol §8.3). Holds no voter
// reference, no row number and no insertion time: ballots can only be read in
// tracker order and credentials in credential order, so neither can be lined
// up with the émargement or the roll. Append-only (no update or delete here;
// on PostgreSQL the role has no such right and reads through views sorted by
// tracker or credential; on SQLite triggers refuse them and the tables have
// no rowid).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"

namespace isoloir::store {

struct BallotRecord {
  std::string election_id;
  std::string scrutin;     // scrutin code
  std::string tracker;     // the ballot's public name (protocol §7.4), unique in the scrutin
  std::string credential;  // the anonymous credential that signed it, unique in the scrutin
  std::string ballot;      // the ballot's JSON text (protocol §12)
  bool operator==(const BallotRecord&) const = default;
};

// A public credential withdrawn from a scrutin (the BVE president issued the
// voter a new key).
struct Revocation {
  std::string credential;
  int64_t revoked_at = 0;  // Unix seconds, UTC
  bool operator==(const Revocation&) const = default;
};

enum class CredentialStatus {
  kUnknown,  // not in the scrutin's public list
  kValid,    // listed, not revoked (it may have voted already: see Append)
  kRevoked,  // listed and revoked
};

class UrneStore {
 public:
  virtual ~UrneStore() = default;

  // Adds a ballot. Refused if its credential already voted in this scrutin
  // ("urne.credential_used") or its tracker is already there
  // ("urne.duplicate_tracker"). Does not check the public credential list:
  // casting a vote goes through CastStore::RecordVote instead, which does.
  virtual Status Append(const BallotRecord& ballot) = 0;
  // Ballots by tracker (bytewise), after `after_tracker` ("" = from the
  // start), at most `limit` (0 = all, held in memory at once: page through a
  // large urne with `limit` and the last tracker seen).
  virtual Result<std::vector<BallotRecord>> List(const std::string& election_id,
                                                 const std::string& scrutin,
                                                 const std::string& after_tracker = "",
                                                 size_t limit = 0) = 0;
  virtual Result<std::optional<BallotRecord>> Find(const std::string& election_id,
                                                   const std::string& scrutin,
                                                   const std::string& tracker) = 0;
  virtual Result<uint64_t> Count(const std::string& election_id, const std::string& scrutin) = 0;
  // The credentials that signed the scrutin's ballots, bytewise sorted
  // (for the voter's "nobody voted in my name" check after the closing).
  virtual Result<std::vector<std::string>> ListUsedCredentials(const std::string& election_id,
                                                               const std::string& scrutin) = 0;

  // --- Public credential list of a scrutin (public data, append-only).
  // Adds `credentials` (any order; stored in credential order) in one
  // transaction, or none of them: a credential already listed in the
  // scrutin, or given twice, is refused ("urne.credential_duplicate").
  // Meant for the whole list at once (a million credentials is one call).
  virtual Status AddPublicCredentials(const std::string& election_id, const std::string& scrutin,
                                      std::span<const std::string> credentials) = 0;
  // Revokes a listed credential ("urne.credential_unknown" if it is not
  // listed, "urne.credential_revoked" if it already is revoked). A revoked
  // credential can no longer vote (CastStore::RecordVote).
  virtual Status RevokePublicCredential(const std::string& election_id, const std::string& scrutin,
                                        const std::string& credential, int64_t time) = 0;
  // Every listed credential (revoked ones too), bytewise sorted.
  virtual Result<std::vector<std::string>> ListPublicCredentials(const std::string& election_id,
                                                                 const std::string& scrutin) = 0;
  // The scrutin's revocations, by credential (bytewise).
  virtual Result<std::vector<Revocation>> ListRevocations(const std::string& election_id,
                                                          const std::string& scrutin) = 0;
  virtual Result<CredentialStatus> CheckCredential(const std::string& election_id,
                                                   const std::string& scrutin,
                                                   const std::string& credential) = 0;
  // Listed credentials, revoked ones included.
  virtual Result<uint64_t> CountPublicCredentials(const std::string& election_id,
                                                  const std::string& scrutin) = 0;
};

}  // namespace isoloir::store
