// The procès-verbaux as the audit log holds them: the latest "pv.write"
// (files, their SHA-256 and figures), the members' "pv.sign" signatures and
// whether "publish" followed. Read by the PV's use cases and the record's export.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "pv/figures.h"
#include "seal/member_signature.h"
#include "store/audit_log.h"

namespace isoloir::pv {

// One PV file: "" for the election's, else the scrutin's code.
struct PvFile {
  std::string scope;
  std::string file;  // name in the folder: pv-<code>.pdf, pv-election.pdf
  crypto::Digest sha256{};
  std::vector<seal::MemberSignature> signatures;  // "pv.sign", in audit order
};

// The latest "pv.write" with its signatures, read back from the audit log.
struct PvState {
  std::string results_digest;      // hex SHA-256 of the canonical results
  std::vector<PvFigures> figures;  // per scrutin, as the PVs state them
  std::vector<PvFile> files;       // the scrutins' PVs, then the election's
  bool published = false;
  std::vector<std::string> Unsigned(
      const election::Election& e) const;  // "pv-X.pdf: the président"
};
Result<std::optional<PvState>> ReadPvState(store::AuditLog& audit, const election::Election& e);

}  // namespace isoloir::pv
