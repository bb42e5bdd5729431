#include "portal/helpdesk.h"

#include <gtest/gtest.h>

#include "portal_fixture.h"

namespace isoloir::portal::testing {
namespace {

class HelpdeskTest : public PortalFixture {};

TEST_P(HelpdeskTest, StatusShowsCredentialsLockAndVotesButNeverAVote) {
  const KnownVoter& v = voter(0);  // CSA-MIN and CAP-A
  store::SessionRecord s = LoginOk(v);
  ASSERT_TRUE(CastBallot(site(), stores(), s, "CAP-A", BallotJson(v, "CAP-A", 1), now()).ok());
  RegenerationForm bad{v.voter.matricule, v.Birth(), "000000AAAAAA", "192.0.2.1"};
  for (int i = 0; i < 5; ++i) (void)RegeneratePassword(site(), stores(), bad, now());
  auto st = GetVoterStatus(site(), stores(), v.voter.matricule, "helpdesk:alice", now());
  ASSERT_TRUE(st.ok()) << st.error().ToString();
  EXPECT_EQ(st->voter.matricule, v.voter.matricule);
  EXPECT_EQ(st->generation, 1u);
  EXPECT_TRUE(st->credentials_issued.has_value());
  EXPECT_TRUE(st->regeneration_locked);
  ASSERT_EQ(st->voted.size(), 2u);
  EXPECT_EQ(st->voted[0], (std::pair<std::string, bool>{"CSA-MIN", false}));
  EXPECT_EQ(st->voted[1], (std::pair<std::string, bool>{"CAP-A", true}));
  auto unknown = GetVoterStatus(site(), stores(), "NOBODY", "helpdesk:alice", now());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "helpdesk.unknown_voter");

  ASSERT_TRUE(
      UnlockRegeneration(site(), stores(), v.voter.matricule, "helpdesk:alice", now()).ok());
  RegenerationForm good{v.voter.matricule, v.Birth(), v.reassort, "192.0.2.1"};
  EXPECT_TRUE(RegeneratePassword(site(), stores(), good, now()).ok());
  // Both actions are audited with who did them.
  auto entries = stores().audit.List("demo-2026");
  int seen = 0;
  for (const auto& e : *entries) {
    if (e.action == "helpdesk.status" || e.action == "helpdesk.unlock_regeneration") {
      EXPECT_EQ(e.actor, "helpdesk:alice");
      ++seen;
    }
  }
  EXPECT_EQ(seen, 2);
}

TEST_P(HelpdeskTest, TheBoardSuspendsWithAReasonAndResumes) {
  const KnownVoter& v = voter(0);
  store::SessionRecord s = LoginOk(v);
  EXPECT_EQ(SuspendVote(site(), stores(), "  ", "bve:president", now()).error().code,
            "vote.reason_required");
  EXPECT_EQ(ResumeVote(site(), stores(), "rien", "bve:president", now()).error().code,
            "vote.not_suspended");
  ASSERT_TRUE(SuspendVote(site(), stores(), "attaque DDoS", "bve:president", now()).ok());
  EXPECT_EQ(SuspendVote(site(), stores(), "encore", "bve:president", now()).error().code,
            "vote.already_suspended");
  auto refused = CastBallot(site(), stores(), s, "CSA-MIN", BallotJson(v, "CSA-MIN", 0), now());
  EXPECT_EQ(refused.error().code, "vote.suspended");
  ASSERT_TRUE(ResumeVote(site(), stores(), "attaque terminée", "bve:president", now()).ok());
  EXPECT_TRUE(CastBallot(site(), stores(), s, "CSA-MIN", BallotJson(v, "CSA-MIN", 0), now()).ok());
  auto entries = stores().audit.List("demo-2026");
  std::vector<std::string> actions;
  for (const auto& e : *entries) {
    if (e.action.rfind("vote.", 0) == 0) actions.push_back(e.action + " " + e.details);
  }
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_NE(actions[0].find("attaque DDoS"), std::string::npos);
  EXPECT_NE(actions[1].find("attaque terminée"), std::string::npos);
}

INSTANTIATE_PORTAL_BACKENDS(HelpdeskTest);

}  // namespace
}  // namespace isoloir::portal::testing
