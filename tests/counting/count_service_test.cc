// The count on real stores (SQLite; PostgreSQL under scripts/with-postgres.sh):
// voters vote through the portal's use case, the window closes, the tally is
// prepared, three key holders decrypt, the count is combined and replayed;
// and every way the stores or the files can be wrong is caught and named.
#include "counting/count_service.h"

#include <gtest/gtest.h>

#include "common/bytes.h"
#include "counting/key_holder.h"
#include "crypto/codec.h"
#include "portal_fixture.h"

namespace isoloir::counting {
namespace {

using Json = nlohmann::json;
using portal::testing::PortalFixture;

constexpr int64_t kDay = 86400;

class CountServiceTest : public PortalFixture {
 protected:
  void SetUp() override {
    if (GetParam() == store::Backend::kPostgres &&
        store::testing::PostgresAdminConninfo().empty()) {
      GTEST_SKIP() << store::testing::kNoPostgres;
    }
    // A window of 25 hours that opened an hour ago: the tests vote "now"
    // and count the next day, after closing and its grace period.
    SetUpElection(-3600, kDay, 6);
    view_count_ = std::make_unique<CountStores>(CountStores{
        *stores_.roll, *stores_.urne, *stores_.emargement, *stores_.portal, *stores_.audit});
  }

  CountStores& count_stores() { return *view_count_; }
  services::Actor After() const {
    return {"test:bve", now() + kDay + portal::kClosingGraceSeconds};
  }

  void Vote(size_t voter_index, const std::string& scrutin, size_t choice) {
    auto session = LoginOk(voter(voter_index));
    auto receipt = portal::CastBallot(site(), stores(), session, scrutin,
                                      BallotJson(voter(voter_index), scrutin, choice), now());
    ASSERT_TRUE(receipt.ok()) << receipt.error().ToString();
  }

  // Voters 0..4 vote in CSA-MIN (3 lists + blank); 0 and 3 also in CAP-A
  // (2 lists + blank); nobody is called to CSA-PROX. Voter 5 abstains.
  void VoteAll() {
    Vote(0, "CSA-MIN", 0);
    Vote(1, "CSA-MIN", 0);
    Vote(2, "CSA-MIN", 1);
    Vote(3, "CSA-MIN", 3);  // blank
    Vote(4, "CSA-MIN", 0);
    Vote(0, "CAP-A", 1);
    Vote(3, "CAP-A", 2);  // blank
  }

  Tally Prepare() {
    auto t = PrepareTally(count_stores(), "demo-2026", After(), {});
    EXPECT_TRUE(t.ok()) << t.error().ToString();
    return t.ok() ? *t : Tally{};
  }

  // Fragment j's partial decryption file, as `isoloir key-holder decrypt` writes it.
  NamedDocument Partial(const Tally& t, uint32_t j) {
    const Fragment f{"demo-2026",
                     site().fingerprint,
                     board_.pub.public_key,
                     j,
                     "",
                     board_.shares[j - 1],
                     board_.pub.verification_keys[j - 1]};
    auto p = DecryptTally(f, t, crypto::SystemRandom());
    EXPECT_TRUE(p.ok()) << p.error().ToString();
    return {"partial-" + std::to_string(j) + ".json", PartialFileJson(*p)};
  }

  Result<CombineOutcome> Combine(const Tally& t, std::vector<uint32_t> holders) {
    std::vector<NamedDocument> partials;
    for (uint32_t j : holders) partials.push_back(Partial(t, j));
    return CombineTally(count_stores(), "demo-2026", {"tally.json", TallyJson(t)}, partials,
                        After());
  }

