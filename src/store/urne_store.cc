#include <algorithm>
#include <numeric>

#include "store/impl.h"

namespace isoloir::store::internal {

namespace {

// Lock class for pg_advisory_xact_lock(class, credential) (see
// LockAndCheckCredential).
constexpr int kCredentialLockClass = 0x150003;
constexpr size_t kPage = 10000;  // rows per page when listing credentials

// FNV-1a over the length-prefixed fields: a collision only makes two
// credentials wait for each other.
int32_t CredentialLockKey(const std::string& election_id, const std::string& scrutin,
                          const std::string& credential) {
  uint32_t h = 2166136261u;
  for (const std::string* field : {&election_id, &scrutin, &credential}) {
    const uint64_t n = field->size();
    for (int k = 0; k < 8; ++k) h = (h ^ static_cast<unsigned char>(n >> (8 * k))) * 16777619u;
    for (unsigned char c : *field) h = (h ^ c) * 16777619u;
  }
  return static_cast<int32_t>(h);
}

}  // namespace

CredentialStatus LockAndCheckCredential(Db& db, const std::string& qualifier,
                                        const std::string& election_id, const std::string& scrutin,
                                        const std::string& credential, bool exclusive) {
  if (db.postgres()) {
    int key = CredentialLockKey(election_id, scrutin, credential);
    db.sql() << (exclusive ? "SELECT pg_advisory_xact_lock(:c, :k)"
                           : "SELECT pg_advisory_xact_lock_shared(:c, :k)"),
        soci::use(kCredentialLockClass), soci::use(key);
  }
  return ReadCredentialStatus(db, qualifier, election_id, scrutin, credential);
}

CredentialStatus ReadCredentialStatus(Db& db, const std::string& qualifier,
                                      const std::string& election_id, const std::string& scrutin,
                                      const std::string& credential) {
  const std::string credentials =
      qualifier + (db.postgres() ? "credentials_sorted" : "credentials");
  const std::string revocations =
      qualifier + (db.postgres() ? "revocations_sorted" : "revocations");
  std::string e = election_id, s = scrutin, c = credential;
  long long listed = 0, revoked = 0;
  // One statement, so one snapshot for both answers.
  db.sql() << "SELECT (SELECT count(*) FROM " + credentials +
                  " WHERE election_id = :e1 AND scrutin = :s1 AND credential = :c1),"
                  " (SELECT count(*) FROM " +
                  revocations + " WHERE election_id = :e2 AND scrutin = :s2 AND credential = :c2)",
      soci::use(e, "e1"), soci::use(s, "s1"), soci::use(c, "c1"), soci::use(e, "e2"),
      soci::use(s, "s2"), soci::use(c, "c2"), soci::into(listed), soci::into(revoked);
  if (listed == 0) return CredentialStatus::kUnknown;
  return revoked == 0 ? CredentialStatus::kValid : CredentialStatus::kRevoked;
}

Error CredentialStatusError(CredentialStatus status, const std::string& scrutin) {
  if (status == CredentialStatus::kRevoked) {
    return MakeError("urne.credential_revoked",
                     "this credential has been revoked in scrutin " + scrutin);
  }
  return MakeError("urne.credential_unknown",
                   "this credential is not in the public credential list of scrutin " + scrutin);
}

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

  Result<std::vector<std::string>> ListUsedCredentials(const std::string& election_id,
                                                       const std::string& scrutin) override {
    return Guard(*db_, "list the urne's credentials", [&]() -> Result<std::vector<std::string>> {
      std::string e = election_id, s = scrutin, c;
      std::vector<std::string> out;
      soci::statement st = (db_->sql().prepare << "SELECT credential FROM " + source_ +
                                                      " WHERE election_id = :e AND scrutin = :s"
                                                      " ORDER BY credential",
                            soci::use(e), soci::use(s), soci::into(c));
      st.execute();
      while (st.fetch()) out.push_back(c);
      return out;
    });
  }

