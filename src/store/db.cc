#include "store/db.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cstring>

namespace isoloir::store::internal {

namespace {

constexpr size_t kSqliteChunk = 4096;    // rows per vector execution
constexpr size_t kCopyBuffer = 1 << 20;  // bytes per PQputCopyData
constexpr int kSqliteBusyTimeoutMs = 15000;

void IgnoreNotice(void*, const char*) {}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string PgErrorMessage(PGconn* conn, const PGresult* res) {
  const char* m = res != nullptr ? PQresultErrorMessage(res) : nullptr;
  if (m == nullptr || *m == '\0') m = PQerrorMessage(conn);
  return Trim(m != nullptr ? m : "unknown error");
}

[[noreturn]] void ThrowPg(PGconn* conn, const PGresult* res) {
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg = PgErrorMessage(conn, res);
  throw soci::postgresql_soci_error(msg,
                                    state != nullptr && std::strlen(state) == 5 ? state : "XX000");
}

void AppendCopyField(std::string& out, const std::string& value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
}

void CopyIn(Db& db, const std::string& table, const std::vector<std::string>& columns, size_t rows,
            const std::function<void(size_t, std::vector<std::string>&)>& row) {
  PGconn* conn = db.pg_conn();
  std::string cmd = "COPY " + table + " (";
  for (size_t j = 0; j < columns.size(); ++j) cmd += (j ? ", " : "") + columns[j];
  cmd += ") FROM STDIN";
  PGresult* res = PQexec(conn, cmd.c_str());
  if (PQresultStatus(res) != PGRES_COPY_IN) {
    try {
      ThrowPg(conn, res);
    } catch (...) {
      PQclear(res);
      throw;
    }
  }
  PQclear(res);

  auto finish = [&](const char* abort_message) {
    bool failed = PQputCopyEnd(conn, abort_message) != 1;
    std::string message;
    std::string state;
    while (PGresult* r = PQgetResult(conn)) {
      if (PQresultStatus(r) != PGRES_COMMAND_OK && message.empty()) {
        message = PgErrorMessage(conn, r);
        const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        state = s != nullptr ? s : "";
      }
      PQclear(r);
    }
    if (abort_message == nullptr && (failed || !message.empty())) {
      if (message.empty()) message = PgErrorMessage(conn, nullptr);
      throw soci::postgresql_soci_error(message, state.size() == 5 ? state.c_str() : "XX000");
    }
  };

  try {
    std::string buf;
    buf.reserve(kCopyBuffer + 4096);
    std::vector<std::string> fields(columns.size());
    for (size_t i = 0; i < rows; ++i) {
      row(i, fields);
      for (size_t j = 0; j < fields.size(); ++j) {
        if (j) buf += '\t';
        AppendCopyField(buf, fields[j]);
      }
      buf += '\n';
      if (buf.size() >= kCopyBuffer) {
        if (PQputCopyData(conn, buf.data(), static_cast<int>(buf.size())) != 1)
          ThrowPg(conn, nullptr);
        buf.clear();
      }
    }
    if (!buf.empty() && PQputCopyData(conn, buf.data(), static_cast<int>(buf.size())) != 1) {
      ThrowPg(conn, nullptr);
    }
  } catch (...) {
    try {
      finish("bulk load interrupted");
    } catch (...) {
    }
    throw;
  }
  finish(nullptr);
}

void SqliteVectorInsert(Db& db, const std::string& table, const std::vector<std::string>& columns,
                        size_t rows,
                        const std::function<void(size_t, std::vector<std::string>&)>& row) {
  std::string text = "INSERT INTO " + table + " (";
  for (size_t j = 0; j < columns.size(); ++j) text += (j ? ", " : "") + columns[j];
  text += ") VALUES (";
  for (size_t j = 0; j < columns.size(); ++j) text += (j ? ", :c" : ":c") + std::to_string(j);
  text += ")";

  const size_t k = columns.size();
  std::vector<std::vector<std::string>> cols(k);
  std::vector<std::string> fields(k);
  for (size_t start = 0; start < rows; start += kSqliteChunk) {
    const size_t m = std::min(kSqliteChunk, rows - start);
    for (auto& c : cols) c.resize(m);
    for (size_t i = 0; i < m; ++i) {
      row(start + i, fields);
      for (size_t j = 0; j < k; ++j) cols[j][i].swap(fields[j]);
    }
    soci::statement st(db.sql());
    for (auto& c : cols) st.exchange(soci::use(c));
    st.alloc();
    st.prepare(text);
    st.define_and_bind();
    st.execute(true);
  }
}

}  // namespace

std::unique_ptr<Db> Db::OpenSqlite(const std::string& file, bool wal) {
  std::unique_ptr<Db> db(new Db(Dialect::kSqlite, file));
  std::string quoted = "\"";
  for (char c : file) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  db->sql_.open(soci::sqlite3,
                "db=" + quoted + " timeout=" + std::to_string(kSqliteBusyTimeoutMs / 1000));
  db->AfterConnect();
  std::string mode;
  db->sql_ << (wal ? "PRAGMA journal_mode = WAL" : "PRAGMA journal_mode = DELETE"),
      soci::into(mode);
  std::transform(mode.begin(), mode.end(), mode.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (mode != (wal ? "wal" : "delete")) {
    throw soci::soci_error("could not set the journal mode of " + file + " (it is " + mode + ")");
  }
  return db;
}

std::unique_ptr<Db> Db::OpenPostgres(const std::string& conninfo, const std::string& schema) {
  std::unique_ptr<Db> db(
      new Db(Dialect::kPostgres, schema.empty() ? "PostgreSQL" : "PostgreSQL schema " + schema));
  db->schema_ = schema;
  db->sql_.open(soci::postgresql, conninfo);
  db->AfterConnect();
  return db;
}

void Db::AfterConnect() {
  if (dialect_ == Dialect::kSqlite) {
    Exec("PRAGMA busy_timeout = " + std::to_string(kSqliteBusyTimeoutMs));
    Exec("PRAGMA foreign_keys = ON");
    Exec("PRAGMA synchronous = FULL");
    Exec("PRAGMA cache_size = -32768");
  } else {
    PQsetNoticeProcessor(pg_conn(), IgnoreNotice, nullptr);
    if (!schema_.empty()) Exec("SET search_path TO " + schema_);
    Exec("SET client_min_messages TO warning");
  }
}

void Db::Exec(const std::string& statement) { sql_ << statement; }

void Db::EnsureConnected() {
  if (dialect_ != Dialect::kPostgres) return;
  if (PQstatus(pg_conn()) == CONNECTION_OK) return;
  sql_.reconnect();
  AfterConnect();
}

PGconn* Db::pg_conn() {
  auto* backend = static_cast<soci::postgresql_session_backend*>(sql_.get_backend());
  return backend->conn_;
}

Transaction::Transaction(Db& db) : db_(db) {
  db_.Exec(db_.postgres() ? "BEGIN" : "BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (done_) return;
  try {
    db_.Exec("ROLLBACK");
  } catch (...) {
  }
}

void Transaction::Commit() {
  db_.Exec("COMMIT");
  done_ = true;
}

void Transaction::Rollback() {
  if (done_) return;
  done_ = true;
  db_.Exec("ROLLBACK");
}

void BulkInsert(Db& db, const std::string& table, const std::vector<std::string>& columns,
                size_t rows, const std::function<void(size_t, std::vector<std::string>&)>& row) {
  if (rows == 0) return;
  if (db.postgres()) {
    CopyIn(db, table, columns, rows, row);
  } else {
    SqliteVectorInsert(db, table, columns, rows, row);
  }
}

namespace {

std::string SqlState(const std::exception& e) {
  if (auto* p = dynamic_cast<const soci::postgresql_soci_error*>(&e)) return p->sqlstate();
  return "";
}

int SqliteCode(const std::exception& e) {
  if (auto* s = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) return s->result() & 0xff;
  return -1;
}

std::string Message(const std::exception& e) {
  if (auto* s = dynamic_cast<const soci::soci_error*>(&e)) return s->get_error_message();
  return e.what();
}

}  // namespace

bool IsUniqueViolation(const std::exception& e, std::string_view pg_constraint,
                       std::string_view sqlite_column) {
  const std::string msg = Message(e);
  if (SqlState(e) == "23505") return msg.find(pg_constraint) != std::string::npos;
  if (SqliteCode(e) == 19 /* SQLITE_CONSTRAINT */) {
    return msg.find("UNIQUE constraint failed") != std::string::npos &&
           msg.find(sqlite_column) != std::string::npos;
  }
  return false;
}

bool IsPermissionDenied(const std::exception& e) { return SqlState(e) == "42501"; }

namespace {

// The database's message for people, without what may quote SQL or values:
// PostgreSQL's DETAIL/HINT/CONTEXT/LINE lines, SQLite's "for SQL: ..." tail,
// and SOCI's prefixes.
std::string CleanMessage(const std::string& raw) {
  std::string out;
  size_t start = 0;
  while (start <= raw.size()) {
    size_t end = raw.find('\n', start);
    if (end == std::string::npos) end = raw.size();
    std::string line = raw.substr(start, end - start);
    start = end + 1;
    for (std::string_view drop : {"DETAIL:", "HINT:", "CONTEXT:", "LINE ", "QUERY:", "^"}) {
      if (line.rfind(drop, 0) == 0) line.clear();
    }
    if (auto sql = line.find(" for SQL: "); sql != std::string::npos) line.resize(sql);
    for (std::string_view prefix : {"Cannot execute query. Fatal error. ", "Cannot execute query. ",
                                    "Fatal error. ", "ERROR:  ", "ERROR: ", "FATAL:  "}) {
      if (line.rfind(prefix, 0) == 0) line.erase(0, prefix.size());
    }
    if (auto colon = line.find("_backend::");
        colon != std::string::npos && line.find(": ", colon) != std::string::npos) {
      line.erase(0, line.find(": ", colon) + 2);  // "sqlite3_statement_backend::loadOne: "
    }
    line = Trim(line);
    if (line.empty()) continue;
    if (!out.empty()) out += ' ';
    out += line;
  }
  return out;
}

}  // namespace

Error DatabaseError(std::string_view doing, const std::exception& e) {
  std::string code = "store.database";
  if (IsPermissionDenied(e)) code = "store.permission_denied";
  const int sc = SqliteCode(e);
  if (sc == 5 /* SQLITE_BUSY */ || sc == 6 /* SQLITE_LOCKED */) code = "store.busy";
  return MakeError(code, "could not " + std::string(doing) + ": " + CleanMessage(Message(e)));
}

bool IsUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

Status CheckText(std::string_view field, std::string_view value, bool may_be_empty) {
  if (!may_be_empty && value.empty()) {
    return MakeError("store.invalid", std::string(field) + " is empty");
  }
  if (!IsUtf8(value)) {
    return MakeError("store.invalid", std::string(field) + " is not valid UTF-8 (or holds a NUL)");
  }
  return Status::Ok();
}

bool IsLowerHex(std::string_view text, size_t length) {
  if (text.size() != length) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace isoloir::store::internal
