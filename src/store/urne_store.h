// The urne: the encrypted ballots of each scrutin. Holds no voter reference,
// no row number and no insertion time: ballots can only be read in tracker
// order, so the urne cannot be lined up with the émargement. Append-only
// (no update or delete here; on PostgreSQL the role has no such right and
// reads through a view sorted by tracker; on SQLite triggers refuse them and
// the table has no rowid).
#pragma once

#include <cstdint>
#include <optional>
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

class UrneStore {
 public:
  virtual ~UrneStore() = default;

  // Adds a ballot. Refused if its credential already voted in this scrutin
  // ("urne.credential_used") or its tracker is already there
  // ("urne.duplicate_tracker"). Casting a vote goes through
  // CastStore::RecordVote instead.
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
};

}  // namespace isoloir::store
