#include "store/store.h"

#include <filesystem>
#include <system_error>

#include "store/impl.h"
#include "store/migrations.h"

namespace isoloir::store {

using internal::Db;

Result<Backend> ParseBackend(std::string_view name) {
  if (name == "sqlite" || name == "sqlite3") return Backend::kSqlite;
  if (name == "postgresql" || name == "postgres" || name == "pg") return Backend::kPostgres;
  return MakeError("store.unknown_backend",
                   "unknown store backend \"" + std::string(name) + "\" (sqlite or postgresql)");
}

std::string_view BackendName(Backend backend) {
  return backend == Backend::kSqlite ? "sqlite" : "postgresql";
}

std::string_view StoreName(StoreKind kind) {
  switch (kind) {
    case StoreKind::kRoll:
      return "roll";
    case StoreKind::kEmargement:
      return "emargement";
    case StoreKind::kUrne:
      return "urne";
    case StoreKind::kAudit:
      return "audit";
    case StoreKind::kCast:
      return "cast";
    case StoreKind::kPortal:
      return "portal";
  }
  return "";
}

const std::string& StoreConfig::ConninfoFor(StoreKind kind) const {
  auto it = store_conninfo.find(kind);
  return it != store_conninfo.end() && !it->second.empty() ? it->second : conninfo;
}

namespace {

Status CheckConfig(const StoreConfig& config, StoreKind kind) {
  if (config.backend == Backend::kSqlite && config.data_dir.empty()) {
    return MakeError("store.config", "no data folder given for the SQLite store");
  }
  if (config.backend == Backend::kPostgres && config.ConninfoFor(kind).empty()) {
    return MakeError("store.config", "no PostgreSQL connection string given for the " +
                                         std::string(StoreName(kind)) + " store");
  }
  return Status::Ok();
}

Result<std::string> SqliteFile(const StoreConfig& config, const std::string& file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir(config.data_dir);
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (!ec) fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    if (ec) {
      return MakeError("store.open",
                       "could not create the data folder " + dir.string() + ": " + ec.message());
    }
  } else if (!fs::is_directory(dir, ec)) {
    return MakeError("store.open", dir.string() + " is not a folder");
  }
  return (dir / file).string();
}

// Opens one store's connection and brings its schema to this build's version.
Result<std::unique_ptr<Db>> OpenStoreDb(const StoreConfig& config, StoreKind kind) {
  if (auto st = CheckConfig(config, kind); !st) return st.error();
  const internal::StoreSchema& schema = internal::SchemaOf(kind);
  std::unique_ptr<Db> db;
  std::string where = "the " + schema.name + " store";
  try {
    if (config.backend == Backend::kSqlite) {
      auto file = SqliteFile(config, schema.file);
      if (!file) return file.error();
      where = *file;
      db = Db::OpenSqlite(*file, schema.wal);
    } else {
      where = "PostgreSQL schema " + schema.pg_schema;
      db = Db::OpenPostgres(config.ConninfoFor(kind), schema.pg_schema);
    }
  } catch (const std::exception& e) {
    return internal::DatabaseError("open " + where, e);
  }
  if (auto st = internal::Migrate(*db, schema); !st) return st.error();
  return db;
}

}  // namespace

Result<std::unique_ptr<RollStore>> OpenRollStore(const StoreConfig& config) {
  auto db = OpenStoreDb(config, StoreKind::kRoll);
  if (!db) return db.error();
  return internal::MakeRollStore(std::move(*db));
}

Result<std::unique_ptr<EmargementStore>> OpenEmargementStore(const StoreConfig& config) {
  auto db = OpenStoreDb(config, StoreKind::kEmargement);
  if (!db) return db.error();
  return internal::MakeEmargementStore(std::move(*db));
}

Result<std::unique_ptr<UrneStore>> OpenUrneStore(const StoreConfig& config) {
  auto db = OpenStoreDb(config, StoreKind::kUrne);
  if (!db) return db.error();
  return internal::MakeUrneStore(std::move(*db));
}

