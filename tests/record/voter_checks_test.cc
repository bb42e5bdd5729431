// The checks a voter runs on the record (issue 6 §3): a ballot audit
// (protocol §7.6) opens to the choice encrypted and catches a lying booth;
// the credential search finds the voter's ballot, or none, and revocations.
#include "crypto/ballot_audit.h"
#include "crypto/codec.h"
#include "crypto/credential.h"
#include "election/ballot_shape.h"
#include "record/voter_checks.h"
#include "record_fixture.h"

namespace isoloir::record::testing {
namespace {

namespace codec = crypto::codec;

class VoterChecks : public RecordFixture {
 protected:
  RecordReader ReadAll(std::vector<Entry>* seen = nullptr) {
    RecordReader reader;
    for (const auto& line : Lines(HonestEntries(), false)) {
      auto e = reader.Next(line);
      EXPECT_TRUE(e.ok()) << e.error().ToString();
      if (seen && e.ok()) seen->push_back(*e);
    }
    return reader;
  }

  // What the booth reveals for `choice` of `code`, under election key `y`.
  crypto::BallotAudit Audit(const std::string& code, size_t choice, const crypto::ElectionKey& y) {
    const crypto::BallotContext bc =
        election::ScrutinBallotContext(fingerprint_, *site().FindScrutin(code));
    auto eb = crypto::EncryptBallot(bc, y, crypto::OneHot(bc.choices, choice),
                                    crypto::CredentialSecret("demo-2026", code, voter(1).security_key),
                                    crypto::SystemRandom());
    EXPECT_TRUE(eb.ok());
    return {"demo-2026", code, Base64UrlEncode(crypto::BallotTracker(bc, y, eb->ballot)),
            eb->ballot, eb->randomness};
  }
};

TEST_P(VoterChecks, AuditOpensToTheChoiceAndRoundTrips) {
  const RecordReader reader = ReadAll();
  const crypto::BallotAudit a = Audit("CSA-MIN", 2, *site().key);
  // Through its JSON document, as a voter would carry it.
  auto decoded = crypto::DecodeBallotAudit(*codec::ParseJson(crypto::EncodeBallotAudit(a).dump()));
  ASSERT_TRUE(decoded.ok()) << decoded.error().ToString();
  auto opened = OpenAudit(reader, *decoded);
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  const auto choices = election::ScrutinChoices(*site().FindScrutin("CSA-MIN"));
  EXPECT_EQ(opened->selection, crypto::OneHot(choices.size(), 2));
  ASSERT_EQ(opened->chosen.size(), 1u);
  EXPECT_EQ(opened->chosen[0], choices[2].label);
  // The blank vote is named as such ("").
  auto blank = OpenAudit(reader, Audit("CSA-MIN", choices.size() - 1, *site().key));
  ASSERT_TRUE(blank.ok());
  EXPECT_EQ(blank->chosen, std::vector<std::string>{""});
}

TEST_P(VoterChecks, AuditCatchesALyingBoothAndNamesWhy) {
  const RecordReader reader = ReadAll();
  // Randomness that does not open choice 1: the booth lied about r.
  crypto::BallotAudit a = Audit("CSA-MIN", 0, *site().key);
  a.randomness[1] = a.randomness[1] + crypto::Scalar::FromUint64(1);
  auto r = OpenAudit(reader, a);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "audit.opening");
  EXPECT_NE(r.error().message.find("choices[1]"), std::string::npos) << r.error().message;
  // A ballot under a key the booth chose, not the election's.
  const crypto::ElectionKey other(crypto::Point::MulBase(crypto::Scalar::FromUint64(12345)));
  r = OpenAudit(reader, Audit("CSA-MIN", 0, other));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "audit.ballot");
  // A tracker shown to the voter that is not the ballot's.
  a = Audit("CSA-MIN", 0, *site().key);
  a.tracker = Audit("CSA-MIN", 0, *site().key).tracker;
  r = OpenAudit(reader, a);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "audit.tracker");
  // Another election or an unknown scrutin.
  a = Audit("CSA-MIN", 0, *site().key);
  a.election_id = "autre-2026";
  EXPECT_EQ(OpenAudit(reader, a).error().code, "audit.election");
  a.election_id = "demo-2026";
  a.scrutin = "CAP-Z";
  EXPECT_EQ(OpenAudit(reader, a).error().code, "audit.scrutin");
  // Strict document: an unknown field, a missing scalar.
  Json doc = crypto::EncodeBallotAudit(Audit("CSA-MIN", 0, *site().key));
  Json extra = doc;
  extra["selection"] = Json::array({1});
  EXPECT_EQ(crypto::DecodeBallotAudit(extra).error().code, "json.unknown_field");
  doc["randomness"].erase(doc["randomness"].size() - 1);
  auto short_doc = crypto::DecodeBallotAudit(doc);
  ASSERT_FALSE(short_doc.ok());
  EXPECT_NE(short_doc.error().message.find("randomness"), std::string::npos);
}

