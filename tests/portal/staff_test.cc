// Staff accounts on real stores: creation rules, the two-factor login, one
// use per TOTP step, throttling, disabling, session timeouts, audit.
#include "portal/staff.h"

#include <gtest/gtest.h>

#include "portal/totp.h"
#include "portal_fixture.h"

namespace isoloir::portal::testing {
namespace {

class StaffTest : public PortalFixture {
 protected:
  NewStaffAccount Add(StaffRole role, const std::string& id) {
    auto a = AddStaff(site(), stores(), role, id, "cli:organiser", now());
    EXPECT_TRUE(a.ok()) << a.error().ToString();
    return a.ok() ? std::move(*a) : NewStaffAccount{};
  }
  StaffLoginForm Form(const NewStaffAccount& a, int64_t at) {
    return {a.account.id, a.password, Totp(a.totp_secret, at), "192.0.2.7"};
  }
  std::vector<std::string> Actions(const std::string& prefix) {
    std::vector<std::string> out;
    auto log = stores().audit.List("demo-2026");
    EXPECT_TRUE(log.ok());
    for (const auto& e : *log) {
      if (e.action.rfind(prefix, 0) == 0) out.push_back(e.action);
      // Never a secret in the log.
      EXPECT_EQ(e.details.find("password_hash"), std::string::npos);
    }
    return out;
  }
};

TEST_P(StaffTest, BoardAccountsAreTheElectionFilesMembers) {
  Add(StaffRole::kPresident, "president");
  Add(StaffRole::kDelegue, "delegue-snad");
  EXPECT_EQ(
      AddStaff(site(), stores(), StaffRole::kPresident, "secretaire", "cli", now()).error().code,
      "staff.not_bve_member");  // a member, but not the président
  EXPECT_EQ(AddStaff(site(), stores(), StaffRole::kDelegue, "nobody", "cli", now()).error().code,
            "staff.not_bve_member");
  EXPECT_EQ(AddStaff(site(), stores(), StaffRole::kAssistance, "A B", "cli", now()).error().code,
            "staff.bad_id");
  EXPECT_EQ(
      AddStaff(site(), stores(), StaffRole::kPresident, "president", "cli", now()).error().code,
      "staff.exists");
  auto agent = Add(StaffRole::kAssistance, "agent.1");
  EXPECT_EQ(agent.totp_secret.size(), 20u);
  EXPECT_EQ(agent.totp_base32.size(), 32u);
  EXPECT_EQ(agent.otpauth_uri.rfind("otpauth://totp/", 0), 0u);
  // Stored: an argon2id hash and a sealed secret, never the secrets in clear.
  auto stored = stores().portal.GetStaff("demo-2026", "agent.1");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ((*stored)->password_hash.find(agent.password), std::string::npos);
  EXPECT_EQ((*stored)->totp_sealed.find(agent.totp_base32), std::string::npos);
  EXPECT_EQ((*stored)->role, "assistance");
  auto list = stores().portal.ListStaff("demo-2026");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].id, "agent.1");
  EXPECT_EQ(Actions("staff.add").size(), 3u);
}

TEST_P(StaffTest, LoginNeedsPasswordAndAFreshCode) {
  auto a = Add(StaffRole::kPresident, "president");
  auto s = StaffLogin(site(), stores(), Form(a, now()), now());
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(s->role, StaffRole::kPresident);
  EXPECT_EQ(s->cookie.size(), 43u);
  // The same code again (another server, an eavesdropper): refused.
  EXPECT_EQ(StaffLogin(site(), stores(), Form(a, now()), now()).error().code, "staff.refused");
  // An older step than the one used: refused too.
  EXPECT_EQ(StaffLogin(site(), stores(), Form(a, now() - 30), now()).error().code, "staff.refused");
  // The next step is fine.
  EXPECT_TRUE(StaffLogin(site(), stores(), Form(a, now() + 30), now()).ok());
  // Wrong password with a good code; good password with a wrong code.
  StaffLoginForm bad = Form(a, now() + 60);
  bad.mot_de_passe += "x";
  EXPECT_EQ(StaffLogin(site(), stores(), bad, now() + 60).error().code, "staff.refused");
  StaffLoginForm wrong_code = Form(a, now() + 60);
  wrong_code.code = wrong_code.code == "000000" ? "000001" : "000000";
  EXPECT_EQ(StaffLogin(site(), stores(), wrong_code, now() + 60).error().code, "staff.refused");
  // Unknown account: the same answer.
  StaffLoginForm nobody = Form(a, now() + 60);
  nobody.identifiant = "nobody";
  EXPECT_EQ(StaffLogin(site(), stores(), nobody, now() + 60).error().code, "staff.refused");
  StaffLoginForm empty = Form(a, now());
  empty.code = "";
  EXPECT_EQ(StaffLogin(site(), stores(), empty, now()).error().code, "field.bve_code.missing");
  EXPECT_EQ(Actions("staff.login"),
            (std::vector<std::string>{"staff.login", "staff.login_failed", "staff.login_failed",
                                      "staff.login", "staff.login_failed", "staff.login_failed",
                                      "staff.login_failed"}));
}

