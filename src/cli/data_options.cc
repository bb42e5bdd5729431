#include "cli/data_options.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace isoloir::cli {

void AddDataOptions(CLI::App* cmd, DataOptions& o) {
  if (const char* d = std::getenv("ISOLOIR_DATA")) o.data_dir = d;
  if (const char* pg = std::getenv("ISOLOIR_PG")) {
    o.conninfo = pg;
    o.backend = "postgresql";
  }
  cmd->add_option("--data", o.data_dir, "data folder (default ./data, or $ISOLOIR_DATA)");
  cmd->add_option("--db", o.backend, "store backend: sqlite (default) or postgresql");
  cmd->add_option("--pg", o.conninfo, "PostgreSQL connection string (or $ISOLOIR_PG)");
  cmd->add_option("--actor", o.actor, "who acts, for the audit log (default cli:<user>)");
}

Result<store::StoreConfig> MakeStoreConfig(const DataOptions& o) {
  auto backend = store::ParseBackend(o.backend);
  if (!backend) return backend.error();
  store::StoreConfig config;
  config.backend = *backend;
  config.data_dir = (o.data() / "db").string();
  config.conninfo = o.conninfo;
  if (config.backend == store::Backend::kPostgres && config.conninfo.empty()) {
    return MakeError("cli.pg", "--db postgresql needs --pg CONNINFO (or $ISOLOIR_PG)");
  }
  return config;
}

Result<CliStores> OpenCliStores(const DataOptions& o, bool with_urne) {
  auto config = MakeStoreConfig(o);
  if (!config) return config.error();
  CliStores s;
  auto roll = store::OpenRollStore(*config);
  if (!roll) return roll.error();
  s.roll = std::move(*roll);
  auto audit = store::OpenAuditLog(*config);
  if (!audit) return audit.error();
  s.audit = std::move(*audit);
  if (with_urne) {
    auto urne = store::OpenUrneStore(*config);
    if (!urne) return urne.error();
    s.urne = std::move(*urne);
  }
  return s;
}

std::string Actor(const DataOptions& o) {
  if (!o.actor.empty()) return o.actor;
  const char* user = std::getenv("USER");
  return std::string("cli:") + (user != nullptr ? user : "unknown");
}

void PrintError(const Error& e) { std::cerr << "isoloir: " << e.code << ": " << e.message << "\n"; }

int Fail(const Error& e, int code) {
  PrintError(e);
  return code;
}

}  // namespace isoloir::cli
