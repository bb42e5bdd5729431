#include "portal_fixture.h"

#include <ctime>
#include <fstream>
#include <regex>
#include <sstream>

#include "common/bytes.h"
#include "counting/ceremony.h"
#include "crypto/codec.h"
#include "crypto/credential.h"
#include "crypto/random.h"
#include "crypto/simulation.h"
#include "election/election_file.h"
#include "election/paris_time.h"
#include "portal/ballot_shape.h"
#include "services/election_service.h"

namespace isoloir::portal::testing {

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "sqlite" : "postgresql";
}

std::string KnownVoter::Token() const {
  return HexEncode(crypto::LoginToken("demo-2026", security_key));
}

std::string KnownVoter::Birth() const {
  char b[16];
  std::snprintf(b, sizeof b, "%02d/%02d/%04d", voter.naissance.day, voter.naissance.month,
                voter.naissance.year);
  return b;
}

void PortalFixture::SetUp() {
  if (GetParam() == Backend::kPostgres && store::testing::PostgresAdminConninfo().empty()) {
    GTEST_SKIP() << store::testing::kNoPostgres;
  }
  SetUpElection();
}

void PortalFixture::SetUpElection(int64_t opening_offset, int64_t closing_offset, size_t voters) {
  voters_.clear();
  loc_ = std::make_unique<store::testing::TestLocation>(GetParam());
  auto s = store::OpenStores(loc_->config());
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  stores_ = std::move(*s);
  view_ = std::make_unique<PortalStores>(PortalStores{*stores_.roll, *stores_.portal, *stores_.urne,
                                                      *stores_.emargement, *stores_.cast,
                                                      *stores_.audit});
  now_ = static_cast<int64_t>(std::time(nullptr));

  std::ifstream in(std::string(ISOLOIR_SOURCE_DIR) + "/examples/election-demo.json");
  std::stringstream text;
  text << in.rdbuf();
  std::string json = text.str();
  json = std::regex_replace(
      json, std::regex("\"opening\": \"[^\"]*\""),
      "\"opening\": \"" + election::FormatParisLocal(now_ + opening_offset) + "\"");
  json = std::regex_replace(
      json, std::regex("\"closing\": \"[^\"]*\""),
      "\"closing\": \"" + election::FormatParisLocal(now_ + closing_offset) + "\"");
  json = AdjustElection(std::move(json));
  const services::Actor actor{"test", now_};
  auto created = services::CreateElection(*stores_.roll, *stores_.audit, json, "", actor);
  ASSERT_TRUE(created.ok()) << created.error().ToString();

  std::vector<election::Voter> roll = store::testing::MakeVoters(voters);
  ASSERT_TRUE(stores_.roll->ReplaceRoll("demo-2026", roll).ok());
  std::vector<store::ReassortRecord> reassort;
  for (const auto& v : roll) {
    reassort.push_back(
        {v.matricule, server_key_.Verifier("reassort", "demo-2026", v.matricule, "123456A01201")});
  }
  ASSERT_TRUE(stores_.roll->PutReassortVerifiers("demo-2026", reassort).ok());
  services::CredentialBatch batch = services::MakeCredentials(
      "demo-2026", roll, [](const std::string&) { return 1u; }, server_key_, 1);
  std::vector<store::CredentialRecord> records;
  for (size_t i = 0; i < roll.size(); ++i) {
    const auto& c = batch.voters[i];
    records.push_back({c.matricule, c.generation, c.login_verifier, c.password_verifier,
                       reassort[i].verifier, now_});
    voters_.push_back({roll[i], c.security_key, c.password});
  }
  ASSERT_TRUE(stores_.roll->PutCredentials("demo-2026", records).ok());
  for (const auto& [scrutin, list] : batch.public_lists) {
    ASSERT_TRUE(stores_.urne->AddPublicCredentials("demo-2026", scrutin, list).ok());
  }
  PutElectionKey(created->election);
  auto site = LoadElectionSite(*stores_.roll, *stores_.portal, "demo-2026", server_key_, {});
  ASSERT_TRUE(site.ok()) << site.error().ToString();
  site_ = *site;
}

void PortalFixture::PutElectionKey(const election::Election& e) {
  // The board's key ceremony, as `isoloir ceremony local` runs it: the test
  // holds every fragment (board_.shares) to decrypt a tally.
  board_ = crypto::RunKeyCeremony(election::ElectionFingerprint(e),
                                  static_cast<uint32_t>(counting::FragmentHolders(e).size()),
                                  e.bve.threshold, crypto::SystemRandom());
  const std::string y = crypto::codec::Encode(board_.pub.public_key).get<std::string>();
  const std::string transcript =
      counting::CeremonyTranscriptJson("demo-2026", board_.params, board_.announcements,
                                       board_.dealings, board_.pub.public_key, "test")
          .dump();
  ASSERT_TRUE(stores_.portal->PutElectionKey({"demo-2026", y, transcript, now_}).ok());
}

LoginForm PortalFixture::FormFor(const KnownVoter& v, const std::string& address) const {
  return LoginForm{v.voter.matricule, v.Birth(), v.Token(), v.password, address};
}

std::string PortalFixture::BallotJson(const KnownVoter& v, const std::string& code, size_t choice,
                                      const std::string& signing_key) const {
  const election::Scrutin* s = site_->FindScrutin(code);
  const crypto::BallotContext bc = ScrutinBallotContext(site_->fingerprint, *s);
  const crypto::Scalar sk = crypto::CredentialSecret(
      "demo-2026", code, signing_key.empty() ? v.security_key : signing_key);
  auto eb = crypto::EncryptBallot(bc, *site_->key, crypto::OneHot(bc.choices, choice), sk,
                                  crypto::SystemRandom());
  EXPECT_TRUE(eb.ok());
  return crypto::codec::Canonical(crypto::codec::Encode(eb->ballot));
}

store::SessionRecord PortalFixture::LoginOk(const KnownVoter& v) {
  auto s = Login(*site_, *view_, FormFor(v), now_);
  EXPECT_TRUE(s.ok()) << s.error().ToString();
  return s.ok() ? s->record : store::SessionRecord{};
}

}  // namespace isoloir::portal::testing
