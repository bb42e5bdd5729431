// The verifier on an honest record (everything passes), then on records
// tampered with one way at a time: each change is caught and named by the
// check that should see it, at the entry where it was made (issue 6 §2).
#include <cstdlib>
#include <fstream>

#include "crypto/codec.h"
#include "record_fixture.h"

namespace isoloir::record::testing {
namespace {

using Tamper = RecordFixture;

// Where a ballot entry goes among its scrutin's ballots, in tracker order.
size_t TrackerPlace(const std::vector<Entry>& entries, const Entry& ballot) {
  const std::string& scrutin = ballot.body["scrutin"].get_ref<const std::string&>();
  const std::string& tracker = ballot.body["tracker"].get_ref<const std::string&>();
  size_t at = RecordFixture::Find(entries, EntryType::kBallot, scrutin);
  while (entries[at].type == EntryType::kBallot && entries[at].body["scrutin"] == scrutin &&
         entries[at].body["tracker"].get<std::string>() < tracker) {
    ++at;
  }
  return at;
}

TEST_P(Tamper, HonestRecordPasses) {
  const auto entries = HonestEntries();
  const Report r = Verify(Lines(entries, /*rechain=*/false));
  EXPECT_TRUE(r.ok()) << Failures(r);
  EXPECT_EQ(r.check(CheckId::kBallotProofs).checked, 12u);
  EXPECT_EQ(r.check(CheckId::kBallotCredentials).checked, 12u);
  EXPECT_EQ(r.check(CheckId::kCounts).checked, 3u);
  EXPECT_EQ(r.check(CheckId::kDecryptions).checked, 9u);
  EXPECT_EQ(r.check(CheckId::kSeats).checked, 3u);
  EXPECT_EQ(r.check(CheckId::kChain).checked, entries.size());
  EXPECT_EQ(r.head, HexEncode(entries.back().hash));
  // Rewriting the chain of an unchanged record changes nothing.
  EXPECT_EQ(Lines(entries, true), Lines(entries, false));
  // The written record names no voter.
  for (const auto& line : Lines(entries)) {
    for (size_t v = 0; v < 10; ++v) {
      EXPECT_EQ(line.find(voter(v).voter.matricule), std::string::npos);
      EXPECT_EQ(line.find(voter(v).voter.courriel), std::string::npos);
    }
  }
}

TEST_P(Tamper, ChangedBallotIsCaught) {
  auto entries = HonestEntries();
  const size_t i = Find(entries, EntryType::kBallot, "CSA-MIN") + 2;
  Json& choices = entries[i].body["ballot"]["choices"];
  std::swap(choices[0]["alpha"], choices[1]["alpha"]);
  const Report r = Verify(Lines(entries));
  EXPECT_TRUE(FailedWith(r, CheckId::kBallotProofs, i + 1, "choice 1 encrypts 0 or 1"))
      << Failures(r);
  EXPECT_TRUE(FailedWith(r, CheckId::kTrackers, i + 1, "not the ballot's")) << Failures(r);
  EXPECT_TRUE(FailedWith(r, CheckId::kTally, 0, "CSA-MIN")) << Failures(r);
}

TEST_P(Tamper, DroppedBallotIsCaught) {
  auto entries = HonestEntries();
  entries.erase(entries.begin() + static_cast<long>(Find(entries, EntryType::kBallot, "CAP-A")));
  const Report r = Verify(Lines(entries));
  EXPECT_TRUE(FailedWith(r, CheckId::kClosing, 0,
                         "CAP-A: the closing counts 3 ballots in the "
                         "urne; the record holds 2"))
      << Failures(r);
  EXPECT_TRUE(FailedWith(r, CheckId::kTally, 0, "CAP-A")) << Failures(r);
}

TEST_P(Tamper, AddedBallotIsCaught) {
  auto entries = HonestEntries();
  // A valid ballot with a listed, unused credential (voter 9's new key), in
  // tracker order: only the counts of the urne can tell.
  Entry added{0, EntryType::kBallot, {}, {}, BallotBody("CSA-MIN", 2, replacement_key_)};
  const size_t at = TrackerPlace(entries, added);
  entries.insert(entries.begin() + static_cast<long>(at), added);
  const Report r = Verify(Lines(entries));
  EXPECT_TRUE(r.check(CheckId::kBallotProofs).ok()) << Failures(r);
  EXPECT_TRUE(r.check(CheckId::kTrackers).ok()) << Failures(r);
  EXPECT_TRUE(FailedWith(r, CheckId::kClosing, 0, "the record holds 10")) << Failures(r);
  EXPECT_TRUE(FailedWith(r, CheckId::kTally, 0, "not the sum of the ballots")) << Failures(r);
}

TEST_P(Tamper, DuplicatedBallotIsCaught) {
  auto entries = HonestEntries();
  const size_t i = Find(entries, EntryType::kBallot, "CSA-MIN") + 4;
  entries.insert(entries.begin() + static_cast<long>(i) + 1, entries[i]);
  const Report r = Verify(Lines(entries));
  EXPECT_TRUE(FailedWith(r, CheckId::kTrackers, i + 2, "appears twice")) << Failures(r);
  EXPECT_TRUE(FailedWith(r, CheckId::kBallotCredentials, i + 2,
                         "already signed the ballot of entry " + std::to_string(i + 1)))
      << Failures(r);
}

TEST_P(Tamper, RevokedCredentialIsCaught) {
  auto entries = HonestEntries();
  Entry added{0, EntryType::kBallot, {}, {}, BallotBody("CSA-MIN", 0, revoked_key_)};
  const size_t at = TrackerPlace(entries, added);
  entries.insert(entries.begin() + static_cast<long>(at), added);
  const Report r = Verify(Lines(entries));
  EXPECT_TRUE(FailedWith(r, CheckId::kBallotCredentials, at + 1, "is revoked")) << Failures(r);
  EXPECT_TRUE(r.check(CheckId::kBallotProofs).ok()) << Failures(r);
}

TEST_P(Tamper, UnlistedCredentialIsCaught) {
  auto entries = HonestEntries();
  // CSA-PROX has no voter at all: any credential is foreign to its list.
  Entry added{0, EntryType::kBallot, {}, {}, BallotBody("CSA-PROX", 1, replacement_key_)};
  const size_t at = Find(entries, EntryType::kClosing);
  entries.insert(entries.begin() + static_cast<long>(at), added);
  const Report r = Verify(Lines(entries));
  EXPECT_TRUE(FailedWith(r, CheckId::kBallotCredentials, at + 1, "is not in the scrutin's list"))
      << Failures(r);
}

TEST_P(Tamper, AlteredClosingIsCaught) {
  auto entries = HonestEntries();
  const size_t i = Find(entries, EntryType::kClosing);
  Json& csa = entries[i].body["scrutins"][0];
  csa["emargements"] = csa["emargements"].get<uint64_t>() + 1;
  entries[i].body["scrutins"].erase(2);  // CSA-PROX
  const Report r = Verify(Lines(entries));
  EXPECT_TRUE(FailedWith(r, CheckId::kClosing, i + 1, "CSA-MIN: 10 émargements for 9 ballots"))
      << Failures(r);
  EXPECT_TRUE(FailedWith(r, CheckId::kClosing, i + 1, "does not give scrutin CSA-PROX"))
      << Failures(r);
  EXPECT_TRUE(FailedWith(r, CheckId::kTally, 0, "the closing 10")) << Failures(r);
}

TEST_P(Tamper, AlteredPartialDecryptionIsCaught) {
  auto entries = HonestEntries();
  const size_t i = Find(entries, EntryType::kPartialDecryption, "CSA-MIN") + 1;  // holder 3
  Json& factors = entries[i].body["factors"];
  std::swap(factors[0]["factor"], factors[1]["factor"]);
  const Report r = Verify(Lines(entries));
  EXPECT_TRUE(FailedWith(r, CheckId::kDecryptions, i + 1,
                         "key holder 3: the proof of factor 1 does not verify"))
      << Failures(r);
  EXPECT_TRUE(FailedWith(r, CheckId::kCounts, 0, "cannot be combined")) << Failures(r);
}

TEST_P(Tamper, AlteredCountIsCaught) {
  auto entries = HonestEntries();
  const size_t i = Find(entries, EntryType::kResult, "CSA-MIN");
  Json& counts = entries[i].body["counts"];
  counts[1] = counts[1].get<uint64_t>() + 1;
  const Report r = Verify(Lines(entries));
  EXPECT_TRUE(FailedWith(r, CheckId::kCounts, i + 1,
                         "CSA-MIN, choice 2 (CFAD): the record gives 3 votes; the decryption "
                         "gives 2"))
      << Failures(r);
  EXPECT_TRUE(FailedWith(r, CheckId::kResults, i + 1, "list CFAD has 2 voix; its count is 3"))
      << Failures(r);
}

TEST_P(Tamper, AlteredSeatIsCaught) {
  auto entries = HonestEntries();
  const size_t i = Find(entries, EntryType::kResult, "CSA-MIN");
  Json& lists = entries[i].body["seats"]["lists"];
  lists[1]["at_average"] = lists[1]["at_average"].get<int64_t>() + 1;
  lists[1]["total"] = lists[1]["total"].get<int64_t>() + 1;
  const Report r = Verify(Lines(entries));
  EXPECT_TRUE(FailedWith(r, CheckId::kSeats, i + 1, "list CFAD: the record gives")) << Failures(r);
  EXPECT_TRUE(r.check(CheckId::kCounts).ok()) << Failures(r);
}

TEST_P(Tamper, BrokenChainIsCaught) {
  auto entries = HonestEntries();
  // A changed entry whose hash was not rewritten.
  const size_t i = Find(entries, EntryType::kCredentials, "CAP-A");
  auto changed = entries;
  changed[i].body["credentials"].erase(0);
  Report r = Verify(Lines(changed, /*rechain=*/false));
  EXPECT_TRUE(FailedWith(r, CheckId::kChain, i + 1, "not the hash of its content")) << Failures(r);
  EXPECT_EQ(r.check(CheckId::kChain).failed, 1u);
  // A removed entry, links not rewritten.
  auto removed = entries;
  removed.erase(removed.begin() + static_cast<long>(i));
  r = Verify(Lines(removed, false));
  EXPECT_TRUE(FailedWith(r, CheckId::kChain, i + 1, "numbered " + std::to_string(i + 2)))
      << Failures(r);
  // A cut record: the end entry is missing.
  auto cut = Lines(entries, false);
  cut.resize(cut.size() - 3);
  r = Verify(cut);
  EXPECT_TRUE(FailedWith(r, CheckId::kEnd, 0, "without its end entry")) << Failures(r);
}

TEST_P(Tamper, BadFieldIsNamed) {
  auto entries = HonestEntries();
  const size_t i = Find(entries, EntryType::kBallot, "CAP-A");
  entries[i].body["ballot"]["choices"][1]["beta"] = "AAAA";
  const size_t k = Find(entries, EntryType::kTally, "CSA-MIN");
  entries[k].body["extra"] = 1;
  Report r = Verify(Lines(entries));
  EXPECT_TRUE(FailedWith(r, CheckId::kBallotProofs, i + 1, "body.ballot.choices[1].beta: "))
      << Failures(r);
  EXPECT_TRUE(FailedWith(r, CheckId::kFormat, k + 1, "body.extra: unexpected field"))
      << Failures(r);
  // A line that is not JSON stops the reading, named by its number.
  auto lines = Lines(entries);
  lines[4] = "{\"seq\": 5,";
  r = Verify(lines);
  EXPECT_TRUE(FailedWith(r, CheckId::kFormat, 5, "entry 5: not valid JSON")) << Failures(r);
}

TEST_P(Tamper, OutOfOrderEntryIsCaught) {
  auto entries = HonestEntries();
  const size_t a = Find(entries, EntryType::kBallot, "CSA-MIN");
  std::swap(entries[a], entries[a + 1]);
  const size_t c = Find(entries, EntryType::kClosing);
  std::swap(entries[c], entries[c - 1]);  // a ballot after the closing
  const Report r = Verify(Lines(entries));
  EXPECT_TRUE(FailedWith(r, CheckId::kTrackers, a + 2, "not in tracker order")) << Failures(r);
  EXPECT_TRUE(FailedWith(r, CheckId::kFormat, c + 1, "cannot come after a closing entry"))
      << Failures(r);
}

TEST_P(Tamper, ForgedElectionOrCeremonyIsCaught) {
  auto entries = HonestEntries();
  auto forged = entries;
  forged[0].body["election"]["scrutins"][0]["listes"][0]["sigle"] = "AUTRE";
  Report r = Verify(Lines(forged));
  EXPECT_TRUE(FailedWith(r, CheckId::kElection, 1, "not the SHA-256")) << Failures(r);
  forged = entries;
  const size_t c = Find(entries, EntryType::kCeremony);
  Json& commitments = forged[c].body["dealings"][1]["commitments"];
  std::swap(commitments[0], commitments[1]);
  r = Verify(Lines(forged));
  EXPECT_TRUE(FailedWith(r, CheckId::kCeremony, c + 1, "holder 2 did not prove")) << Failures(r);
}

// Not a check: writes the honest record where ISOLOIR_RECORD_SAMPLE says,
// for the independent JavaScript check (tests/record/js_cross_check.sh).
TEST_P(Tamper, WriteSample) {
  const char* path = std::getenv("ISOLOIR_RECORD_SAMPLE");
  if (path == nullptr || GetParam() != store::Backend::kSqlite)
    GTEST_SKIP() << "no ISOLOIR_RECORD_SAMPLE";
  std::ofstream out(path, std::ios::trunc | std::ios::binary);
  for (const auto& line : Lines(HonestEntries(), false)) out << line << "\n";
  ASSERT_TRUE(out.good());
}

INSTANTIATE_PORTAL_BACKENDS(Tamper);

}  // namespace
}  // namespace isoloir::record::testing
