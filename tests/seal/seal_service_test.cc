// The seal on real stores (SQLite; PostgreSQL under scripts/with-postgres.sh):
// prepared on an empty urne after the key ceremony (the roll then frozen),
// approved by the président and a délégué with their fragments, checked
// component by component; a change of the assets, of a credential list or
// of the urne before sealing is caught and named; the portal refuses
// ballots until the seal holds.
#include "seal/seal_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "common/bytes.h"
#include "crypto/codec.h"
#include "crypto/credential.h"
#include "portal/desk.h"
#include "portal_fixture.h"
#include "seal/seal_log.h"
#include "seal_test_util.h"

namespace isoloir::seal {
namespace {

namespace fs = std::filesystem;
using portal::testing::PortalFixture;

class SealServiceTest : public PortalFixture {
 protected:
  void SetUp() override {
    PortalFixture::SetUp();
    if (IsSkipped()) return;
    view_count_ = std::make_unique<counting::CountStores>(counting::CountStores{
        *stores_.roll, *stores_.urne, *stores_.emargement, *stores_.portal, *stores_.audit});
    assets_ =
        fs::temp_directory_path() / ("isoloir-seal-assets-" + std::to_string(::getpid()) + "-" +
                                     std::string(GetParam() == store::Backend::kSqlite ? "sqlite" : "pg"));
    fs::create_directories(assets_ / "fonts");
    Write(assets_ / "booth.js", "/* booth */");
    Write(assets_ / "fonts" / "a.woff2", "font");
    static const std::map<std::string, std::string, std::less<>> embedded = {
        {"vote.mustache", "<p>{{x}}</p>"}, {"fr.json", "{}"}};
    sources_ = {"/proc/self/exe", &embedded, assets_};
  }
  void TearDown() override {
    std::error_code ec;
    if (!assets_.empty()) fs::remove_all(assets_, ec);
  }
  static void Write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
  }
  counting::CountStores& cs() { return *view_count_; }
  services::Actor Actor() const { return {"test:organiser", now()}; }
  const election::Election& election() { return site().election; }
  std::vector<std::string> Actions() {
    std::vector<std::string> out;
    auto entries = stores_.audit->List("demo-2026");
    EXPECT_TRUE(entries.ok());
    for (const auto& e : *entries) out.push_back(e.action);
    return out;
  }

  void SealElection() { testing::SealElection(cs(), election(), board_, sources_, Actor()); }

  std::unique_ptr<counting::CountStores> view_count_;
  fs::path assets_;
  SealSources sources_;
};

TEST_P(SealServiceTest, PrepareApproveCheck) {
  auto seal = PrepareSeal(cs(), "demo-2026", sources_, Actor());
  ASSERT_TRUE(seal.ok()) << seal.error().ToString();
  std::vector<std::string> names;
  for (const auto& c : seal->components) names.push_back(c.name);
  for (const char* want :
       {"assets/booth.js", "assets/fonts/a.woff2", "binary/isoloir", "credentials/CAP-A",
        "credentials/CSA-MIN", "election/bve", "election/definition", "election/fingerprint",
        "election/lists", "election/window", "embedded/fr.json", "embedded/vote.mustache",
        "keys/election", "keys/verification", "roll"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
  }
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  // The roll is frozen for good.
  EXPECT_TRUE((*stores_.roll->GetElection("demo-2026"))->roll_frozen);
  EXPECT_FALSE(stores_.roll->ReplaceRoll("demo-2026", {}).ok());

  // Not sealed until the président and a délégué approve.
  auto check = CheckSeal(cs(), "demo-2026", sources_, "on_demand", Actor());
  ASSERT_TRUE(check.ok()) << check.error().ToString();
  EXPECT_FALSE(check->ok());
  EXPECT_NE(check->Problem().find("missing the président and a délégué"), std::string::npos)
      << check->Problem();
  auto st =
      ApproveSeal(cs(), "demo-2026", testing::Approval(election(), board_, 1, *seal), Actor());
  ASSERT_TRUE(st.ok()) << st.error().ToString();
  EXPECT_FALSE(st->sealed());
  auto twice =
      ApproveSeal(cs(), "demo-2026", testing::Approval(election(), board_, 1, *seal), Actor());
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().message.find("already approved"), std::string::npos);
  st = ApproveSeal(cs(), "demo-2026", testing::Approval(election(), board_, 2, *seal), Actor());
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->missing, std::vector<std::string>{"a délégué de liste"});
  st = ApproveSeal(cs(), "demo-2026", testing::Approval(election(), board_, 4, *seal), Actor());
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(st->sealed());

