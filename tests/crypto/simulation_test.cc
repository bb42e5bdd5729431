// An honest election held in memory, end to end: key ceremony, ballots,
// homomorphic tally and threshold decryption.
#include "crypto/simulation.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace isoloir::crypto {
namespace {

using test::FailsWith;
using test::MakeRng;
using test::Succeeds;

TEST(Sim, EndToEnd) {
  DeterministicRng rng(ToBytes("seed"));
  Digest e{};
  e[0] = 1;
  auto board = RunKeyCeremony(e, 5, 3, rng);
  EXPECT_EQ(Point::MulBase(board.shares[0]), board.pub.verification_keys[0]);
  ElectionKey key(board.pub.public_key);
  auto bc = StandardBallotContext(e, "CSA");
  std::vector<Ballot> ballots;
  for (int i = 0; i < 7; ++i) {
    auto sk = RandomScalar(rng);
    auto eb = EncryptBallot(bc, key, OneHot(11, i % 3), sk, rng);
    ASSERT_TRUE(eb.ok());
    auto st = VerifyBallot(bc, key, eb->ballot);
    ASSERT_TRUE(st.ok()) << st.error().ToString();
    ballots.push_back(eb->ballot);
  }
  DlogTable dl(1000);
  auto counts = DecryptTally(board, "CSA", {1, 3, 5}, Aggregate(ballots, 11), dl, rng);
  ASSERT_TRUE(counts.ok()) << counts.error().ToString();
  EXPECT_EQ(*counts, (std::vector<uint64_t>{3, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0}));
  // Too few holders.
  EXPECT_TRUE(FailsWith(DecryptTally(board, "CSA", {2, 4}, Aggregate(ballots, 11), dl, rng),
                        "decryption.too_few"));
  // A tally larger than the table's bound.
  DlogTable tiny(2);
  EXPECT_TRUE(FailsWith(DecryptTally(board, "CSA", {1, 2, 3}, Aggregate(ballots, 11), tiny, rng),
                        "dlog.out_of_range"));
}

TEST(Sim, KeyCeremonyIsConsistent) {
  auto rng = MakeRng("sim/ceremony");
  const Digest e = test::MakeDigest("election");
  const SimulatedBoard board = RunKeyCeremony(e, 4, 2, rng);
  EXPECT_TRUE(Succeeds(CheckDkgParams(board.params)));
  ASSERT_EQ(board.announcements.size(), 4u);
  ASSERT_EQ(board.dealings.size(), 4u);
  ASSERT_EQ(board.shares.size(), 4u);
  Point y;
  for (uint32_t j = 1; j <= 4; ++j) {
    EXPECT_TRUE(Succeeds(VerifyAnnouncement(board.params, board.announcements[j - 1])));
    EXPECT_TRUE(Succeeds(VerifyDealing(board.params, board.dealings[j - 1])));
    EXPECT_EQ(Point::MulBase(board.shares[j - 1]), board.pub.verification_keys[j - 1]);
    y += board.dealings[j - 1].commitments[0];
  }
  EXPECT_EQ(board.pub.public_key, y);
  // Same seed, same ceremony.
  auto rng2 = MakeRng("sim/ceremony");
  EXPECT_EQ(RunKeyCeremony(e, 4, 2, rng2).pub.public_key, board.pub.public_key);
}

TEST(Sim, Helpers) {
  EXPECT_EQ(OneHot(3, 1), (std::vector<uint64_t>{0, 1, 0}));
  EXPECT_THROW(OneHot(3, 3), std::out_of_range);
  const BallotContext bc = StandardBallotContext(test::MakeDigest("e"), "X");
  EXPECT_EQ(bc.choices, 11u);
  EXPECT_EQ(bc.min, 1u);
  EXPECT_EQ(bc.max, 1u);
  EXPECT_EQ(bc.scrutin, "X");
  const auto empty = Aggregate({}, 4);
  ASSERT_EQ(empty.size(), 4u);
  for (const auto& c : empty) EXPECT_EQ(c, ZeroCiphertext());
}

}  // namespace
}  // namespace isoloir::crypto
