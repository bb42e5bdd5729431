// An honest election record built on real stores: the portal fixture's demo
// election with a real key ceremony, ballots cast through the portal's use
// case, a revocation, and each scrutin's count computed here with the
// threshold functions. Tests then tamper with it one way at a time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/simulation.h"
#include "portal_fixture.h"
#include "record/count_document.h"
#include "record/entry.h"
#include "record/report.h"

namespace isoloir::record::testing {

class RecordFixture : public portal::testing::PortalFixture {
 public:
  // Lines of a record; with `rechain`, numbers, links, hashes and the end
  // entry's count are recomputed (a forger who rewrites the chain).
  static std::vector<std::string> Lines(const std::vector<Entry>& entries, bool rechain = true);
  static Report Verify(const std::vector<std::string>& lines);
  // Index of the first entry of a type (and scrutin, if given).
  static size_t Find(const std::vector<Entry>& entries, EntryType type,
                     const std::string& scrutin = "");

 protected:
  void SetUp() override;
  void PutElectionKey(const election::Election& election) override;

  // Logs voter i in and casts a ballot for `choice` in scrutin `code`.
  void Vote(size_t voter, const std::string& code, size_t choice);
  // A valid ballot body ({"scrutin", "tracker", "ballot"}) signed with a key.
  Json BallotBody(const std::string& code, size_t choice, const std::string& security_key);
  // The scrutin's count as the BVE would make it (holders 1, 3 and 5).
  CountDocument Count(const std::string& code);
  // The honest record: the export of the stores with every scrutin counted.
  std::vector<Entry> HonestEntries();

  std::optional<crypto::SimulatedBoard> board_;
  crypto::Digest fingerprint_{};
  // Voter 9's CSA-MIN credential is revoked; it got a new key, this one.
  std::string replacement_key_;
  std::string revoked_key_;
};

// "check: message" of every failure, for assertion messages.
std::string Failures(const Report& r);
// Whether check `id` failed at entry `entry` (0: any) with a message holding `text`.
bool FailedWith(const Report& r, CheckId id, uint64_t entry, const std::string& text);

}  // namespace isoloir::record::testing