TEST_P(StaffTest, FailedLoginsAreThrottledLikeTheVoters) {
  auto a = Add(StaffRole::kAssistance, "agent1");
  StaffLoginForm bad = Form(a, now());
  bad.mot_de_passe = "wrong";
  for (int i = 0; i < site().policy.login_failures_per_matricule; ++i) {
    EXPECT_EQ(StaffLogin(site(), stores(), bad, now()).error().code, "staff.refused");
  }
  // Now even the right password and code wait for the window to pass.
  EXPECT_EQ(StaffLogin(site(), stores(), Form(a, now()), now()).error().code, "staff.throttled");
  const int64_t later = now() + site().policy.attempt_window_seconds + 1;
  EXPECT_TRUE(StaffLogin(site(), stores(), Form(a, later), later).ok());
}

TEST_P(StaffTest, SessionsEndWhenIdleOrWhenTheAccountIsDisabled) {
  auto a = Add(StaffRole::kSecretaire, "secretaire");
  auto s = StaffLogin(site(), stores(), Form(a, now()), now());
  ASSERT_TRUE(s.ok());
  auto resumed = ResumeStaffSession(site(), stores(), s->cookie, now() + 60);
  ASSERT_TRUE(resumed.ok()) << resumed.error().ToString();
  EXPECT_EQ(resumed->role, StaffRole::kSecretaire);
  EXPECT_EQ(resumed->Actor(), "staff:secretaire");
  // Idle too long.
  const int64_t idle = now() + 60 + site().policy.session_idle_seconds;
  EXPECT_EQ(ResumeStaffSession(site(), stores(), s->cookie, idle).error().code, "session.none");
  auto s2 = StaffLogin(site(), stores(), Form(a, now() + 30), now());
  ASSERT_TRUE(s2.ok());
  ASSERT_TRUE(DisableStaff(site(), stores(), "secretaire", "cli:organiser", now()).ok());
  EXPECT_EQ(ResumeStaffSession(site(), stores(), s2->cookie, now()).error().code, "session.none");
  EXPECT_EQ(StaffLogin(site(), stores(), Form(a, now() + 60), now() + 60).error().code,
            "staff.refused");
  EXPECT_EQ(DisableStaff(site(), stores(), "nobody", "cli", now()).error().code, "staff.unknown");
  // Logout ends the session.
  auto b = Add(StaffRole::kPresident, "president");
  auto s3 = StaffLogin(site(), stores(), Form(b, now()), now());
  ASSERT_TRUE(s3.ok());
  ASSERT_TRUE(StaffLogout(site(), stores(), s3->cookie, now()).ok());
  EXPECT_EQ(ResumeStaffSession(site(), stores(), s3->cookie, now()).error().code, "session.none");
  EXPECT_EQ(Actions("staff.disable").size(), 1u);
  EXPECT_EQ(Actions("staff.logout").size(), 1u);
}

TEST_P(StaffTest, RolesAndRights) {
  using R = StaffRole;
  using G = StaffRight;
  EXPECT_TRUE(Allowed(R::kPresident, G::kDesk));
  for (R r : {R::kOrganisateur, R::kSecretaire, R::kDelegue, R::kAssistance}) {
    EXPECT_FALSE(Allowed(r, G::kDesk)) << RoleName(r);
  }
  EXPECT_TRUE(Allowed(R::kAssistance, G::kHelpdesk));
  EXPECT_FALSE(Allowed(R::kAssistance, G::kSupervision));
  EXPECT_TRUE(Allowed(R::kDelegue, G::kSupervision));
  EXPECT_FALSE(Allowed(R::kOrganisateur, G::kSupervision));
  EXPECT_TRUE(Allowed(R::kOrganisateur, G::kAccounts));
  // The seal (docs/seal.md): prepared by the organiser, signed by the BVE's
  // members, seen and checked by all of them; nothing for the helpdesk.
  for (R r : {R::kOrganisateur, R::kPresident, R::kSecretaire, R::kDelegue, R::kAssistance}) {
    const bool member = r == R::kPresident || r == R::kSecretaire || r == R::kDelegue;
    EXPECT_EQ(Allowed(r, G::kSealPrepare), r == R::kOrganisateur) << RoleName(r);
    EXPECT_EQ(Allowed(r, G::kSign), member) << RoleName(r);
    EXPECT_EQ(Allowed(r, G::kSealView), r != R::kAssistance) << RoleName(r);
  }
  for (R r : {R::kOrganisateur, R::kPresident, R::kSecretaire, R::kDelegue, R::kAssistance}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_FALSE(ParseRole("admin").has_value());
}

INSTANTIATE_PORTAL_BACKENDS(StaffTest);

}  // namespace
}  // namespace isoloir::portal::testing
