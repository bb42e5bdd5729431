#include <gtest/gtest.h>

#include "test_support.h"

namespace isoloir::store::testing {
namespace {

// A statement the database must refuse; `expect` is a part of its message.
void ExpectRefused(internal::Db& db, const std::string& sql, const std::string& expect) {
  try {
    db.Exec(sql);
    ADD_FAILURE() << "accepted: " << sql;
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find(expect), std::string::npos) << e.what();
  }
}

class EmargementStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    auto r = OpenEmargementStore(loc().config());
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    store_ = std::move(*r);
  }
  std::unique_ptr<EmargementStore> store_;
};

TEST_P(EmargementStoreTest, RecordsAndAnswers) {
  ASSERT_OK(store_->Record({"E2026", "CSA-MIN", "M0000002", 1764583200}));
  ASSERT_OK(store_->Record({"E2026", "CSA-MIN", "M0000001", 1764583260}));
  ASSERT_OK(store_->Record({"E2026", "CAP-A", "M0000001", 1764583270}));
  ASSERT_OK(store_->Record({"OTHER", "CSA-MIN", "M0000003", 1764583280}));

  EXPECT_TRUE(*store_->HasVoted("E2026", "CSA-MIN", "M0000001"));
  EXPECT_TRUE(*store_->HasVoted("E2026", "CAP-A", "M0000001"));
  EXPECT_FALSE(*store_->HasVoted("E2026", "CAP-A", "M0000002"));
  EXPECT_FALSE(*store_->HasVoted("E2026", "CSA-MIN", "M0000003"));

  auto list = store_->List("E2026", "CSA-MIN");
  ASSERT_OK(list);
  EXPECT_EQ(*list, (std::vector<EmargementRecord>{{"E2026", "CSA-MIN", "M0000001", 1764583260},
                                                  {"E2026", "CSA-MIN", "M0000002", 1764583200}}));
  EXPECT_EQ(*store_->Count("E2026", "CSA-MIN"), 2u);
  EXPECT_EQ(*store_->Count("E2026", "CAP-A"), 1u);
  EXPECT_EQ(*store_->Count("E2026", "NONE"), 0u);
  EXPECT_TRUE(store_->List("E2026", "NONE")->empty());
}

TEST_P(EmargementStoreTest, SecondEmargementForTheSameVoterAndScrutinIsRefused) {
  ASSERT_OK(store_->Record({"E2026", "CSA-MIN", "M0000001", 100}));
  auto st = store_->Record({"E2026", "CSA-MIN", "M0000001", 200});
  EXPECT_ERROR_CODE(st, "emargement.already_voted");
  EXPECT_NE(st.error().message.find("M0000001"), std::string::npos);
  auto list = store_->List("E2026", "CSA-MIN");
  ASSERT_OK(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].time, 100);
  EXPECT_ERROR_CODE(store_->Record({"E2026", "", "M0000001", 1}), "store.invalid");
}

TEST_P(EmargementStoreTest, RowsCannotBeChangedOrRemoved) {
  ASSERT_OK(store_->Record({"E2026", "CSA-MIN", "M0000001", 100}));
  if (GetParam() == Backend::kSqlite) {
    auto db = loc().AdminDb(StoreKind::kEmargement);
    ExpectRefused(*db, "UPDATE emargements SET voted_at = 0", "append-only");
    ExpectRefused(*db, "DELETE FROM emargements", "append-only");
  } else {
    auto db = loc().RoleDb(StoreKind::kEmargement);
    ExpectRefused(*db, "UPDATE isoloir_emargement.emargements SET voted_at = 0",
                  "permission denied");
    ExpectRefused(*db, "DELETE FROM isoloir_emargement.emargements", "permission denied");
    ExpectRefused(*db, "TRUNCATE isoloir_emargement.emargements", "permission denied");
  }
  EXPECT_EQ(*store_->Count("E2026", "CSA-MIN"), 1u);
}

class UrneStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    auto r = OpenUrneStore(loc().config());
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    store_ = std::move(*r);
  }
  static BallotRecord Ballot(const std::string& scrutin, const std::string& tracker,
                             const std::string& credential) {
    return {"E2026", scrutin, tracker, credential,
            "{\"credential\":\"" + credential + "\",\"choices\":[]}"};
  }
  std::unique_ptr<UrneStore> store_;
};

