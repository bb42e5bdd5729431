// A small deterministic election shared by the fuzz targets and the seed
// generator: decoded objects are also checked against it (VerifyBallot,
// VerifyDealing, JudgeComplaint, CombinePartialDecryptions...), so that the
// seeds reach past decoding into the verifiers, which take the same
// untrusted input in production.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "crypto/codec.h"
#include "crypto/simulation.h"

namespace isoloir::fuzz {

inline constexpr uint32_t kHolders = 3;
inline constexpr uint32_t kThreshold = 2;
inline constexpr std::string_view kScope = "fuzz-tally";

struct World {
  World()
      : rng(ToBytes("isoloir/fuzz/world/v1")),
        board(crypto::RunKeyCeremony(crypto::Sha256(ToBytes("isoloir/fuzz/election")), kHolders,
                                     kThreshold, rng)),
        key(board.pub.public_key),
        context{board.params.election, "fuzz", 1, 1, 2},
        credential_secret(crypto::RandomScalar(rng)) {
    ballot = crypto::EncryptBallot(context, key, crypto::OneHot(2, 1), credential_secret, rng)
                 .value()
                 .ballot;
    tally = ballot.choices;
    for (uint32_t j = 1; j <= kHolders; ++j) {
      partials.push_back(crypto::PartialDecrypt(board.params.election, board.pub.public_key, kScope,
                                                j, board.shares[j - 1], tally, rng));
    }
    complaint =
        crypto::MakeComplaint(board.params, board.dealings[0], 2, board.transport_secrets[1], rng);
  }

  crypto::DeterministicRng rng;
  crypto::SimulatedBoard board;
  crypto::ElectionKey key;
  crypto::BallotContext context;  // 2 choices, exactly one chosen
  crypto::Scalar credential_secret;
  crypto::Ballot ballot;
  std::vector<crypto::Ciphertext> tally;
  std::vector<crypto::PartialDecryption> partials;  // holders 1..3
  crypto::Complaint complaint;                      // by holder 2 against dealer 1
};

inline const World& GetWorld() {
  static const World* w = new World();
  return *w;
}

// A broken invariant: libFuzzer reports the abort with the input.
inline void Expect(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
    std::abort();
  }
}

}  // namespace isoloir::fuzz
