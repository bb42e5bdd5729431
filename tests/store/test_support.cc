#include "test_support.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>

namespace isoloir::store::testing {

namespace {

std::atomic<int> counter{0};

std::string RolePassword(StoreKind kind) {
  return "test-" + std::string(StoreName(kind)) + "-" + std::to_string(::getpid());
}

std::unique_ptr<internal::Db> AdminConnect(const std::string& conninfo) {
  return internal::Db::OpenPostgres(conninfo, "");
}

}  // namespace

std::string PostgresAdminConninfo() {
  const char* v = std::getenv("ISOLOIR_TEST_PG");
  return v != nullptr ? v : "";
}

TestLocation::TestLocation(Backend backend) : backend_(backend) {
  const int n = counter++;
  config_.backend = backend;
  if (backend == Backend::kSqlite) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "isoloir-store-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    config_.data_dir = dir_ + "/data";
    return;
  }
  const std::string admin = PostgresAdminConninfo();
  db_name_ = "isoloir_test_" + std::to_string(::getpid()) + "_" + std::to_string(n);
  AdminConnect(admin)->Exec("CREATE DATABASE " + db_name_);
  db_conninfo_ = ConninfoWith(admin, {{"dbname", db_name_}}).value();
  std::map<StoreKind, std::string> passwords;
  for (StoreKind kind : {StoreKind::kRoll, StoreKind::kEmargement, StoreKind::kUrne,
                         StoreKind::kAudit, StoreKind::kCast, StoreKind::kPortal}) {
    passwords[kind] = RolePassword(kind);
    config_.store_conninfo[kind] = ConninfoForRole(db_conninfo_, kind, passwords[kind]).value();
  }
  Status st = ProvisionPostgres(db_conninfo_, passwords);
  if (!st) throw std::runtime_error(st.error().ToString());
  // config_.conninfo stays empty: every store has its own role.
}

TestLocation::~TestLocation() {
  if (backend_ == Backend::kSqlite) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    return;
  }
  try {
    AdminConnect(PostgresAdminConninfo())
        ->Exec("DROP DATABASE IF EXISTS " + db_name_ + " WITH (FORCE)");
  } catch (...) {
  }
}

StoreConfig TestLocation::AdminConfig() const {
  StoreConfig c = config_;
  c.store_conninfo.clear();
  c.conninfo = db_conninfo_;
  return c;
}

std::unique_ptr<internal::Db> TestLocation::AdminDb(StoreKind kind) const {
  if (backend_ == Backend::kSqlite) {
    const bool wal =
        kind == StoreKind::kRoll || kind == StoreKind::kAudit || kind == StoreKind::kPortal;
    std::filesystem::create_directories(config_.data_dir);
    return internal::Db::OpenSqlite(config_.data_dir + "/" + std::string(StoreName(kind)) + ".db",
                                    wal);
  }
  return internal::Db::OpenPostgres(db_conninfo_, std::string(PostgresSchema(kind)));
}

std::unique_ptr<internal::Db> TestLocation::RoleDb(StoreKind kind) const {
  return internal::Db::OpenPostgres(config_.store_conninfo.at(kind), "");
}

void StoreTest::SetUp() {
  if (GetParam() == Backend::kPostgres && PostgresAdminConninfo().empty()) {
    GTEST_SKIP() << kNoPostgres;
  }
  loc_ = std::make_unique<TestLocation>(GetParam());
}

std::string BackendParamName(const ::testing::TestParamInfo<Backend>& info) {
  return std::string(BackendName(info.param));
}

election::Voter MakeVoter(size_t i) {
  char m[16];
  std::snprintf(m, sizeof m, "M%07zu", i);
  election::Voter v;
  v.matricule = m;
  v.nom = i % 7 == 0 ? "Lefèvre-Ødegård" : "Nom" + std::to_string(i);
  v.prenom = i % 5 == 0 ? "Zoé" : "Prénom" + std::to_string(i % 1000);
  v.naissance = election::Date{1960 + static_cast<int>(i % 40), 1 + static_cast<int>(i % 12),
                               1 + static_cast<int>(i % 28)};
  v.courriel = "agent" + std::to_string(i) + "@example.gouv.fr";
  v.adresse = std::to_string(1 + i % 200) + " rue de la République\n75001 Paris\tCedex \\ 1";
  v.section = "SECTION-" + std::to_string(i % 50);
  v.scrutins = i % 3 == 0 ? std::vector<std::string>{"CSA-MIN", "CAP-A"}
                          : std::vector<std::string>{"CSA-MIN"};
  return v;
}

std::vector<election::Voter> MakeVoters(size_t n, size_t first) {
  std::vector<election::Voter> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(MakeVoter(first + i));
  return out;
}

std::string Hex64(char c) { return std::string(64, c); }

}  // namespace isoloir::store::testing
