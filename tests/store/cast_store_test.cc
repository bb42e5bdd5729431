#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "store/impl.h"
#include "test_support.h"

namespace isoloir::store::testing {
namespace {

EmargementRecord Emargement(size_t i) {
  return {"E2026", "CSA-MIN", MakeVoter(i).matricule, 1764583200 + static_cast<int64_t>(i)};
}

BallotRecord Ballot(size_t i) {
  return {"E2026", "CSA-MIN", "tracker-" + std::to_string(i * 7919 % 100003),
          "credential-" + std::to_string(i), "{\"n\":" + std::to_string(i) + "}"};
}

// The public credentials of Ballot(first) ... Ballot(end - 1).
std::vector<std::string> Credentials(size_t first, size_t end) {
  std::vector<std::string> out;
  for (size_t i = first; i < end; ++i) out.push_back(Ballot(i).credential);
  return out;
}

class CastStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    auto s = OpenStores(loc().config());
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    stores_ = std::move(*s);
    // Ballots 0..99 carry listed credentials (protocol §7.5, 5).
    ASSERT_OK(stores_.urne->AddPublicCredentials("E2026", "CSA-MIN", Credentials(0, 100)));
  }
  Stores stores_;
};

TEST_P(CastStoreTest, RecordsTheEmargementAndTheBallotTogether) {
  ASSERT_OK(stores_.cast->RecordVote(Emargement(1), Ballot(1)));
  EXPECT_TRUE(*stores_.emargement->HasVoted("E2026", "CSA-MIN", MakeVoter(1).matricule));
  auto ballots = stores_.urne->List("E2026", "CSA-MIN");
  ASSERT_OK(ballots);
  ASSERT_EQ(ballots->size(), 1u);
  EXPECT_EQ((*ballots)[0], Ballot(1));
}

TEST_P(CastStoreTest, AReusedCredentialLeavesNoEmargement) {
  ASSERT_OK(stores_.cast->RecordVote(Emargement(1), Ballot(1)));
  BallotRecord reused = Ballot(2);
  reused.credential = Ballot(1).credential;
  auto st = stores_.cast->RecordVote(Emargement(2), reused);
  EXPECT_ERROR_CODE(st, "urne.credential_used");
  // The émargement insert, which succeeded first, was rolled back.
  EXPECT_FALSE(*stores_.emargement->HasVoted("E2026", "CSA-MIN", MakeVoter(2).matricule));
  EXPECT_EQ(*stores_.emargement->Count("E2026", "CSA-MIN"), 1u);
  EXPECT_EQ(*stores_.urne->Count("E2026", "CSA-MIN"), 1u);

  BallotRecord same_tracker = Ballot(3);
  same_tracker.tracker = Ballot(1).tracker;
  EXPECT_ERROR_CODE(stores_.cast->RecordVote(Emargement(3), same_tracker),
                    "urne.duplicate_tracker");
  EXPECT_EQ(*stores_.emargement->Count("E2026", "CSA-MIN"), 1u);

  // The voter can still vote with a fresh ballot.
  ASSERT_OK(stores_.cast->RecordVote(Emargement(2), Ballot(2)));
  EXPECT_EQ(*stores_.emargement->Count("E2026", "CSA-MIN"), 2u);
  EXPECT_EQ(*stores_.urne->Count("E2026", "CSA-MIN"), 2u);
}

TEST_P(CastStoreTest, ASecondVoteLeavesNoBallot) {
  ASSERT_OK(stores_.cast->RecordVote(Emargement(1), Ballot(1)));
  auto st = stores_.cast->RecordVote(Emargement(1), Ballot(2));
  EXPECT_ERROR_CODE(st, "emargement.already_voted");
  EXPECT_FALSE(stores_.urne->Find("E2026", "CSA-MIN", Ballot(2).tracker)->has_value());
  EXPECT_EQ(*stores_.urne->Count("E2026", "CSA-MIN"), 1u);
}