  std::unique_ptr<CountStores> view_count_;
};

TEST_P(CountServiceTest, CountsTheVotesCastAndReplaysToTheSameResult) {
  VoteAll();
  const Tally t = Prepare();
  ASSERT_EQ(t.scrutins.size(), 3u);
  EXPECT_EQ(t.scrutins[0].ballots, 5u);
  EXPECT_EQ(t.scrutins[0].emargements, 5u);
  EXPECT_EQ(t.scrutins[0].inscrits, 6u);
  EXPECT_EQ(t.scrutins[1].inscrits, 2u);
  // The président (1) and two délégués (3, 4): the threshold of the demo BVE.
  auto out = Combine(t, {1, 3, 4});
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  const ScrutinCount& csa = out->counts[0];
  EXPECT_EQ(csa.counts, (std::vector<uint64_t>{3, 1, 0, 1}));
  EXPECT_EQ(csa.votants, 5u);
  EXPECT_EQ(csa.blancs, 1u);
  EXPECT_EQ(csa.exprimes, 4u);
  EXPECT_EQ(csa.listes[0].sigle, "SNAD");
  EXPECT_EQ(csa.listes[0].voix, 3u);
  // 3 seats, quotient 4/3: SNAD 2, then SNAD 3/3 and CFAD 1/1 tie; SNAD has more votes.
  EXPECT_EQ(csa.listes[0].sieges, 3);
  EXPECT_EQ(csa.seats.listes[0].titulaires.size(), 3u);
  const ScrutinCount& cap = out->counts[1];
  EXPECT_EQ(cap.counts, (std::vector<uint64_t>{0, 1, 1}));
  EXPECT_EQ(cap.blancs, 1u);
  EXPECT_EQ(cap.listes[1].sieges, 2);
  const ScrutinCount& prox = out->counts[2];
  EXPECT_EQ(prox.votants, 0u);
  EXPECT_EQ(prox.seats.allocation.unfilled, 2);
  EXPECT_EQ(out->results["scrutins"][0]["votants"], 5);
  EXPECT_EQ(out->results["scrutins"][0]["seed"], CountSeed(t, t.scrutins[0]));

  auto replay =
      ReplayCount(count_stores(), "demo-2026", {"results.json", out->results}, After(), {});
  ASSERT_TRUE(replay.ok()) << replay.error().ToString();
  EXPECT_TRUE(replay->differences.empty()) << replay->differences.front();
  EXPECT_EQ(replay->replayed, out->results);

  // Audited, without a secret: prepare, combine, replay.
  auto log = stores_.audit->List("demo-2026");
  std::vector<std::string> actions;
  for (const auto& e : *log) {
    if (e.action.rfind("tally.", 0) == 0) actions.push_back(e.action);
    EXPECT_EQ(e.details.find("share"), std::string::npos) << e.details;
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"tally.prepare", "tally.combine", "tally.replay"}));
}

TEST_P(CountServiceTest, NoTallyBeforeClosingAndItsGracePeriod) {
  VoteAll();
  const services::Actor early{"test:bve", now() + kDay + 600};
  auto t = PrepareTally(count_stores(), "demo-2026", early, {});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, "count.not_closed");
  EXPECT_NE(t.error().message.find("may finish until"), std::string::npos) << t.error().message;
}

TEST_P(CountServiceTest, FewerFragmentsThanTheThresholdAreRefused) {
  VoteAll();
  const Tally t = Prepare();
  auto out = Combine(t, {1, 3});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "count.too_few");
  EXPECT_NE(out.error().message.find("2 valid partial decryption(s), 3 needed"), std::string::npos)
      << out.error().message;
}

TEST_P(CountServiceTest, AWrongPartialDecryptionNamesItsHolder) {
  VoteAll();
  const Tally t = Prepare();
  std::vector<NamedDocument> partials = {Partial(t, 1), Partial(t, 3), Partial(t, 4)};
  // Fragment 3 sends another factor for CSA-MIN's first choice.
  Json& factors = partials[1].json["scrutins"][0]["partial_decryption"]["factors"];
  factors[0]["factor"] = factors[1]["factor"];
  auto out =
      CombineTally(count_stores(), "demo-2026", {"tally.json", TallyJson(t)}, partials, After());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "count.too_few");
  EXPECT_NE(out.error().message.find("rejected fragment 3 (delegue-snad)"), std::string::npos)
      << out.error().message;
  // A fourth holder makes up for it; the bad one is still named.
  partials.push_back(Partial(t, 5));
  auto ok =
      CombineTally(count_stores(), "demo-2026", {"tally.json", TallyJson(t)}, partials, After());
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  ASSERT_EQ(ok->counts[0].rejected.size(), 1u);
  EXPECT_NE(ok->counts[0].rejected[0].find("fragment 3 (delegue-snad)"), std::string::npos);
  EXPECT_EQ(ok->counts[0].counts, (std::vector<uint64_t>{3, 1, 0, 1}));
  // The same fragment twice, or made for another tally, names the file.
  std::vector<NamedDocument> twice = {Partial(t, 1), Partial(t, 4), Partial(t, 4)};
  auto dup =
      CombineTally(count_stores(), "demo-2026", {"tally.json", TallyJson(t)}, twice, After());
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().message.rfind("partial-4.json: holder: fragment 4", 0), 0u)
      << dup.error().message;
}

