// The seal in the record (issue 6 §2): the honest record's seal verifies;
// an altered signature, a seal moved after a ballot, a missing approval, a
// component that is not the record's, a record without its seal and a
// failed check of the seal are each caught and named by the `seal` check.
#include "common/bytes.h"
#include "record_fixture.h"
#include "seal/seal.h"

namespace isoloir::record::testing {
namespace {

using SealTamper = RecordFixture;

TEST_P(SealTamper, HonestSealPasses) {
  const auto entries = HonestEntries();
  const size_t at = Find(entries, EntryType::kSeal);
  EXPECT_LT(at, Find(entries, EntryType::kBallot));
  EXPECT_GT(at, Find(entries, EntryType::kRevocation));
  EXPECT_EQ(entries[at].body["approvals"].size(), 2u);
  const size_t check = Find(entries, EntryType::kSealCheck);
  EXPECT_EQ(check, Find(entries, EntryType::kClosing) + 1);
  EXPECT_EQ(entries[check].body["moment"], "opening");
  const Report r = Verify(Lines(entries, false));
  EXPECT_TRUE(r.ok()) << Failures(r);
  // The entry, 6 recomputed components, 2 approvals, the check.
  EXPECT_EQ(r.check(CheckId::kSeal).checked, 10u);
}

TEST_P(SealTamper, AlteredSignatureIsCaught) {
  auto entries = HonestEntries();
  const size_t i = Find(entries, EntryType::kSeal);
  Json& approvals = entries[i].body["approvals"];
  approvals[0]["signature"] = approvals[1]["signature"];
  const Report r = Verify(Lines(entries));
  EXPECT_TRUE(FailedWith(r, CheckId::kSeal, i + 1,
                         "body.approvals[0] (fragment 1, president): seal.approval") ||
              FailedWith(r, CheckId::kSeal, i + 1,
                         "does not verify against the verification "
                         "key of fragment 1"))
      << Failures(r);
  EXPECT_TRUE(FailedWith(r, CheckId::kSeal, i + 1, "missing approval: the président"))
      << Failures(r);
}

TEST_P(SealTamper, SealAfterABallotIsCaught) {
  auto entries = HonestEntries();
  const size_t i = Find(entries, EntryType::kSeal);
  const Entry moved = entries[i];
  entries.erase(entries.begin() + static_cast<long>(i));
  const size_t first_ballot = Find(entries, EntryType::kBallot);
  entries.insert(entries.begin() + static_cast<long>(first_ballot + 1), moved);
  const Report r = Verify(Lines(entries));
  EXPECT_TRUE(FailedWith(r, CheckId::kSeal, first_ballot + 1,
                         "a ballot with no seal before it: the vote was not sealed"))
      << Failures(r);
  EXPECT_TRUE(FailedWith(r, CheckId::kSeal, first_ballot + 2, "the seal comes after 1 ballot(s)"))
      << Failures(r);
}

TEST_P(SealTamper, MissingApprovalIsCaught) {
  auto entries = HonestEntries();
  const size_t i = Find(entries, EntryType::kSeal);
  Json& approvals = entries[i].body["approvals"];
  ASSERT_EQ(approvals[1]["member"], "delegue-snad");
  approvals.erase(1);
  const Report r = Verify(Lines(entries));
  EXPECT_TRUE(FailedWith(r, CheckId::kSeal, i + 1,
                         "missing approval: a délégué de liste has not approved the seal"))
      << Failures(r);
  EXPECT_EQ(r.check(CheckId::kSeal).failed, 1u) << Failures(r);
}

TEST_P(SealTamper, ComponentThatIsNotTheRecordsIsCaught) {
  auto entries = HonestEntries();
  const size_t i = Find(entries, EntryType::kSeal);
  // A forger re-seals another voting window and recomputes the seal's digest.
  auto parsed = seal::ReadSeal(entries[i].body["seal"]);
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  for (auto& c : parsed->components) {
    if (c.name == "election/window") c.sha256 = crypto::Sha256(ToBytes("another window"));
  }
  entries[i].body["seal"] = seal::SealJson(*parsed);
  const Report r = Verify(Lines(entries));
  EXPECT_TRUE(FailedWith(r, CheckId::kSeal, i + 1,
                         "body.seal: component election/window is not the record's"))
      << Failures(r);
  // The members approved another seal.
  EXPECT_TRUE(FailedWith(r, CheckId::kSeal, i + 1, "signs another seal than")) << Failures(r);
}

TEST_P(SealTamper, RecordWithoutItsSealIsCaught) {
  auto entries = HonestEntries();
  const size_t i = Find(entries, EntryType::kSeal);
  entries.erase(entries.begin() + static_cast<long>(i));
  const Report r = Verify(Lines(entries));
  EXPECT_TRUE(FailedWith(r, CheckId::kSeal, 0, "a ballot with no seal before it")) << Failures(r);
  EXPECT_TRUE(FailedWith(r, CheckId::kSeal, 0, "no seal entry before it")) << Failures(r);
}

TEST_P(SealTamper, FailedCheckOfTheSealIsReported) {
  auto entries = HonestEntries();
  const size_t i = Find(entries, EntryType::kSealCheck);
  entries[i].body["different"] =
      Json::array({{{"name", "binary/isoloir"}, {"state", "DIFFERENT"}}});
  const Report r = Verify(Lines(entries));
  EXPECT_TRUE(FailedWith(r, CheckId::kSeal, i + 1,
                         "the check of the seal at opening found: binary/isoloir DIFFERENT"))
      << Failures(r);
}

INSTANTIATE_PORTAL_BACKENDS(SealTamper);

}  // namespace
}  // namespace isoloir::record::testing
