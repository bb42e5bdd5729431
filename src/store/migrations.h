// Internal: each store's schema as a list of numbered migrations, applied in
// order and recorded in the store's own schema_version table. The DDL is
// written once with placeholders for the few dialect differences:
//   {key}   a text column that is a key or is sorted on: TEXT on SQLite
//           (bytewise), TEXT COLLATE "C" on PostgreSQL (bytewise too)
//   {i64}   INTEGER on SQLite, BIGINT on PostgreSQL
//   {norowid}  " WITHOUT ROWID" on SQLite (no hidden insertion counter), ""
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/db.h"
#include "store/store.h"

namespace isoloir::store::internal {

struct Migration {
  int version = 0;
  std::string description;
  std::vector<std::string> statements;     // both dialects (with placeholders)
  std::vector<std::string> sqlite_only;    // run after `statements` on SQLite
  std::vector<std::string> postgres_only;  // run after `statements` on PostgreSQL
};

// A privilege of one PostgreSQL role on this store's objects.
struct Grant {
  StoreKind role;
  std::string statement;  // with {role} and {schema} placeholders
};

struct StoreSchema {
  StoreKind kind;
  std::string name;       // "roll"
  std::string file;       // "roll.db"
  std::string pg_schema;  // "isoloir_roll"
  bool wal = true;        // SQLite journal: WAL, or rollback journal (atomic with ATTACH)
  std::vector<Migration> migrations;
  std::vector<Grant> grants;  // the grants of the latest version
  int latest() const { return migrations.empty() ? 0 : migrations.back().version; }
};

// kRoll, kEmargement, kUrne or kAudit.
const StoreSchema& SchemaOf(StoreKind kind);
std::string RenderDdl(std::string_view text, Dialect dialect);

// The version recorded in `qualifier`schema_version ("" or "isoloir_urne."),
// 0 if there is none. Throws soci::soci_error.
int CurrentVersion(Db& db, const StoreSchema& schema, const std::string& qualifier = "");

// Brings the store to version `target` (-1: the latest this build knows), in
// order, in one transaction. Refuses a store newer than this build
// ("store.schema_too_new"). On PostgreSQL, applies the store's grants after
// an upgrade (to the roles that exist).
Status Migrate(Db& db, const StoreSchema& schema, int target = -1);

// The error for a store whose version is not `schema.latest()`, or Ok.
Status CheckVersion(const StoreSchema& schema, const std::string& where, int version,
                    Dialect dialect);

// PostgreSQL: applies the store's grants to the roles that exist (admin).
// Throws soci::soci_error.
void ApplyGrants(Db& admin, const StoreSchema& schema);

}  // namespace isoloir::store::internal
