#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "crypto/codec.h"
#include "portal_fixture.h"

namespace isoloir::portal::testing {
namespace {

#define EXPECT_CODE(expr, expected)                               \
  do {                                                            \
    const auto& _r = (expr);                                      \
    ASSERT_FALSE(_r.ok()) << "expected " << (expected);           \
    EXPECT_EQ(_r.error().code, (expected)) << _r.error().message; \
  } while (0)

class VoterPortalTest : public PortalFixture {};

TEST_P(VoterPortalTest, LoginWithTheFourFieldsOpensASession) {
  auto s = Login(site(), stores(), FormFor(voter(0)), now());
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(s->cookie.size(), 43u);
  EXPECT_EQ(s->record.matricule, voter(0).voter.matricule);
  auto resumed = ResumeSession(site(), stores(), s->cookie, now() + 10);
  ASSERT_TRUE(resumed.ok());
  EXPECT_EQ(resumed->matricule, voter(0).voter.matricule);
  // The store keeps the hash of the cookie, not the cookie.
  EXPECT_FALSE(stores().portal.GetSession(s->cookie)->has_value());
  // Lenient password forms are accepted (upper case, spaces, no hyphens).
  LoginForm lenient = FormFor(voter(1));
  std::string typed;
  for (char c : lenient.mot_de_passe) {
    if (c != '-') typed += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  lenient.mot_de_passe = " " + typed + " ";
  EXPECT_TRUE(Login(site(), stores(), lenient, now()).ok());
}

TEST_P(VoterPortalTest, EveryWrongFieldGivesTheSameAnswer) {
  const KnownVoter& v = voter(0);
  LoginForm wrong_password = FormFor(v);
  wrong_password.mot_de_passe = "aaaa-aaaa-aaaa";
  LoginForm wrong_birth = FormFor(v);
  wrong_birth.naissance = "01/01/1900";
  LoginForm wrong_key = FormFor(voter(1));
  wrong_key.matricule = v.voter.matricule;
  wrong_key.naissance = v.Birth();
  wrong_key.mot_de_passe = v.password;  // voter 1's token with voter 0's other fields
  LoginForm unknown = FormFor(v);
  unknown.matricule = "NOBODY";
  std::string message;
  for (const LoginForm& f : {wrong_password, wrong_birth, wrong_key, unknown}) {
    auto r = Login(site(), stores(), f, now());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "login.refused");
    if (message.empty()) message = r.error().message;
    EXPECT_EQ(r.error().message, message);
  }
}

TEST_P(VoterPortalTest, MalformedFieldsNameTheFieldAndCountNothing) {
  LoginForm f = FormFor(voter(0));
  f.matricule = "";
  EXPECT_CODE(Login(site(), stores(), f, now()), "field.matricule.missing");
  f = FormFor(voter(0));
  f.naissance = "31/02/1980";
  EXPECT_CODE(Login(site(), stores(), f, now()), "field.naissance.format");
  f = FormFor(voter(0));
  f.jeton = "";  // the browser's script did not run
  EXPECT_CODE(Login(site(), stores(), f, now()), "field.cle.format");
  f = FormFor(voter(0));
  f.mot_de_passe = "";
  EXPECT_CODE(Login(site(), stores(), f, now()), "field.mot_de_passe.missing");
  auto a = stores().portal.GetAttempts("login", voter(0).voter.matricule, now(), 900);
  EXPECT_EQ(a->failures, 0);
}

TEST_P(VoterPortalTest, RepeatedFailuresThrottleTheMatriculeThenTheWindowPasses) {
  const KnownVoter& v = voter(0);
  LoginForm bad = FormFor(v);
  bad.mot_de_passe = "aaaa-aaaa-aaaa";
  for (int i = 0; i < 5; ++i) EXPECT_CODE(Login(site(), stores(), bad, now()), "login.refused");
  // Even the right details wait now: guessing is bounded.
  EXPECT_CODE(Login(site(), stores(), FormFor(v), now()), "login.throttled");
  EXPECT_TRUE(Login(site(), stores(), FormFor(v), now() + 15 * 60).ok());
  // Another voter is not affected.
  EXPECT_TRUE(Login(site(), stores(), FormFor(voter(1)), now()).ok());
  // Every attempt is in the audit log, without its secrets.
  auto entries = stores().audit.List("demo-2026");
  ASSERT_TRUE(entries.ok());
  int failed = 0, throttled = 0;
  for (const auto& e : *entries) {
    failed += e.action == "portal.login_failed";
    throttled += e.action == "portal.login_throttled";
    EXPECT_EQ(e.details.find(v.password), std::string::npos);
    EXPECT_EQ(e.details.find(v.Token()), std::string::npos);
  }
  EXPECT_EQ(failed, 5);
  EXPECT_EQ(throttled, 1);
}

TEST_P(VoterPortalTest, AnAddressWithTooManyFailuresIsThrottled) {
  LoginForm bad = FormFor(voter(0), "198.51.100.7");
  for (int i = 0; i < 100; ++i) {
    bad.matricule = "GUESS" + std::to_string(i);
    EXPECT_CODE(Login(site(), stores(), bad, now()), "login.refused");
  }
  EXPECT_CODE(Login(site(), stores(), FormFor(voter(1), "198.51.100.7"), now()), "login.throttled");
  EXPECT_TRUE(Login(site(), stores(), FormFor(voter(1), "198.51.100.8"), now()).ok());
}

TEST_P(VoterPortalTest, SessionsEndWhenIdleTooLongOrTooOldOrLoggedOut) {
  auto s = Login(site(), stores(), FormFor(voter(0)), now());
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(ResumeSession(site(), stores(), s->cookie, now() + 14 * 60).ok());
  EXPECT_CODE(ResumeSession(site(), stores(), s->cookie, now() + 14 * 60 + 15 * 60),
              "session.none");
  auto s2 = Login(site(), stores(), FormFor(voter(0)), now());
  for (int64_t t = 600; t < 2 * 3600; t += 600) {
    ASSERT_TRUE(ResumeSession(site(), stores(), s2->cookie, now() + t).ok());
  }
  EXPECT_CODE(ResumeSession(site(), stores(), s2->cookie, now() + 2 * 3600), "session.none");
  auto s3 = Login(site(), stores(), FormFor(voter(0)), now());
  ASSERT_TRUE(Logout(stores(), s3->cookie).ok());
  EXPECT_CODE(ResumeSession(site(), stores(), s3->cookie, now()), "session.none");
  EXPECT_CODE(ResumeSession(site(), stores(), "forged-cookie", now()), "session.none");
}

TEST_P(VoterPortalTest, RegenerationWithTheReassortSecretReplacesThePassword) {
  const KnownVoter& v = voter(2);
  auto before = Login(site(), stores(), FormFor(v), now());
  ASSERT_TRUE(before.ok());
  RegenerationForm f{v.voter.matricule, v.Birth(), "1234 56a0 1201", "192.0.2.1"};
  auto r = RegeneratePassword(site(), stores(), f, now());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->password.size(), 14u);
  EXPECT_FALSE(r->emailed);
  EXPECT_CODE(Login(site(), stores(), FormFor(v), now()), "login.refused");
  LoginForm fresh = FormFor(v);
  fresh.mot_de_passe = r->password;
  EXPECT_TRUE(Login(site(), stores(), fresh, now()).ok());
  // The session opened with the old password is gone.
  EXPECT_CODE(ResumeSession(site(), stores(), before->cookie, now()), "session.none");
}

TEST_P(VoterPortalTest, WrongReassortSecretsLockRegenerationUntilUnlocked) {
  const KnownVoter& v = voter(3);
  RegenerationForm bad{v.voter.matricule, v.Birth(), "999999ZZZZZZ", "192.0.2.1"};
  for (int i = 0; i < 4; ++i) {
    EXPECT_CODE(RegeneratePassword(site(), stores(), bad, now()), "regeneration.refused");
  }
  EXPECT_CODE(RegeneratePassword(site(), stores(), bad, now()), "regeneration.locked");
  RegenerationForm good{v.voter.matricule, v.Birth(), v.reassort, "192.0.2.9"};
  EXPECT_CODE(RegeneratePassword(site(), stores(), good, now() + 86400), "regeneration.locked");
  // Login still works with the old password: only regeneration is locked.
  EXPECT_TRUE(Login(site(), stores(), FormFor(v), now()).ok());
  ASSERT_TRUE(stores().portal.Unlock("regeneration", v.voter.matricule).ok());
  EXPECT_TRUE(RegeneratePassword(site(), stores(), good, now()).ok());
  // An unknown matricule is answered like a wrong secret, and locks the same way.
  RegenerationForm unknown{"NOBODY", v.Birth(), v.reassort, "192.0.2.2"};
  EXPECT_CODE(RegeneratePassword(site(), stores(), unknown, now()), "regeneration.refused");
  RegenerationForm malformed{v.voter.matricule, v.Birth(), "12345", "192.0.2.2"};
  EXPECT_CODE(RegeneratePassword(site(), stores(), malformed, now()), "field.reassort.format");
}

TEST_P(VoterPortalTest, AVoterSeesOnlyTheirScrutinsAndWhatTheyVoted) {
  const KnownVoter& v = voter(0);  // CSA-MIN and CAP-A
  store::SessionRecord s = LoginOk(v);
  auto list = VoterScrutins(site(), stores(), s);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].scrutin->code, "CSA-MIN");
  EXPECT_EQ((*list)[1].scrutin->code, "CAP-A");
  EXPECT_FALSE((*list)[0].voted);
  ASSERT_TRUE(CastBallot(site(), stores(), s, "CAP-A", BallotJson(v, "CAP-A", 0), now()).ok());
  list = VoterScrutins(site(), stores(), s);
  EXPECT_FALSE((*list)[0].voted);
  EXPECT_TRUE((*list)[1].voted);
}

