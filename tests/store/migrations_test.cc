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
  EXPECT_EQ(SchemaOf(StoreKind::kRoll).latest(), 3);
  EXPECT_EQ(SchemaOf(StoreKind::kEmargement).latest(), 1);
  EXPECT_EQ(SchemaOf(StoreKind::kUrne).latest(), 2);
  EXPECT_EQ(SchemaOf(StoreKind::kAudit).latest(), 1);
  for (StoreKind kind :
       {StoreKind::kRoll, StoreKind::kEmargement, StoreKind::kUrne, StoreKind::kAudit}) {
    EXPECT_EQ(Version(kind), SchemaOf(kind).latest()) << StoreName(kind);
  }
  // Opening again changes nothing.
  ASSERT_OK(OpenStores(loc().config()));
  auto db = loc().AdminDb(StoreKind::kRoll);
  long long rows = 0;
  db->sql() << "SELECT count(*) FROM schema_version", soci::into(rows);
  EXPECT_EQ(rows, 3);
  auto urne_db = loc().AdminDb(StoreKind::kUrne);
  urne_db->sql() << "SELECT count(*) FROM schema_version", soci::into(rows);
  EXPECT_EQ(rows, 2);
}

TEST_P(MigrationTest, AStoreFromANewerBuildIsRefused) {
  ASSERT_OK(OpenStores(loc().config()));
  loc()
      .AdminDb(StoreKind::kRoll)
      ->Exec(
          "INSERT INTO schema_version (version, applied_at, description) VALUES (4, 0, 'future')");
  auto roll = OpenRollStore(loc().config());
  ASSERT_FALSE(roll.ok());
  EXPECT_EQ(roll.error().code, "store.schema_too_new");
  const std::string expected =
      std::string(GetParam() == Backend::kSqlite ? "data folder" : "database") +
      " created by a newer Isoloir (schema 4, this build knows 3)";
  EXPECT_NE(roll.error().message.find(expected), std::string::npos) << roll.error().message;
  EXPECT_EQ(OpenRollStore(loc().AdminConfig()).error().code, "store.schema_too_new");
  EXPECT_EQ(OpenStores(loc().config()).error().code, "store.schema_too_new");

  // The cast writer checks both of its stores.
  loc()
      .AdminDb(StoreKind::kUrne)
      ->Exec(
          "INSERT INTO schema_version (version, applied_at, description) VALUES (3, 0, 'future')");
  auto cast = OpenCastStore(loc().config());
  ASSERT_FALSE(cast.ok());
  EXPECT_EQ(cast.error().code, "store.schema_too_new");
  EXPECT_NE(cast.error().message.find("(schema 3, this build knows 2)"), std::string::npos)
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
    EXPECT_NE(refused.error().message.find("is at schema 1, this build needs 3"), std::string::npos)
        << refused.error().message;
    EXPECT_NE(refused.error().message.find("provisioning"), std::string::npos);
    ASSERT_OK(ProvisionPostgres(loc().database_conninfo()));
  }
  auto roll = OpenRollStore(loc().config());
  ASSERT_TRUE(roll.ok()) << roll.error().ToString();
  EXPECT_EQ(Version(StoreKind::kRoll), 3);
  auto voter = (*roll)->GetVoter("E2026", "M1");
  ASSERT_OK(voter);
  ASSERT_TRUE(voter->has_value());
  EXPECT_EQ((*voter)->prenom, "Prénom");
  // Version 2's tables work.
  ASSERT_OK((*roll)->PutCredentials("E2026",
                                    std::vector{CredentialRecord{"M1", 1, "00ff", "pv", "rv", 7}}));
  EXPECT_EQ((*(*roll)->GetCredential("E2026", "M1"))->password_verifier, "pv");
  // And version 3's.
  ASSERT_OK((*roll)->PutReassortVerifiers("E2026", std::vector<ReassortRecord>{{"M1", "rv3"}}));
  EXPECT_EQ(**(*roll)->GetReassortVerifier("E2026", "M1"), "rv3");

  auto db = loc().AdminDb(StoreKind::kRoll);
  std::vector<int> versions(5);
  std::vector<std::string> descriptions(5);
  db->sql() << "SELECT version, description FROM schema_version ORDER BY version",
      soci::into(versions), soci::into(descriptions);
  ASSERT_EQ(versions.size(), 3u);
  EXPECT_EQ(versions[0], 1);
  EXPECT_EQ(versions[1], 2);
  EXPECT_EQ(versions[2], 3);
  EXPECT_EQ(descriptions[1], SchemaOf(StoreKind::kRoll).migrations[1].description);
  EXPECT_EQ(descriptions[2], "reassort verifiers");
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
  EXPECT_EQ(Version(StoreKind::kRoll), 3);
  auto roll = OpenRollStore(loc().config());
  ASSERT_TRUE(roll.ok()) << roll.error().ToString();
  EXPECT_OK((*roll)->ListElections());
}

