// Where Isoloir keeps its data, and how to open it.
//
// Four separate stores, each behind its own small interface, so that no code
// path can join a ballot to a voter by accident:
//
//   RollStore        elections, the roll (voters), credential and reassort
//                    verifiers, deliveries
//   EmargementStore  who voted in which scrutin, and when
//   UrneStore        the ballots, with no voter reference and no insertion order,
//                    and each scrutin's public credential list and revocations
//   AuditLog         a hash-chained, append-only log of what was done
//   PortalStore      the portal's sessions, failed attempts, election key and
//                    suspension (names voters, never ballots)
//
// plus CastStore, the one writer that records an émargement and a ballot in a
// single transaction (see docs/storage.md, "Atomicity").
//
// Two backends, chosen by StoreConfig: SQLite 3 (one file per store in a data
// folder; the default) and PostgreSQL 15 (one database, one schema and one
// role per store). Opening a store creates or upgrades its schema; a schema
// newer than this build is refused.
//
// A store object holds one database connection: use it from one thread at a
// time (open one per worker thread).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "store/audit_log.h"
#include "store/cast_store.h"
#include "store/emargement_store.h"
#include "store/portal_store.h"
#include "store/roll_store.h"
#include "store/urne_store.h"

namespace isoloir::store {

enum class Backend { kSqlite, kPostgres };

// "sqlite" or "postgresql" (also "postgres", "pg").
Result<Backend> ParseBackend(std::string_view name);
std::string_view BackendName(Backend backend);

// The stores, as named in files, schemas and roles.
enum class StoreKind { kRoll, kEmargement, kUrne, kAudit, kCast, kPortal };
// "roll", "emargement", "urne", "audit", "cast", "portal"
std::string_view StoreName(StoreKind kind);

struct StoreConfig {
  Backend backend = Backend::kSqlite;
  // SQLite: the data folder, created (mode 0700) if missing; holds roll.db,
  // emargement.db, urne.db and audit.db.
  std::string data_dir;
  // PostgreSQL: a libpq connection string, e.g.
  // "host=127.0.0.1 port=5432 dbname=isoloir user=isoloir_roll_rw password=...".
  std::string conninfo;
  // PostgreSQL, optional: one connection string per store, normally
  // `conninfo` with that store's own role (see ConninfoForRole in
  // store/provision.h). A store without an entry uses `conninfo`.
  std::map<StoreKind, std::string> store_conninfo;

  const std::string& ConninfoFor(StoreKind kind) const;
};

// Each opener connects to one store only: a process opens what it needs.
Result<std::unique_ptr<RollStore>> OpenRollStore(const StoreConfig& config);
Result<std::unique_ptr<EmargementStore>> OpenEmargementStore(const StoreConfig& config);
Result<std::unique_ptr<UrneStore>> OpenUrneStore(const StoreConfig& config);
Result<std::unique_ptr<AuditLog>> OpenAuditLog(const StoreConfig& config);
Result<std::unique_ptr<PortalStore>> OpenPortalStore(const StoreConfig& config);
// Needs the émargement and urne schemas at this build's version (opening
// those stores first creates or upgrades them).
Result<std::unique_ptr<CastStore>> OpenCastStore(const StoreConfig& config);

struct Stores {
  std::unique_ptr<RollStore> roll;
  std::unique_ptr<EmargementStore> emargement;
  std::unique_ptr<UrneStore> urne;
  std::unique_ptr<AuditLog> audit;
  std::unique_ptr<CastStore> cast;
  std::unique_ptr<PortalStore> portal;
};

// Opens the four stores, the cast writer and the portal's state.
Result<Stores> OpenStores(const StoreConfig& config);

}  // namespace isoloir::store
