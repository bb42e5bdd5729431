// Internal: the SQL implementations of the store interfaces, one per file,
// each over its own connection. Built by store.cc's openers.
#pragma once

#include <exception>
#include <memory>
#include <optional>
#include <string>

#include "store/audit_log.h"
#include "store/cast_store.h"
#include "store/db.h"
#include "store/emargement_store.h"
#include "store/portal_store.h"
#include "store/roll_store.h"
#include "store/urne_store.h"

namespace isoloir::store::internal {

std::unique_ptr<RollStore> MakeRollStore(std::unique_ptr<Db> db);
std::unique_ptr<EmargementStore> MakeEmargementStore(std::unique_ptr<Db> db);
std::unique_ptr<UrneStore> MakeUrneStore(std::unique_ptr<Db> db);
std::unique_ptr<AuditLog> MakeAuditLog(std::unique_ptr<Db> db);
std::unique_ptr<PortalStore> MakePortalStore(std::unique_ptr<Db> db);
// `db` can write both tables: on SQLite emargement.db with urne.db attached
// as isoloir_urne; on PostgreSQL a connection without search_path.
std::unique_ptr<CastStore> MakeCastStore(std::unique_ptr<Db> db);

// Checks shared by the émargement, urne and cast stores.
Status CheckEmargement(const EmargementRecord& r);
Status CheckBallot(const BallotRecord& b);
// The Error for a unique-constraint failure of an émargement or a ballot
// insert, or nullopt if `err` is something else.
std::optional<Error> DuplicateEmargementError(const std::exception& err, const EmargementRecord& r);
std::optional<Error> DuplicateBallotError(const std::exception& err, const BallotRecord& b);

// In the caller's transaction: the status of `credential` in the scrutin's
// public list, read from `qualifier`credentials and revocations (SQLite) or
// their sorted views (PostgreSQL); `qualifier` is "" or "isoloir_urne.".
// On PostgreSQL it first takes the credential's transaction-level advisory
// lock, shared (a cast) or exclusive (a revocation), so that a revocation
// and a cast of the same credential happen one after the other (on SQLite
// both writers already hold urne.db's write lock). Throws soci::soci_error.
CredentialStatus LockAndCheckCredential(Db& db, const std::string& qualifier,
                                        const std::string& election_id, const std::string& scrutin,
                                        const std::string& credential, bool exclusive);
// The same without a lock (one statement, so one snapshot).
CredentialStatus ReadCredentialStatus(Db& db, const std::string& qualifier,
                                      const std::string& election_id, const std::string& scrutin,
                                      const std::string& credential);
// "urne.credential_unknown" or "urne.credential_revoked" (status not kValid).
Error CredentialStatusError(CredentialStatus status, const std::string& scrutin);

}  // namespace isoloir::store::internal
