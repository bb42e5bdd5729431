// The urne's public credential list and its revocations (protocol §8.3).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "test_support.h"

namespace isoloir::store::testing {
namespace {

using Strings = std::vector<std::string>;

void ExpectRefused(internal::Db& db, const std::string& sql, const std::string& expect) {
  try {
    db.Exec(sql);
    ADD_FAILURE() << "accepted: " << sql;
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find(expect), std::string::npos) << e.what();
  }
}

// Looks like a public credential (base64url of a compressed point: 44 characters).
std::string Cred(size_t i) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  uint64_t x = i * 0x9E3779B97F4A7C15ull + 1;
  std::string out = "A";
  while (out.size() < 44) {
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ull;
    out += kAlphabet[(x >> 40) % 64];
  }
  return out;
}

Strings Creds(size_t n, size_t first = 0) {
  Strings out;
  for (size_t i = first; i < first + n; ++i) out.push_back(Cred(i));
  return out;
}

Strings Sorted(Strings v) {
  std::sort(v.begin(), v.end());
  return v;
}

class PublicCredentialsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    auto r = OpenUrneStore(loc().config());
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    urne_ = std::move(*r);
  }
  std::unique_ptr<UrneStore> urne_;
};

TEST_P(PublicCredentialsTest, ListedInBytewiseOrderWhateverTheInsertionOrder) {
  const Strings given = {"m-cred", "B-cred", "z-cred", "a-cred", "Z-cred", "0-cred", "_-cred"};
  ASSERT_OK(urne_->AddPublicCredentials("E2026", "CSA-MIN", given));
  ASSERT_OK(urne_->AddPublicCredentials("E2026", "CAP-A", Strings{"a-cred", "other"}));
  ASSERT_OK(urne_->AddPublicCredentials("OTHER", "CSA-MIN", Strings{"zz"}));

  auto list = urne_->ListPublicCredentials("E2026", "CSA-MIN");
  ASSERT_OK(list);
  EXPECT_EQ(*list, (Strings{"0-cred", "B-cred", "Z-cred", "_-cred", "a-cred", "m-cred", "z-cred"}));
  EXPECT_EQ(*urne_->CountPublicCredentials("E2026", "CSA-MIN"), 7u);
  EXPECT_EQ(*urne_->CountPublicCredentials("E2026", "CAP-A"), 2u);
  EXPECT_EQ(*urne_->CountPublicCredentials("E2026", "NONE"), 0u);
  EXPECT_TRUE(urne_->ListPublicCredentials("E2026", "NONE")->empty());

  // More can be added later (a voter's new key); the list stays sorted.
  ASSERT_OK(urne_->AddPublicCredentials("E2026", "CSA-MIN", Strings{"c-cred", "1-cred"}));
  EXPECT_EQ(*urne_->ListPublicCredentials("E2026", "CSA-MIN"),
            (Strings{"0-cred", "1-cred", "B-cred", "Z-cred", "_-cred", "a-cred", "c-cred", "m-cred",
                     "z-cred"}));
  ASSERT_OK(urne_->AddPublicCredentials("E2026", "CSA-MIN", Strings{}));
  EXPECT_EQ(*urne_->CountPublicCredentials("E2026", "CSA-MIN"), 9u);
}

TEST_P(PublicCredentialsTest, ListingPagesThroughMoreThanOneFetch) {
  Strings creds = Creds(25000);
  std::shuffle(creds.begin(), creds.end(), std::mt19937(7));
  ASSERT_OK(urne_->AddPublicCredentials("E2026", "CSA-MIN", creds));
  auto list = urne_->ListPublicCredentials("E2026", "CSA-MIN");
  ASSERT_OK(list);
  EXPECT_EQ(*list, Sorted(creds));
  EXPECT_EQ(*urne_->CountPublicCredentials("E2026", "CSA-MIN"), 25000u);
}

