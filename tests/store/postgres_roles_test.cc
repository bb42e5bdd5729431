// PostgreSQL only: the roles of docs/storage.md really keep the stores apart.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <map>

#include "test_support.h"

namespace isoloir::store::testing {
namespace {

class PostgresRoles : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PostgresAdminConninfo().empty()) GTEST_SKIP() << kNoPostgres;
    loc_ = std::make_unique<TestLocation>(Backend::kPostgres);
    auto s = OpenStores(loc_->config());
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    stores_ = std::move(*s);
    ASSERT_OK(stores_.roll->PutElection({"E2026", "{}", Hex64('a'), 1, false, 0}));
    ASSERT_OK(stores_.roll->ReplaceRoll("E2026", MakeVoters(3)));
    ASSERT_OK(stores_.roll->PutReassortVerifiers(
        "E2026", std::vector<ReassortRecord>{{"M0000001", "v1:reassort"}}));
    ASSERT_OK(
        stores_.urne->AddPublicCredentials("E2026", "CSA-MIN", std::vector<std::string>{"c", "d"}));
    ASSERT_OK(stores_.urne->RevokePublicCredential("E2026", "CSA-MIN", "d", 4));
    ASSERT_OK(stores_.cast->RecordVote({"E2026", "CSA-MIN", "M0000001", 5},
                                       {"E2026", "CSA-MIN", "t", "c", "{}"}));
    ASSERT_TRUE(stores_.audit->Append("E2026", 5, "a", "b", "{}").ok());
  }

  // "ok", or the SQLSTATE of the refusal.
  std::string Try(StoreKind role, const std::string& sql) {
    auto db = loc_->RoleDb(role);
    try {
      db->Exec(sql);
      return "ok";
    } catch (const soci::postgresql_soci_error& e) {
      return e.sqlstate();
    }
  }

  std::unique_ptr<TestLocation> loc_;
  Stores stores_;
};

TEST_F(PostgresRoles, EachRoleReadsOnlyItsOwnStore) {
  const std::vector<std::string> tables = {"isoloir_roll.voters",
                                           "isoloir_roll.credentials",
                                           "isoloir_roll.elections",
                                           "isoloir_roll.reassort",
                                           "isoloir_emargement.emargements",
                                           "isoloir_urne.ballots",
                                           "isoloir_urne.ballots_by_tracker",
                                           "isoloir_urne.credentials",
                                           "isoloir_urne.revocations",
                                           "isoloir_urne.credentials_sorted",
                                           "isoloir_urne.revocations_sorted",
                                           "isoloir_audit.entries",
                                           "isoloir_portal.sessions",
                                           "isoloir_portal.attempts",
                                           "isoloir_portal.election_keys",
                                           "isoloir_portal.ceremony_messages"};
  const std::map<StoreKind, std::vector<std::string>> readable = {
      {StoreKind::kRoll,
       {"isoloir_roll.voters", "isoloir_roll.credentials", "isoloir_roll.elections",
        "isoloir_roll.reassort"}},
      {StoreKind::kEmargement, {"isoloir_emargement.emargements"}},
      {StoreKind::kUrne,
       {"isoloir_urne.ballots_by_tracker", "isoloir_urne.credentials_sorted",
        "isoloir_urne.revocations_sorted"}},
      {StoreKind::kAudit, {"isoloir_audit.entries"}},
      // The public credential list and revocations only (RecordVote checks
      // the credential): not the ballots, not the émargement, not the roll.
      {StoreKind::kCast, {"isoloir_urne.credentials_sorted", "isoloir_urne.revocations_sorted"}},
      // Sessions name voters: nobody else reads them, and the portal's role
      // reads neither the roll nor the urne.
      {StoreKind::kPortal,
       {"isoloir_portal.sessions", "isoloir_portal.attempts", "isoloir_portal.election_keys",
        "isoloir_portal.ceremony_messages"}},
  };
  for (const auto& [role, allowed] : readable) {
    for (const auto& table : tables) {
      const bool may = std::find(allowed.begin(), allowed.end(), table) != allowed.end();
      EXPECT_EQ(Try(role, "SELECT count(*) FROM " + table), may ? "ok" : "42501")
          << PostgresRole(role) << " reading " << table;
    }
  }
  // In particular: the urne's role cannot read the roll, nor the roll's the urne.
  EXPECT_EQ(Try(StoreKind::kUrne, "SELECT matricule FROM isoloir_roll.voters"), "42501");
  EXPECT_EQ(Try(StoreKind::kRoll, "SELECT tracker FROM isoloir_urne.ballots_by_tracker"), "42501");
  EXPECT_EQ(Try(StoreKind::kEmargement, "SELECT tracker FROM isoloir_urne.ballots_by_tracker"),
            "42501");
  EXPECT_EQ(Try(StoreKind::kUrne, "SELECT matricule FROM isoloir_emargement.emargements"), "42501");
  EXPECT_EQ(Try(StoreKind::kUrne, "SELECT verifier FROM isoloir_roll.reassort"), "42501");
  EXPECT_EQ(Try(StoreKind::kCast, "SELECT verifier FROM isoloir_roll.reassort"), "42501");
  // The cast writer may list credentials but not add or revoke them.
  EXPECT_EQ(Try(StoreKind::kCast,
                "INSERT INTO isoloir_urne.credentials VALUES ('E2026', 'CSA-MIN', 'forged')"),
            "42501");
  EXPECT_EQ(Try(StoreKind::kCast,
                "INSERT INTO isoloir_urne.revocations VALUES ('E2026', 'CSA-MIN', 'c', 1)"),
            "42501");
  EXPECT_EQ(Try(StoreKind::kRoll,
                "INSERT INTO isoloir_urne.credentials VALUES ('E2026', 'CSA-MIN', 'forged')"),
            "42501");
  EXPECT_EQ(Try(StoreKind::kUrne,
                "INSERT INTO isoloir_urne.credentials VALUES ('E2026',"
                " 'CSA-MIN', 'added')"),
            "ok");
}

