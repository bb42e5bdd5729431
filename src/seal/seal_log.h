// The seal as the audit log holds it: the latest prepared seal with its
// approvals ("seal.prepare", "seal.approve") and every check ("seal.check").
// Read by the seal's use cases and by the record's export.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "seal/seal.h"
#include "store/audit_log.h"

namespace isoloir::seal {

struct SealState {
  std::optional<Seal> seal;                // the latest prepared seal
  uint64_t seal_entry = 0;                 // its audit entry
  std::vector<MemberSignature> approvals;  // of that seal, in audit order
  std::vector<std::string> missing;        // approvals still needed
  bool sealed() const { return seal.has_value() && missing.empty(); }
};

// One "seal.check" entry.
struct SealCheckEntry {
  std::string moment;  // "on_demand", "opening", "closing", "count"
  bool ok = false;
  bool sealed = false;
  std::string seal_digest;                                     // hex; "" when there was no seal
  std::vector<std::pair<std::string, std::string>> different;  // (name, "DIFFERENT"...)
};

// One step of a credential list changed by the president's desk after the
// seal ("desk.security_key", docs/seal.md): its seal component before and after.
struct DeskStep {
  std::string before, after;  // hex digests of credentials/<code>
};

struct SealLog {
  SealState state;
  std::vector<SealCheckEntry> checks;  // of the latest seal (since its seal.prepare), in audit order
  // Per scrutin code, the desk's steps since the latest seal.prepare, in audit order.
  std::map<std::string, std::vector<DeskStep>> desk_steps;
};

Result<SealLog> ReadSealLog(store::AuditLog& audit, const election::Election& election);

}  // namespace isoloir::seal
