#include "store/portal_store.h"

#include "store/impl.h"
#include "store/staff_sql.h"

namespace isoloir::store::internal {

namespace {

Status CheckSession(const SessionRecord& s) {
  if (!IsLowerHex(s.id_hash, 64)) {
    return MakeError("store.invalid", "session id hash is not 64 lowercase hex characters");
  }
  Status st = CheckText("session election id", s.election_id);
  if (st) st = CheckText("session matricule", s.matricule);
  return st;
}

Status CheckAttemptKey(const std::string& kind, const std::string& subject) {
  Status st = CheckText("attempt kind", kind);
  if (st) st = CheckText("attempt subject", subject);
  return st;
}

class SqlPortalStore final : public PortalStore {
 public:
  explicit SqlPortalStore(std::unique_ptr<Db> db) : db_(std::move(db)) {}

  Status CreateSession(const SessionRecord& s) override {
    if (auto st = CheckSession(s); !st) return st;
    return Guard(*db_, "create the session", [&]() -> Status {
      std::string h = s.id_hash, e = s.election_id, m = s.matricule;
      long long c = s.created, l = s.last_seen;
      db_->sql() << "INSERT INTO sessions (id_hash, election_id, matricule, created, last_seen)"
                    " VALUES (:h, :e, :m, :c, :l)",
          soci::use(h), soci::use(e), soci::use(m), soci::use(c), soci::use(l);
      return Status::Ok();
    });
  }

  Result<std::optional<SessionRecord>> GetSession(const std::string& id_hash) override {
    return Guard(*db_, "read the session", [&]() -> Result<std::optional<SessionRecord>> {
      std::string h = id_hash;
      SessionRecord s;
      long long c = 0, l = 0;
      db_->sql() << "SELECT election_id, matricule, created, last_seen FROM sessions"
                    " WHERE id_hash = :h",
          soci::use(h), soci::into(s.election_id), soci::into(s.matricule), soci::into(c),
          soci::into(l);
      if (!db_->sql().got_data()) return std::optional<SessionRecord>();
      s.id_hash = id_hash;
      s.created = c;
      s.last_seen = l;
      return std::optional<SessionRecord>(std::move(s));
    });
  }

  Status TouchSession(const std::string& id_hash, int64_t time) override {
    return Guard(*db_, "update the session", [&]() -> Status {
      std::string h = id_hash;
      long long t = time;
      db_->sql() << "UPDATE sessions SET last_seen = :t WHERE id_hash = :h AND last_seen < :t2",
          soci::use(t), soci::use(h), soci::use(t);
      return Status::Ok();
    });
  }

  Status DeleteSession(const std::string& id_hash) override {
    return Guard(*db_, "end the session", [&]() -> Status {
      std::string h = id_hash;
      db_->sql() << "DELETE FROM sessions WHERE id_hash = :h", soci::use(h);
      return Status::Ok();
    });
  }

  Status DeleteSessionsOf(const std::string& election_id, const std::string& matricule) override {
    return Guard(*db_, "end the voter's sessions", [&]() -> Status {
      std::string e = election_id, m = matricule;
      db_->sql() << "DELETE FROM sessions WHERE election_id = :e AND matricule = :m", soci::use(e),
          soci::use(m);
      return Status::Ok();
    });
  }

  Result<uint64_t> PurgeSessions(int64_t idle_before) override {
    return Guard(*db_, "purge idle sessions", [&]() -> Result<uint64_t> {
      long long t = idle_before;
      soci::statement st =
          (db_->sql().prepare << "DELETE FROM sessions WHERE last_seen < :t", soci::use(t));
      st.execute(true);
      return static_cast<uint64_t>(st.get_affected_rows());
    });
  }

  Result<AttemptCount> AddFailure(const std::string& kind, const std::string& subject, int64_t time,
                                  int64_t window_seconds) override {
    if (auto st = CheckAttemptKey(kind, subject); !st) return st.error();
    return Guard(*db_, "count the failed attempt", [&]() -> Result<AttemptCount> {
      std::string k = kind, s = subject;
      long long t = time, w = window_seconds;
      Transaction tx(*db_);
      // One statement: concurrent servers each add their failure.
      db_->sql() << "INSERT INTO attempts (kind, subject, failures, window_start, locked)"
                    " VALUES (:k, :s, 1, :t, 0)"
                    " ON CONFLICT (kind, subject) DO UPDATE SET"
                    " failures = CASE WHEN excluded.window_start - attempts.window_start >= :w"
                    "   THEN 1 ELSE attempts.failures + 1 END,"
                    " window_start = CASE WHEN excluded.window_start - attempts.window_start >= :w2"
                    "   THEN excluded.window_start ELSE attempts.window_start END",
          soci::use(k), soci::use(s), soci::use(t), soci::use(w), soci::use(w);
      AttemptCount out = Read(k, s);
      tx.Commit();
      return out;
    });
  }

