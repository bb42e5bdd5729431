#include "store/impl.h"

namespace isoloir::store::internal {
namespace {

class SqlCastStore final : public CastStore {
 public:
  explicit SqlCastStore(std::unique_ptr<Db> db)
      : db_(std::move(db)),
        emargements_(db_->postgres() ? "isoloir_emargement.emargements" : "main.emargements"),
        ballots_("isoloir_urne.ballots") {}

  Status RecordVote(const EmargementRecord& r, const BallotRecord& b) override {
    if (auto st = CheckEmargement(r); !st) return st;
    if (auto st = CheckBallot(b); !st) return st;
    if (r.election_id != b.election_id || r.scrutin != b.scrutin) {
      return MakeError("cast.mismatch",
                       "the émargement and the ballot are for different elections or scrutins");
    }
    return Guard(*db_, "record the vote", [&]() -> Status {
      std::string e = r.election_id, s = r.scrutin, m = r.matricule, t = b.tracker,
                  c = b.credential, j = b.ballot;
      long long when = r.time;
      Transaction tx(*db_);
      // The credential must be listed and not revoked (protocol §7.5, 5);
      // checked before anything is written, under the credential's lock.
      const CredentialStatus status = LockAndCheckCredential(
          *db_, "isoloir_urne.", b.election_id, b.scrutin, b.credential, /*exclusive=*/false);
      if (status != CredentialStatus::kValid) return CredentialStatusError(status, b.scrutin);
      try {
        db_->sql() << "INSERT INTO " + emargements_ +
                          " (election_id, scrutin, matricule, voted_at) VALUES (:e, :s, :m, :t)",
            soci::use(e), soci::use(s), soci::use(m), soci::use(when);
      } catch (const soci::soci_error& err) {
        if (auto dup = DuplicateEmargementError(err, r)) return *dup;
        throw;
      }
      try {
        db_->sql() << "INSERT INTO " + ballots_ +
                          " (election_id, scrutin, tracker, credential, ballot)"
                          " VALUES (:e, :s, :t, :c, :b)",
            soci::use(e), soci::use(s), soci::use(t), soci::use(c), soci::use(j);
      } catch (const soci::soci_error& err) {
        if (auto dup = DuplicateBallotError(err, b)) return *dup;  // rolls back the émargement
        throw;
      }
      tx.Commit();
      return Status::Ok();
    });
  }

 private:
  std::unique_ptr<Db> db_;
  std::string emargements_;
  std::string ballots_;
};

}  // namespace

std::unique_ptr<CastStore> MakeCastStore(std::unique_ptr<Db> db) {
  return std::make_unique<SqlCastStore>(std::move(db));
}

}  // namespace isoloir::store::internal