Result<std::unique_ptr<AuditLog>> OpenAuditLog(const StoreConfig& config) {
  auto db = OpenStoreDb(config, StoreKind::kAudit);
  if (!db) return db.error();
  return internal::MakeAuditLog(std::move(*db));
}

Result<std::unique_ptr<PortalStore>> OpenPortalStore(const StoreConfig& config) {
  auto db = OpenStoreDb(config, StoreKind::kPortal);
  if (!db) return db.error();
  return internal::MakePortalStore(std::move(*db));
}

Result<std::unique_ptr<CastStore>> OpenCastStore(const StoreConfig& config) {
  if (auto st = CheckConfig(config, StoreKind::kCast); !st) return st.error();
  const internal::StoreSchema& em = internal::SchemaOf(StoreKind::kEmargement);
  const internal::StoreSchema& urne = internal::SchemaOf(StoreKind::kUrne);
  std::unique_ptr<Db> db;
  std::string where = "the cast store";
  try {
    if (config.backend == Backend::kSqlite) {
      // Both files exist at this build's version, in rollback-journal mode.
      for (StoreKind kind : {StoreKind::kEmargement, StoreKind::kUrne}) {
        auto one = OpenStoreDb(config, kind);
        if (!one) return one.error();
      }
      auto em_file = SqliteFile(config, em.file);
      auto urne_file = SqliteFile(config, urne.file);
      if (!em_file) return em_file.error();
      if (!urne_file) return urne_file.error();
      where = *em_file + " with " + *urne_file;
      db = Db::OpenSqlite(*em_file, /*wal=*/false);
      std::string quoted;
      for (char c : *urne_file) quoted += c == '\'' ? std::string("''") : std::string(1, c);
      db->Exec("ATTACH DATABASE '" + quoted + "' AS isoloir_urne");
      std::string mode;
      db->sql() << "PRAGMA isoloir_urne.journal_mode = DELETE", soci::into(mode);
      db->Exec("PRAGMA isoloir_urne.synchronous = FULL");
      if (mode != "delete") {
        return MakeError("store.open", *urne_file + " is not in rollback-journal mode (" + mode +
                                           "): a vote could not be written atomically");
      }
    } else {
      where = "PostgreSQL (cast)";
      db = Db::OpenPostgres(config.ConninfoFor(StoreKind::kCast), "");
    }
    const bool pg = db->postgres();
    int v_em = internal::CurrentVersion(*db, em, pg ? "isoloir_emargement." : "main.");
    int v_urne = internal::CurrentVersion(*db, urne, "isoloir_urne.");
    if (auto st = internal::CheckVersion(
            em, pg ? "PostgreSQL schema isoloir_emargement" : config.data_dir + "/" + em.file, v_em,
            db->dialect());
        !st) {
      return st.error();
    }
    if (auto st = internal::CheckVersion(
            urne, pg ? "PostgreSQL schema isoloir_urne" : config.data_dir + "/" + urne.file, v_urne,
            db->dialect());
        !st) {
      return st.error();
    }
  } catch (const std::exception& e) {
    return internal::DatabaseError("open " + where, e);
  }
  return internal::MakeCastStore(std::move(db));
}

Result<Stores> OpenStores(const StoreConfig& config) {
  Stores s;
  auto roll = OpenRollStore(config);
  if (!roll) return roll.error();
  s.roll = std::move(*roll);
  auto emargement = OpenEmargementStore(config);
  if (!emargement) return emargement.error();
  s.emargement = std::move(*emargement);
  auto urne = OpenUrneStore(config);
  if (!urne) return urne.error();
  s.urne = std::move(*urne);
  auto audit = OpenAuditLog(config);
  if (!audit) return audit.error();
  s.audit = std::move(*audit);
  auto cast = OpenCastStore(config);
  if (!cast) return cast.error();
  s.cast = std::move(*cast);
  auto portal = OpenPortalStore(config);
  if (!portal) return portal.error();
  s.portal = std::move(*portal);
  return s;
}

}  // namespace isoloir::store
