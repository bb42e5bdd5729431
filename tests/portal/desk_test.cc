// The president's desk on real stores: identity check, a new password or a
// new security key (the old one stops working, the new one votes), only
// while something is left to vote, audited as desk.*; and supervision, which
// never touches the urne.
#include "portal/desk.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "crypto/credential.h"
#include "portal/supervision.h"
#include "portal_fixture.h"

namespace isoloir::portal::testing {
namespace {

// An urne that fails the test if anything reads or writes it.
class TrapUrne final : public store::UrneStore {
 public:
  Status Append(const store::BallotRecord&) override { return Trap(); }
  Result<std::vector<store::BallotRecord>> List(const std::string&, const std::string&,
                                                const std::string&, size_t) override {
    return Trap().error();
  }
  Result<std::optional<store::BallotRecord>> Find(const std::string&, const std::string&,
                                                  const std::string&) override {
    return Trap().error();
  }
  Result<uint64_t> Count(const std::string&, const std::string&) override { return Trap().error(); }
  Result<std::vector<std::string>> ListUsedCredentials(const std::string&,
                                                       const std::string&) override {
    return Trap().error();
  }
  Status AddPublicCredentials(const std::string&, const std::string&,
                              std::span<const std::string>) override {
    return Trap();
  }
  Status RevokePublicCredential(const std::string&, const std::string&, const std::string&,
                                int64_t) override {
    return Trap();
  }
  Result<std::vector<std::string>> ListPublicCredentials(const std::string&,
                                                         const std::string&) override {
    return Trap().error();
  }
  Result<std::vector<store::Revocation>> ListRevocations(const std::string&,
                                                         const std::string&) override {
    return Trap().error();
  }
  Result<store::CredentialStatus> CheckCredential(const std::string&, const std::string&,
                                                  const std::string&) override {
    return Trap().error();
  }
  Result<uint64_t> CountPublicCredentials(const std::string&, const std::string&) override {
    return Trap().error();
  }

 private:
  Status Trap() {
    ADD_FAILURE() << "supervision touched the urne";
    return MakeError("test.trap", "the urne was touched");
  }
};

class DeskTest : public PortalFixture {
 protected:
  const IdentityCheck kCheck{"piece_identite", "4821"};
  const std::string kPresident = "staff:president";

  std::vector<std::string> DeskAudit() {
    std::vector<std::string> out;
    auto log = stores().audit.List("demo-2026");
    EXPECT_TRUE(log.ok());
    for (const auto& e : *log) {
      if (e.action.rfind("desk.", 0) == 0) out.push_back(e.action + " " + e.details);
    }
    return out;
  }
};

TEST_P(DeskTest, TheIdentityCheckIsRequiredAndRecorded) {
  const std::string m = voter(0).voter.matricule;
  EXPECT_EQ(DeskNewPassword(site(), stores(), m, {"", "4821"}, kPresident, now()).error().code,
            "field.document.missing");
  EXPECT_EQ(
      DeskNewPassword(site(), stores(), m, {"passeport", "4821"}, kPresident, now()).error().code,
      "field.document.format");
  EXPECT_EQ(
      DeskNewPassword(site(), stores(), m, {"piece_identite", ""}, kPresident, now()).error().code,
      "field.fin_numero.missing");
  EXPECT_EQ(DeskNewPassword(site(), stores(), m, {"piece_identite", "12"}, kPresident, now())
                .error()
                .code,
            "field.fin_numero.format");
  EXPECT_EQ(DeskNewPassword(site(), stores(), m, {"piece_identite", "12-45"}, kPresident, now())
                .error()
                .code,
            "field.fin_numero.format");
  EXPECT_EQ(DeskNewPassword(site(), stores(), "NOBODY", kCheck, kPresident, now()).error().code,
            "desk.unknown_voter");
  EXPECT_TRUE(DeskAudit().empty());  // nothing was handed over
}

TEST_P(DeskTest, ANewPasswordReplacesTheOldOne) {
  const KnownVoter& v = voter(0);
  store::SessionRecord before = LoginOk(v);
  auto h = DeskNewPassword(site(), stores(), v.voter.matricule, {"carte_professionnelle", "AB12C"},
                           kPresident, now());
  ASSERT_TRUE(h.ok()) << h.error().ToString();
  EXPECT_EQ(h->voter.matricule, v.voter.matricule);
  EXPECT_EQ(h->generation, 2u);
  EXPECT_EQ(h->scrutins, (std::vector<std::string>{"CSA-MIN", "CAP-A"}));
  // The old password no longer works, nor does the session opened with it.
  EXPECT_EQ(Login(site(), stores(), FormFor(v), now()).error().code, "login.refused");
  auto old_session = stores().portal.GetSession(before.id_hash);
  ASSERT_TRUE(old_session.ok());
  EXPECT_FALSE(old_session->has_value());
  KnownVoter renewed = v;
  renewed.password = h->secret;
  LoginOk(renewed);
  auto audit = DeskAudit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].rfind("desk.password ", 0), 0u);
  for (const char* part : {"carte_professionnelle", "AB12C", "staff:president", "checked_at",
                           v.voter.matricule.c_str()}) {
    EXPECT_NE(audit[0].find(part), std::string::npos) << part << " in " << audit[0];
  }
  EXPECT_EQ(audit[0].find(h->secret), std::string::npos);  // never the secret
}