TEST_P(PublicCredentialsTest, ADuplicateRefusesTheWholeBatch) {
  ASSERT_OK(urne_->AddPublicCredentials("E2026", "CSA-MIN", Creds(100)));

  // One credential of the batch is already listed: nothing is added.
  Strings batch = Creds(50, 1000);
  batch.push_back(Cred(42));
  batch.push_back(Cred(7));
  auto st = urne_->AddPublicCredentials("E2026", "CSA-MIN", batch);
  EXPECT_ERROR_CODE(st, "urne.credential_duplicate");
  const std::string first = std::min(Cred(42), Cred(7));
  EXPECT_NE(st.error().message.find(first), std::string::npos) << st.error().message;
  EXPECT_EQ(*urne_->CountPublicCredentials("E2026", "CSA-MIN"), 100u);
  EXPECT_EQ(*urne_->CheckCredential("E2026", "CSA-MIN", Cred(1000)), CredentialStatus::kUnknown);

  // Twice in the same batch.
  batch = Creds(5, 2000);
  batch.push_back(Cred(2001));
  st = urne_->AddPublicCredentials("E2026", "CSA-MIN", batch);
  EXPECT_ERROR_CODE(st, "urne.credential_duplicate");
  EXPECT_NE(st.error().message.find("credentials 2 and 6"), std::string::npos)
      << st.error().message;
  EXPECT_EQ(*urne_->CountPublicCredentials("E2026", "CSA-MIN"), 100u);

  // The same credential in another scrutin is another entry.
  ASSERT_OK(urne_->AddPublicCredentials("E2026", "CAP-A", Strings{Cred(42)}));

  EXPECT_ERROR_CODE(urne_->AddPublicCredentials("E2026", "CSA-MIN", Strings{"ok", ""}),
                    "store.invalid");
  EXPECT_ERROR_CODE(urne_->AddPublicCredentials("E2026", "CSA-MIN", Strings{"bad\xff"}),
                    "store.invalid");
  EXPECT_ERROR_CODE(urne_->AddPublicCredentials("E2026", "", Strings{"x"}), "store.invalid");
  EXPECT_EQ(*urne_->CountPublicCredentials("E2026", "CSA-MIN"), 100u);
  // The store still works after a refused batch.
  ASSERT_OK(urne_->AddPublicCredentials("E2026", "CSA-MIN", Creds(3, 3000)));
  EXPECT_EQ(*urne_->CountPublicCredentials("E2026", "CSA-MIN"), 103u);
}

TEST_P(PublicCredentialsTest, ALargeRefusedBatchNamesTheFirstListedCredential) {
  // Large enough for the store to walk the stored list rather than look each
  // credential up (PostgreSQL), across more than one page of it.
  ASSERT_OK(urne_->AddPublicCredentials("E2026", "CSA-MIN", Creds(25000)));
  Strings batch = Creds(6000, 100000);
  batch.push_back(Cred(24000));
  batch.push_back(Cred(12345));
  std::shuffle(batch.begin(), batch.end(), std::mt19937(3));
  auto st = urne_->AddPublicCredentials("E2026", "CSA-MIN", batch);
  EXPECT_ERROR_CODE(st, "urne.credential_duplicate");
  const std::string first = std::min(Cred(24000), Cred(12345));
  EXPECT_NE(st.error().message.find("\"" + first + "\""), std::string::npos) << st.error().message;
  EXPECT_EQ(*urne_->CountPublicCredentials("E2026", "CSA-MIN"), 25000u);
  // Only the last stored credential is in the batch: found at the very end.
  batch = Creds(6000, 100000);
  const Strings stored = Sorted(Creds(25000));
  batch.push_back(stored.back());
  st = urne_->AddPublicCredentials("E2026", "CSA-MIN", batch);
  EXPECT_ERROR_CODE(st, "urne.credential_duplicate");
  EXPECT_NE(st.error().message.find("\"" + stored.back() + "\""), std::string::npos)
      << st.error().message;
  ASSERT_OK(urne_->AddPublicCredentials("E2026", "CSA-MIN", Creds(6000, 100000)));
  EXPECT_EQ(*urne_->CountPublicCredentials("E2026", "CSA-MIN"), 31000u);
}

TEST_P(PublicCredentialsTest, RevocationsAreRecordedOnceForListedCredentials) {
  ASSERT_OK(urne_->AddPublicCredentials("E2026", "CSA-MIN", Strings{"c1", "c2", "c3", "C0"}));
  EXPECT_EQ(*urne_->CheckCredential("E2026", "CSA-MIN", "c2"), CredentialStatus::kValid);
  EXPECT_EQ(*urne_->CheckCredential("E2026", "CSA-MIN", "nope"), CredentialStatus::kUnknown);
  EXPECT_EQ(*urne_->CheckCredential("E2026", "CAP-A", "c2"), CredentialStatus::kUnknown);

  ASSERT_OK(urne_->RevokePublicCredential("E2026", "CSA-MIN", "c3", 1764580300));
  ASSERT_OK(urne_->RevokePublicCredential("E2026", "CSA-MIN", "c2", 1764580200));
  ASSERT_OK(urne_->RevokePublicCredential("E2026", "CSA-MIN", "C0", 1764580100));
  EXPECT_EQ(*urne_->CheckCredential("E2026", "CSA-MIN", "c2"), CredentialStatus::kRevoked);
  EXPECT_EQ(*urne_->CheckCredential("E2026", "CSA-MIN", "c1"), CredentialStatus::kValid);

  auto st = urne_->RevokePublicCredential("E2026", "CSA-MIN", "c2", 1764590000);
  EXPECT_ERROR_CODE(st, "urne.credential_revoked");
  EXPECT_ERROR_CODE(urne_->RevokePublicCredential("E2026", "CSA-MIN", "nope", 1),
                    "urne.credential_unknown");
  EXPECT_ERROR_CODE(urne_->RevokePublicCredential("E2026", "CAP-A", "c1", 1),
                    "urne.credential_unknown");
  EXPECT_ERROR_CODE(urne_->RevokePublicCredential("E2026", "CSA-MIN", "", 1), "store.invalid");

  auto revoked = urne_->ListRevocations("E2026", "CSA-MIN");
  ASSERT_OK(revoked);
  EXPECT_EQ(*revoked,
            (std::vector<Revocation>{{"C0", 1764580100}, {"c2", 1764580200}, {"c3", 1764580300}}));
  EXPECT_TRUE(urne_->ListRevocations("E2026", "CAP-A")->empty());
  // A revoked credential stays in the public list.
  EXPECT_EQ(*urne_->ListPublicCredentials("E2026", "CSA-MIN"), (Strings{"C0", "c1", "c2", "c3"}));
  EXPECT_EQ(*urne_->CountPublicCredentials("E2026", "CSA-MIN"), 4u);
  // And cannot be listed again.
  EXPECT_ERROR_CODE(urne_->AddPublicCredentials("E2026", "CSA-MIN", Strings{"c2"}),
                    "urne.credential_duplicate");
}