  Result<AttemptCount> GetAttempts(const std::string& kind, const std::string& subject,
                                   int64_t time, int64_t window_seconds) override {
    return Guard(*db_, "read the failed attempts", [&]() -> Result<AttemptCount> {
      AttemptCount out = Read(kind, subject);
      if (out.failures > 0 && time - out.window_start >= window_seconds) {
        out.failures = 0;
        out.window_start = 0;
      }
      return out;
    });
  }

  Status ClearFailures(const std::string& kind, const std::string& subject) override {
    return Guard(*db_, "clear the failed attempts", [&]() -> Status {
      std::string k = kind, s = subject;
      db_->sql() << "UPDATE attempts SET failures = 0, window_start = 0"
                    " WHERE kind = :k AND subject = :s",
          soci::use(k), soci::use(s);
      return Status::Ok();
    });
  }

  Status Lock(const std::string& kind, const std::string& subject, int64_t time) override {
    if (auto st = CheckAttemptKey(kind, subject); !st) return st;
    return Guard(*db_, "lock", [&]() -> Status {
      std::string k = kind, s = subject;
      long long t = time;
      db_->sql() << "INSERT INTO attempts (kind, subject, failures, window_start, locked)"
                    " VALUES (:k, :s, 0, :t, 1)"
                    " ON CONFLICT (kind, subject) DO UPDATE SET locked = 1",
          soci::use(k), soci::use(s), soci::use(t);
      return Status::Ok();
    });
  }

  Status Unlock(const std::string& kind, const std::string& subject) override {
    return Guard(*db_, "unlock", [&]() -> Status {
      std::string k = kind, s = subject;
      db_->sql() << "DELETE FROM attempts WHERE kind = :k AND subject = :s", soci::use(k),
          soci::use(s);
      return Status::Ok();
    });
  }

  Status PutElectionKey(const ElectionKeyRecord& key) override {
    Status st = CheckText("election id", key.election_id);
    if (st) st = CheckText("public key", key.public_key);
    if (st) st = CheckText("ceremony transcript", key.ceremony, /*may_be_empty=*/true);
    if (!st) return st;
    return Guard(*db_, "store the election key", [&]() -> Status {
      std::string e = key.election_id, p = key.public_key, c = key.ceremony;
      long long t = key.created;
      try {
        db_->sql() << "INSERT INTO election_keys (election_id, public_key, ceremony, created)"
                      " VALUES (:e, :p, :c, :t)",
            soci::use(e), soci::use(p), soci::use(c), soci::use(t);
      } catch (const soci::soci_error& err) {
        if (IsUniqueViolation(err, "election_keys_pkey", "election_keys.election_id")) {
          return MakeError("portal.key_exists",
                           "election " + key.election_id + " already has a public key");
        }
        throw;
      }
      return Status::Ok();
    });
  }

  Result<std::optional<ElectionKeyRecord>> GetElectionKey(const std::string& election_id) override {
    return Guard(*db_, "read the election key", [&]() -> Result<std::optional<ElectionKeyRecord>> {
      std::string e = election_id;
      ElectionKeyRecord k;
      long long t = 0;
      db_->sql() << "SELECT public_key, ceremony, created FROM election_keys"
                    " WHERE election_id = :e",
          soci::use(e), soci::into(k.public_key), soci::into(k.ceremony), soci::into(t);
      if (!db_->sql().got_data()) return std::optional<ElectionKeyRecord>();
      k.election_id = election_id;
      k.created = t;
      return std::optional<ElectionKeyRecord>(std::move(k));
    });
  }

  Status PutCeremonyMessage(const CeremonyMessage& m) override {
    Status st = CheckText("election id", m.election_id);
    if (st) st = CheckText("ceremony message kind", m.kind);
    if (st) st = CheckText("ceremony message", m.body);
    if (!st) return st;
    return Guard(*db_, "store the ceremony message", [&]() -> Status {
      std::string e = m.election_id, k = m.kind, b = m.body;
      long long h = m.holder, t = m.created;
      try {
        db_->sql() << "INSERT INTO ceremony_messages (election_id, kind, holder, body, created)"
                      " VALUES (:e, :k, :h, :b, :t)",
            soci::use(e), soci::use(k), soci::use(h), soci::use(b), soci::use(t);
      } catch (const soci::soci_error& err) {
        if (IsUniqueViolation(err, "ceremony_messages_pkey", "ceremony_messages.election_id")) {
          return MakeError("portal.ceremony_exists", "holder " + std::to_string(m.holder) +
                                                         " already sent their " + m.kind);
        }
        throw;
      }
      return Status::Ok();
    });
  }

