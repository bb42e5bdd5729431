#include "store/migrations.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace isoloir::store::testing {
namespace {

using internal::SchemaOf;

class MigrationTest : public StoreTest {
 protected:
  int Version(StoreKind kind) {
    auto db = loc().AdminDb(kind);
    return internal::CurrentVersion(*db, SchemaOf(kind));
  }
};

TEST_P(MigrationTest, AFreshStoreIsAtThisBuildsVersion) {
  ASSERT_OK(OpenStores(loc().config()));
  EXPECT_EQ(SchemaOf(StoreKind::kRoll).latest(), 2);
  for (StoreKind kind :
       {StoreKind::kRoll, StoreKind::kEmargement, StoreKind::kUrne, StoreKind::kAudit}) {
    EXPECT_EQ(Version(kind), SchemaOf(kind).latest()) << StoreName(kind);
  }
  // Opening again changes nothing.
  ASSERT_OK(OpenStores(loc().config()));
  auto db = loc().AdminDb(StoreKind::kRoll);
  long long rows = 0;
  db->sql() << "SELECT count(*) FROM schema_version", soci::into(rows);
  EXPECT_EQ(rows, 2);
}

TEST_P(MigrationTest, AStoreFromANewerBuildIsRefused) {
  ASSERT_OK(OpenStores(loc().config()));
  loc()
      .AdminDb(StoreKind::kRoll)
      ->Exec(
          "INSERT INTO schema_version (version, applied_at, description) VALUES (3, 0, 'future')");
  auto roll = OpenRollStore(loc().config());
  ASSERT_FALSE(roll.ok());
  EXPECT_EQ(roll.error().code, "store.schema_too_new");
  const std::string expected =
      std::string(GetParam() == Backend::kSqlite ? "data folder" : "database") +
      " created by a newer Isoloir (schema 3, this build knows 2)";
  EXPECT_NE(roll.error().message.find(expected), std::string::npos) << roll.error().message;
  EXPECT_EQ(OpenRollStore(loc().AdminConfig()).error().code, "store.schema_too_new");
  EXPECT_EQ(OpenStores(loc().config()).error().code, "store.schema_too_new");

  // The cast writer checks both of its stores.
  loc()
      .AdminDb(StoreKind::kUrne)
      ->Exec(
          "INSERT INTO schema_version (version, applied_at, description) VALUES (2, 0, 'future')");
  auto cast = OpenCastStore(loc().config());
  ASSERT_FALSE(cast.ok());
  EXPECT_EQ(cast.error().code, "store.schema_too_new");
  EXPECT_NE(cast.error().message.find("(schema 2, this build knows 1)"), std::string::npos)
      << cast.error().message;
  EXPECT_EQ(OpenUrneStore(loc().config()).error().code, "store.schema_too_new");
  EXPECT_TRUE(OpenEmargementStore(loc().config()).ok());
}

TEST_P(MigrationTest, AnOlderStoreIsUpgradedInOrder) {
  // A roll store as the first release left it: schema 1, with data.
  {
    auto db = loc().AdminDb(StoreKind::kRoll);
    if (GetParam() == Backend::kPostgres) db->Exec("DROP SCHEMA isoloir_roll CASCADE");
    ASSERT_OK(internal::Migrate(*db, SchemaOf(StoreKind::kRoll), 1));
    EXPECT_EQ(internal::CurrentVersion(*db, SchemaOf(StoreKind::kRoll)), 1);
    db->Exec(
        "INSERT INTO elections (id, definition, fingerprint, created, roll_frozen, frozen_at)"
        " VALUES ('E2026', '{}', '" +
        Hex64('a') + "', 5, 0, 0)");
    db->Exec(
        "INSERT INTO voters (election_id, matricule, nom, prenom, naissance, courriel,"
        " adresse, section, scrutins) VALUES ('E2026', 'M1', 'Nom', 'Prénom', '1970-01-02',"
        " 'a@b.fr', 'ici', 'S', '[\"CSA-MIN\"]')");
    if (GetParam() == Backend::kPostgres) {
      // As provisioning left it for schema 1: the role may read the version.
      db->Exec("GRANT USAGE ON SCHEMA isoloir_roll TO isoloir_roll_rw");
      db->Exec("GRANT SELECT ON isoloir_roll.schema_version TO isoloir_roll_rw");
    }
  }
  if (GetParam() == Backend::kPostgres) {
    // The store's own role may not change the schema: it says who can.
    auto refused = OpenRollStore(loc().config());
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "store.schema_outdated");
    EXPECT_NE(refused.error().message.find("is at schema 1, this build needs 2"), std::string::npos)
        << refused.error().message;
    EXPECT_NE(refused.error().message.find("provisioning"), std::string::npos);
    ASSERT_OK(ProvisionPostgres(loc().database_conninfo()));
  }
  auto roll = OpenRollStore(loc().config());
  ASSERT_TRUE(roll.ok()) << roll.error().ToString();
  EXPECT_EQ(Version(StoreKind::kRoll), 2);
  auto voter = (*roll)->GetVoter("E2026", "M1");
  ASSERT_OK(voter);
  ASSERT_TRUE(voter->has_value());
  EXPECT_EQ((*voter)->prenom, "Prénom");
  // Version 2's tables work.
  ASSERT_OK((*roll)->PutCredentials("E2026",
                                    std::vector{CredentialRecord{"M1", 1, "00ff", "pv", "rv", 7}}));
  EXPECT_EQ((*(*roll)->GetCredential("E2026", "M1"))->password_verifier, "pv");

  auto db = loc().AdminDb(StoreKind::kRoll);
  std::vector<int> versions(5);
  std::vector<std::string> descriptions(5);
  db->sql() << "SELECT version, description FROM schema_version ORDER BY version",
      soci::into(versions), soci::into(descriptions);
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0], 1);
  EXPECT_EQ(versions[1], 2);
  EXPECT_EQ(descriptions[1], SchemaOf(StoreKind::kRoll).migrations[1].description);
}

TEST_P(MigrationTest, AnOlderStoreIsUpgradedByTheAdministratorConnection) {
  if (GetParam() != Backend::kPostgres) GTEST_SKIP() << "PostgreSQL only";
  {
    auto db = loc().AdminDb(StoreKind::kRoll);
    db->Exec("DROP SCHEMA isoloir_roll CASCADE");
    ASSERT_OK(internal::Migrate(*db, SchemaOf(StoreKind::kRoll), 1));
  }
  // Opening with the administrator's conninfo upgrades and grants.
  ASSERT_OK(OpenRollStore(loc().AdminConfig()));
  EXPECT_EQ(Version(StoreKind::kRoll), 2);
  auto roll = OpenRollStore(loc().config());
  ASSERT_TRUE(roll.ok()) << roll.error().ToString();
  EXPECT_OK((*roll)->ListElections());
}

INSTANTIATE_BACKENDS(MigrationTest);

}  // namespace
}  // namespace isoloir::store::testing