TEST_P(PublicCredentialsTest, CannotBeChangedRemovedOrReadInInsertionOrder) {
  ASSERT_OK(urne_->AddPublicCredentials("E2026", "CSA-MIN", Strings{"c1", "c2"}));
  ASSERT_OK(urne_->RevokePublicCredential("E2026", "CSA-MIN", "c1", 5));
  if (GetParam() == Backend::kSqlite) {
    auto db = loc().AdminDb(StoreKind::kUrne);
    for (const std::string table : {"credentials", "revocations"}) {
      ExpectRefused(*db, "UPDATE " + table + " SET credential = 'x'", "append-only");
      ExpectRefused(*db, "DELETE FROM " + table, "append-only");
      ExpectRefused(*db, "SELECT rowid FROM " + table, "no such column");
    }
    // A revocation names a listed credential (foreign key), whoever writes.
    ExpectRefused(*db,
                  "INSERT INTO revocations (election_id, scrutin, credential, revoked_at)"
                  " VALUES ('E2026', 'CSA-MIN', 'unlisted', 1)",
                  "FOREIGN KEY");
  } else {
    auto db = loc().RoleDb(StoreKind::kUrne);
    for (const std::string table : {"isoloir_urne.credentials", "isoloir_urne.revocations"}) {
      ExpectRefused(*db, "UPDATE " + table + " SET credential = 'x'", "permission denied");
      ExpectRefused(*db, "DELETE FROM " + table, "permission denied");
      ExpectRefused(*db, "TRUNCATE " + table, "permission denied");
      // The heap's order would show which credentials were added when.
      ExpectRefused(*db, "SELECT ctid, xmin, credential FROM " + table, "permission denied");
    }
    ExpectRefused(*db, "SELECT xmin FROM isoloir_urne.credentials_sorted", "does not exist");
    ExpectRefused(*db, "SELECT ctid FROM isoloir_urne.revocations_sorted", "does not exist");
    ExpectRefused(*db,
                  "INSERT INTO isoloir_urne.revocations (election_id, scrutin, credential,"
                  " revoked_at) VALUES ('E2026', 'CSA-MIN', 'unlisted', 1)",
                  "foreign key");
  }
  EXPECT_EQ(*urne_->ListPublicCredentials("E2026", "CSA-MIN"), (Strings{"c1", "c2"}));
  EXPECT_EQ(urne_->ListRevocations("E2026", "CSA-MIN")->size(), 1u);
}

TEST_P(PublicCredentialsTest, RowsAreStoredInCredentialOrder) {
  // Given in the roll's order, stored in credential order: even the
  // administrator reading the heap (PostgreSQL) sees no trace of the roll.
  Strings creds = Creds(3000);
  std::shuffle(creds.begin(), creds.end(), std::mt19937(11));
  ASSERT_OK(urne_->AddPublicCredentials("E2026", "CSA-MIN", creds));
  auto db = loc().AdminDb(StoreKind::kUrne);
  std::vector<std::string> physical(creds.size() + 1);
  // No ORDER BY: the table's own order (heap on PostgreSQL, key on SQLite).
  db->sql() << "SELECT credential FROM credentials", soci::into(physical);
  EXPECT_EQ(physical, Sorted(creds));
}

INSTANTIATE_BACKENDS(PublicCredentialsTest);

}  // namespace
}  // namespace isoloir::store::testing
