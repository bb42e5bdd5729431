// An honest election held in memory: the key ceremony of n holders, ballots,
// the homomorphic tally and its threshold decryption. The demo, benchmarks
// and tests start from it; it is pure (all randomness comes from the Rng).
#pragma once

#include <vector>

#include "crypto/ballot.h"
#include "crypto/dkg.h"
#include "crypto/dlog.h"
#include "crypto/threshold.h"

namespace isoloir::crypto {

// The key ceremony as every holder would run it, without cheating.
struct SimulatedBoard {
  DkgParams params;
  std::vector<Scalar> transport_secrets;         // holder j at index j-1
  std::vector<HolderAnnouncement> announcements;
  std::vector<Dealing> dealings;
  std::vector<Scalar> shares;                    // x_j, holder j at index j-1
  DkgPublic pub;
};
SimulatedBoard RunKeyCeremony(const Digest& election, uint32_t holders, uint32_t threshold,
                              Rng& rng);

// The "standard ballot" of the benchmarks: 10 lists plus blank, exactly one chosen.
BallotContext StandardBallotContext(const Digest& election, std::string_view scrutin);

// A selection with a 1 at `choice` and 0 elsewhere.
std::vector<uint64_t> OneHot(size_t choices, size_t choice);

// The component-wise sum of the ballots' ciphertexts (one per choice).
std::vector<Ciphertext> Aggregate(const std::vector<Ballot>& ballots, size_t choices);

// Decrypts a tally with the given holders (1-based numbers) and solves the
// counts; fails as CombinePartialDecryptions or DlogTable::Solve fail.
Result<std::vector<uint64_t>> DecryptTally(const SimulatedBoard& board, std::string_view scope,
                                           const std::vector<uint32_t>& holders,
                                           const std::vector<Ciphertext>& tally,
                                           const DlogTable& dlog, Rng& rng);

}  // namespace isoloir::crypto