  check = CheckSeal(cs(), "demo-2026", sources_, "on_demand", Actor());
  ASSERT_TRUE(check.ok()) << check.error().ToString();
  EXPECT_TRUE(check->ok()) << check->Problem();
  EXPECT_EQ(check->components.size(), seal->components.size());
  // A sealed election is not sealed again.
  auto again = PrepareSeal(cs(), "demo-2026", sources_, Actor());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "seal.already_sealed");
  const auto actions = Actions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "seal.prepare"), 1);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "seal.approve"), 3);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "seal.check"), 2);
}

TEST_P(SealServiceTest, ACheckNamesExactlyWhatChanged) {
  SealElection();
  Write(assets_ / "booth.js", "/* a changed booth */");
  fs::remove(assets_ / "fonts" / "a.woff2");
  const std::vector<std::string> added{
      crypto::codec::Encode(
          crypto::CredentialPublic(crypto::CredentialSecret("demo-2026", "CAP-A", "another key")))
          .get<std::string>()};
  ASSERT_TRUE(stores_.urne->AddPublicCredentials("demo-2026", "CAP-A", added).ok());
  auto check = CheckSeal(cs(), "demo-2026", sources_, "closing", Actor());
  ASSERT_TRUE(check.ok()) << check.error().ToString();
  EXPECT_FALSE(check->ok());
  std::map<std::string, ComponentState> bad;
  for (const auto& c : check->components) {
    if (c.state != ComponentState::kOk) bad[c.name] = c.state;
  }
  const std::map<std::string, ComponentState> expected = {
      {"assets/booth.js", ComponentState::kDifferent},
      {"assets/fonts/a.woff2", ComponentState::kMissing},
      {"credentials/CAP-A", ComponentState::kDifferent}};
  EXPECT_EQ(bad, expected);
  EXPECT_EQ(check->Problem(),
            "the system differs from its seal: assets/booth.js DIFFERENT, assets/fonts/a.woff2 "
            "MISSING, credentials/CAP-A DIFFERENT");
  // The check is in the audit log, with what differed.
  const auto entries = *stores_.audit->List("demo-2026");
  EXPECT_EQ(entries.back().action, "seal.check");
  EXPECT_NE(entries.back().details.find("\"moment\":\"closing\""), std::string::npos);
  EXPECT_NE(entries.back().details.find("assets/booth.js"), std::string::npos);
}

// A new security key at the president's desk adds a credential to each
// scrutin the voter has not voted: the check follows the desk's audited steps
// (DESK, counted as OK) and still names an addition the desk did not make.
TEST_P(SealServiceTest, TheDesksNewKeysKeepTheSealButNothingElseDoes) {
  SealElection();
  for (int i : {0, 1}) {
    auto h = portal::DeskNewKey(site(), stores(), voter(i).voter.matricule,
                                {"piece_identite", "4821"}, "staff:president", now());
    ASSERT_TRUE(h.ok()) << h.error().ToString();
  }
  auto check = CheckSeal(cs(), "demo-2026", sources_, "closing", Actor());
  ASSERT_TRUE(check.ok()) << check.error().ToString();
  EXPECT_TRUE(check->ok()) << check->Problem();
  std::map<std::string, ComponentState> changed;
  for (const auto& c : check->components) {
    if (c.state != ComponentState::kOk) changed[c.name] = c.state;
  }
  std::map<std::string, ComponentState> expected;
  for (const auto& code : voter(0).voter.scrutins) expected["credentials/" + code] = ComponentState::kDesk;
  for (const auto& code : voter(1).voter.scrutins) expected["credentials/" + code] = ComponentState::kDesk;
  EXPECT_EQ(changed, expected);
  EXPECT_NE(stores_.audit->List("demo-2026")->back().details.find("\"desk\":[\"credentials/"),
            std::string::npos);
  // A credential added behind the desk's back breaks the chain.
  const std::string code = voter(0).voter.scrutins.front();
  const std::vector<std::string> rogue{
      crypto::codec::Encode(
          crypto::CredentialPublic(crypto::CredentialSecret("demo-2026", code, "rogue key")))
          .get<std::string>()};
  ASSERT_TRUE(stores_.urne->AddPublicCredentials("demo-2026", code, rogue).ok());
  auto after = CheckSeal(cs(), "demo-2026", sources_, "count", Actor());
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->ok());
  EXPECT_EQ(after->Problem(), "the system differs from its seal: credentials/" + code + " DIFFERENT");
}