TEST_P(VoterPortalTest, ACastBallotIsInTheUrneWithItsEmargementAndReceipt) {
  const KnownVoter& v = voter(0);
  store::SessionRecord s = LoginOk(v);
  const std::string ballot = BallotJson(v, "CSA-MIN", 2);
  auto receipt = CastBallot(site(), stores(), s, "CSA-MIN", ballot, now());
  ASSERT_TRUE(receipt.ok()) << receipt.error().ToString();
  EXPECT_EQ(receipt->tracker.size(), 43u);
  EXPECT_EQ(receipt->time, now());
  EXPECT_EQ(*stores().urne.Count("demo-2026", "CSA-MIN"), 1u);
  EXPECT_TRUE(*stores().emargement.HasVoted("demo-2026", "CSA-MIN", v.voter.matricule));
  auto found = FindTracker(site(), stores(), receipt->tracker);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->value_or(""), "CSA-MIN");
  EXPECT_FALSE(FindTracker(site(), stores(), std::string(43, 'A'))->has_value());
  EXPECT_CODE(FindTracker(site(), stores(), "short"), "field.suivi.format");
  // The urne's record names no voter.
  auto stored = stores().urne.Find("demo-2026", "CSA-MIN", receipt->tracker);
  EXPECT_EQ((*stored)->ballot.find(v.voter.matricule), std::string::npos);
}

