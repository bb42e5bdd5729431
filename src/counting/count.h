// The count of a scrutin from its tally and the key holders' partial
// decryptions: combined and checked (protocol §10-§11), then votants,
// blancs, suffrages exprimés, votes per list and seats. Pure.
// The result documents are specified in docs/counting.md §6.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "counting/documents.h"
#include "election/model.h"
#include "election/seats.h"

namespace isoloir::counting {

inline constexpr std::string_view kCountFormat = "isoloir/count/v1";
inline constexpr std::string_view kResultsFormat = "isoloir/results/v1";

struct ListeVoix {
  std::string id;
  std::string sigle;
  uint64_t voix = 0;
  int64_t sieges = 0;  // seats of titulaires won
};

struct ScrutinCount {
  ScrutinTally tally;
  std::vector<crypto::PartialDecryption> partials;  // the `threshold` combined, by holder
  std::vector<uint64_t> counts;                     // one per choice (lists, then blank)
  uint64_t votants = 0;                             // = ballots
  uint64_t blancs = 0;
  uint64_t exprimes = 0;  // votants - blancs (no ballot is nul: see docs/counting.md)
  std::vector<ListeVoix> listes;
  election::ScrutinSeats seats;
  std::string seed;                   // of the drawing of lots, if one is needed
  std::vector<std::string> rejected;  // "fragment 2 (x): why": not in the document
};

// The public seed of a scrutin's drawing of lots: the lowercase hex SHA-256
// of the canonical JSON {"election", "fingerprint", "scrutin", "tally"}
// (the last being the scrutin's tally ciphertexts). Fixed at closing, before
// any decryption; nobody chooses it.
std::string CountSeed(const Tally& tally, const ScrutinTally& s);

// Verifies every partial decryption (a bad one is rejected and named with
// `holders`, FragmentHolders' list), combines the first `threshold` valid
// ones in holder order, solves the counts in [0, ballots], checks that they
// add up to the ballots, and allocates the seats. Errors name the scrutin.
Result<ScrutinCount> CountScrutin(const Tally& tally, const ScrutinTally& s,
                                  const election::Scrutin& scrutin,
                                  const std::vector<crypto::PartialDecryption>& partials,
                                  const std::vector<std::string>& holders);

// The "isoloir/count/v1" document of a scrutin.
nlohmann::json CountJson(const Tally& tally, const ScrutinCount& c);
// The "isoloir/results/v1" document: every scrutin's count document.
nlohmann::json ResultsJson(const Tally& tally, const std::vector<ScrutinCount>& counts);

// What the replay takes from a results file: per scrutin, its code and the
// partial decryptions it claims were combined. Everything else is compared.
struct ResultsPartials {
  std::vector<std::string> scrutins;
  std::vector<std::vector<crypto::PartialDecryption>> partials;
};
Result<ResultsPartials> ReadResultsPartials(const nlohmann::json& results);

}  // namespace isoloir::counting