TEST_P(DeskTest, ANewKeyReplacesTheOldOneAndVotes) {
  const KnownVoter& v = voter(0);
  auto listed = stores().urne.CountPublicCredentials("demo-2026", "CSA-MIN");
  ASSERT_TRUE(listed.ok());
  auto h = DeskNewKey(site(), stores(), v.voter.matricule, kCheck, kPresident, now());
  ASSERT_TRUE(h.ok()) << h.error().ToString();
  auto key = crypto::NormalizeSecurityKey(h->secret);
  ASSERT_TRUE(key.ok()) << h->secret;
  EXPECT_NE(*key, v.security_key);
  // The old key no longer logs in; the new one does and its credential votes.
  EXPECT_EQ(Login(site(), stores(), FormFor(v), now()).error().code, "login.refused");
  KnownVoter renewed = v;
  renewed.security_key = *key;
  store::SessionRecord s = LoginOk(renewed);
  auto receipt =
      CastBallot(site(), stores(), s, "CSA-MIN", BallotJson(renewed, "CSA-MIN", 1), now());
  ASSERT_TRUE(receipt.ok()) << receipt.error().ToString();
  // One more public credential per scrutin still open to the voter.
  EXPECT_EQ(*stores().urne.CountPublicCredentials("demo-2026", "CSA-MIN"), *listed + 1);
  auto audit = DeskAudit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].rfind("desk.security_key ", 0), 0u);
  EXPECT_EQ(audit[0].find(*key), std::string::npos);
}

TEST_P(DeskTest, OnlyForTheScrutinsNotVotedAndBeforeClosing) {
  const KnownVoter& v = voter(0);
  store::SessionRecord s = LoginOk(v);
  ASSERT_TRUE(CastBallot(site(), stores(), s, "CAP-A", BallotJson(v, "CAP-A", 0), now()).ok());
  auto listed = *stores().urne.CountPublicCredentials("demo-2026", "CAP-A");
  auto h = DeskNewKey(site(), stores(), v.voter.matricule, kCheck, kPresident, now());
  ASSERT_TRUE(h.ok()) << h.error().ToString();
  EXPECT_EQ(h->scrutins, (std::vector<std::string>{"CSA-MIN"}));
  EXPECT_EQ(*stores().urne.CountPublicCredentials("demo-2026", "CAP-A"), listed);
  KnownVoter renewed = v;
  renewed.security_key = crypto::NormalizeSecurityKey(h->secret).value();
  store::SessionRecord s2 = LoginOk(renewed);
  ASSERT_TRUE(
      CastBallot(site(), stores(), s2, "CSA-MIN", BallotJson(renewed, "CSA-MIN", 0), now()).ok());
  EXPECT_EQ(
      DeskNewPassword(site(), stores(), v.voter.matricule, kCheck, kPresident, now()).error().code,
      "desk.already_voted");
  const int64_t after = site().election.window.closing.utc;
  EXPECT_EQ(DeskNewKey(site(), stores(), voter(1).voter.matricule, kCheck, kPresident, after)
                .error()
                .code,
            "desk.closed");
  EXPECT_EQ(DeskAudit().size(), 1u);
}

TEST_P(DeskTest, SupervisionCountsFromTheRollAndTheEmargementNeverTheUrne) {
  for (size_t i : {0u, 1u}) {
    store::SessionRecord s = LoginOk(voter(i));
    const std::string code = voter(i).voter.scrutins.front();
    ASSERT_TRUE(CastBallot(site(), stores(), s, code, BallotJson(voter(i), code, 0), now()).ok());
  }
  TrapUrne trap;
  PortalStores no_urne{stores().roll,       stores().portal, trap,
                       stores().emargement, stores().cast,   stores().audit};
  auto t = Turnout(site(), no_urne, now());
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  ASSERT_EQ(t->size(), site().election.scrutins.size());
  uint64_t votants = 0;
  for (const auto& s : *t) {
    uint64_t inscrits = 0, section_inscrits = 0, section_votants = 0;
    for (size_t i = 0; i < voters_.size(); ++i) {
      const auto& sc = voters_[i].voter.scrutins;
      inscrits += std::count(sc.begin(), sc.end(), s.code);
    }
    for (const auto& sec : s.sections) {
      section_inscrits += sec.inscrits;
      section_votants += sec.votants;
    }
    EXPECT_EQ(s.inscrits, inscrits) << s.code;
    EXPECT_EQ(section_inscrits, s.inscrits);
    EXPECT_EQ(section_votants, s.votants);
    ASSERT_FALSE(s.course.empty());
    EXPECT_EQ(s.course.back().votants, s.votants);
    EXPECT_LE(s.course.size(), kMaxCoursePoints + 1);
    votants += s.votants;
  }
  EXPECT_EQ(votants, 2u);
  auto lines = EmargementList(site(), no_urne, "");
  ASSERT_TRUE(lines.ok());
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ(EmargementList(site(), no_urne, "NOPE").error().code, "scrutin.unknown");
  const std::string csv = EmargementCsv(*lines);
  EXPECT_EQ(csv.rfind("scrutin,matricule,nom,prenom,section,heure_paris\r\n", 0), 0u);
  EXPECT_NE(csv.find(voter(0).voter.matricule), std::string::npos);
}

INSTANTIATE_PORTAL_BACKENDS(DeskTest);

}  // namespace
}  // namespace isoloir::portal::testing