TEST_P(SealServiceTest, RefusedOnANonEmptyUrneOrABadApproval) {
  auto session = LoginOk(voter(0));
  ASSERT_TRUE(portal::CastBallot(site(), stores(), session, "CSA-MIN",
                                 BallotJson(voter(0), "CSA-MIN", 0), now())
                  .ok());
  auto seal = PrepareSeal(cs(), "demo-2026", sources_, Actor());
  ASSERT_FALSE(seal.ok());
  EXPECT_EQ(seal.error().code, "seal.urne_not_empty");
  EXPECT_NE(seal.error().message.find("CSA-MIN has 1 ballot(s)"), std::string::npos);
  EXPECT_FALSE((*stores_.roll->GetElection("demo-2026"))->roll_frozen);
}

TEST_P(SealServiceTest, ForgedApprovalIsRefused) {
  auto seal = PrepareSeal(cs(), "demo-2026", sources_, Actor());
  ASSERT_TRUE(seal.ok()) << seal.error().ToString();
  MemberSignature forged = testing::Approval(election(), board_, 2, *seal);
  forged.holder = 1;  // the secrétaire's share, claimed as the président's
  forged.member = "president";
  auto st = ApproveSeal(cs(), "demo-2026", forged, Actor());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "seal.approval");
  EXPECT_NE(st.error().message.find("does not verify"), std::string::npos) << st.error().message;
  // An approval of a seal that is not the latest one.
  Seal other = *seal;
  other.components.pop_back();
  st = ApproveSeal(cs(), "demo-2026", testing::Approval(election(), board_, 1, other), Actor());
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("digest"), std::string::npos);
}

// What `isoloir serve` does at opening: the check's problem becomes the
// site's refusal, and the portal refuses ballots until the seal holds.
TEST_P(SealServiceTest, PortalRefusesBallotsUntilSealed) {
  auto refused_site = [&]() {
    auto check = CheckSeal(cs(), "demo-2026", sources_, "opening", Actor());
    EXPECT_TRUE(check.ok());
    auto s = std::make_shared<portal::ElectionSite>(site());
    s->seal_gate = std::make_shared<portal::SealGate>();
    s->seal_gate->Set(check->Problem());
    return s;
  };
  auto unsealed = refused_site();
  EXPECT_FALSE(unsealed->seal_gate->Refusal().empty());
  auto session = LoginOk(voter(0));
  auto r = portal::CastBallot(*unsealed, stores(), session, "CSA-MIN",
                              BallotJson(voter(0), "CSA-MIN", 0), now());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "vote.unsealed");
  SealElection();
  auto sealed = refused_site();
  EXPECT_EQ(sealed->seal_gate->Refusal(), "");
  r = portal::CastBallot(*sealed, stores(), session, "CSA-MIN", BallotJson(voter(0), "CSA-MIN", 0),
                         now());
  EXPECT_TRUE(r.ok()) << r.error().ToString();
}

TEST_P(SealServiceTest, TheLogKeepsOnlyTheChecksOfTheLatestSeal) {
  // A portal started before the seal records a check that finds none: it is
  // no check of the seal made afterwards (nor goes into the record with it).
  auto before = CheckSeal(cs(), "demo-2026", sources_, "opening", Actor());
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->ok());
  auto log = ReadSealLog(*stores_.audit, election());
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->checks.size(), 1u);
  SealElection();
  ASSERT_TRUE(CheckSeal(cs(), "demo-2026", sources_, "on_demand", Actor()).ok());
  log = ReadSealLog(*stores_.audit, election());
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->checks.size(), 1u);
  EXPECT_EQ(log->checks[0].moment, "on_demand");
  EXPECT_TRUE(log->checks[0].ok);
}

INSTANTIATE_PORTAL_BACKENDS(SealServiceTest);

}  // namespace
}  // namespace isoloir::seal
