#include "store/impl.h"

namespace isoloir::store::internal {

Status CheckEmargement(const EmargementRecord& r) {
  Status st = CheckText("émargement election id", r.election_id);
  if (st) st = CheckText("émargement scrutin", r.scrutin);
  if (st) st = CheckText("émargement matricule", r.matricule);
  return st;
}

std::optional<Error> DuplicateEmargementError(const std::exception& err,
                                              const EmargementRecord& r) {
  if (!IsUniqueViolation(err, "emargement_once", "emargements.matricule")) return std::nullopt;
  return MakeError("emargement.already_voted",
                   "matricule \"" + r.matricule + "\" has already voted in scrutin " + r.scrutin);
}

namespace {

class SqlEmargementStore final : public EmargementStore {
 public:
  explicit SqlEmargementStore(std::unique_ptr<Db> db) : db_(std::move(db)) {}

  Status Record(const EmargementRecord& r) override {
    if (auto st = CheckEmargement(r); !st) return st;
    return Guard(*db_, "record the émargement", [&]() -> Status {
      std::string e = r.election_id, s = r.scrutin, m = r.matricule;
      long long t = r.time;
      try {
        db_->sql() << "INSERT INTO emargements (election_id, scrutin, matricule, voted_at)"
                      " VALUES (:e, :s, :m, :t)",
            soci::use(e), soci::use(s), soci::use(m), soci::use(t);
      } catch (const soci::soci_error& err) {
        if (auto dup = DuplicateEmargementError(err, r)) return *dup;
        throw;
      }
      return Status::Ok();
    });
  }

  Result<bool> HasVoted(const std::string& election_id, const std::string& scrutin,
                        const std::string& matricule) override {
    return Guard(*db_, "read the émargement", [&]() -> Result<bool> {
      std::string e = election_id, s = scrutin, m = matricule;
      long long n = 0;
      db_->sql() << "SELECT count(*) FROM emargements"
                    " WHERE election_id = :e AND scrutin = :s AND matricule = :m",
          soci::use(e), soci::use(s), soci::use(m), soci::into(n);
      return n > 0;
    });
  }

  Result<std::vector<EmargementRecord>> List(const std::string& election_id,
                                             const std::string& scrutin) override {
    return Guard(*db_, "list the émargement", [&]() -> Result<std::vector<EmargementRecord>> {
      std::string e = election_id, s = scrutin;
      std::vector<EmargementRecord> out;
      std::string m;
      long long t = 0;
      soci::statement st =
          (db_->sql().prepare << "SELECT matricule, voted_at FROM emargements"
                                 " WHERE election_id = :e AND scrutin = :s ORDER BY matricule",
           soci::into(m), soci::into(t), soci::use(e), soci::use(s));
      st.execute();
      while (st.fetch()) out.push_back(EmargementRecord{election_id, scrutin, m, t});
      return out;
    });
  }

  Result<uint64_t> Count(const std::string& election_id, const std::string& scrutin) override {
    return Guard(*db_, "count the émargement", [&]() -> Result<uint64_t> {
      std::string e = election_id, s = scrutin;
      long long n = 0;
      db_->sql() << "SELECT count(*) FROM emargements WHERE election_id = :e AND scrutin = :s",
          soci::use(e), soci::use(s), soci::into(n);
      return static_cast<uint64_t>(n);
    });
  }

 private:
  std::unique_ptr<Db> db_;
};

}  // namespace

std::unique_ptr<EmargementStore> MakeEmargementStore(std::unique_ptr<Db> db) {
  return std::make_unique<SqlEmargementStore>(std::move(db));
}

}  // namespace isoloir::store::internal