TEST_P(CastStoreTest, AnUnlistedCredentialIsRefusedAndLeavesNoEmargement) {
  BallotRecord unlisted = Ballot(1);
  unlisted.credential = "credential-not-listed";
  auto st = stores_.cast->RecordVote(Emargement(1), unlisted);
  EXPECT_ERROR_CODE(st, "urne.credential_unknown");
  EXPECT_NE(st.error().message.find("CSA-MIN"), std::string::npos) << st.error().message;
  EXPECT_FALSE(*stores_.emargement->HasVoted("E2026", "CSA-MIN", MakeVoter(1).matricule));
  EXPECT_EQ(*stores_.emargement->Count("E2026", "CSA-MIN"), 0u);
  EXPECT_EQ(*stores_.urne->Count("E2026", "CSA-MIN"), 0u);

  // Credentials are per scrutin: one listed in CAP-A does not vote in CSA-MIN,
  // and one of CSA-MIN does not vote in CAP-A.
  ASSERT_OK(stores_.urne->AddPublicCredentials("E2026", "CAP-A",
                                               std::vector<std::string>{"credential-cap"}));
  unlisted.credential = "credential-cap";
  EXPECT_ERROR_CODE(stores_.cast->RecordVote(Emargement(1), unlisted), "urne.credential_unknown");
  EmargementRecord cap_emargement = Emargement(1);
  cap_emargement.scrutin = "CAP-A";
  BallotRecord cap_ballot = Ballot(1);
  cap_ballot.scrutin = "CAP-A";
  EXPECT_ERROR_CODE(stores_.cast->RecordVote(cap_emargement, cap_ballot),
                    "urne.credential_unknown");
  cap_ballot.credential = "credential-cap";
  ASSERT_OK(stores_.cast->RecordVote(cap_emargement, cap_ballot));
  EXPECT_EQ(*stores_.emargement->Count("E2026", "CSA-MIN"), 0u);
  EXPECT_EQ(*stores_.emargement->Count("E2026", "CAP-A"), 1u);
  EXPECT_EQ(*stores_.urne->Count("E2026", "CSA-MIN"), 0u);

  // The voter can still vote with a listed credential.
  ASSERT_OK(stores_.cast->RecordVote(Emargement(1), Ballot(1)));
  EXPECT_EQ(*stores_.emargement->Count("E2026", "CSA-MIN"), 1u);
}

TEST_P(CastStoreTest, ARevokedCredentialIsRefusedAndLeavesNoEmargement) {
  ASSERT_OK(
      stores_.urne->RevokePublicCredential("E2026", "CSA-MIN", Ballot(1).credential, 1764580000));
  auto st = stores_.cast->RecordVote(Emargement(1), Ballot(1));
  EXPECT_ERROR_CODE(st, "urne.credential_revoked");
  EXPECT_FALSE(*stores_.emargement->HasVoted("E2026", "CSA-MIN", MakeVoter(1).matricule));
  EXPECT_EQ(*stores_.emargement->Count("E2026", "CSA-MIN"), 0u);
  EXPECT_FALSE(stores_.urne->Find("E2026", "CSA-MIN", Ballot(1).tracker)->has_value());
  EXPECT_EQ(*stores_.urne->Count("E2026", "CSA-MIN"), 0u);

  // The voter's new key: its credential is added to the list, and votes.
  BallotRecord renewed = Ballot(1);
  renewed.credential = "credential-1-renewed";
  ASSERT_OK(stores_.urne->AddPublicCredentials("E2026", "CSA-MIN",
                                               std::vector<std::string>{renewed.credential}));
  ASSERT_OK(stores_.cast->RecordVote(Emargement(1), renewed));
  EXPECT_EQ(*stores_.emargement->Count("E2026", "CSA-MIN"), 1u);
  EXPECT_EQ(*stores_.urne->Count("E2026", "CSA-MIN"), 1u);

  // A credential revoked after it voted keeps its ballot (the revocation is
  // recorded; the urne is append-only).
  ASSERT_OK(
      stores_.urne->RevokePublicCredential("E2026", "CSA-MIN", renewed.credential, 1764590000));
  EXPECT_EQ(*stores_.urne->Count("E2026", "CSA-MIN"), 1u);
  ASSERT_OK(stores_.cast->RecordVote(Emargement(2), Ballot(2)));
  BallotRecord reused = Ballot(3);
  reused.credential = renewed.credential;
  EXPECT_ERROR_CODE(stores_.cast->RecordVote(Emargement(3), reused), "urne.credential_revoked");
  EXPECT_EQ(*stores_.emargement->Count("E2026", "CSA-MIN"), 2u);
  EXPECT_EQ(*stores_.urne->Count("E2026", "CSA-MIN"), 2u);
}

