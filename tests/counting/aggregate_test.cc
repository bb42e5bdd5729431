// Verifying a scrutin's urne again before the tally: sums per choice, the
// trackers digest, and every reason to stop the count, naming the ballot.
#include <gtest/gtest.h>

#include "count_test_util.h"

namespace isoloir::counting::test {
namespace {

TEST(Aggregate, SumsEveryChoiceOfEveryBallot) {
  MiniElection m;
  auto ballots = m.Ballots({0, 0, 1, 3, 2});
  ScrutinAggregator agg(m.context, m.key, m.Credentials(5), 2);
  ASSERT_TRUE(agg.Add(std::span(ballots).first(2)).ok());  // pages
  ASSERT_TRUE(agg.Add(std::span(ballots).subspan(2)).ok());
  auto out = agg.Finish();
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(out->ballots, 5u);
  std::vector<crypto::Ballot> decoded;
  crypto::Transcript digest(kTrackersLabel);
  for (const auto& b : ballots) {
    decoded.push_back(*crypto::codec::DecodeBallot(*crypto::codec::ParseJson(b.ballot)));
    digest.Add(*Base64UrlDecode(b.tracker));
  }
  EXPECT_EQ(out->sums, crypto::Aggregate(decoded, 4));
  EXPECT_EQ(out->trackers_digest, digest.Finish());
}

TEST(Aggregate, OneThreadOrTwoGiveTheSameTally) {
  MiniElection m;
  auto ballots = m.Ballots({0, 1, 2, 3, 0, 1, 2});
  ScrutinAggregator one(m.context, m.key, m.Credentials(7), 1);
  ScrutinAggregator two(m.context, m.key, m.Credentials(7), 2);
  ASSERT_TRUE(one.Add(ballots).ok());
  ASSERT_TRUE(two.Add(ballots).ok());
  auto a = one.Finish(), b = two.Finish();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->sums, b->sums);
  EXPECT_EQ(a->trackers_digest, b->trackers_digest);
}

TEST(Aggregate, EmptyUrneGivesIdentitySums) {
  MiniElection m;
  ScrutinAggregator agg(m.context, m.key, m.Credentials(0), 2);
  auto out = agg.Finish();
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->ballots, 0u);
  for (const auto& c : out->sums) EXPECT_EQ(c, crypto::ZeroCiphertext());
}

TEST(Aggregate, AFailedProofStopsTheCountNamingTheTracker) {
  MiniElection m;
  auto ballots = m.Ballots({0, 1, 2});
  auto j = *crypto::codec::ParseJson(ballots[1].ballot);
  j["choices"][0]["alpha"] = j["choices"][1]["alpha"];
  ballots[1].ballot = crypto::codec::Canonical(j);
  ScrutinAggregator agg(m.context, m.key, m.Credentials(3), 2);
  EXPECT_TRUE(FailsWith(agg.Add(ballots), "count.ballot_invalid", "ballot " + ballots[1].tracker));
}

TEST(Aggregate, RefusesUnlistedRevokedAndMismatchedCredentials) {
  MiniElection m;
  auto ballots = m.Ballots({0, 1, 2});
  {
    ScrutinAggregator agg(m.context, m.key, m.Credentials(2), 2);  // voter 2 not listed
    EXPECT_TRUE(FailsWith(agg.Add(ballots), "count.credential_unknown", "public list"));
  }
  {
    ScrutinAggregator agg(m.context, m.key, m.Credentials(3, {m.Credential(1)}), 2);
    EXPECT_TRUE(FailsWith(agg.Add(ballots), "count.credential_revoked"));
  }
  {
    auto copy = ballots;
    copy[0].credential = m.Credential(7);
    ScrutinAggregator agg(m.context, m.key, m.Credentials(8), 2);
    EXPECT_TRUE(FailsWith(agg.Add(copy), "count.credential_mismatch", copy[0].tracker));
  }
}

TEST(Aggregate, RefusesAStoredTrackerThatIsNotTheBallots) {
  MiniElection m;
  auto ballots = m.Ballots({0, 1});
  auto other = m.Ballots({2});
  ballots[0].tracker = other[0].tracker;
  std::sort(ballots.begin(), ballots.end(),
            [](const auto& a, const auto& b) { return a.tracker < b.tracker; });
  ScrutinAggregator agg(m.context, m.key, m.Credentials(3), 1);
  EXPECT_TRUE(FailsWith(agg.Add(ballots), "count.tracker_mismatch", other[0].tracker));
}

TEST(Aggregate, RefusesDuplicatesAndDisorder) {
  MiniElection m;
  auto ballots = m.Ballots({0, 1});
  {
    std::vector<UrneBallot> twice = {ballots[0], ballots[0]};
    ScrutinAggregator agg(m.context, m.key, m.Credentials(2), 2);
    EXPECT_TRUE(FailsWith(agg.Add(twice), "count.tracker_order"));
  }
  {
    std::vector<UrneBallot> reversed = {ballots[1], ballots[0]};
    ScrutinAggregator agg(m.context, m.key, m.Credentials(2), 2);
    EXPECT_TRUE(FailsWith(agg.Add(reversed), "count.tracker_order"));
  }
  {
    // Two different ballots signed by the same credential (voter 0 twice).
    MiniElection again;
    auto first = again.Ballots({0});
    auto second = again.Ballots({1});
    std::vector<UrneBallot> both = {first[0], second[0]};
    std::sort(both.begin(), both.end(),
              [](const auto& a, const auto& b) { return a.tracker < b.tracker; });
    ScrutinAggregator agg(again.context, again.key, again.Credentials(1), 2);
    ASSERT_TRUE(agg.Add(both).ok());
    auto out = agg.Finish();
    EXPECT_TRUE(FailsWith(out, "count.credential_reused", both[0].tracker));
    EXPECT_NE(out.error().message.find(both[1].tracker), std::string::npos);
  }
}

TEST(Aggregate, ABallotOfAnotherScrutinDoesNotVerify) {
  MiniElection m;
  auto ballots = m.Ballots({0});
  crypto::BallotContext other = m.context;
  other.scrutin = "CAP";
  ScrutinAggregator agg(other, m.key, m.Credentials(1), 1);
  EXPECT_TRUE(FailsWith(agg.Add(ballots), "count.ballot_invalid"));
}

}  // namespace
}  // namespace isoloir::counting::test
