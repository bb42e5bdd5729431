// The émargement: who voted in which scrutin, and when. Append-only: there is
// no way to change or remove a row through this interface (and on PostgreSQL
// the store's role has no UPDATE or DELETE right; on SQLite triggers refuse
// them). Knows nothing of ballots.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace isoloir::store {

struct EmargementRecord {
  std::string election_id;
  std::string scrutin;    // scrutin code
  std::string matricule;  // the voter
  int64_t time = 0;       // Unix seconds, UTC
  bool operator==(const EmargementRecord&) const = default;
};

class EmargementStore {
 public:
  virtual ~EmargementStore() = default;

  // Records that the voter voted. A second record for the same election,
  // scrutin and voter is refused ("emargement.already_voted").
  // Casting a vote goes through CastStore::RecordVote instead.
  virtual Status Record(const EmargementRecord& record) = 0;
  virtual Result<bool> HasVoted(const std::string& election_id, const std::string& scrutin,
                                const std::string& matricule) = 0;
  // The scrutin's émargements, by matricule.
  virtual Result<std::vector<EmargementRecord>> List(const std::string& election_id,
                                                     const std::string& scrutin) = 0;
  virtual Result<uint64_t> Count(const std::string& election_id, const std::string& scrutin) = 0;
};

}  // namespace isoloir::store