TEST_P(MigrationTest, ARollWithCredentialsIsUpgradedToReassortVerifiers) {
  // A roll store at schema 2 (the previous release), with credentials.
  {
    auto db = loc().AdminDb(StoreKind::kRoll);
    if (GetParam() == Backend::kPostgres) db->Exec("DROP SCHEMA isoloir_roll CASCADE");
    ASSERT_OK(internal::Migrate(*db, SchemaOf(StoreKind::kRoll), 2));
    db->Exec(
        "INSERT INTO elections (id, definition, fingerprint, created, roll_frozen, frozen_at)"
        " VALUES ('E2026', '{}', '" +
        Hex64('a') + "', 5, 0, 0)");
    db->Exec(
        "INSERT INTO voters (election_id, matricule, nom, prenom, naissance, courriel,"
        " adresse, section, scrutins) VALUES ('E2026', 'M1', 'Nom', 'Prénom', '1970-01-02',"
        " 'a@b.fr', 'ici', 'S', '[\"CSA-MIN\"]')");
    db->Exec(
        "INSERT INTO credentials (election_id, matricule, generation, login_verifier,"
        " password_verifier, reassort_verifier, issued_at) VALUES ('E2026', 'M1', 1, '00ff',"
        " 'pv', 'rv', 7)");
    if (GetParam() == Backend::kPostgres) {
      // As provisioning left it for schema 2.
      db->Exec("GRANT USAGE ON SCHEMA isoloir_roll TO isoloir_roll_rw");
      db->Exec("GRANT SELECT ON isoloir_roll.schema_version TO isoloir_roll_rw");
      db->Exec(
          "GRANT SELECT, INSERT, UPDATE, DELETE ON isoloir_roll.elections, isoloir_roll.voters,"
          " isoloir_roll.credentials, isoloir_roll.deliveries TO isoloir_roll_rw");
    }
  }
  if (GetParam() == Backend::kPostgres) {
    auto refused = OpenRollStore(loc().config());
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "store.schema_outdated");
    EXPECT_NE(refused.error().message.find("is at schema 2, this build needs 3"), std::string::npos)
        << refused.error().message;
    ASSERT_OK(ProvisionPostgres(loc().database_conninfo()));
  }
  auto roll = OpenRollStore(loc().config());
  ASSERT_TRUE(roll.ok()) << roll.error().ToString();
  EXPECT_EQ(Version(StoreKind::kRoll), 3);
  EXPECT_EQ(**(*roll)->GetCredential("E2026", "M1"),
            (CredentialRecord{"M1", 1, "00ff", "pv", "rv", 7}));
  EXPECT_EQ((*roll)->ListCredentials("E2026")->size(), 1u);
  EXPECT_FALSE((*roll)->GetReassortVerifier("E2026", "M1")->has_value());
  ASSERT_OK((*roll)->PutReassortVerifiers("E2026", std::vector<ReassortRecord>{{"M1", "v1:x"}}));
  EXPECT_EQ(**(*roll)->GetReassortVerifier("E2026", "M1"), "v1:x");
}

TEST_P(MigrationTest, AnUrneWithBallotsIsUpgradedToPublicCredentials) {
  // An urne at schema 1 (the previous release), with a ballot.
  {
    auto db = loc().AdminDb(StoreKind::kUrne);
    if (GetParam() == Backend::kPostgres) db->Exec("DROP SCHEMA isoloir_urne CASCADE");
    ASSERT_OK(internal::Migrate(*db, SchemaOf(StoreKind::kUrne), 1));
    EXPECT_EQ(internal::CurrentVersion(*db, SchemaOf(StoreKind::kUrne)), 1);
    db->Exec(
        "INSERT INTO ballots (election_id, scrutin, tracker, credential, ballot)"
        " VALUES ('E2026', 'CSA-MIN', 't0', 'c0', '{}')");
    if (GetParam() == Backend::kPostgres) {
      // As provisioning left it for schema 1.
      for (const char* role : {"isoloir_urne_rw", "isoloir_cast_w"}) {
        db->Exec(std::string("GRANT USAGE ON SCHEMA isoloir_urne TO ") + role);
        db->Exec(std::string("GRANT SELECT ON isoloir_urne.schema_version TO ") + role);
      }
    }
  }
  if (GetParam() == Backend::kPostgres) {
    // Neither the urne's role nor the cast writer's may upgrade it.
    auto refused = OpenUrneStore(loc().config());
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "store.schema_outdated");
    EXPECT_NE(refused.error().message.find("is at schema 1, this build needs 2"), std::string::npos)
        << refused.error().message;
    auto cast = OpenCastStore(loc().config());
    ASSERT_FALSE(cast.ok());
    EXPECT_EQ(cast.error().code, "store.schema_outdated");
    ASSERT_OK(ProvisionPostgres(loc().database_conninfo()));
  }
  auto stores = OpenStores(loc().config());
  ASSERT_TRUE(stores.ok()) << stores.error().ToString();
  EXPECT_EQ(Version(StoreKind::kUrne), 2);
  EXPECT_EQ(*stores->urne->Count("E2026", "CSA-MIN"), 1u);
  EXPECT_TRUE(stores->urne->Find("E2026", "CSA-MIN", "t0")->has_value());
  ASSERT_OK(
      stores->urne->AddPublicCredentials("E2026", "CSA-MIN", std::vector<std::string>{"c1", "c2"}));
  ASSERT_OK(stores->urne->RevokePublicCredential("E2026", "CSA-MIN", "c2", 9));
  ASSERT_OK(stores->cast->RecordVote({"E2026", "CSA-MIN", "M1", 10},
                                     {"E2026", "CSA-MIN", "t1", "c1", "{}"}));
  EXPECT_ERROR_CODE(stores->cast->RecordVote({"E2026", "CSA-MIN", "M2", 11},
                                             {"E2026", "CSA-MIN", "t2", "c2", "{}"}),
                    "urne.credential_revoked");
  EXPECT_EQ(*stores->urne->Count("E2026", "CSA-MIN"), 2u);

  auto db = loc().AdminDb(StoreKind::kUrne);
  std::vector<std::string> descriptions(5);
  db->sql() << "SELECT description FROM schema_version ORDER BY version", soci::into(descriptions);
  EXPECT_EQ(descriptions,
            (std::vector<std::string>{"ballots", "public credentials and revocations"}));
}

INSTANTIATE_BACKENDS(MigrationTest);

}  // namespace
}  // namespace isoloir::store::testing