// A cast that has checked its credential holds it until it commits: a
// revocation of that credential waits, so that no ballot is accepted with a
// credential revoked before the ballot is written.
TEST_P(CastStoreTest, ARevocationWaitsForACastInProgress) {
  std::unique_ptr<internal::Db> db;
  if (GetParam() == Backend::kSqlite) {
    // As the cast writer connects: emargement.db with urne.db attached.
    db = internal::Db::OpenSqlite(loc().config().data_dir + "/emargement.db", /*wal=*/false);
    db->Exec("ATTACH DATABASE '" + loc().config().data_dir + "/urne.db' AS isoloir_urne");
  } else {
    db = loc().RoleDb(StoreKind::kCast);
  }
  const std::string credential = Ballot(5).credential;
  std::atomic<bool> revoked{false};
  Status revocation = Status::Ok();
  {
    internal::Transaction tx(*db);
    ASSERT_EQ(internal::LockAndCheckCredential(*db, "isoloir_urne.", "E2026", "CSA-MIN", credential,
                                               /*exclusive=*/false),
              CredentialStatus::kValid);
    std::thread revoker([&] {
      revocation = stores_.urne->RevokePublicCredential("E2026", "CSA-MIN", credential, 7);
      revoked = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    EXPECT_FALSE(revoked.load()) << "the revocation did not wait for the cast";
    tx.Commit();
    revoker.join();
  }
  EXPECT_TRUE(revoked.load());
  EXPECT_OK(revocation);
  EXPECT_EQ(*stores_.urne->CheckCredential("E2026", "CSA-MIN", credential),
            CredentialStatus::kRevoked);
  EXPECT_ERROR_CODE(stores_.cast->RecordVote(Emargement(5), Ballot(5)), "urne.credential_revoked");
  // Another credential is not held up.
  ASSERT_OK(stores_.cast->RecordVote(Emargement(6), Ballot(6)));
}

TEST_P(CastStoreTest, RowsOfDifferentScrutinsAreRefused) {
  BallotRecord other = Ballot(1);
  other.scrutin = "CAP-A";
  EXPECT_ERROR_CODE(stores_.cast->RecordVote(Emargement(1), other), "cast.mismatch");
  EXPECT_EQ(*stores_.emargement->Count("E2026", "CSA-MIN"), 0u);
}

TEST_P(CastStoreTest, JournalModesAllowAnAtomicCast) {
  if (GetParam() != Backend::kSqlite) GTEST_SKIP() << "SQLite journal modes";
  // emargement.db and urne.db keep a rollback journal (a commit across
  // ATTACHed files is atomic only then); roll.db and audit.db use WAL.
  for (auto [file, expected] : {std::pair{"emargement.db", "delete"},
                                {"urne.db", "delete"},
                                {"roll.db", "wal"},
                                {"audit.db", "wal"}}) {
    soci::session raw(soci::sqlite3, "db=" + loc().config().data_dir + "/" + file);
    std::string mode;
    raw << "PRAGMA journal_mode", soci::into(mode);
    EXPECT_EQ(mode, expected) << file;
  }
}

// Kills a process that is casting votes, at random moments, again and again:
// every émargement must have its ballot and every ballot its émargement, so
// the counts stay equal (the BVE's check: votes = émargements).
TEST_P(CastStoreTest, KillingTheWriterNeverSplitsAVote) {
  stores_ = Stores{};  // no connection of ours across fork()
  std::mt19937 rng(20261201);
  size_t next = 0;
  size_t listed = 100;  // SetUp listed the credentials of ballots 0..99
  int interrupted = 0;
  for (int round = 0; round < 8; ++round) {
    const size_t first = next;
    {
      // List the credentials this round's writer may use (and close the
      // connection before fork()).
      auto urne = OpenUrneStore(loc().config());
      ASSERT_OK(urne);
      ASSERT_OK(
          (*urne)->AddPublicCredentials("E2026", "CSA-MIN", Credentials(listed, first + 100000)));
      listed = first + 100000;
    }
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto cast = OpenCastStore(loc().config());
      if (!cast) ::_exit(2);
      for (size_t i = first; i < first + 100000; ++i) {
        if (!(*cast)->RecordVote(Emargement(i), Ballot(i))) ::_exit(3);
      }
      ::_exit(0);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(150 + rng() % 250));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) ++interrupted;
    ASSERT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << "writer failed";

    auto em = OpenEmargementStore(loc().config());
    auto urne = OpenUrneStore(loc().config());
    ASSERT_OK(em);
    ASSERT_OK(urne);
    const uint64_t votes = *(*em)->Count("E2026", "CSA-MIN");
    ASSERT_EQ(votes, *(*urne)->Count("E2026", "CSA-MIN")) << "round " << round;
    next = votes;  // the next writer carries on after the last full vote
    if (votes > first) {
      EXPECT_TRUE(*(*em)->HasVoted("E2026", "CSA-MIN", MakeVoter(votes - 1).matricule));
      EXPECT_TRUE((*urne)->Find("E2026", "CSA-MIN", Ballot(votes - 1).tracker)->has_value());
    }
  }
  EXPECT_GT(next, 0u);
  EXPECT_GT(interrupted, 0);
}

INSTANTIATE_BACKENDS(CastStoreTest);

}  // namespace
}  // namespace isoloir::store::testing
