// The count of a scrutin from its tally and partial decryptions (counts,
// blank, totals, seats, the seed), the documents' strict readers, the
// ceremony transcript, fragments, a key holder's checks and the replay's diff.
#include "counting/count.h"

#include <gtest/gtest.h>

#include "count_test_util.h"
#include "counting/ceremony.h"
#include "counting/compare.h"
#include "counting/key_holder.h"
#include "counting/summary.h"

namespace isoloir::counting::test {
namespace {

using Json = nlohmann::json;

TEST(Count, CountsVotesBlankAndSeats) {
  MiniElection m;
  const Tally t = m.MakeTally(m.Ballots({0, 0, 0, 1, 3, 2, 0}), 9);
  auto c = CountScrutin(t, t.scrutins[0], m.scrutin, {m.Partial(t, 3), m.Partial(t, 1)}, m.holders);
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->counts, (std::vector<uint64_t>{4, 1, 1, 1}));
  EXPECT_EQ(c->votants, 7u);
  EXPECT_EQ(c->blancs, 1u);
  EXPECT_EQ(c->exprimes, 6u);
  ASSERT_EQ(c->listes.size(), 3u);
  EXPECT_EQ(c->listes[0].voix, 4u);
  EXPECT_EQ(c->listes[0].sieges, 2);  // quotient 3: SNAD 1, then 4/2 = 2 > 1 at the average
  EXPECT_EQ(c->listes[1].sieges, 0);
  // The first `threshold` valid ones in holder order, whatever the order given.
  ASSERT_EQ(c->partials.size(), 2u);
  EXPECT_EQ(c->partials[0].holder, 1u);
  EXPECT_EQ(c->partials[1].holder, 3u);
  EXPECT_TRUE(c->rejected.empty());
}

TEST(Count, TheSeedIsTheHashOfTheCanonicalTally) {
  MiniElection m;
  const Tally t = m.MakeTally(m.Ballots({0}), 1);
  // Written by hand from docs/counting.md: keys sorted, no spaces.
  std::string text = "{\"election\":\"mini\",\"fingerprint\":\"" + HexEncode(m.fingerprint) +
                     "\",\"scrutin\":\"CSA\",\"tally\":[";
  for (size_t i = 0; i < t.scrutins[0].sums.size(); ++i) {
    const auto& ct = t.scrutins[0].sums[i];
    text += std::string(i ? "," : "") + "{\"alpha\":\"" + Base64UrlEncode(ct.alpha.Encode()) +
            "\",\"beta\":\"" + Base64UrlEncode(ct.beta.Encode()) + "\"}";
  }
  text += "]}";
  EXPECT_EQ(CountSeed(t, t.scrutins[0]), HexEncode(crypto::Sha256(ToBytes(text))));
}

TEST(Count, AnEmptyScrutinCountsZeroAndFillsNoSeat) {
  MiniElection m;
  const Tally t = m.MakeTally({}, 4);
  auto c = CountScrutin(t, t.scrutins[0], m.scrutin, {m.Partial(t, 1), m.Partial(t, 2)}, m.holders);
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->counts, (std::vector<uint64_t>{0, 0, 0, 0}));
  EXPECT_EQ(c->seats.allocation.unfilled, 2);
}

TEST(Count, FewerThanTheThresholdIsRefused) {
  MiniElection m;
  const Tally t = m.MakeTally(m.Ballots({0, 1}), 2);
  EXPECT_TRUE(FailsWith(CountScrutin(t, t.scrutins[0], m.scrutin, {m.Partial(t, 2)}, m.holders),
                        "count.too_few", "scrutin CSA: 1 valid partial decryption(s), 2 needed"));
}

