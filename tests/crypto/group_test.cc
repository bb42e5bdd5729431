#include <gtest/gtest.h>
#include "crypto/simulation.h"
#include "crypto/random.h"
using namespace isoloir::crypto;
TEST(Group, Smoke) { EXPECT_EQ(Point::MulBase(Scalar::FromUint64(2)), Point::Generator() + Point::Generator()); }
TEST(Sim, EndToEnd) {
  DeterministicRng rng(isoloir::ToBytes("seed"));
  Digest e{}; e[0]=1;
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
  EXPECT_EQ((*counts)[0], 3u); EXPECT_EQ((*counts)[1], 2u); EXPECT_EQ((*counts)[2], 2u); EXPECT_EQ((*counts)[3], 0u);
}