TEST_F(PostgresRoles, AppendOnlyStoresRefuseUpdateAndDelete) {
  const std::vector<std::pair<StoreKind, std::string>> cases = {
      {StoreKind::kEmargement, "isoloir_emargement.emargements"},
      {StoreKind::kCast, "isoloir_emargement.emargements"},
      {StoreKind::kUrne, "isoloir_urne.ballots"},
      {StoreKind::kCast, "isoloir_urne.ballots"},
      {StoreKind::kAudit, "isoloir_audit.entries"},
      {StoreKind::kUrne, "isoloir_urne.credentials"},
      {StoreKind::kUrne, "isoloir_urne.revocations"},
      {StoreKind::kCast, "isoloir_urne.credentials"},
      {StoreKind::kCast, "isoloir_urne.revocations"},
      {StoreKind::kPortal, "isoloir_portal.election_keys"},
      {StoreKind::kPortal, "isoloir_portal.ceremony_messages"},
  };
  for (const auto& [role, table] : cases) {
    EXPECT_EQ(Try(role, "UPDATE " + table + " SET election_id = 'X'"), "42501") << table;
    EXPECT_EQ(Try(role, "DELETE FROM " + table), "42501") << table;
    EXPECT_EQ(Try(role, "TRUNCATE " + table), "42501") << table;
  }
  EXPECT_EQ(*stores_.emargement->Count("E2026", "CSA-MIN"), 1u);
  EXPECT_EQ(*stores_.urne->Count("E2026", "CSA-MIN"), 1u);
  EXPECT_EQ(*stores_.urne->CountPublicCredentials("E2026", "CSA-MIN"), 2u);
  EXPECT_EQ(stores_.urne->ListRevocations("E2026", "CSA-MIN")->size(), 1u);
  // The roll is not append-only (before freezing, it changes).
  EXPECT_EQ(Try(StoreKind::kRoll, "UPDATE isoloir_roll.voters SET section = section"), "ok");
}

