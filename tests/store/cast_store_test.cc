#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

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

class CastStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    auto s = OpenStores(loc().config());
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    stores_ = std::move(*s);
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
  int interrupted = 0;
  for (int round = 0; round < 8; ++round) {
    const size_t first = next;
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
