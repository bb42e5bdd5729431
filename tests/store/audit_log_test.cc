#include <gtest/gtest.h>

#include "test_support.h"

namespace isoloir::store::testing {
namespace {

// Known answer for the hash of docs/storage.md, computed independently
// (Python hashlib over the documented serialisation).
TEST(AuditChain, HashFollowsTheDocumentedSerialisation) {
  AuditEntry e1{"E2026",
                1,
                1764576000,
                "president",
                "bve.seal",
                "{\"fragments\":3,\"scrutins\":[\"CSA-MIN\"]}",
                std::string(kAuditGenesisHash),
                ""};
  EXPECT_EQ(AuditEntryHash(e1), "cb5806798c93696a215278a344d3f5a6d547463c76c26c8d0afdbea86f787edf");
  e1.hash = AuditEntryHash(e1);
  AuditEntry e2{"E2026", 2, 1764576060, "cli:root", "roll.freeze", "{}", e1.hash, ""};
  EXPECT_EQ(AuditEntryHash(e2), "7cf36d1633c6b01264dac0d3a2bc81436ad4b95b8adf63d0a9f3d7cb9855c225");
  e2.hash = AuditEntryHash(e2);

  std::vector<AuditEntry> chain{e1, e2};
  auto check = VerifyAuditChain(chain);
  EXPECT_TRUE(check.intact());
  EXPECT_EQ(check.entries, 2u);
  EXPECT_EQ(check.head_hash, e2.hash);

  chain[0].actor = "someone else";
  check = VerifyAuditChain(chain);
  ASSERT_FALSE(check.intact());
  EXPECT_EQ(*check.first_broken, 1u);

  chain = {e2};
  check = VerifyAuditChain(chain);
  EXPECT_EQ(*check.first_broken, 1u);
  EXPECT_NE(check.reason.find("missing"), std::string::npos) << check.reason;
}

TEST(AuditChain, DetailsAreCanonicalAndNeverASecret) {
  EXPECT_EQ(*CanonicalAuditDetails("{ \"b\": 1, \"a\": [true, null, \"é\"] }"),
            "{\"a\":[true,null,\"é\"],\"b\":1}");
  EXPECT_EQ(*CanonicalAuditDetails(""), "{}");
  EXPECT_EQ(CanonicalAuditDetails("[1]").error().code, "audit.invalid_details");
  EXPECT_EQ(CanonicalAuditDetails("{").error().code, "audit.invalid_details");
  for (const char* bad : {"{\"password\":\"x\"}", "{\"a\":{\"Login_Verifier\":\"00\"}}",
                          "{\"list\":[{\"security_key\":\"k\"}]}", "{\"mot_de_passe\":1}",
                          "{\"passphrase\":1}", "{\"private_share\":1}", "{\"csrf_token\":1}"}) {
    auto r = CanonicalAuditDetails(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "audit.secret_in_details") << bad;
  }
}

class AuditLogTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    auto r = OpenAuditLog(loc().config());
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    log_ = std::move(*r);
  }
  std::unique_ptr<AuditLog> log_;
};

TEST_P(AuditLogTest, AppendsAChainPerElection) {
  auto e1 = log_->Append("E2026", 1764576000, "president", "bve.seal",
                         "{\"scrutins\": [\"CSA-MIN\"], \"fragments\": 3}");
  ASSERT_OK(e1);
  EXPECT_EQ(e1->seq, 1u);
  EXPECT_EQ(e1->prev_hash, kAuditGenesisHash);
  EXPECT_EQ(e1->details, "{\"fragments\":3,\"scrutins\":[\"CSA-MIN\"]}");
  EXPECT_EQ(e1->hash, "cb5806798c93696a215278a344d3f5a6d547463c76c26c8d0afdbea86f787edf");
  auto e2 = log_->Append("E2026", 1764576060, "cli:root", "roll.freeze", "");
  ASSERT_OK(e2);
  EXPECT_EQ(e2->seq, 2u);
  EXPECT_EQ(e2->prev_hash, e1->hash);
  ASSERT_OK(log_->Append("", 1764576070, "cli:root", "install", "{}"));
  ASSERT_OK(log_->Append("E2026", 1764576080, "portal", "vote.open", "{}"));

  auto list = log_->List("E2026");
  ASSERT_OK(list);
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0], *e1);
  EXPECT_EQ((*list)[1], *e2);
  auto after = log_->List("E2026", 1, 1);
  ASSERT_OK(after);
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].seq, 2u);
  EXPECT_EQ(log_->List("")->size(), 1u);

  auto check = log_->VerifyChain("E2026");
  ASSERT_OK(check);
  EXPECT_TRUE(check->intact()) << check->reason;
  EXPECT_EQ(check->entries, 3u);
  EXPECT_EQ(check->head_hash, list->back().hash);

  EXPECT_ERROR_CODE(log_->Append("E2026", 1, "x", "y", "{\"password\":\"hunter2\"}"),
                    "audit.secret_in_details");
  EXPECT_ERROR_CODE(log_->Append("E2026", 1, "", "y", "{}"), "store.invalid");
  EXPECT_EQ(log_->List("E2026")->size(), 3u);
}

