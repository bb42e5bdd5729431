// Casting a vote: the émargement row and the ballot written in one
// transaction, so that both are stored or neither is (CNIL: choice, ballot,
// émargement and receipt all succeed or all fail). It can write into the
// émargement and the urne but read neither (on PostgreSQL its role has
// INSERT only there); it reads only the urne's public credential list and
// revocations. See docs/storage.md, "Atomicity".
#pragma once

#include "common/result.h"
#include "store/emargement_store.h"
#include "store/urne_store.h"

namespace isoloir::store {

class CastStore {
 public:
  virtual ~CastStore() = default;

  // Both rows or neither. Errors: "urne.credential_unknown" (the ballot's
  // credential is not in the scrutin's public list), "urne.credential_revoked"
  // (it is, but revoked), "emargement.already_voted" (the voter already voted
  // in this scrutin), "urne.credential_used", "urne.duplicate_tracker",
  // "cast.mismatch" (election or scrutin differ between the two rows),
  // "store.invalid" (empty field or not UTF-8). The credential is checked in
  // the same transaction as the inserts, and a revocation of that credential
  // waits for it (or it for the revocation).
  virtual Status RecordVote(const EmargementRecord& emargement, const BallotRecord& ballot) = 0;
};

}  // namespace isoloir::store