  Result<std::vector<CeremonyMessage>> ListCeremonyMessages(const std::string& election_id,
                                                            const std::string& kind) override {
    return Guard(*db_, "read the ceremony messages",
                 [&]() -> Result<std::vector<CeremonyMessage>> {
                   std::string e = election_id, k = kind;
                   long long h = 0, t = 0;
                   std::string b;
                   soci::statement st =
                       (db_->sql().prepare << "SELECT holder, body, created FROM ceremony_messages"
                                              " WHERE election_id = :e AND kind = :k"
                                              " ORDER BY holder",
                        soci::into(h), soci::into(b), soci::into(t), soci::use(e), soci::use(k));
                   st.execute();
                   std::vector<CeremonyMessage> out;
                   while (st.fetch()) {
                     out.push_back({election_id, kind, static_cast<uint32_t>(h), b, t});
                   }
                   return out;
                 });
  }

  Status SetVoteState(const std::string& election_id, const VoteState& state) override {
    Status st = CheckText("election id", election_id);
    if (st) st = CheckText("reason", state.reason, /*may_be_empty=*/!state.suspended);
    if (!st) return st;
    return Guard(*db_, "record the vote's state", [&]() -> Status {
      std::string e = election_id, r = state.reason;
      int s = state.suspended ? 1 : 0;
      long long t = state.since;
      db_->sql() << "INSERT INTO vote_states (election_id, suspended, reason, since)"
                    " VALUES (:e, :s, :r, :t)"
                    " ON CONFLICT (election_id) DO UPDATE SET suspended = excluded.suspended,"
                    " reason = excluded.reason, since = excluded.since",
          soci::use(e), soci::use(s), soci::use(r), soci::use(t);
      return Status::Ok();
    });
  }

  Result<VoteState> GetVoteState(const std::string& election_id) override {
    return Guard(*db_, "read the vote's state", [&]() -> Result<VoteState> {
      std::string e = election_id;
      VoteState v;
      int s = 0;
      long long t = 0;
      db_->sql() << "SELECT suspended, reason, since FROM vote_states WHERE election_id = :e",
          soci::use(e), soci::into(s), soci::into(v.reason), soci::into(t);
      if (!db_->sql().got_data()) return VoteState{};
      v.suspended = s != 0;
      v.since = t;
      return v;
    });
  }

  // --- Staff accounts and sessions: staff_store.cc.
  Status CreateStaff(const StaffAccount& a) override { return SqlCreateStaff(*db_, a); }
  Result<std::optional<StaffAccount>> GetStaff(const std::string& e,
                                               const std::string& id) override {
    return SqlGetStaff(*db_, e, id);
  }
  Result<std::vector<StaffAccount>> ListStaff(const std::string& e) override {
    return SqlListStaff(*db_, e);
  }
  Status SetStaffDisabled(const std::string& e, const std::string& id, bool disabled) override {
    return SqlSetStaffDisabled(*db_, e, id, disabled);
  }
  Result<bool> UseTotpStep(const std::string& e, const std::string& id, int64_t step) override {
    return SqlUseTotpStep(*db_, e, id, step);
  }
  Status CreateStaffSession(const StaffSessionRecord& s) override {
    return SqlCreateStaffSession(*db_, s);
  }
  Result<std::optional<StaffSessionRecord>> GetStaffSession(const std::string& h) override {
    return SqlGetStaffSession(*db_, h);
  }
  Status TouchStaffSession(const std::string& h, int64_t time) override {
    return SqlTouchStaffSession(*db_, h, time);
  }
  Status DeleteStaffSession(const std::string& h) override { return SqlDeleteStaffSession(*db_, h); }
  Status DeleteStaffSessionsOf(const std::string& e, const std::string& id) override {
    return SqlDeleteStaffSessionsOf(*db_, e, id);
  }

 private:
  AttemptCount Read(const std::string& kind, const std::string& subject) {
    std::string k = kind, s = subject;
    AttemptCount out;
    long long f = 0, w = 0;
    int locked = 0;
    db_->sql() << "SELECT failures, window_start, locked FROM attempts"
                  " WHERE kind = :k AND subject = :s",
        soci::use(k), soci::use(s), soci::into(f), soci::into(w), soci::into(locked);
    if (!db_->sql().got_data()) return out;
    out.failures = f;
    out.window_start = w;
    out.locked = locked != 0;
    return out;
  }

  std::unique_ptr<Db> db_;
};

}  // namespace

std::unique_ptr<PortalStore> MakePortalStore(std::unique_ptr<Db> db) {
  return std::make_unique<SqlPortalStore>(std::move(db));
}

}  // namespace isoloir::store::internal