TEST_F(PostgresRoles, RolesCannotChangeSchemasOrGrantThemselvesMore) {
  for (StoreKind role : {StoreKind::kRoll, StoreKind::kEmargement, StoreKind::kUrne,
                         StoreKind::kAudit, StoreKind::kCast, StoreKind::kPortal}) {
    EXPECT_EQ(Try(role, "CREATE TABLE isoloir_urne.copy (x int)"), "42501") << PostgresRole(role);
    EXPECT_EQ(Try(role, "ALTER TABLE isoloir_audit.entries DISABLE TRIGGER ALL"), "42501");
    EXPECT_EQ(Try(role, "CREATE TABLE public.leak (x int)"), "42501");
    // Without the grant option a GRANT grants nothing (PostgreSQL only warns
    // when the role holds the privilege itself).
    (void)Try(role, "GRANT SELECT ON isoloir_roll.voters TO isoloir_urne_rw");
    (void)Try(role, "GRANT SELECT ON isoloir_urne.ballots TO isoloir_roll_rw");
  }
  EXPECT_EQ(Try(StoreKind::kUrne, "SELECT count(*) FROM isoloir_roll.voters"), "42501");
  EXPECT_EQ(Try(StoreKind::kRoll, "SELECT count(*) FROM isoloir_urne.ballots"), "42501");
  auto admin = internal::Db::OpenPostgres(loc_->database_conninfo(), "");
  long long privileged = -1;
  admin->sql()
      << "SELECT count(*) FROM pg_roles WHERE rolname IN ('isoloir_roll_rw',"
         " 'isoloir_emargement_rw', 'isoloir_urne_rw', 'isoloir_audit_rw', 'isoloir_cast_w')"
         " AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls OR rolinherit)",
      soci::into(privileged);
  EXPECT_EQ(privileged, 0);
}

TEST_F(PostgresRoles, ProvisioningAgainChangesNothingAndKeepsData) {
  ASSERT_OK(ProvisionPostgres(loc_->database_conninfo()));
  auto s = OpenStores(loc_->config());
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(*s->roll->CountVoters("E2026"), 3u);
  EXPECT_EQ(*s->urne->Count("E2026", "CSA-MIN"), 1u);
  EXPECT_EQ(Try(StoreKind::kUrne, "SELECT count(*) FROM isoloir_roll.voters"), "42501");
}

TEST_F(PostgresRoles, AWrongPasswordIsRefused) {
  StoreConfig c = loc_->config();
  c.store_conninfo[StoreKind::kUrne] =
      ConninfoForRole(loc_->database_conninfo(), StoreKind::kUrne, "wrong").value();
  auto urne = OpenUrneStore(c);
  ASSERT_FALSE(urne.ok());
  EXPECT_NE(urne.error().message.find("password authentication failed"), std::string::npos)
      << urne.error().message;
  EXPECT_EQ(urne.error().message.find("wrong"), std::string::npos) << urne.error().message;
}

TEST_F(PostgresRoles, AStoreReconnectsAfterTheServerDropsItsConnection) {
  auto admin = internal::Db::OpenPostgres(loc_->database_conninfo(), "");
  admin->Exec(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
      " WHERE usename = 'isoloir_emargement_rw'");
  // The first call may fail (the loss shows only then); the next one reconnects.
  (void)stores_.emargement->Count("E2026", "CSA-MIN");
  auto n = stores_.emargement->Count("E2026", "CSA-MIN");
  ASSERT_OK(n);
  EXPECT_EQ(*n, 1u);
}

TEST(PostgresConninfo, KeywordsAreReplacedAndQuoted) {
  auto c = ConninfoWith("host=127.0.0.1 port=5432 user=admin dbname=postgres",
                        {{"user", "isoloir_urne_rw"}, {"password", "it's a \\ secret"}});
  ASSERT_OK(c);
  EXPECT_EQ(*c,
            "dbname='postgres' host='127.0.0.1' password='it\\'s a \\\\ secret' port='5432' "
            "user='isoloir_urne_rw'");
  char* err = nullptr;
  PQconninfoOption* o = PQconninfoParse(c->c_str(), &err);
  ASSERT_NE(o, nullptr);
  for (PQconninfoOption* p = o; p->keyword != nullptr; ++p) {
    if (std::string(p->keyword) == "password") {
      EXPECT_STREQ(p->val, "it's a \\ secret");
    }
  }
  PQconninfoFree(o);
  EXPECT_EQ(ConninfoWith("host='unterminated", {}).error().code, "store.config");
  EXPECT_EQ(*ConninfoForRole("host=h", StoreKind::kCast), "host='h' user='isoloir_cast_w'");
}

}  // namespace
}  // namespace isoloir::store::testing
