#include "store/provision.h"

#include <libpq-fe.h>

#include "store/db.h"
#include "store/migrations.h"

namespace isoloir::store {

using internal::Db;

std::string_view PostgresRole(StoreKind kind) {
  switch (kind) {
    case StoreKind::kRoll:
      return "isoloir_roll_rw";
    case StoreKind::kEmargement:
      return "isoloir_emargement_rw";
    case StoreKind::kUrne:
      return "isoloir_urne_rw";
    case StoreKind::kAudit:
      return "isoloir_audit_rw";
    case StoreKind::kCast:
      return "isoloir_cast_w";
    case StoreKind::kPortal:
      return "isoloir_portal_rw";
  }
  return "";
}

std::string_view PostgresSchema(StoreKind kind) {
  switch (kind) {
    case StoreKind::kRoll:
      return "isoloir_roll";
    case StoreKind::kEmargement:
      return "isoloir_emargement";
    case StoreKind::kUrne:
      return "isoloir_urne";
    case StoreKind::kAudit:
      return "isoloir_audit";
    case StoreKind::kCast:
      return "";
    case StoreKind::kPortal:
      return "isoloir_portal";
  }
  return "";
}

namespace {

constexpr StoreKind kAllKinds[] = {StoreKind::kRoll,  StoreKind::kEmargement, StoreKind::kUrne,
                                   StoreKind::kAudit, StoreKind::kCast,       StoreKind::kPortal};
constexpr StoreKind kSchemaKinds[] = {StoreKind::kRoll, StoreKind::kEmargement, StoreKind::kUrne,
                                      StoreKind::kAudit, StoreKind::kPortal};

std::string QuoteConninfoValue(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// A literal for a utility statement (ALTER ROLE ... PASSWORD takes no
// parameter); libpq escapes it for the connection's encoding.
std::string Literal(PGconn* conn, const std::string& text) {
  char* quoted = PQescapeLiteral(conn, text.data(), text.size());
  if (quoted == nullptr) throw soci::soci_error("could not quote a literal");
  std::string out(quoted);
  PQfreemem(quoted);
  return out;
}

void EnsureRole(Db& admin, StoreKind kind, const std::string& password) {
  const std::string role(PostgresRole(kind));
  const std::string attributes =
      " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION";
  long long n = 0;
  admin.sql() << "SELECT count(*) FROM pg_catalog.pg_roles WHERE rolname = :r", soci::use(role),
      soci::into(n);
  if (n == 0) {
    try {
      admin.Exec("CREATE ROLE " + role + attributes);
    } catch (const soci::postgresql_soci_error& e) {
      if (e.sqlstate() != "42710") throw;  // created meanwhile by another provisioning
    }
  }
  admin.Exec("ALTER ROLE " + role + attributes);
  if (!password.empty()) {
    // Hashed here (SCRAM-SHA-256), so that the password itself never reaches
    // the server or its logs.
    char* verifier =
        PQencryptPasswordConn(admin.pg_conn(), password.c_str(), role.c_str(), "scram-sha-256");
    if (verifier == nullptr) throw soci::soci_error("could not hash the password of " + role);
    std::string v(verifier);
    PQfreemem(verifier);
    admin.Exec("ALTER ROLE " + role + " PASSWORD " + Literal(admin.pg_conn(), v));
  }
  std::string database;
  admin.sql() << "SELECT quote_ident(current_database())", soci::into(database);
  admin.Exec("GRANT CONNECT ON DATABASE " + database + " TO " + role);
}

}  // namespace

Status ProvisionPostgres(const std::string& admin_conninfo,
                         const std::map<StoreKind, std::string>& passwords) {
  try {
    auto admin = Db::OpenPostgres(admin_conninfo, "");
    for (StoreKind kind : kAllKinds) {
      auto it = passwords.find(kind);
      EnsureRole(*admin, kind, it == passwords.end() ? "" : it->second);
    }
    for (StoreKind kind : kSchemaKinds) {
      const internal::StoreSchema& schema = internal::SchemaOf(kind);
      auto db = Db::OpenPostgres(admin_conninfo, schema.pg_schema);
      if (auto st = internal::Migrate(*db, schema); !st) return st;
      internal::ApplyGrants(*db, schema);
    }
  } catch (const std::exception& e) {
    return internal::DatabaseError("provision PostgreSQL", e);
  }
  return Status::Ok();
}

Result<std::string> ConninfoWith(const std::string& base,
                                 const std::map<std::string, std::string>& overrides) {
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(base.c_str(), &err);
  if (options == nullptr) {
    std::string why = err != nullptr ? err : "out of memory";
    if (err != nullptr) PQfreemem(err);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    return MakeError("store.config", "invalid PostgreSQL connection string: " + why);
  }
  std::map<std::string, std::string> values;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val != nullptr) values[o->keyword] = o->val;
  }
  PQconninfoFree(options);
  for (const auto& [k, v] : overrides) values[k] = v;
  std::string out;
  for (const auto& [k, v] : values) {
    if (!out.empty()) out += ' ';
    out += k + "=" + QuoteConninfoValue(v);
  }
  return out;
}

Result<std::string> ConninfoForRole(const std::string& base, StoreKind kind,
                                    const std::string& password) {
  std::map<std::string, std::string> overrides{{"user", std::string(PostgresRole(kind))}};
  if (!password.empty()) overrides["password"] = password;
  return ConninfoWith(base, overrides);
}

}  // namespace isoloir::store