TEST_P(CountServiceTest, ABallotInjectedBehindThePortalsBackStopsTheCount) {
  VoteAll();
  // Voter 5's credential is valid and unused; the ballot is well formed, but
  // it enters the urne without an émargement.
  const std::string ballot = BallotJson(voter(5), "CSA-MIN", 2);
  const auto b = *crypto::codec::DecodeBallot(*crypto::codec::ParseJson(ballot));
  const auto bc = portal::ScrutinBallotContext(site().fingerprint, *site().FindScrutin("CSA-MIN"));
  ASSERT_TRUE(stores_.urne
                  ->Append({"demo-2026", "CSA-MIN",
                            Base64UrlEncode(crypto::BallotTracker(bc, *site().key, b)),
                            crypto::codec::Encode(b.credential).get<std::string>(), ballot})
                  .ok());
  auto t = PrepareTally(count_stores(), "demo-2026", After(), {});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, "count.emargement_mismatch");
  EXPECT_NE(t.error().message.find("scrutin CSA-MIN: 6 ballot(s) in the urne but 5 émargement(s)"),
            std::string::npos)
      << t.error().message;
}

TEST_P(CountServiceTest, ATallyNotPreparedHereOrOutdatedIsRefused) {
  VoteAll();
  const Tally t = Prepare();
  Tally changed = t;
  changed.scrutins[0].inscrits += 1;
  std::vector<NamedDocument> partials = {Partial(changed, 1), Partial(changed, 3),
                                         Partial(changed, 4)};
  auto out = CombineTally(count_stores(), "demo-2026", {"tally.json", TallyJson(changed)}, partials,
                          After());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "count.tally_unknown");
  EXPECT_EQ(out.error().message.rfind("tally.json: ", 0), 0u);
  // Partial decryptions of another tally file.
  partials = {Partial(t, 1), Partial(changed, 3), Partial(t, 4)};
  out = CombineTally(count_stores(), "demo-2026", {"tally.json", TallyJson(t)}, partials, After());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().message.rfind("partial-3.json: tally_digest:", 0), 0u)
      << out.error().message;
}

TEST_P(CountServiceTest, AnAlteredResultsFileFailsTheReplayNamingTheField) {
  VoteAll();
  const Tally t = Prepare();
  auto out = Combine(t, {1, 3, 4});
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  Json altered = out->results;
  altered["scrutins"][0]["listes"][1]["voix"] = 2;
  altered["scrutins"][1]["exprimes"] = 2;
  auto replay = ReplayCount(count_stores(), "demo-2026", {"results.json", altered}, After(), {});
  ASSERT_TRUE(replay.ok()) << replay.error().ToString();
  ASSERT_EQ(replay->differences.size(), 2u);
  EXPECT_EQ(replay->differences[0],
            "scrutins[0] (CSA-MIN).listes[1].voix: the file has 2, the replay gives 1");
  EXPECT_EQ(replay->differences[1],
            "scrutins[1] (CAP-A).exprimes: the file has 2, the replay gives 1");
  // A partial decryption changed in the file no longer verifies.
  Json forged = out->results;
  Json& factors = forged["scrutins"][0]["partial_decryptions"][1]["factors"];
  factors[0]["proof"] = factors[1]["proof"];
  replay = ReplayCount(count_stores(), "demo-2026", {"results.json", forged}, After(), {});
  ASSERT_TRUE(replay.ok()) << replay.error().ToString();
  ASSERT_FALSE(replay->differences.empty());
  EXPECT_EQ(replay->differences[0].rfind("scrutins[0] (CSA-MIN).partial_decryptions: ", 0), 0u)
      << replay->differences[0];
  EXPECT_NE(replay->differences[0].find("fragment 3 (delegue-snad)"), std::string::npos)
      << replay->differences[0];
  // A ballot added after the count: the replay cannot give the same result.
  ASSERT_TRUE(
      stores_.emargement->Record({"demo-2026", "CSA-MIN", voter(5).voter.matricule, now()}).ok());
  auto broken =
      ReplayCount(count_stores(), "demo-2026", {"results.json", out->results}, After(), {});
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().code, "count.emargement_mismatch");
}

INSTANTIATE_PORTAL_BACKENDS(CountServiceTest);

}  // namespace
}  // namespace isoloir::counting