TEST_P(VoterChecks, CredentialSearchFindsBallotsAndRevocations) {
  std::vector<Entry> entries;
  const RecordReader reader = ReadAll(&entries);
  auto mine = [&](const std::string& key) {
    std::map<std::string, std::string> m;
    for (const auto& s : reader.election().scrutins) {
      m[s.code] = codec::Encode(crypto::CredentialPublic(
                                    crypto::CredentialSecret("demo-2026", s.code, key)))
                      .get<std::string>();
    }
    CredentialSearch search(m);
    for (const auto& e : entries) EXPECT_TRUE(search.Add(e).ok());
    EXPECT_TRUE(search.closed());
    std::map<std::string, CredentialUse> by;
    for (auto& u : search.uses()) by[u.scrutin] = u;
    return by;
  };
  // Voter 0 voted in CSA-MIN and CAP-A: one ballot each, with its tracker.
  auto v0 = mine(voter(0).security_key);
  EXPECT_TRUE(v0["CSA-MIN"].listed);
  ASSERT_EQ(v0["CSA-MIN"].trackers.size(), 1u);
  EXPECT_EQ(v0["CAP-A"].trackers.size(), 1u);
  // Voter 1 voted in CSA-MIN; it is not a voter of CAP-A (listed nowhere there).
  auto v1 = mine(voter(1).security_key);
  EXPECT_EQ(v1["CSA-MIN"].trackers.size(), 1u);
  EXPECT_FALSE(v1["CAP-A"].listed);
  // Voter 9's old key: revoked, unused; its new key: listed, unused.
  auto old_key = mine(revoked_key_);
  EXPECT_TRUE(old_key["CSA-MIN"].revoked);
  EXPECT_TRUE(old_key["CSA-MIN"].trackers.empty());
  // Voter 9 is a voter of CAP-A who did not vote there: listed, unused.
  EXPECT_TRUE(old_key["CAP-A"].listed);
  EXPECT_FALSE(old_key["CAP-A"].revoked);
  EXPECT_TRUE(old_key["CAP-A"].trackers.empty());
  auto new_key = mine(replacement_key_);
  EXPECT_TRUE(new_key["CSA-MIN"].listed);
  EXPECT_FALSE(new_key["CSA-MIN"].revoked);
  // A key of nobody: listed nowhere.
  auto nobody = mine(*crypto::NormalizeSecurityKey("7K3QD-M9XWT-2HFRB-YP4NA"));
  for (auto& [code, use] : nobody) EXPECT_FALSE(use.listed) << code;
}

TEST_P(VoterChecks, ReaderRefusesABrokenChain) {
  auto entries = HonestEntries();
  auto lines = Lines(entries, false);
  RecordReader reader;
  const size_t b = Find(entries, EntryType::kBallot);
  entries[b].body["tracker"] = "x";
  lines[b] = EntryLine(entries[b]);  // content changed, hash kept
  Status broken;
  for (const auto& line : lines) {
    auto e = reader.Next(line);
    if (!e) {
      broken = e.error();
      break;
    }
  }
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message.find("entry " + std::to_string(b + 1)), std::string::npos)
      << broken.error().message;
}

INSTANTIATE_PORTAL_BACKENDS(VoterChecks);

}  // namespace
}  // namespace isoloir::record::testing
