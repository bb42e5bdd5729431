// The bodies of the BVE's record entries (docs/record.md): "seal", the
// approved seal with its approvals, "seal_check", one check of it, and "pv",
// a signed procès-verbal.
// Strict readers whose errors name the field.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "crypto/codec.h"
#include "seal/seal.h"

namespace isoloir::record {

// "seal": {"seal": isoloir/seal/v1, "approvals": [isoloir/member-signature/v1, ...]}
struct SealBody {
  seal::Seal seal;
  std::vector<seal::MemberSignature> approvals;
};
crypto::codec::Json SealBodyJson(const seal::Seal& seal,
                                 const std::vector<seal::MemberSignature>& approvals);
Result<SealBody> ParseSealBody(const crypto::codec::Json& body);

// "seal_check": {"moment", "sealed", "seal_digest", "different": [{"name", "state"}]}
struct SealCheckBody {
  std::string moment;       // "on_demand", "opening", "closing", "count"
  bool sealed = false;      // the seal was approved when checked
  std::string seal_digest;  // 64 hex, or "" when there was no seal
  std::vector<std::pair<std::string, std::string>> different;  // (component, state)
  bool ok() const { return sealed && different.empty(); }
};
crypto::codec::Json SealCheckBodyJson(const SealCheckBody& check);
Result<SealCheckBody> ParseSealCheckBody(const crypto::codec::Json& body);

// "pv": {"scope": "" or code, "file", "sha256", "figures": [...], "signatures": [...]}
struct PvBody {
  std::string scope;  // "" for the election's PV, else the scrutin's code
  std::string file;
  crypto::Digest sha256{};
  std::vector<crypto::codec::Json> figures;  // pv::FiguresJson, parsed by the verifier
  std::vector<seal::MemberSignature> signatures;
};
crypto::codec::Json PvBodyJson(const PvBody& pv);
Result<PvBody> ParsePvBody(const crypto::codec::Json& body);

}  // namespace isoloir::record
