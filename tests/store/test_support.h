// Test support: a fresh store location per test on either backend.
//
// SQLite: a new temporary data folder. PostgreSQL: a new database in the
// cluster named by ISOLOIR_TEST_PG (an administrator's conninfo, as
// scripts/with-postgres.sh exports it), provisioned with the store roles; the
// stores connect with their own roles. Without ISOLOIR_TEST_PG the
// PostgreSQL cases are skipped.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "election/model.h"
#include "store/db.h"
#include "store/provision.h"
#include "store/store.h"

namespace isoloir::store::testing {

// The PostgreSQL administrator's conninfo, or "" when PostgreSQL cases skip.
std::string PostgresAdminConninfo();
inline constexpr const char* kNoPostgres =
    "ISOLOIR_TEST_PG is not set: PostgreSQL case skipped (run the tests through "
    "scripts/with-postgres.sh, as ctest's store_tests_postgres does)";

class TestLocation {
 public:
  explicit TestLocation(Backend backend);
  ~TestLocation();
  TestLocation(const TestLocation&) = delete;
  TestLocation& operator=(const TestLocation&) = delete;

  Backend backend() const { return backend_; }
  // The configuration a deployment would use: on PostgreSQL each store
  // connects with its own role.
  const StoreConfig& config() const { return config_; }
  // Everything as the administrator (PostgreSQL) or the same files (SQLite).
  StoreConfig AdminConfig() const;
  // A raw connection to one store as the administrator (search_path set on
  // PostgreSQL), for tampering and inspection.
  std::unique_ptr<internal::Db> AdminDb(StoreKind kind) const;
  // A raw connection as a store's role (PostgreSQL only), search_path unset.
  std::unique_ptr<internal::Db> RoleDb(StoreKind kind) const;
  const std::string& database_conninfo() const { return db_conninfo_; }

 private:
  Backend backend_;
  std::string dir_;          // SQLite
  std::string db_name_;      // PostgreSQL
  std::string db_conninfo_;  // PostgreSQL, admin
  StoreConfig config_;
};

// Parameterised fixture: one instance per backend; PostgreSQL skipped
// without ISOLOIR_TEST_PG.
class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  TestLocation& loc() { return *loc_; }
  std::unique_ptr<TestLocation> loc_;
};

std::string BackendParamName(const ::testing::TestParamInfo<Backend>& info);

// Synthetic voters "M0000001"... with varied fields (accents, newlines in
// addresses, two scrutins for some).
election::Voter MakeVoter(size_t i);
std::vector<election::Voter> MakeVoters(size_t n, size_t first = 0);

std::string Hex64(char c);  // 64 copies of c

#define ASSERT_OK(expr)                              \
  do {                                               \
    const auto& _st = (expr);                        \
    ASSERT_TRUE(_st.ok()) << _st.error().ToString(); \
  } while (0)
#define EXPECT_OK(expr)                              \
  do {                                               \
    const auto& _st = (expr);                        \
    EXPECT_TRUE(_st.ok()) << _st.error().ToString(); \
  } while (0)
#define EXPECT_ERROR_CODE(expr, expected_code)                           \
  do {                                                                   \
    const auto& _st = (expr);                                            \
    ASSERT_FALSE(_st.ok()) << "expected " << (expected_code);            \
    EXPECT_EQ(_st.error().code, (expected_code)) << _st.error().message; \
  } while (0)

#define INSTANTIATE_BACKENDS(Fixture)                                               \
  INSTANTIATE_TEST_SUITE_P(Backends, Fixture,                                       \
                           ::testing::Values(Backend::kSqlite, Backend::kPostgres), \
                           BackendParamName)

}  // namespace isoloir::store::testing
