#include <gtest/gtest.h>

#include <thread>

#include "test_support.h"

namespace isoloir::store::testing {
namespace {

class PortalStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    auto r = OpenPortalStore(loc().config());
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    store_ = std::move(*r);
  }
  std::unique_ptr<PortalStore> store_;
};

TEST_P(PortalStoreTest, SessionsLiveAndDie) {
  const SessionRecord a{Hex64('a'), "E2026", "M0000001", 100, 100};
  const SessionRecord b{Hex64('b'), "E2026", "M0000001", 110, 110};
  const SessionRecord c{Hex64('c'), "E2026", "M0000002", 120, 120};
  ASSERT_OK(store_->CreateSession(a));
  ASSERT_OK(store_->CreateSession(b));
  ASSERT_OK(store_->CreateSession(c));
  EXPECT_EQ(**store_->GetSession(Hex64('a')), a);
  EXPECT_FALSE(store_->GetSession(Hex64('d'))->has_value());

  ASSERT_OK(store_->TouchSession(Hex64('a'), 500));
  EXPECT_EQ((*store_->GetSession(Hex64('a')))->last_seen, 500);
  ASSERT_OK(store_->TouchSession(Hex64('a'), 400));  // never goes back
  EXPECT_EQ((*store_->GetSession(Hex64('a')))->last_seen, 500);

  ASSERT_OK(store_->DeleteSessionsOf("E2026", "M0000001"));
  EXPECT_FALSE(store_->GetSession(Hex64('a'))->has_value());
  EXPECT_FALSE(store_->GetSession(Hex64('b'))->has_value());
  EXPECT_TRUE(store_->GetSession(Hex64('c'))->has_value());

  auto purged = store_->PurgeSessions(121);
  ASSERT_OK(purged);
  EXPECT_EQ(*purged, 1u);
  EXPECT_FALSE(store_->GetSession(Hex64('c'))->has_value());

  ASSERT_OK(store_->CreateSession(a));
  EXPECT_FALSE(store_->CreateSession(a).ok());  // same id twice
  ASSERT_OK(store_->DeleteSession(Hex64('a')));
  EXPECT_FALSE(store_->GetSession(Hex64('a'))->has_value());
  EXPECT_ERROR_CODE(store_->CreateSession({"not-hex", "E", "M", 1, 1}), "store.invalid");
  EXPECT_ERROR_CODE(store_->CreateSession({Hex64('e'), "E", "", 1, 1}), "store.invalid");
}

TEST_P(PortalStoreTest, FailuresCountInAWindowAndLocksStay) {
  const int64_t w = 900;
  EXPECT_EQ(store_->GetAttempts("login", "M1", 0, w)->failures, 0);
  EXPECT_EQ(store_->AddFailure("login", "M1", 1000, w)->failures, 1);
  EXPECT_EQ(store_->AddFailure("login", "M1", 1100, w)->failures, 2);
  auto third = store_->AddFailure("login", "M1", 1899, w);
  ASSERT_OK(third);
  EXPECT_EQ(third->failures, 3);
  EXPECT_EQ(third->window_start, 1000);
  // Kinds and subjects are counted apart.
  EXPECT_EQ(store_->AddFailure("regeneration", "M1", 1100, w)->failures, 1);
  EXPECT_EQ(store_->AddFailure("login", "ip:127.0.0.1", 1100, w)->failures, 1);

  EXPECT_EQ(store_->GetAttempts("login", "M1", 1899, w)->failures, 3);
  EXPECT_EQ(store_->GetAttempts("login", "M1", 1900, w)->failures, 0);  // window passed
  auto fresh = store_->AddFailure("login", "M1", 1900, w);
  EXPECT_EQ(fresh->failures, 1);
  EXPECT_EQ(fresh->window_start, 1900);

  ASSERT_OK(store_->ClearFailures("login", "M1"));
  EXPECT_EQ(store_->GetAttempts("login", "M1", 1901, w)->failures, 0);

  ASSERT_OK(store_->Lock("regeneration", "M1", 2000));
  EXPECT_TRUE(store_->GetAttempts("regeneration", "M1", 999999, w)->locked);
  ASSERT_OK(store_->ClearFailures("regeneration", "M1"));
  EXPECT_TRUE(store_->GetAttempts("regeneration", "M1", 999999, w)->locked);
  ASSERT_OK(store_->Lock("regeneration", "M9", 2000));  // lock without failures
  EXPECT_TRUE(store_->GetAttempts("regeneration", "M9", 2001, w)->locked);
  ASSERT_OK(store_->Unlock("regeneration", "M1"));
  auto after = store_->GetAttempts("regeneration", "M1", 2001, w);
  EXPECT_FALSE(after->locked);
  EXPECT_EQ(after->failures, 0);
}

TEST_P(PortalStoreTest, ConcurrentFailuresAreAllCounted) {
  constexpr int kThreads = 4, kEach = 25;
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto s = OpenPortalStore(loc().config());
      if (!s) {
        ++errors;
        return;
      }
      for (int i = 0; i < kEach; ++i) {
        if (!(*s)->AddFailure("login", "M1", 1000 + i, 900)) ++errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(store_->GetAttempts("login", "M1", 1100, 900)->failures, kThreads * kEach);
}

TEST_P(PortalStoreTest, ElectionKeyIsWrittenOnce) {
  EXPECT_FALSE(store_->GetElectionKey("E2026")->has_value());
  const ElectionKeyRecord k{"E2026", "A-base64url-point", "{\"holders\":3}", 42};
  ASSERT_OK(store_->PutElectionKey(k));
  EXPECT_EQ(**store_->GetElectionKey("E2026"), k);
  EXPECT_ERROR_CODE(store_->PutElectionKey({"E2026", "other", "{}", 43}), "portal.key_exists");
  EXPECT_EQ(**store_->GetElectionKey("E2026"), k);
  EXPECT_ERROR_CODE(store_->PutElectionKey({"E2027", "", "{}", 43}), "store.invalid");
}

TEST_P(PortalStoreTest, VoteStateRecordsSuspensionWithReason) {
  auto none = store_->GetVoteState("E2026");
  ASSERT_OK(none);
  EXPECT_FALSE(none->suspended);
  EXPECT_EQ(none->since, 0);
  EXPECT_ERROR_CODE(store_->SetVoteState("E2026", {true, "", 10}), "store.invalid");
  ASSERT_OK(store_->SetVoteState("E2026", {true, "panne du relais SMTP", 10}));
  auto s = store_->GetVoteState("E2026");
  EXPECT_TRUE(s->suspended);
  EXPECT_EQ(s->reason, "panne du relais SMTP");
  EXPECT_EQ(s->since, 10);
  ASSERT_OK(store_->SetVoteState("E2026", {false, "", 20}));
  EXPECT_FALSE(store_->GetVoteState("E2026")->suspended);
}

INSTANTIATE_BACKENDS(PortalStoreTest);

}  // namespace
}  // namespace isoloir::store::testing