  Status AddPublicCredentials(const std::string& election_id, const std::string& scrutin,
                              std::span<const std::string> credentials) override {
    if (auto st = CheckScrutin(election_id, scrutin); !st) return st;
    for (size_t i = 0; i < credentials.size(); ++i) {
      if (auto st = CheckText("credential", credentials[i]); !st) {
        return MakeError(st.error().code,
                         "credential " + std::to_string(i + 1) + ": " + st.error().message);
      }
    }
    // Stored in credential order, whatever the caller's order (which may be
    // the roll's): on PostgreSQL the heap's physical order is then that too.
    std::vector<uint32_t> order(credentials.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return credentials[a] < credentials[b] || (credentials[a] == credentials[b] && a < b);
    });
    for (size_t k = 1; k < order.size(); ++k) {
      if (credentials[order[k - 1]] == credentials[order[k]]) {
        return MakeError("urne.credential_duplicate",
                         "credentials " + std::to_string(order[k - 1] + 1) + " and " +
                             std::to_string(order[k] + 1) + " are the same (\"" +
                             credentials[order[k]] + "\")");
      }
    }
    return Guard(*db_, "add the public credentials", [&]() -> Status {
      Transaction tx(*db_);
      try {
        BulkInsert(*db_, "credentials", {"election_id", "scrutin", "credential"}, order.size(),
                   [&](size_t i, std::vector<std::string>& f) {
                     f[0] = election_id;
                     f[1] = scrutin;
                     f[2] = credentials[order[i]];
                   });
      } catch (const soci::soci_error& err) {
        if (!IsUniqueViolation(err, "urne_public_credential_unique", "credentials.credential")) {
          throw;
        }
        tx.Rollback();  // nothing written; on PostgreSQL the transaction is aborted anyway
        std::string which = FirstListed(election_id, scrutin, credentials, order);
        return MakeError(
            "urne.credential_duplicate",
            (which.empty() ? std::string("a credential") : "credential \"" + which + "\"") +
                " is already in the public credential list of scrutin " + scrutin +
                ": nothing was added");
      }
      tx.Commit();
      return Status::Ok();
    });
  }

  Status RevokePublicCredential(const std::string& election_id, const std::string& scrutin,
                                const std::string& credential, int64_t time) override {
    if (auto st = CheckScrutin(election_id, scrutin); !st) return st;
    if (auto st = CheckText("credential", credential); !st) return st;
    return Guard(*db_, "revoke the public credential", [&]() -> Status {
      Transaction tx(*db_);
      CredentialStatus status =
          LockAndCheckCredential(*db_, "", election_id, scrutin, credential, /*exclusive=*/true);
      if (status != CredentialStatus::kValid) return CredentialStatusError(status, scrutin);
      std::string e = election_id, s = scrutin, c = credential;
      long long t = time;
      try {
        db_->sql() << "INSERT INTO revocations (election_id, scrutin, credential, revoked_at)"
                      " VALUES (:e, :s, :c, :t)",
            soci::use(e), soci::use(s), soci::use(c), soci::use(t);
      } catch (const soci::soci_error& err) {
        if (IsUniqueViolation(err, "urne_revocation_once", "revocations.credential")) {
          return CredentialStatusError(CredentialStatus::kRevoked, scrutin);
        }
        throw;
      }
      tx.Commit();
      return Status::Ok();
    });
  }

  Result<std::vector<std::string>> ListPublicCredentials(const std::string& election_id,
                                                         const std::string& scrutin) override {
    return Guard(*db_, "list the public credentials", [&]() -> Result<std::vector<std::string>> {
      std::string e = election_id, s = scrutin, after;
      std::vector<std::string> out;
      std::string c;
      const std::string select = "SELECT credential FROM " + credentials_ +
                                 " WHERE election_id = :e AND scrutin = :s AND credential > :a"
                                 " ORDER BY credential";
      if (db_->postgres()) {
        // A cursor, kPage rows per fetch (libpq would otherwise hold the
        // whole result), in one snapshot.
        Transaction tx(*db_);
        db_->sql() << "DECLARE credentials_cursor NO SCROLL CURSOR FOR " + select, soci::use(e),
            soci::use(s), soci::use(after);
        soci::statement st(db_->sql());
        st.exchange(soci::into(c));
        st.alloc();
        st.prepare("FETCH FORWARD " + std::to_string(kPage) + " FROM credentials_cursor");
        st.define_and_bind();
        for (;;) {
          st.execute();
          size_t got = 0;
          while (st.fetch()) {
            out.push_back(c);
            ++got;
          }
          if (got < kPage) break;
        }
        db_->Exec("CLOSE credentials_cursor");
        tx.Commit();
        return out;
      }
      // SQLite: keyset pages along the primary key, so that no read holds
      // urne.db's lock (and delays casts) for long.
      long long page = kPage;
      for (;;) {
        size_t got = 0;
        {
          soci::statement st(db_->sql());
          st.exchange(soci::into(c));
          st.exchange(soci::use(e));
          st.exchange(soci::use(s));
          st.exchange(soci::use(after));
          st.exchange(soci::use(page));
          st.alloc();
          st.prepare(select + " LIMIT :n");
          st.define_and_bind();
          st.execute();
          while (st.fetch()) {
            out.push_back(c);
            ++got;
          }
        }
        if (got < kPage) break;
        after = out.back();
      }
      return out;
    });
  }

  Result<std::vector<Revocation>> ListRevocations(const std::string& election_id,
                                                  const std::string& scrutin) override {
    return Guard(*db_, "list the revocations", [&]() -> Result<std::vector<Revocation>> {
      std::string e = election_id, s = scrutin;
      std::vector<Revocation> out;
      Revocation r;
      long long t = 0;
      soci::statement st =
          (db_->sql().prepare << "SELECT credential, revoked_at FROM " + revocations_ +
                                     " WHERE election_id = :e AND scrutin = :s ORDER BY credential",
           soci::into(r.credential), soci::into(t), soci::use(e), soci::use(s));
      st.execute();
      while (st.fetch()) {
        r.revoked_at = t;
        out.push_back(r);
      }
      return out;
    });
  }

  Result<CredentialStatus> CheckCredential(const std::string& election_id,
                                           const std::string& scrutin,
                                           const std::string& credential) override {
    return Guard(*db_, "check the credential", [&]() -> Result<CredentialStatus> {
      return ReadCredentialStatus(*db_, "", election_id, scrutin, credential);
    });
  }

  Result<uint64_t> CountPublicCredentials(const std::string& election_id,
                                          const std::string& scrutin) override {
    return Guard(*db_, "count the public credentials", [&]() -> Result<uint64_t> {
      std::string e = election_id, s = scrutin;
      long long n = 0;
      db_->sql() << "SELECT count(*) FROM " + credentials_ +
                        " WHERE election_id = :e AND scrutin = :s",
          soci::use(e), soci::use(s), soci::into(n);
      return static_cast<uint64_t>(n);
    });
  }

 private:
  static Status CheckScrutin(const std::string& election_id, const std::string& scrutin) {
    Status st = CheckText("election id", election_id);
    if (st) st = CheckText("scrutin", scrutin);
    return st;
  }

  // After a refused AddPublicCredentials: the smallest of the batch's
  // credentials that is already listed, for the message ("" if none is found).
  std::string FirstListed(const std::string& election_id, const std::string& scrutin,
                          std::span<const std::string> credentials,
                          const std::vector<uint32_t>& order) {
    std::string e = election_id, s = scrutin, c;
    if (!db_->postgres() || order.size() <= kProbeAtMost) {
      // One lookup per credential, in order (cheap on SQLite, in-process).
      long long n = 0;
      soci::statement st =
          (db_->sql().prepare << "SELECT count(*) FROM " + credentials_ +
                                     " WHERE election_id = :e AND scrutin = :s AND credential = :c",
           soci::use(e), soci::use(s), soci::use(c), soci::into(n));
      for (uint32_t i : order) {
        c = credentials[i];
        st.execute(true);
        if (n > 0) return c;
      }
      return "";
    }
    // PostgreSQL, a large batch: one walk of the stored list (sorted, read
    // through a cursor) along the sorted batch. (A join or an "= ANY" with
    // the view would read the whole list for each probe: the view's ORDER BY
    // keeps the planner from merging it into the query.)
    Transaction tx(*db_);
    db_->sql() << "DECLARE listed_cursor NO SCROLL CURSOR FOR SELECT credential FROM " +
                      credentials_ + " WHERE election_id = :e AND scrutin = :s ORDER BY credential",
        soci::use(e), soci::use(s);
    soci::statement st(db_->sql());
    st.exchange(soci::into(c));
    st.alloc();
    st.prepare("FETCH FORWARD " + std::to_string(kPage) + " FROM listed_cursor");
    st.define_and_bind();
    size_t k = 0;
    std::string found;
    while (found.empty() && k < order.size()) {
      st.execute();
      size_t got = 0;
      while (st.fetch()) {
        ++got;
        while (k < order.size() && credentials[order[k]] < c) ++k;
        if (k == order.size()) break;
        if (credentials[order[k]] == c) {
          found = c;
          break;
        }
      }
      if (got < kPage) break;
    }
    tx.Rollback();  // reads only; closes the cursor
    return found;
  }

  // Above this many, FirstListed walks the list instead of looking each up.
  static constexpr size_t kProbeAtMost = 2000;

  std::unique_ptr<Db> db_;
  std::string source_;
  // PostgreSQL: the sorted views the urne role may read; SQLite: the tables.
  std::string credentials_ = db_->postgres() ? "credentials_sorted" : "credentials";
  std::string revocations_ = db_->postgres() ? "revocations_sorted" : "revocations";
};

}  // namespace

std::unique_ptr<UrneStore> MakeUrneStore(std::unique_ptr<Db> db) {
  return std::make_unique<SqlUrneStore>(std::move(db));
}

}  // namespace isoloir::store::internal
