// The count's use cases over the stores, written once for the CLI and the
// BVE's pages to come: prepare the tally after closing, combine the key
// holders' partial decryptions into results, replay the whole count.
// The imperative shell of src/counting (docs/counting.md §2 and §7).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"
#include "counting/ceremony.h"
#include "counting/count.h"
#include "counting/documents.h"
#include "services/election_service.h"
#include "store/store.h"

namespace isoloir::counting {

struct CountStores {
  store::RollStore& roll;
  store::UrneStore& urne;
  store::EmargementStore& emargement;
  store::PortalStore& portal;
  store::AuditLog& audit;
};

struct CountOptions {
  unsigned threads = 2;  // verify ballots on this many threads
  size_t page = 500;     // ballots read from the urne at once
  // (scrutin code, ballots verified, ballots in its urne), after each page.
  std::function<void(const std::string&, uint64_t, uint64_t)> progress;
};

// What every step starts from: the stored election, its fingerprint, and the
// key ceremony's public outcome (checked against the stored key).
struct CountContext {
  election::Election election;
  crypto::Digest fingerprint{};
  CeremonyPublic ceremony;
  std::vector<std::string> holders;  // FragmentHolders(election)
};
Result<CountContext> LoadCountContext(CountStores& stores, const std::string& election_id);

// Every scrutin re-verified and summed from the urne; ballots must equal
// émargements in each. No time check, writes nothing (the replay uses it).
Result<Tally> BuildTally(CountStores& stores, const CountContext& context,
                         const CountOptions& options);

// After the closing time and its grace period (portal::kClosingGraceSeconds),
// with an intact audit chain: BuildTally, then "tally.prepare" in the audit
// log with the tally's digest (what `combine` accepts).
Result<Tally> PrepareTally(CountStores& stores, const std::string& election_id,
                           const services::Actor& actor, const CountOptions& options);

// A document read from a file: the name is how errors refer to it.
struct NamedDocument {
  std::string name;
  nlohmann::json json;
};

struct CombineOutcome {
  CountContext context;
  Tally tally;
  std::vector<ScrutinCount> counts;  // election order
  nlohmann::json results;            // "isoloir/results/v1"
};
// Checks the tally file against the stores (prepared here, same key, the
// urne unchanged since), reads every partial decryption file (same election
// and tally, each fragment once), counts every scrutin, and records
// "tally.combine". Errors start with the file's name and the field.
Result<CombineOutcome> CombineTally(CountStores& stores, const std::string& election_id,
                                    const NamedDocument& tally,
                                    const std::vector<NamedDocument>& partials,
                                    const services::Actor& actor);

struct ReplayOutcome {
  std::vector<std::string> differences;  // empty: the same result
  nlohmann::json replayed;               // the results as recomputed (when every scrutin counted)
};
// Rebuilds the tally from the stores, re-verifies and recombines the partial
// decryptions the results file holds, recomputes everything and compares
// field by field; records "tally.replay". An error means the replay could not
// run (stores unreadable, results file malformed).
Result<ReplayOutcome> ReplayCount(CountStores& stores, const std::string& election_id,
                                  const NamedDocument& results, const services::Actor& actor,
                                  const CountOptions& options);

}  // namespace isoloir::counting
