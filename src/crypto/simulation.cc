#include "crypto/simulation.h"

namespace isoloir::crypto {

SimulatedBoard RunKeyCeremony(const Digest& election, uint32_t holders, uint32_t threshold,
                              Rng& rng) {
  SimulatedBoard b;
  b.params = DkgParams{election, holders, threshold};
  std::vector<Point> transport_keys;
  for (uint32_t j = 1; j <= holders; ++j) {
    b.transport_secrets.push_back(RandomScalar(rng));
    b.announcements.push_back(AnnounceHolder(b.params, j, b.transport_secrets.back(), rng));
    transport_keys.push_back(b.announcements.back().transport_key);
  }
  for (uint32_t i = 1; i <= holders; ++i) {
    b.dealings.push_back(Deal(b.params, i, transport_keys, rng));
  }
  for (uint32_t j = 1; j <= holders; ++j) {
    std::vector<Scalar> received;
    for (const auto& d : b.dealings) {
      received.push_back(OpenShare(b.params, d, j, b.transport_secrets[j - 1]).value());
    }
    b.shares.push_back(CombineShares(received));
  }
  b.pub = CombineDealings(b.params, b.dealings);
  return b;
}

BallotContext StandardBallotContext(const Digest& election, std::string_view scrutin) {
  return BallotContext{election, std::string(scrutin), 1, 1, 11};
}

std::vector<uint64_t> OneHot(size_t choices, size_t choice) {
  std::vector<uint64_t> s(choices, 0);
  s.at(choice) = 1;
  return s;
}

std::vector<Ciphertext> Aggregate(const std::vector<Ballot>& ballots, size_t choices) {
  std::vector<Ciphertext> sums(choices, ZeroCiphertext());
  for (const auto& b : ballots) {
    for (size_t i = 0; i < choices; ++i) sums[i] += b.choices[i];
  }
  return sums;
}

Result<std::vector<uint64_t>> DecryptTally(const SimulatedBoard& board, std::string_view scope,
                                           const std::vector<uint32_t>& holders,
                                           const std::vector<Ciphertext>& tally,
                                           const DlogTable& dlog, Rng& rng) {
  const Digest& election = board.params.election;
  std::vector<PartialDecryption> partials;
  for (uint32_t j : holders) {
    partials.push_back(PartialDecrypt(election, board.pub.public_key, scope, j,
                                      board.shares[j - 1], tally, rng));
  }
  auto combined = CombinePartialDecryptions(election, board.pub.public_key, scope,
                                            board.params.threshold, board.pub.verification_keys,
                                            tally, partials);
  if (!combined) return combined.error();
  std::vector<uint64_t> counts;
  for (const auto& p : combined->plain_points) {
    auto m = dlog.Solve(p);
    if (!m) return m.error();
    counts.push_back(*m);
  }
  return counts;
}

}  // namespace isoloir::crypto
