// Where a command finds its data: the data folder (SQLite stores, server key,
// letters, outbox) and, optionally, a PostgreSQL database for the stores.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "common/result.h"
#include "store/store.h"

namespace isoloir::cli {

struct DataOptions {
  std::string data_dir = "data";  // --data, or $ISOLOIR_DATA
  std::string backend = "sqlite"; // --db sqlite|postgresql
  std::string conninfo;           // --pg "host=... dbname=...", or $ISOLOIR_PG
  std::string actor;              // --actor, for the audit log; default "cli:<user>"

  std::filesystem::path data() const { return data_dir; }
  std::filesystem::path server_key_file() const { return data() / "secrets" / "server.key"; }
  std::filesystem::path letters_dir() const { return data() / "letters"; }
  std::filesystem::path outbox_dir() const { return data() / "outbox"; }
  std::filesystem::path sent_dir() const { return data() / "sent"; }
  std::filesystem::path staging_dir() const { return data() / "staging"; }
};

// Adds --data, --db, --pg and --actor to a subcommand.
void AddDataOptions(CLI::App* cmd, DataOptions& options);
Result<store::StoreConfig> MakeStoreConfig(const DataOptions& options);
std::string Actor(const DataOptions& options);

// The stores a command works with: the roll and the audit log, and the urne
// (public credential lists) when asked.
struct CliStores {
  std::unique_ptr<store::RollStore> roll;
  std::unique_ptr<store::UrneStore> urne;
  std::unique_ptr<store::AuditLog> audit;
};
Result<CliStores> OpenCliStores(const DataOptions& options, bool with_urne);

// Prints an error for people on standard error ("isoloir: code: message").
void PrintError(const Error& e);
// Prints e (PrintError) and returns the exit code for the command to return.
int Fail(const Error& e, int code = kExitFailure);

}  // namespace isoloir::cli
