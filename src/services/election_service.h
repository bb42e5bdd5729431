// Use cases of the organiser (HR): describe an election, import its roll.
// Written once for the CLI and the web portal; I/O only through the stores.
#pragma once

#include <functional>
#include <istream>
#include <string>

#include "common/result.h"
#include "election/model.h"
#include "election/roll_diff.h"
#include "services/server_key.h"
#include "store/audit_log.h"
#include "store/roll_store.h"

namespace isoloir::services {

struct Actor {
  std::string name;  // who acts, for the audit log
  int64_t now = 0;   // Unix seconds, UTC
};

// Parses and checks the election file (and optional candidate lists CSV),
// then stores it. Every problem is reported (one per line) and nothing is
// stored. Replacing an election is refused once its roll is frozen.
struct CreatedElection {
  election::Election election;
  std::string fingerprint;  // hex
  bool replaced = false;
};
Result<CreatedElection> CreateElection(store::RollStore& roll, store::AuditLog& audit,
                                       std::string_view election_json,
                                       std::string_view listes_csv, const Actor& actor);

// The stored election, parsed back.
Result<election::Election> LoadElection(store::RollStore& roll, const std::string& election_id);

// Imports the roll CSV, all or nothing. When the election already has a roll,
// `confirm` is shown the diff and must return true for the change to be
// stored. The reassort secrets become keyed verifiers and are wiped.
struct RollImportOutcome {
  uint64_t voters = 0;
  election::RollDiff diff;
  bool stored = false;  // false if confirm said no, or nothing changed
};
Result<RollImportOutcome> ImportRoll(store::RollStore& roll, store::AuditLog& audit,
                                     const ServerKey& key, const std::string& election_id,
                                     std::istream& csv,
                                     const std::function<bool(const election::RollDiff&)>& confirm,
                                     const Actor& actor,
                                     // (stage, bytes read, bytes in all)
                                     const std::function<void(std::string_view, size_t, size_t)>&
                                         progress = {});

}  // namespace isoloir::services
