#include "store/impl.h"

namespace isoloir::store::internal {

Status CheckBallot(const BallotRecord& b) {
  Status st = CheckText("ballot election id", b.election_id);
  if (st) st = CheckText("ballot scrutin", b.scrutin);
  if (st) st = CheckText("ballot tracker", b.tracker);
  if (st) st = CheckText("ballot credential", b.credential);
  if (st) st = CheckText("ballot", b.ballot);
  return st;
}

std::optional<Error> DuplicateBallotError(const std::exception& err, const BallotRecord& b) {
  if (IsUniqueViolation(err, "urne_credential_unique", "ballots.credential")) {
    return MakeError("urne.credential_used",
                     "this credential has already voted in scrutin " + b.scrutin);
  }
  if (IsUniqueViolation(err, "urne_tracker_unique", "ballots.tracker")) {
    return MakeError("urne.duplicate_tracker",
                     "a ballot with this tracker is already in the urne of scrutin " + b.scrutin);
  }
  return std::nullopt;
}

namespace {

class SqlUrneStore final : public UrneStore {
 public:
  explicit SqlUrneStore(std::unique_ptr<Db> db)
      : db_(std::move(db)),
        // PostgreSQL: the urne role may only read the view sorted by tracker.
        // SQLite: the table has no rowid; its key order is the tracker order.
        source_(db_->postgres() ? "ballots_by_tracker" : "ballots") {}

  Status Append(const BallotRecord& b) override {
    if (auto st = CheckBallot(b); !st) return st;
    return Guard(*db_, "add the ballot to the urne", [&]() -> Status {
      std::string e = b.election_id, s = b.scrutin, t = b.tracker, c = b.credential, j = b.ballot;
      try {
        db_->sql() << "INSERT INTO ballots (election_id, scrutin, tracker, credential, ballot)"
                      " VALUES (:e, :s, :t, :c, :b)",
            soci::use(e), soci::use(s), soci::use(t), soci::use(c), soci::use(j);
      } catch (const soci::soci_error& err) {
        if (auto dup = DuplicateBallotError(err, b)) return *dup;
        throw;
      }
      return Status::Ok();
    });
  }

  Result<std::vector<BallotRecord>> List(const std::string& election_id, const std::string& scrutin,
                                         const std::string& after_tracker, size_t limit) override {
    return Guard(*db_, "list the urne", [&]() -> Result<std::vector<BallotRecord>> {
      std::string e = election_id, s = scrutin, after = after_tracker;
      long long n = limit == 0 ? -1 : static_cast<long long>(limit);
      std::vector<BallotRecord> out;
      BallotRecord b{election_id, scrutin, "", "", ""};
      const std::string limit_clause = limit == 0 ? "" : " LIMIT :n";
      soci::statement st(db_->sql());
      st.exchange(soci::into(b.tracker));
      st.exchange(soci::into(b.credential));
      st.exchange(soci::into(b.ballot));
      st.exchange(soci::use(e));
      st.exchange(soci::use(s));
      st.exchange(soci::use(after));
      if (limit != 0) st.exchange(soci::use(n));
      st.alloc();
      st.prepare("SELECT tracker, credential, ballot FROM " + source_ +
                 " WHERE election_id = :e AND scrutin = :s AND tracker > :a ORDER BY tracker" +
                 limit_clause);
      st.define_and_bind();
      st.execute();
      while (st.fetch()) out.push_back(b);
      return out;
    });
  }

  Result<std::optional<BallotRecord>> Find(const std::string& election_id,
                                           const std::string& scrutin,
                                           const std::string& tracker) override {
    return Guard(*db_, "read the urne", [&]() -> Result<std::optional<BallotRecord>> {
      std::string e = election_id, s = scrutin, t = tracker;
      BallotRecord b{election_id, scrutin, tracker, "", ""};
      db_->sql() << "SELECT credential, ballot FROM " + source_ +
                        " WHERE election_id = :e AND scrutin = :s AND tracker = :t",
          soci::use(e), soci::use(s), soci::use(t), soci::into(b.credential), soci::into(b.ballot);
      if (!db_->sql().got_data()) return std::optional<BallotRecord>();
      return std::optional<BallotRecord>(std::move(b));
    });
  }

  Result<uint64_t> Count(const std::string& election_id, const std::string& scrutin) override {
    return Guard(*db_, "count the urne", [&]() -> Result<uint64_t> {
      std::string e = election_id, s = scrutin;
      long long n = 0;
      db_->sql() << "SELECT count(*) FROM " + source_ + " WHERE election_id = :e AND scrutin = :s",
          soci::use(e), soci::use(s), soci::into(n);
      return static_cast<uint64_t>(n);
    });
  }

 private:
  std::unique_ptr<Db> db_;
  std::string source_;
};

}  // namespace

std::unique_ptr<UrneStore> MakeUrneStore(std::unique_ptr<Db> db) {
  return std::make_unique<SqlUrneStore>(std::move(db));
}

}  // namespace isoloir::store::internal
