// Internal to src/store (and its tests): one database connection, its SQL
// dialect, transactions, bulk loading and the mapping of database errors to
// Error values. SOCI's exceptions never leave src/store.
#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/soci.h"

namespace isoloir::store::internal {

enum class Dialect { kSqlite, kPostgres };

class Db {
 public:
  // Opens (creating it if needed) a SQLite file with foreign keys on, a busy
  // timeout, synchronous=FULL and either a WAL or a rollback journal.
  // Throws soci::soci_error.
  static std::unique_ptr<Db> OpenSqlite(const std::string& file, bool wal);
  // Connects to PostgreSQL with search_path = `schema` (if not empty).
  // Throws soci::soci_error.
  static std::unique_ptr<Db> OpenPostgres(const std::string& conninfo, const std::string& schema);

  Dialect dialect() const { return dialect_; }
  bool postgres() const { return dialect_ == Dialect::kPostgres; }
  soci::session& sql() { return sql_; }
  // For messages: the SQLite file, or "PostgreSQL schema x".
  const std::string& where() const { return where_; }

  // Runs one statement without parameters.
  void Exec(const std::string& statement);
  // PostgreSQL: reconnects if the connection was lost. SQLite: nothing.
  void EnsureConnected();
  // PostgreSQL only: libpq's handle, for COPY.
  PGconn* pg_conn();

 private:
  Db(Dialect dialect, std::string where) : dialect_(dialect), where_(std::move(where)) {}
  void AfterConnect();

  Dialect dialect_;
  std::string where_;
  std::string schema_;
  soci::session sql_;
};

// BEGIN (BEGIN IMMEDIATE on SQLite, so that the write lock is taken at once),
// ROLLBACK on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(Db& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void Commit();
  // Rolls back now (e.g. to read again after a failed statement on
  // PostgreSQL, whose transaction is then aborted).
  void Rollback();

 private:
  Db& db_;
  bool done_ = false;
};

// Inserts `rows` rows into `table`: row(i, fields) fills the text of each
// column of row i (integers in decimal). PostgreSQL: COPY through libpq;
// SQLite: a prepared statement with SOCI vector binding, in chunks.
// Runs inside the caller's transaction. Throws soci::soci_error.
void BulkInsert(Db& db, const std::string& table, const std::vector<std::string>& columns,
                size_t rows, const std::function<void(size_t, std::vector<std::string>&)>& row);

// A unique constraint failed: `pg_constraint` is the constraint's name on
// PostgreSQL, `sqlite_column` the "table.column" SQLite names in its message.
bool IsUniqueViolation(const std::exception& e, std::string_view pg_constraint,
                       std::string_view sqlite_column);
bool IsPermissionDenied(const std::exception& e);
// "store.database" (or "store.permission_denied", "store.busy"): could not
// <doing>: <the database's message, without SQL text or values>.
Error DatabaseError(std::string_view doing, const std::exception& e);

// Runs f, turning any exception into an Error (f returns Status or Result).
template <typename F>
auto Guard(Db& db, std::string_view doing, F&& f) -> decltype(f()) {
  try {
    db.EnsureConnected();
    return f();
  } catch (const std::exception& e) {
    return DatabaseError(doing, e);
  }
}

// Text checks shared by the stores.
bool IsUtf8(std::string_view text);  // valid UTF-8 without NUL
Status CheckText(std::string_view field, std::string_view value, bool may_be_empty = false);
bool IsLowerHex(std::string_view text, size_t length);

}  // namespace isoloir::store::internal