TEST(Count, AWrongPartialDecryptionNamesItsHolder) {
  MiniElection m;
  const Tally t = m.MakeTally(m.Ballots({0, 1, 3}), 3);
  auto bad = m.Partial(t, 2);
  bad.factors[1] = bad.factors[1] + crypto::Point::Generator();
  // With the other two, the count goes on and names the rejected holder.
  auto c =
      CountScrutin(t, t.scrutins[0], m.scrutin, {bad, m.Partial(t, 1), m.Partial(t, 3)}, m.holders);
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  ASSERT_EQ(c->rejected.size(), 1u);
  EXPECT_NE(c->rejected[0].find("fragment 2 (delegue-a)"), std::string::npos) << c->rejected[0];
  EXPECT_EQ(c->counts, (std::vector<uint64_t>{1, 1, 0, 1}));
  // Without them, the count stops and says who.
  EXPECT_TRUE(
      FailsWith(CountScrutin(t, t.scrutins[0], m.scrutin, {m.Partial(t, 1), bad}, m.holders),
                "count.too_few", "rejected fragment 2 (delegue-a)"));
  // Twice the same holder, or a holder outside the ceremony.
  EXPECT_TRUE(FailsWith(
      CountScrutin(t, t.scrutins[0], m.scrutin, {m.Partial(t, 1), m.Partial(t, 1)}, m.holders),
      "count.holder_twice"));
  auto stranger = m.Partial(t, 1);
  stranger.holder = 4;
  EXPECT_TRUE(FailsWith(CountScrutin(t, t.scrutins[0], m.scrutin, {stranger}, m.holders),
                        "count.holder_unknown", "fragment 4"));
}

TEST(Documents, TallyAndPartialFilesRoundTripAndAreStrict) {
  MiniElection m;
  const Tally t = m.MakeTally(m.Ballots({0, 2}), 2);
  const Json j = TallyJson(t);
  auto back = ReadTally(*crypto::codec::ParseJson(DocumentText(j)));
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(TallyDigest(*back), TallyDigest(t));
  Json extra = j;
  extra["scrutins"][0]["nuls"] = 0;
  EXPECT_TRUE(crypto::test::FailsAt(ReadTally(extra), "json.unknown_field", "scrutins[0].nuls"));
  Json bad_point = j;
  bad_point["scrutins"][0]["tally"][1]["beta"] = "AAAA";
  EXPECT_TRUE(ReadTally(bad_point).error().message.rfind("scrutins[0].tally[1].beta: ", 0) == 0)
      << ReadTally(bad_point).error().message;
  Json wrong_format = j;
  wrong_format["format"] = "isoloir/tally/v2";
  EXPECT_TRUE(crypto::test::FailsAt(ReadTally(wrong_format), "json.format", "format"));

  Fragment f{"mini",      m.fingerprint,     m.board.pub.public_key,          2,
             "delegue-a", m.board.shares[1], m.board.pub.verification_keys[1]};
  auto partial = DecryptTally(f, t, m.rng);
  ASSERT_TRUE(partial.ok()) << partial.error().ToString();
  auto pback = ReadPartialFile(PartialFileJson(*partial));
  ASSERT_TRUE(pback.ok()) << pback.error().ToString();
  EXPECT_EQ(pback->holder, 2u);
  EXPECT_EQ(pback->tally_digest, TallyDigest(t));
  // A file given for another is called so.
  EXPECT_TRUE(crypto::test::FailsAt(ReadPartialFile(j), "json.format", "format"));
  Json other_holder = PartialFileJson(*partial);
  other_holder["holder"] = 3;
  EXPECT_TRUE(crypto::test::FailsAt(ReadPartialFile(other_holder), "count.partial_holder",
                                    "scrutins[0].partial_decryption.holder"));
}

TEST(KeyHolder, ChecksTheTallyAgainstTheFragment) {
  MiniElection m;
  const Tally t = m.MakeTally(m.Ballots({1}), 1);
  Fragment f{"mini",      m.fingerprint,     m.board.pub.public_key,          1,
             "president", m.board.shares[0], m.board.pub.verification_keys[0]};
  auto fback = ReadFragment(FragmentJson(f));
  ASSERT_TRUE(fback.ok()) << fback.error().ToString();
  Json damaged = FragmentJson(f);
  damaged["verification_key"] = crypto::codec::Encode(m.board.pub.verification_keys[1]);
  EXPECT_TRUE(crypto::test::FailsAt(ReadFragment(damaged), "count.fragment_share", "share"));

  Tally other = t;
  other.election_id = "autre";
  EXPECT_TRUE(
      crypto::test::FailsAt(DecryptTally(f, other, m.rng), "count.tally_mismatch", "election"));
  other = t;
  other.fingerprint = crypto::test::Bump(t.fingerprint);
  EXPECT_TRUE(
      crypto::test::FailsAt(DecryptTally(f, other, m.rng), "count.tally_mismatch", "fingerprint"));
  other = t;
  other.public_key = crypto::test::Bump(t.public_key);
  EXPECT_TRUE(
      crypto::test::FailsAt(DecryptTally(f, other, m.rng), "count.tally_mismatch", "public_key"));
  other = t;
  std::swap(other.verification_keys[0], other.verification_keys[1]);
  EXPECT_TRUE(crypto::test::FailsAt(DecryptTally(f, other, m.rng), "count.tally_mismatch",
                                    "verification_keys[0]"));
}

