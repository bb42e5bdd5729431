#include "store/migrations.h"

#include <ctime>
#include <map>

#include "store/provision.h"

namespace isoloir::store::internal {

namespace {

// Lock class for pg_advisory_xact_lock(class, store) while migrating.
constexpr int kMigrationLockClass = 0x150001;

const char* kSqliteNoUpdate =
    "CREATE TRIGGER {table}_append_only_update BEFORE UPDATE ON {table} "
    "BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END";
const char* kSqliteNoDelete =
    "CREATE TRIGGER {table}_append_only_delete BEFORE DELETE ON {table} "
    "BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END";

std::string Replace(std::string text, std::string_view from, std::string_view to) {
  for (size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

std::vector<std::string> AppendOnlyTriggers(const std::string& table) {
  return {Replace(kSqliteNoUpdate, "{table}", table), Replace(kSqliteNoDelete, "{table}", table)};
}

StoreSchema RollSchema() {
  StoreSchema s{StoreKind::kRoll, "roll", "roll.db", "isoloir_roll", /*wal=*/true, {}, {}};
  s.migrations.push_back(
      Migration{1,
                "elections and voters",
                {
                    "CREATE TABLE elections ("
                    " id {key} NOT NULL PRIMARY KEY,"
                    " definition TEXT NOT NULL,"
                    " fingerprint TEXT NOT NULL,"
                    " created {i64} NOT NULL,"
                    " roll_frozen INTEGER NOT NULL DEFAULT 0 CHECK (roll_frozen IN (0, 1)),"
                    " frozen_at {i64} NOT NULL DEFAULT 0"
                    "){norowid}",
                    "CREATE TABLE voters ("
                    " election_id {key} NOT NULL REFERENCES elections (id),"
                    " matricule {key} NOT NULL,"
                    " nom TEXT NOT NULL,"
                    " prenom TEXT NOT NULL,"
                    " naissance TEXT NOT NULL,"
                    " courriel TEXT NOT NULL,"
                    " adresse TEXT NOT NULL,"
                    " section TEXT NOT NULL,"
                    " scrutins TEXT NOT NULL,"
                    " PRIMARY KEY (election_id, matricule)"
                    "){norowid}",
                },
                {},
                {}});
  s.migrations.push_back(
      Migration{2,
                "credential verifiers and delivery log",
                {
                    "CREATE TABLE credentials ("
                    " election_id {key} NOT NULL,"
                    " matricule {key} NOT NULL,"
                    " generation INTEGER NOT NULL CHECK (generation >= 1),"
                    " login_verifier TEXT NOT NULL,"
                    " password_verifier TEXT NOT NULL,"
                    " reassort_verifier TEXT NOT NULL,"
                    " issued_at {i64} NOT NULL,"
                    // No foreign key to voters: PutCredentials checks every matricule
                    // and ReplaceRoll removes the credentials of removed voters, both
                    // under the election's lock. (A foreign key check locks each voter
                    // row on PostgreSQL: about twice as slow for a whole roll.)
                    " PRIMARY KEY (election_id, matricule)"
                    "){norowid}",
                    "CREATE TABLE deliveries ("
                    " election_id {key} NOT NULL,"
                    " matricule {key} NOT NULL,"
                    " channel {key} NOT NULL CHECK (channel IN ('email', 'letter')),"
                    " generation INTEGER NOT NULL CHECK (generation >= 1),"
                    " status {key} NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),"
                    " updated {i64} NOT NULL,"
                    " batch {key} NOT NULL,"
                    " detail TEXT NOT NULL,"
                    " PRIMARY KEY (election_id, matricule, channel, generation)"
                    "){norowid}",
                    "CREATE INDEX deliveries_by_status ON deliveries (election_id, status, batch)",
                },
                {},
                {}});
  s.migrations.push_back(Migration{3,
                                   "reassort verifiers",
                                   {
                                       // The keyed verifier of each voter's "donnée secrète de
                                       // réassort", made at roll import. No foreign key to voters,
                                       // as for credentials: PutReassortVerifiers checks every
                                       // matricule and ReplaceRoll removes the rows of removed
                                       // voters, under the election's lock.
                                       "CREATE TABLE reassort ("
                                       " election_id {key} NOT NULL,"
                                       " matricule {key} NOT NULL,"
                                       " verifier TEXT NOT NULL,"
                                       " PRIMARY KEY (election_id, matricule)"
                                       "){norowid}",
                                   },
                                   {},
                                   {}});
  const std::string role = "isoloir_roll_rw";
  s.grants = {
      {StoreKind::kRoll, "GRANT USAGE ON SCHEMA isoloir_roll TO " + role},
      {StoreKind::kRoll, "GRANT SELECT ON isoloir_roll.schema_version TO " + role},
      {StoreKind::kRoll,
       "GRANT SELECT, INSERT, UPDATE, DELETE ON isoloir_roll.elections, isoloir_roll.voters,"
       " isoloir_roll.credentials, isoloir_roll.deliveries, isoloir_roll.reassort TO " +
           role},
      // ReplaceRoll stages the new roll in a temporary table.
      {StoreKind::kRoll, "GRANT TEMPORARY ON DATABASE {database} TO " + role},
  };
  return s;
}

StoreSchema EmargementSchema() {
  StoreSchema s{StoreKind::kEmargement, "emargement", "emargement.db",
                "isoloir_emargement",
                /*wal=*/false,          {},           {}};
  s.migrations.push_back(
      Migration{1,
                "emargements",
                {
                    "CREATE TABLE emargements ("
                    " election_id {key} NOT NULL,"
                    " scrutin {key} NOT NULL,"
                    " matricule {key} NOT NULL,"
                    " voted_at {i64} NOT NULL,"
                    " CONSTRAINT emargement_once PRIMARY KEY (election_id, scrutin, matricule)"
                    "){norowid}",
                },
                AppendOnlyTriggers("emargements"),
                {}});
  const std::string rw = "isoloir_emargement_rw";
  const std::string cast = "isoloir_cast_w";
  s.grants = {
      {StoreKind::kEmargement, "GRANT USAGE ON SCHEMA isoloir_emargement TO " + rw},
      {StoreKind::kEmargement, "GRANT SELECT ON isoloir_emargement.schema_version TO " + rw},
      {StoreKind::kEmargement, "GRANT SELECT, INSERT ON isoloir_emargement.emargements TO " + rw},
      {StoreKind::kEmargement,
       "REVOKE UPDATE, DELETE, TRUNCATE ON isoloir_emargement.emargements FROM " + rw},
      {StoreKind::kCast, "GRANT USAGE ON SCHEMA isoloir_emargement TO " + cast},
      {StoreKind::kCast, "GRANT SELECT ON isoloir_emargement.schema_version TO " + cast},
      {StoreKind::kCast, "GRANT INSERT ON isoloir_emargement.emargements TO " + cast},
      {StoreKind::kCast,
       "REVOKE SELECT, UPDATE, DELETE, TRUNCATE ON isoloir_emargement.emargements FROM " + cast},
  };
  return s;
}

StoreSchema UrneSchema() {
  StoreSchema s{StoreKind::kUrne, "urne", "urne.db", "isoloir_urne", /*wal=*/false, {}, {}};
  std::vector<std::string> sqlite = AppendOnlyTriggers("ballots");
  s.migrations.push_back(
      Migration{1,
                "ballots",
                {
                    // No voter, no row number, no time: nothing that orders ballots
                    // but their tracker.
                    "CREATE TABLE ballots ("
                    " election_id {key} NOT NULL,"
                    " scrutin {key} NOT NULL,"
                    " tracker {key} NOT NULL,"
                    " credential {key} NOT NULL,"
                    " ballot TEXT NOT NULL,"
                    " CONSTRAINT urne_tracker_unique PRIMARY KEY (election_id, scrutin, tracker),"
                    " CONSTRAINT urne_credential_unique UNIQUE (election_id, scrutin, credential)"
                    "){norowid}",
                    // The only way the urne role reads ballots (PostgreSQL): sorted by
                    // tracker, without the heap's insertion order, xmin or ctid.
                    "CREATE VIEW ballots_by_tracker AS"
                    " SELECT election_id, scrutin, tracker, credential, ballot FROM ballots"
                    " ORDER BY election_id, scrutin, tracker",
                },
                sqlite,
                {}});
  std::vector<std::string> sqlite2 = AppendOnlyTriggers("credentials");
  for (auto& t : AppendOnlyTriggers("revocations")) sqlite2.push_back(std::move(t));
  s.migrations.push_back(Migration{
      2,
      "public credentials and revocations",
      {
          // The public credential list of each scrutin (protocol §8.3):
          // public data, no voter reference, no insertion time.
          "CREATE TABLE credentials ("
          " election_id {key} NOT NULL,"
          " scrutin {key} NOT NULL,"
          " credential {key} NOT NULL,"
          " CONSTRAINT urne_public_credential_unique"
          " PRIMARY KEY (election_id, scrutin, credential)"
          "){norowid}",
          "CREATE TABLE revocations ("
          " election_id {key} NOT NULL,"
          " scrutin {key} NOT NULL,"
          " credential {key} NOT NULL,"
          " revoked_at {i64} NOT NULL,"
          " CONSTRAINT urne_revocation_once PRIMARY KEY (election_id, scrutin, credential),"
          " CONSTRAINT urne_revocation_listed FOREIGN KEY (election_id, scrutin, credential)"
          " REFERENCES credentials (election_id, scrutin, credential)"
          "){norowid}",
          // As for ballots: the roles read only these views, sorted by
          // credential, never the heap's order.
          "CREATE VIEW credentials_sorted AS"
          " SELECT election_id, scrutin, credential FROM credentials"
          " ORDER BY election_id, scrutin, credential",
          "CREATE VIEW revocations_sorted AS"
          " SELECT election_id, scrutin, credential, revoked_at FROM revocations"
          " ORDER BY election_id, scrutin, credential",
      },
      sqlite2,
      {}});
  const std::string rw = "isoloir_urne_rw";
  const std::string cast = "isoloir_cast_w";
  s.grants = {
      {StoreKind::kUrne, "GRANT USAGE ON SCHEMA isoloir_urne TO " + rw},
      {StoreKind::kUrne, "GRANT SELECT ON isoloir_urne.schema_version TO " + rw},
      {StoreKind::kUrne, "GRANT INSERT ON isoloir_urne.ballots TO " + rw},
      {StoreKind::kUrne, "GRANT SELECT ON isoloir_urne.ballots_by_tracker TO " + rw},
      {StoreKind::kUrne,
       "REVOKE SELECT, UPDATE, DELETE, TRUNCATE ON isoloir_urne.ballots FROM " + rw},
      {StoreKind::kUrne,
       "GRANT INSERT ON isoloir_urne.credentials, isoloir_urne.revocations TO " + rw},
      {StoreKind::kUrne,
       "GRANT SELECT ON isoloir_urne.credentials_sorted, isoloir_urne.revocations_sorted TO " + rw},
      {StoreKind::kUrne,
       "REVOKE SELECT, UPDATE, DELETE, TRUNCATE ON isoloir_urne.credentials,"
       " isoloir_urne.revocations FROM " +
           rw},
      {StoreKind::kCast, "GRANT USAGE ON SCHEMA isoloir_urne TO " + cast},
      {StoreKind::kCast, "GRANT SELECT ON isoloir_urne.schema_version TO " + cast},
      {StoreKind::kCast, "GRANT INSERT ON isoloir_urne.ballots TO " + cast},
      {StoreKind::kCast,
       "REVOKE SELECT, UPDATE, DELETE, TRUNCATE ON isoloir_urne.ballots FROM " + cast},
      // RecordVote checks that the ballot's credential is listed and not revoked.
      {StoreKind::kCast,
       "GRANT SELECT ON isoloir_urne.credentials_sorted, isoloir_urne.revocations_sorted TO " +
           cast},
      {StoreKind::kCast,
       "REVOKE SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON isoloir_urne.credentials,"
       " isoloir_urne.revocations FROM " +
           cast},
  };
  return s;
}

StoreSchema AuditSchema() {
  StoreSchema s{StoreKind::kAudit, "audit", "audit.db", "isoloir_audit", /*wal=*/true, {}, {}};
  s.migrations.push_back(Migration{1,
                                   "hash-chained entries",
                                   {
                                       "CREATE TABLE entries ("
                                       " election_id {key} NOT NULL,"
                                       " seq {i64} NOT NULL CHECK (seq >= 1),"
                                       " logged_at {i64} NOT NULL,"
                                       " actor TEXT NOT NULL,"
                                       " action TEXT NOT NULL,"
                                       " details TEXT NOT NULL,"
                                       " prev_hash TEXT NOT NULL,"
                                       " hash TEXT NOT NULL,"
                                       " PRIMARY KEY (election_id, seq)"
                                       "){norowid}",
                                   },
                                   AppendOnlyTriggers("entries"),
                                   {}});
  const std::string rw = "isoloir_audit_rw";
  s.grants = {
      {StoreKind::kAudit, "GRANT USAGE ON SCHEMA isoloir_audit TO " + rw},
      {StoreKind::kAudit, "GRANT SELECT ON isoloir_audit.schema_version TO " + rw},
      {StoreKind::kAudit, "GRANT SELECT, INSERT ON isoloir_audit.entries TO " + rw},
      {StoreKind::kAudit, "REVOKE UPDATE, DELETE, TRUNCATE ON isoloir_audit.entries FROM " + rw},
  };
  return s;
}

StoreSchema PortalSchema() {
  StoreSchema s{StoreKind::kPortal, "portal", "portal.db", "isoloir_portal", /*wal=*/true, {}, {}};
  s.migrations.push_back(
      Migration{1,
                "sessions, failed attempts, election keys, suspension",
                {
                    // Only the SHA-256 of each session cookie is kept.
                    "CREATE TABLE sessions ("
                    " id_hash {key} NOT NULL PRIMARY KEY,"
                    " election_id {key} NOT NULL,"
                    " matricule {key} NOT NULL,"
                    " created {i64} NOT NULL,"
                    " last_seen {i64} NOT NULL"
                    "){norowid}",
                    "CREATE INDEX sessions_by_voter ON sessions (election_id, matricule)",
                    "CREATE TABLE attempts ("
                    " kind {key} NOT NULL,"
                    " subject {key} NOT NULL,"
                    " failures {i64} NOT NULL,"
                    " window_start {i64} NOT NULL,"
                    " locked INTEGER NOT NULL CHECK (locked IN (0, 1)),"
                    " PRIMARY KEY (kind, subject)"
                    "){norowid}",
                    "CREATE TABLE election_keys ("
                    " election_id {key} NOT NULL,"
                    " public_key TEXT NOT NULL,"
                    " ceremony TEXT NOT NULL,"
                    " created {i64} NOT NULL,"
                    " CONSTRAINT election_keys_pkey PRIMARY KEY (election_id)"
                    "){norowid}",
                    "CREATE TABLE vote_states ("
                    " election_id {key} NOT NULL PRIMARY KEY,"
                    " suspended INTEGER NOT NULL CHECK (suspended IN (0, 1)),"
                    " reason TEXT NOT NULL,"
                    " since {i64} NOT NULL"
                    "){norowid}",
                },
                {},
                {}});
  // The key ceremony by relay (issue 5 §2): public messages between holders.
  s.migrations.push_back(
      Migration{2,
                "key ceremony relay messages",
                {
                    "CREATE TABLE ceremony_messages ("
                    " election_id {key} NOT NULL,"
                    " kind {key} NOT NULL,"
                    " holder {i64} NOT NULL,"
                    " body TEXT NOT NULL,"
                    " created {i64} NOT NULL,"
                    " CONSTRAINT ceremony_messages_pkey PRIMARY KEY (election_id, kind, holder)"
                    "){norowid}",
                },
                {},
                {}});
  // Staff accounts (issue 5 §1): password + TOTP, sessions by digest.
  s.migrations.push_back(
      Migration{3,
                "staff accounts and sessions (docs/bve.md)",
                {
                    "CREATE TABLE staff_accounts ("
                    " election_id {key} NOT NULL,"
                    " id {key} NOT NULL,"
                    " role {key} NOT NULL CHECK (role IN ('organisateur', 'president',"
                    " 'secretaire', 'delegue', 'assistance')),"
                    " password_hash TEXT NOT NULL,"
                    " totp_sealed TEXT NOT NULL,"
                    " last_totp_step {i64} NOT NULL,"
                    " disabled INTEGER NOT NULL CHECK (disabled IN (0, 1)),"
                    " created {i64} NOT NULL,"
                    " CONSTRAINT staff_accounts_pkey PRIMARY KEY (election_id, id)"
                    "){norowid}",
                    // Only the SHA-256 of each staff session cookie is kept.
                    "CREATE TABLE staff_sessions ("
                    " id_hash {key} NOT NULL PRIMARY KEY,"
                    " election_id {key} NOT NULL,"
                    " staff_id {key} NOT NULL,"
                    " created {i64} NOT NULL,"
                    " last_seen {i64} NOT NULL"
                    "){norowid}",
                    "CREATE INDEX staff_sessions_by_member ON staff_sessions (election_id, staff_id)",
                },
                {},
                {}});
  const std::string rw = "isoloir_portal_rw";
  s.grants = {
      {StoreKind::kPortal, "GRANT USAGE ON SCHEMA isoloir_portal TO " + rw},
      {StoreKind::kPortal, "GRANT SELECT ON isoloir_portal.schema_version TO " + rw},
      {StoreKind::kPortal,
       "GRANT SELECT, INSERT, UPDATE, DELETE ON isoloir_portal.sessions, isoloir_portal.attempts,"
       " isoloir_portal.vote_states, isoloir_portal.staff_sessions TO " +
           rw},
      // Accounts are never deleted (the audit log names them): disabled instead.
      {StoreKind::kPortal,
       "GRANT SELECT, INSERT, UPDATE ON isoloir_portal.staff_accounts TO " +
           rw},
      // The key is written once: no update or delete.
      {StoreKind::kPortal, "GRANT SELECT, INSERT ON isoloir_portal.election_keys TO " + rw},
      // Ceremony messages are written once too.
      {StoreKind::kPortal, "GRANT SELECT, INSERT ON isoloir_portal.ceremony_messages TO " + rw},
  };
  return s;
}

}  // namespace

const StoreSchema& SchemaOf(StoreKind kind) {
  static const StoreSchema roll = RollSchema();
  static const StoreSchema emargement = EmargementSchema();
  static const StoreSchema urne = UrneSchema();
  static const StoreSchema audit = AuditSchema();
  static const StoreSchema portal = PortalSchema();
  switch (kind) {
    case StoreKind::kRoll:
      return roll;
    case StoreKind::kEmargement:
      return emargement;
    case StoreKind::kUrne:
      return urne;
    case StoreKind::kAudit:
      return audit;
    case StoreKind::kPortal:
      return portal;
    case StoreKind::kCast:
      break;
  }
  return roll;  // not reached: kCast has no schema of its own
}

std::string RenderDdl(std::string_view text, Dialect dialect) {
  const bool pg = dialect == Dialect::kPostgres;
  std::string out(text);
  out = Replace(out, "{key}", pg ? "TEXT COLLATE \"C\"" : "TEXT");
  out = Replace(out, "{i64}", pg ? "BIGINT" : "INTEGER");
  out = Replace(out, "{norowid}", pg ? "" : " WITHOUT ROWID");
  return out;
}

int CurrentVersion(Db& db, const StoreSchema& schema, const std::string& qualifier) {
  long long tables = 0;
  if (db.postgres()) {
    std::string nsp =
        qualifier.empty() ? schema.pg_schema : qualifier.substr(0, qualifier.size() - 1);
    db.sql() << "SELECT count(*) FROM pg_catalog.pg_tables"
                " WHERE schemaname = :s AND tablename = 'schema_version'",
        soci::use(nsp), soci::into(tables);
  } else {
    db.sql() << "SELECT count(*) FROM " + qualifier +
                    "sqlite_master WHERE type = 'table' AND name = 'schema_version'",
        soci::into(tables);
  }
  if (tables == 0) return 0;
  long long version = 0;
  db.sql() << "SELECT COALESCE(MAX(version), 0) FROM " + qualifier + "schema_version",
      soci::into(version);
  return static_cast<int>(version);
}

Status CheckVersion(const StoreSchema& schema, const std::string& where, int version,
                    Dialect dialect) {
  const bool pg = dialect == Dialect::kPostgres;
  if (version > schema.latest()) {
    return MakeError("store.schema_too_new", where + ": " + (pg ? "database" : "data folder") +
                                                 " created by a newer Isoloir (schema " +
                                                 std::to_string(version) + ", this build knows " +
                                                 std::to_string(schema.latest()) + ")");
  }
  if (version < schema.latest()) {
    return MakeError("store.schema_outdated",
                     where + " is at schema " + std::to_string(version) + ", this build needs " +
                         std::to_string(schema.latest()) +
                         (pg ? ": run the PostgreSQL provisioning as the database administrator"
                             : ": open it with this build's store to upgrade it"));
  }
  return Status::Ok();
}

Status Migrate(Db& db, const StoreSchema& schema, int target) {
  if (target < 0 || target > schema.latest()) target = schema.latest();
  int version = 0;
  try {
    version = CurrentVersion(db, schema);
    if (version > schema.latest()) return CheckVersion(schema, db.where(), version, db.dialect());
    if (version >= target) return Status::Ok();
    {
      Transaction tx(db);
      if (db.postgres()) {
        int store = static_cast<int>(schema.kind);
        db.sql() << "SELECT pg_advisory_xact_lock(:c, :s)", soci::use(kMigrationLockClass),
            soci::use(store);
      }
      version = CurrentVersion(db, schema);  // again, under the lock
      if (version > schema.latest()) {
        return CheckVersion(schema, db.where(), version, db.dialect());
      }
      if (version >= target) return Status::Ok();
      if (version == 0) {
        if (db.postgres()) db.Exec("CREATE SCHEMA IF NOT EXISTS " + schema.pg_schema);
        db.Exec(
            RenderDdl("CREATE TABLE schema_version ("
                      " version INTEGER NOT NULL PRIMARY KEY,"
                      " applied_at {i64} NOT NULL,"
                      " description TEXT NOT NULL)",
                      db.dialect()));
      }
      const long long now = static_cast<long long>(std::time(nullptr));
      for (const Migration& m : schema.migrations) {
        if (m.version <= version || m.version > target) continue;
        for (const auto& st : m.statements) db.Exec(RenderDdl(st, db.dialect()));
        for (const auto& st : db.postgres() ? m.postgres_only : m.sqlite_only) {
          db.Exec(RenderDdl(st, db.dialect()));
        }
        int v = m.version;
        std::string description = m.description;
        db.sql() << "INSERT INTO schema_version (version, applied_at, description)"
                    " VALUES (:v, :t, :d)",
            soci::use(v), soci::use(now), soci::use(description);
      }
      tx.Commit();
    }
    // Grants describe the latest schema (an older target is only for tests).
    if (db.postgres() && target == schema.latest()) ApplyGrants(db, schema);
  } catch (const std::exception& e) {
    if (IsPermissionDenied(e)) {
      return MakeError("store.schema_outdated",
                       db.where() + " is at schema " + std::to_string(version) +
                           ", this build needs " + std::to_string(target) +
                           ", and this role may not upgrade it: run the PostgreSQL provisioning"
                           " as the database administrator");
    }
    return DatabaseError("create or upgrade the schema of " + db.where(), e);
  }
  return Status::Ok();
}

void ApplyGrants(Db& admin, const StoreSchema& schema) {
  std::string database;
  admin.sql() << "SELECT quote_ident(current_database())", soci::into(database);
  std::map<StoreKind, bool> exists;
  for (const Grant& g : schema.grants) {
    if (exists.count(g.role)) continue;
    long long n = 0;
    std::string role(PostgresRole(g.role));
    admin.sql() << "SELECT count(*) FROM pg_catalog.pg_roles WHERE rolname = :r", soci::use(role),
        soci::into(n);
    exists[g.role] = n > 0;
  }
  Transaction tx(admin);
  admin.Exec("REVOKE ALL ON SCHEMA " + schema.pg_schema + " FROM PUBLIC");
  admin.Exec("REVOKE ALL ON ALL TABLES IN SCHEMA " + schema.pg_schema + " FROM PUBLIC");
  for (const Grant& g : schema.grants) {
    if (!exists[g.role]) continue;
    admin.Exec(Replace(g.statement, "{database}", database));
  }
  tx.Commit();
}

}  // namespace isoloir::store::internal
