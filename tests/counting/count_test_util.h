// Helpers of the pure counting tests: a small election held in memory (a key
// ceremony of 3 fragments, threshold 2; one scrutin of 3 lists and blank) and
// its ballots as the urne stores them, sorted by tracker.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "counting/aggregate.h"
#include "counting/documents.h"
#include "crypto/codec.h"
#include "crypto/simulation.h"
#include "election/model.h"
#include "test_util.h"

namespace isoloir::counting::test {

using crypto::test::FailsWith;
using crypto::test::MakeRng;

struct MiniElection {
  crypto::Digest fingerprint = crypto::test::MakeDigest("mini-election");
  crypto::DeterministicRng rng = MakeRng("counting/mini");
  crypto::SimulatedBoard board = crypto::RunKeyCeremony(fingerprint, 3, 2, rng);
  crypto::ElectionKey key{board.pub.public_key};
  election::Scrutin scrutin = MakeScrutin();
  crypto::BallotContext context{fingerprint, "CSA", 1, 1, 4};
  std::vector<std::string> holders = {"president", "delegue-a", "delegue-b"};

  static election::Scrutin MakeScrutin() {
    election::Scrutin s;
    s.code = "CSA";
    s.title = "Comité social d'administration";
    s.sieges_titulaires = 2;
    s.sieges_suppleants = 2;
    const election::Candidate c{"Nom", "Prénom", election::Sex::kFemale};
    s.listes = {{"L1", "SNAD", "", {c, c, c, c}, ""},
                {"L2", "CFAD", "", {c, c}, ""},
                {"L3", "UNEX", "", {c}, ""}};
    return s;
  }

  crypto::Scalar CredentialSecret(size_t voter) {
    return crypto::HashToScalar(crypto::test::MakeDigest("voter " + std::to_string(voter)));
  }
  std::string Credential(size_t voter) {
    return crypto::codec::Encode(crypto::Point::MulBase(CredentialSecret(voter)))
        .get<std::string>();
  }

  // Voter i chooses choices[i] (0..3, 3 = blank); sorted like the urne lists them.
  std::vector<UrneBallot> Ballots(const std::vector<size_t>& choices) {
    std::vector<UrneBallot> out;
    for (size_t i = 0; i < choices.size(); ++i) {
      auto eb = crypto::EncryptBallot(context, key, crypto::OneHot(4, choices[i]),
                                      CredentialSecret(i), rng);
      EXPECT_TRUE(eb.ok());
      out.push_back({Base64UrlEncode(crypto::BallotTracker(context, key, eb->ballot)),
                     Credential(i), crypto::codec::Canonical(crypto::codec::Encode(eb->ballot))});
    }
    std::sort(out.begin(), out.end(),
              [](const UrneBallot& a, const UrneBallot& b) { return a.tracker < b.tracker; });
    return out;
  }

  std::shared_ptr<const CredentialIndex> Credentials(size_t voters,
                                                     std::vector<std::string> revoked = {}) {
    std::vector<std::string> listed;
    for (size_t i = 0; i < voters; ++i) listed.push_back(Credential(i));
    return std::make_shared<const CredentialIndex>(listed, revoked);
  }

  // The tally of these ballots, checked, as `tally prepare` would write it.
  Tally MakeTally(const std::vector<UrneBallot>& ballots, uint64_t inscrits) {
    ScrutinAggregator agg(context, key, Credentials(inscrits), 2);
    EXPECT_TRUE(agg.Add(ballots).ok());
    auto out = agg.Finish();
    EXPECT_TRUE(out.ok());
    Tally t{"mini", fingerprint, board.pub.public_key, 2, board.pub.verification_keys, {}};
    t.scrutins.push_back(
        {"CSA", inscrits, out->ballots, out->ballots, out->trackers_digest, out->sums});
    return t;
  }

  crypto::PartialDecryption Partial(const Tally& t, uint32_t holder) {
    return crypto::PartialDecrypt(fingerprint, board.pub.public_key, "CSA", holder,
                                  board.shares[holder - 1], t.scrutins[0].sums, rng);
  }
};

}  // namespace isoloir::counting::test