TEST(Ceremony, ReadsTheTranscriptAndChecksItAgainstTheElection) {
  MiniElection m;
  election::Election e;
  e.id = "mini";
  e.bve.threshold = 2;
  e.bve.members = {{"president", "", "", election::BveRole::kPresident, "", "", 1},
                   {"delegue-a", "", "", election::BveRole::kDelegue, "A", "", 2}};
  EXPECT_EQ(FragmentHolders(e), (std::vector<std::string>{"president", "delegue-a", "delegue-a"}));
  const std::string y = crypto::codec::Encode(m.board.pub.public_key).get<std::string>();
  const Json t = CeremonyTranscriptJson("mini", m.board.params, m.board.announcements,
                                        m.board.dealings, m.board.pub.public_key, "test");
  auto pub = ReadCeremony(t.dump(), e, m.fingerprint, y);
  ASSERT_TRUE(pub.ok()) << pub.error().ToString();
  EXPECT_EQ(pub->verification_keys, m.board.pub.verification_keys);

  EXPECT_TRUE(FailsWith(ReadCeremony(t.dump(), e, crypto::test::Bump(m.fingerprint), y),
                        "dkg.transport_proof", "announcements[0]"));  // bound to the fingerprint
  Json tampered = t;
  tampered["dealings"][1]["commitments"][1] = tampered["dealings"][0]["commitments"][1];
  // A changed commitment changes h_j but not the proof of C_0: only y and
  // the shares could tell. Changing C_0 breaks the dealer's proof.
  tampered["dealings"][1]["commitments"][0] = tampered["dealings"][0]["commitments"][0];
  EXPECT_TRUE(FailsWith(ReadCeremony(tampered.dump(), e, m.fingerprint, y), "dkg.dealing_proof",
                        "ceremony transcript: dealings[1]"));
  Json other_key = t;
  other_key["public_key"] = crypto::codec::Encode(m.board.pub.verification_keys[0]);
  EXPECT_TRUE(FailsWith(ReadCeremony(other_key.dump(), e, m.fingerprint, y), "count.ceremony_key",
                        "ceremony transcript: public_key"));
  e.bve.threshold = 3;
  EXPECT_TRUE(FailsWith(ReadCeremony(t.dump(), e, m.fingerprint, y), "count.ceremony_threshold"));
}

TEST(Compare, NamesEveryDifferenceByItsPath) {
  const Json a = {{"votants", 5}, {"listes", {{{"voix", 3}}, {{"voix", 2}}}}, {"seed", "ab"}};
  Json b = a;
  b["listes"][1]["voix"] = 1;
  b["extra"] = true;
  b.erase("seed");
  auto d = JsonDifferences(a, b, "scrutins[0] (CSA)");
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0], "scrutins[0] (CSA).extra: in the file, not in the replay");
  EXPECT_EQ(d[1], "scrutins[0] (CSA).listes[1].voix: the file has 1, the replay gives 2");
  EXPECT_EQ(d[2], "scrutins[0] (CSA).seed: missing from the file");
  EXPECT_TRUE(JsonDifferences(a, a, "").empty());
}

TEST(Summary, GivesTheFiguresInFrench) {
  MiniElection m;
  const Tally t = m.MakeTally(m.Ballots({0, 0, 1, 3}), 8);
  auto c = CountScrutin(t, t.scrutins[0], m.scrutin, {m.Partial(t, 1), m.Partial(t, 2)}, m.holders);
  ASSERT_TRUE(c.ok());
  const std::string s = CountSummary(m.scrutin, *c, m.holders);
  EXPECT_NE(s.find("Inscrits : 8"), std::string::npos) << s;
  EXPECT_NE(s.find("Votants : 4 (participation 50,00 %)"), std::string::npos) << s;
  EXPECT_NE(s.find("Bulletins blancs : 1"), std::string::npos) << s;
  EXPECT_NE(s.find("Suffrages exprimés : 3"), std::string::npos) << s;
  EXPECT_NE(s.find("SNAD      2       2"), std::string::npos) << s;
  EXPECT_NE(s.find("Fragments combinés : fragment 1 (president), fragment 2 (delegue-a)"),
            std::string::npos)
      << s;
}

}  // namespace
}  // namespace isoloir::counting::test
