// The staff accounts and sessions of the portal store (docs/bve.md): plain
// SQL over the portal store's connection, both dialects.
#include "store/staff_sql.h"

namespace isoloir::store::internal {

namespace {

Status CheckAccount(const StaffAccount& a) {
  Status st = CheckText("staff election id", a.election_id);
  if (st) st = CheckText("staff id", a.id);
  if (st) st = CheckText("staff role", a.role);
  if (st) st = CheckText("staff password hash", a.password_hash);
  if (st) st = CheckText("staff TOTP secret", a.totp_sealed);
  return st;
}

}  // namespace

Status SqlCreateStaff(Db& db, const StaffAccount& a) {
  if (Status st = CheckAccount(a); !st) return st;
  return Guard(db, "create the staff account", [&]() -> Status {
    std::string e = a.election_id, i = a.id, r = a.role, p = a.password_hash, t = a.totp_sealed;
    long long step = a.last_totp_step, c = a.created;
    int d = a.disabled ? 1 : 0;
    try {
      db.sql() << "INSERT INTO staff_accounts (election_id, id, role, password_hash, totp_sealed,"
                  " last_totp_step, disabled, created) VALUES (:e, :i, :r, :p, :t, :s, :d, :c)",
          soci::use(e), soci::use(i), soci::use(r), soci::use(p), soci::use(t), soci::use(step),
          soci::use(d), soci::use(c);
    } catch (const soci::soci_error& err) {
      if (IsUniqueViolation(err, "staff_accounts_pkey", "staff_accounts.election_id")) {
        return MakeError("staff.exists", "there is already an account " + a.id);
      }
      throw;
    }
    return Status::Ok();
  });
}

namespace {

const char* kStaffColumns =
    "SELECT election_id, id, role, password_hash, totp_sealed, last_totp_step, disabled, created"
    " FROM staff_accounts";

}  // namespace

Result<std::optional<StaffAccount>> SqlGetStaff(Db& db, const std::string& election_id,
                                                const std::string& id) {
  return Guard(db, "read the staff account", [&]() -> Result<std::optional<StaffAccount>> {
    std::string e = election_id, i = id;
    StaffAccount a;
    long long step = 0, c = 0;
    int d = 0;
    db.sql() << std::string(kStaffColumns) + " WHERE election_id = :e AND id = :i", soci::use(e),
        soci::use(i), soci::into(a.election_id), soci::into(a.id), soci::into(a.role),
        soci::into(a.password_hash), soci::into(a.totp_sealed), soci::into(step), soci::into(d),
        soci::into(c);
    if (!db.sql().got_data()) return std::optional<StaffAccount>();
    a.last_totp_step = step;
    a.disabled = d != 0;
    a.created = c;
    return std::optional<StaffAccount>(std::move(a));
  });
}

Result<std::vector<StaffAccount>> SqlListStaff(Db& db, const std::string& election_id) {
  auto ids = Guard(db, "list the staff accounts", [&]() -> Result<std::vector<std::string>> {
    std::string e = election_id;
    soci::rowset<std::string> rows =
        (db.sql().prepare << "SELECT id FROM staff_accounts WHERE election_id = :e ORDER BY id",
         soci::use(e));
    return std::vector<std::string>(rows.begin(), rows.end());
  });
  if (!ids) return ids.error();
  std::vector<StaffAccount> out;  // a board and its helpdesk: a few dozen accounts
  for (const auto& id : *ids) {
    auto a = SqlGetStaff(db, election_id, id);
    if (!a) return a.error();
    if (a->has_value()) out.push_back(std::move(**a));
  }
  return out;
}

Status SqlSetStaffDisabled(Db& db, const std::string& election_id, const std::string& id,
                           bool disabled) {
  return Guard(db, "change the staff account", [&]() -> Status {
    std::string e = election_id, i = id;
    int d = disabled ? 1 : 0;
    db.sql() << "UPDATE staff_accounts SET disabled = :d WHERE election_id = :e AND id = :i",
        soci::use(d), soci::use(e), soci::use(i);
    return Status::Ok();
  });
}

Result<bool> SqlUseTotpStep(Db& db, const std::string& election_id, const std::string& id,
                            int64_t step) {
  return Guard(db, "record the TOTP step", [&]() -> Result<bool> {
    std::string e = election_id, i = id;
    long long s = step;
    // One conditional statement: two servers never both accept the same code.
    soci::statement st =
        (db.sql().prepare << "UPDATE staff_accounts SET last_totp_step = :s"
                             " WHERE election_id = :e AND id = :i AND last_totp_step < :s2",
         soci::use(s), soci::use(e), soci::use(i), soci::use(s));
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
}

Status SqlCreateStaffSession(Db& db, const StaffSessionRecord& s) {
  if (!IsLowerHex(s.id_hash, 64)) {
    return MakeError("store.invalid", "session id hash is not 64 lowercase hex characters");
  }
  if (Status st = CheckText("staff id", s.staff_id); !st) return st;
  return Guard(db, "create the staff session", [&]() -> Status {
    std::string h = s.id_hash, e = s.election_id, i = s.staff_id;
    long long c = s.created, l = s.last_seen;
    db.sql() << "INSERT INTO staff_sessions (id_hash, election_id, staff_id, created, last_seen)"
                " VALUES (:h, :e, :i, :c, :l)",
        soci::use(h), soci::use(e), soci::use(i), soci::use(c), soci::use(l);
    return Status::Ok();
  });
}

Result<std::optional<StaffSessionRecord>> SqlGetStaffSession(Db& db, const std::string& id_hash) {
  return Guard(db, "read the staff session", [&]() -> Result<std::optional<StaffSessionRecord>> {
    std::string h = id_hash;
    StaffSessionRecord s;
    long long c = 0, l = 0;
    db.sql() << "SELECT election_id, staff_id, created, last_seen FROM staff_sessions"
                " WHERE id_hash = :h",
        soci::use(h), soci::into(s.election_id), soci::into(s.staff_id), soci::into(c),
        soci::into(l);
    if (!db.sql().got_data()) return std::optional<StaffSessionRecord>();
    s.id_hash = id_hash;
    s.created = c;
    s.last_seen = l;
    return std::optional<StaffSessionRecord>(std::move(s));
  });
}

Status SqlTouchStaffSession(Db& db, const std::string& id_hash, int64_t time) {
  return Guard(db, "update the staff session", [&]() -> Status {
    std::string h = id_hash;
    long long t = time;
    db.sql() << "UPDATE staff_sessions SET last_seen = :t WHERE id_hash = :h AND last_seen < :t2",
        soci::use(t), soci::use(h), soci::use(t);
    return Status::Ok();
  });
}

Status SqlDeleteStaffSession(Db& db, const std::string& id_hash) {
  return Guard(db, "end the staff session", [&]() -> Status {
    std::string h = id_hash;
    db.sql() << "DELETE FROM staff_sessions WHERE id_hash = :h", soci::use(h);
    return Status::Ok();
  });
}

Status SqlDeleteStaffSessionsOf(Db& db, const std::string& election_id,
                                const std::string& staff_id) {
  return Guard(db, "end the staff member's sessions", [&]() -> Status {
    std::string e = election_id, i = staff_id;
    db.sql() << "DELETE FROM staff_sessions WHERE election_id = :e AND staff_id = :i", soci::use(e),
        soci::use(i);
    return Status::Ok();
  });
}

}  // namespace isoloir::store::internal