TEST_P(VoterPortalTest, ASecondVoteACopiedBallotAndABadOneAreRefused) {
  const KnownVoter& a = voter(0);
  const KnownVoter& b = voter(1);
  store::SessionRecord sa = LoginOk(a);
  store::SessionRecord sb = LoginOk(b);
  const std::string ballot = BallotJson(a, "CSA-MIN", 1);
  ASSERT_TRUE(CastBallot(site(), stores(), sa, "CSA-MIN", ballot, now()).ok());
  EXPECT_CODE(CastBallot(site(), stores(), sa, "CSA-MIN", BallotJson(a, "CSA-MIN", 0), now()),
              "cast.already_voted");
  // b replays a's ballot: its credential is used already; b has not voted.
  EXPECT_CODE(CastBallot(site(), stores(), sb, "CSA-MIN", ballot, now()), "cast.replayed");
  EXPECT_FALSE(*stores().emargement.HasVoted("demo-2026", "CSA-MIN", b.voter.matricule));
  // A ballot signed by a credential nobody was given.
  EXPECT_CODE(CastBallot(site(), stores(), sb, "CSA-MIN",
                         BallotJson(b, "CSA-MIN", 0, "00000000000000000000"), now()),
              "cast.credential_refused");
  // A ballot made for another scrutin, a tampered one, garbage.
  EXPECT_CODE(CastBallot(site(), stores(), sb, "CSA-MIN", BallotJson(b, "CSA-PROX", 0), now()),
              "cast.invalid");
  std::string tampered = BallotJson(b, "CSA-MIN", 0);
  auto j = crypto::codec::ParseJson(tampered);
  std::swap((*j)["choices"][0], (*j)["choices"][1]);
  EXPECT_CODE(CastBallot(site(), stores(), sb, "CSA-MIN", j->dump(), now()), "cast.invalid");
  EXPECT_CODE(CastBallot(site(), stores(), sb, "CSA-MIN", "{\"not\":\"a ballot\"}", now()),
              "cast.invalid");
  EXPECT_CODE(CastBallot(site(), stores(), sb, "CSA-MIN", std::string(70000, ' '), now()),
              "cast.invalid");
  // A scrutin the voter is not on (voter 1 has CSA-MIN only).
  EXPECT_CODE(CastBallot(site(), stores(), sb, "CAP-A", BallotJson(b, "CAP-A", 0), now()),
              "scrutin.unknown");
  EXPECT_EQ(*stores().urne.Count("demo-2026", "CSA-MIN"), 1u);
  EXPECT_EQ(*stores().emargement.Count("demo-2026", "CSA-MIN"), 1u);
  EXPECT_TRUE(CastBallot(site(), stores(), sb, "CSA-MIN", BallotJson(b, "CSA-MIN", 0), now()).ok());
}

