// Writes an election's record from the stores (`isoloir record export`):
// the election, the ceremony stored with the key, each scrutin's public
// credentials and revocations, the approved seal, its ballots in tracker
// order, and, once the vote is closed, the closing state, the seal's checks,
// the counts given as documents and, once published, the procès-verbaux.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "record/count_document.h"
#include "record/writer.h"
#include "store/store.h"

namespace isoloir::record {

// The stores read (none is written).
struct ExportSources {
  store::RollStore& roll;
  store::PortalStore& portal;
  store::UrneStore& urne;
  store::EmargementStore& emargement;
  // The audit log, for the seal and its checks (docs/seal.md); none: no seal entries.
  store::AuditLog* audit = nullptr;
};

struct ExportOptions {
  bool closing = false;                            // write the closing state (the vote is over)
  std::vector<CountDocument> counts;               // at most one per scrutin; implies closing
  size_t page = 1000;                              // ballots read from the urne at a time
  std::function<void(uint64_t ballots)> progress;  // ballots written so far
};

struct ExportSummary {
  uint64_t entries = 0;
  uint64_t ballots = 0;
  crypto::Digest head{};
};

// Errors: the election is unknown or its stored fingerprint is not its
// file's, the stored ceremony does not read or is for another key, a count
// document is for another election, an unknown scrutin, or twice the same.
Result<ExportSummary> ExportRecord(ExportSources& sources, const std::string& election_id,
                                   const ExportOptions& options, const RecordWriter::Sink& sink);

}  // namespace isoloir::record
