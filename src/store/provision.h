// PostgreSQL provisioning, run once (and again after an upgrade) by the
// database administrator: the four schemas at this build's version, and one
// login role per store with only the rights that store needs:
//
//   isoloir_roll_rw        isoloir_roll: read and write
//   isoloir_emargement_rw  isoloir_emargement: read, insert
//   isoloir_urne_rw        isoloir_urne: insert, read through views sorted by
//                          tracker (ballots) or credential (credential list,
//                          revocations)
//   isoloir_audit_rw       isoloir_audit: read, insert
//   isoloir_cast_w         insert into émargement and urne, read neither; read
//                          the urne's credential list and revocations (views)
//
// No role can read another store's schema; none can update or delete in an
// append-only store. docs/storage.md lists every grant.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/result.h"
#include "store/store.h"

namespace isoloir::store {

std::string_view PostgresRole(StoreKind kind);    // "isoloir_roll_rw", ...
std::string_view PostgresSchema(StoreKind kind);  // "isoloir_roll", ... ("" for kCast)

// Creates (or updates) the roles, schemas and grants; idempotent. The admin
// connection needs CREATEROLE and CREATE on the database (a superuser, or
// the database owner with CREATEROLE). A role with a password in `passwords`
// gets it (an existing role without one keeps its own).
Status ProvisionPostgres(const std::string& admin_conninfo,
                         const std::map<StoreKind, std::string>& passwords = {});

// `base` with user (and password, if not empty) set to the store's role.
Result<std::string> ConninfoForRole(const std::string& base, StoreKind kind,
                                    const std::string& password = "");
// `base` with the given keywords replaced or added (libpq quoting).
Result<std::string> ConninfoWith(const std::string& base,
                                 const std::map<std::string, std::string>& overrides);

}  // namespace isoloir::store