TEST_P(VoterPortalTest, TwoDevicesCastingAtOnceRecordOneVote) {
  const KnownVoter& v = voter(0);
  store::SessionRecord s = LoginOk(v);
  std::vector<std::string> ballots;
  for (int i = 0; i < 4; ++i) ballots.push_back(BallotJson(v, "CSA-MIN", i % 3));
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> devices;
  for (int i = 0; i < 4; ++i) {
    devices.emplace_back([&, i] {
      auto st = store::OpenStores(config());
      ASSERT_TRUE(st.ok());
      PortalStores view{*st->roll, *st->portal, *st->urne, *st->emargement, *st->cast, *st->audit};
      auto r = CastBallot(site(), view, s, "CSA-MIN", ballots[i], now());
      if (r.ok()) {
        ++ok;
      } else if (r.error().code == "cast.already_voted") {
        ++refused;
      }
    });
  }
  for (auto& d : devices) d.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(refused.load(), 3);
  EXPECT_EQ(*stores().urne.Count("demo-2026", "CSA-MIN"), 1u);
  EXPECT_EQ(*stores().emargement.Count("demo-2026", "CSA-MIN"), 1u);
}

TEST_P(VoterPortalTest, NoVoteBeforeOpeningWhileSuspendedOrAfterClosingButTheGrace) {
  const KnownVoter& v = voter(0);
  store::SessionRecord s = LoginOk(v);
  const int64_t opening = site().election.window.opening.utc;
  const int64_t closing = site().election.window.closing.utc;
  EXPECT_CODE(CastBallot(site(), stores(), s, "CSA-MIN", BallotJson(v, "CSA-MIN", 0), opening - 1),
              "vote.not_open");
  ASSERT_TRUE(stores().portal.SetVoteState("demo-2026", {true, "incident réseau", now()}).ok());
  EXPECT_CODE(CastBallot(site(), stores(), s, "CSA-MIN", BallotJson(v, "CSA-MIN", 0), now()),
              "vote.suspended");
  ASSERT_TRUE(stores().portal.SetVoteState("demo-2026", {false, "", now()}).ok());
  // A session opened before closing may finish within 30 minutes; a later
  // one may not.
  store::SessionRecord late = s;
  late.created = closing + 1;
  EXPECT_CODE(
      CastBallot(site(), stores(), late, "CSA-MIN", BallotJson(v, "CSA-MIN", 0), closing + 60),
      "vote.closed");
  EXPECT_CODE(CastBallot(site(), stores(), s, "CSA-MIN", BallotJson(v, "CSA-MIN", 0),
                         closing + kClosingGraceSeconds),
              "vote.closed");
  EXPECT_TRUE(
      CastBallot(site(), stores(), s, "CSA-MIN", BallotJson(v, "CSA-MIN", 0), closing + 60).ok());
}

TEST(VotePhase, FollowsTheWindowTheSuspensionAndTheGrace) {
  election::VotingWindow w;
  w.opening.utc = 1000;
  w.closing.utc = 2000;
  store::VoteState open, suspended{true, "x", 1};
  EXPECT_EQ(VotePhase(w, open, 999), Phase::kNotOpen);
  EXPECT_EQ(VotePhase(w, open, 1000), Phase::kOpen);
  EXPECT_EQ(VotePhase(w, suspended, 1500), Phase::kSuspended);
  EXPECT_EQ(VotePhase(w, open, 2000), Phase::kClosed);
  EXPECT_EQ(VotePhase(w, open, 2000, 1999), Phase::kGrace);
  EXPECT_EQ(VotePhase(w, open, 2000 + kClosingGraceSeconds, 1999), Phase::kClosed);
  EXPECT_EQ(VotePhase(w, open, 2001, 2000), Phase::kClosed);
  EXPECT_FALSE(CanCast(Phase::kSuspended));
  EXPECT_TRUE(CanCast(Phase::kGrace));
}

TEST(BallotShape, ListsInFileOrderThenBlank) {
  election::Scrutin s;
  s.code = "X";
  s.listes = {{"L1", "SNAD", "", {}, ""}, {"L2", "CFAD", "Union", {}, ""}};
  auto choices = ScrutinChoices(s);
  ASSERT_EQ(choices.size(), 3u);
  EXPECT_EQ(choices[0].label, "SNAD");
  EXPECT_EQ(choices[1].label, "CFAD - Union");
  EXPECT_TRUE(choices[2].blank);
  EXPECT_EQ(ScrutinBallotContext({}, s).choices, 3u);
  s.blank_allowed = false;
  EXPECT_EQ(ScrutinChoices(s).size(), 2u);
  EXPECT_EQ(ScrutinBallotContext({}, s).choices, 2u);
}

INSTANTIATE_PORTAL_BACKENDS(VoterPortalTest);

}  // namespace
}  // namespace isoloir::portal::testing