TEST_P(AuditLogTest, VerifyChainNamesTheFirstModifiedEntry) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_OK(
        log_->Append("E2026", 1000 + i, "president", "step", "{\"n\":" + std::to_string(i) + "}"));
  }
  {
    // An administrator (or anyone with the file) rewrites entry 3.
    auto db = loc().AdminDb(StoreKind::kAudit);
    if (GetParam() == Backend::kSqlite) db->Exec("DROP TRIGGER entries_append_only_update");
    db->Exec("UPDATE entries SET details = '{\"n\":42}' WHERE election_id = 'E2026' AND seq = 3");
  }
  auto check = log_->VerifyChain("E2026");
  ASSERT_OK(check);
  ASSERT_FALSE(check->intact());
  EXPECT_EQ(*check->first_broken, 3u);
  EXPECT_EQ(check->entries, 2u);
  EXPECT_NE(check->reason.find("modified"), std::string::npos) << check->reason;

  {
    // Recomputing the entry's own hash does not help: the next link breaks.
    auto list = log_->List("E2026");
    AuditEntry e = (*list)[2];
    const std::string rehashed = AuditEntryHash(e);
    auto db = loc().AdminDb(StoreKind::kAudit);
    db->Exec("UPDATE entries SET hash = '" + rehashed +
             "' WHERE election_id = 'E2026' AND seq = 3");
  }
  check = log_->VerifyChain("E2026");
  ASSERT_OK(check);
  EXPECT_EQ(*check->first_broken, 4u);
}

TEST_P(AuditLogTest, VerifyChainNamesARemovedEntry) {
  for (int i = 0; i < 4; ++i) ASSERT_OK(log_->Append("E2026", 1000 + i, "a", "b", "{}"));
  {
    auto db = loc().AdminDb(StoreKind::kAudit);
    if (GetParam() == Backend::kSqlite) db->Exec("DROP TRIGGER entries_append_only_delete");
    db->Exec("DELETE FROM entries WHERE seq = 2");
  }
  auto check = log_->VerifyChain("E2026");
  ASSERT_OK(check);
  EXPECT_EQ(*check->first_broken, 2u);
}

TEST_P(AuditLogTest, EntriesCannotBeChangedThroughTheStoreRole) {
  ASSERT_OK(log_->Append("E2026", 1, "a", "b", "{}"));
  auto db = GetParam() == Backend::kSqlite ? loc().AdminDb(StoreKind::kAudit)
                                           : loc().RoleDb(StoreKind::kAudit);
  const std::string table = GetParam() == Backend::kSqlite ? "entries" : "isoloir_audit.entries";
  const std::string refusal = GetParam() == Backend::kSqlite ? "append-only" : "permission denied";
  for (const std::string& sql : {"UPDATE " + table + " SET actor = 'x'", "DELETE FROM " + table}) {
    try {
      db->Exec(sql);
      ADD_FAILURE() << "accepted: " << sql;
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()).find(refusal), std::string::npos) << e.what();
    }
  }
  EXPECT_TRUE(log_->VerifyChain("E2026")->intact());
}

INSTANTIATE_BACKENDS(AuditLogTest);

}  // namespace
}  // namespace isoloir::store::testing