TEST_P(UrneStoreTest, ListsBallotsInTrackerOrderWhateverTheInsertionOrder) {
  // Upper and lower case: the order is bytewise on both backends.
  const std::vector<std::string> trackers = {"m-tracker", "B-tracker", "z-tracker",
                                             "a-tracker", "Z-tracker", "0-tracker"};
  for (size_t i = 0; i < trackers.size(); ++i) {
    ASSERT_OK(store_->Append(Ballot("CSA-MIN", trackers[i], "cred" + std::to_string(i))));
  }
  ASSERT_OK(store_->Append(Ballot("CAP-A", "a-tracker", "cred0")));  // other scrutin: fine

  auto list = store_->List("E2026", "CSA-MIN");
  ASSERT_OK(list);
  std::vector<std::string> got;
  for (const auto& b : *list) got.push_back(b.tracker);
  EXPECT_EQ(got, (std::vector<std::string>{"0-tracker", "B-tracker", "Z-tracker", "a-tracker",
                                           "m-tracker", "z-tracker"}));
  EXPECT_EQ((*list)[1], Ballot("CSA-MIN", "B-tracker", "cred1"));

  auto page = store_->List("E2026", "CSA-MIN", "Z-tracker", 2);
  ASSERT_OK(page);
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].tracker, "a-tracker");
  EXPECT_EQ((*page)[1].tracker, "m-tracker");

  auto found = store_->Find("E2026", "CSA-MIN", "z-tracker");
  ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->credential, "cred2");
  EXPECT_FALSE(store_->Find("E2026", "CAP-A", "z-tracker")->has_value());
  EXPECT_EQ(*store_->Count("E2026", "CSA-MIN"), 6u);
  EXPECT_EQ(*store_->Count("E2026", "CAP-A"), 1u);
}

TEST_P(UrneStoreTest, ACredentialVotesOncePerScrutin) {
  ASSERT_OK(store_->Append(Ballot("CSA-MIN", "t1", "cred")));
  auto st = store_->Append(Ballot("CSA-MIN", "t2", "cred"));
  EXPECT_ERROR_CODE(st, "urne.credential_used");
  EXPECT_ERROR_CODE(store_->Append(Ballot("CSA-MIN", "t1", "other")), "urne.duplicate_tracker");
  EXPECT_EQ(*store_->Count("E2026", "CSA-MIN"), 1u);
  EXPECT_ERROR_CODE(store_->Append(Ballot("CSA-MIN", "", "x")), "store.invalid");
}

TEST_P(UrneStoreTest, BallotsCannotBeChangedRemovedOrReadInInsertionOrder) {
  ASSERT_OK(store_->Append(Ballot("CSA-MIN", "t1", "cred")));
  if (GetParam() == Backend::kSqlite) {
    auto db = loc().AdminDb(StoreKind::kUrne);
    ExpectRefused(*db, "UPDATE ballots SET ballot = '{}'", "append-only");
    ExpectRefused(*db, "DELETE FROM ballots", "append-only");
    ExpectRefused(*db, "SELECT rowid FROM ballots", "no such column");
  } else {
    auto db = loc().RoleDb(StoreKind::kUrne);
    ExpectRefused(*db, "UPDATE isoloir_urne.ballots SET ballot = '{}'", "permission denied");
    ExpectRefused(*db, "DELETE FROM isoloir_urne.ballots", "permission denied");
    ExpectRefused(*db, "TRUNCATE isoloir_urne.ballots", "permission denied");
    // The heap's order (ctid) and the inserting transaction (xmin) would
    // line ballots up with the émargement: the role only sees the view.
    ExpectRefused(*db, "SELECT xmin, ctid FROM isoloir_urne.ballots", "permission denied");
    ExpectRefused(*db, "SELECT xmin FROM isoloir_urne.ballots_by_tracker", "does not exist");
  }
  EXPECT_EQ(*store_->Count("E2026", "CSA-MIN"), 1u);
}

INSTANTIATE_BACKENDS(EmargementStoreTest);
INSTANTIATE_BACKENDS(UrneStoreTest);

}  // namespace
}  // namespace isoloir::store::testing
