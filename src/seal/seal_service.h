// The seal's use cases over the stores (docs/seal.md): prepare a seal,
// store a member's approval, check the seal against what runs now. Seals,
// approvals and checks are audit log entries ("seal.prepare",
// "seal.approve", "seal.check"); the record exports them.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "counting/count_service.h"
#include "seal/seal.h"
#include "seal/seal_log.h"

namespace isoloir::seal {

// What is sealed besides the stores: the running executable, the files
// compiled into it and the browser's assets folder.
struct SealSources {
  std::filesystem::path executable = "/proc/self/exe";
  const std::map<std::string, std::string, std::less<>>* embedded = nullptr;
  std::filesystem::path assets;  // empty or missing: no assets component
};

// Appends `action` with `details` to the election's audit log, as `actor`.
Status Audit(counting::CountStores& stores, const std::string& election_id,
             const services::Actor& actor, const std::string& action,
             const nlohmann::json& details);

// SHA-256 of a file's bytes.
Result<crypto::Digest> FileSha256(const std::filesystem::path& path);

// Every component, sorted by name. `results`: the final seal's results
// document (its canonical SHA-256 becomes "results").
Result<std::vector<SealComponent>> ComputeComponents(counting::CountStores& stores,
                                                     const counting::CountContext& context,
                                                     const SealSources& sources,
                                                     const nlohmann::json* results = nullptr);

// Organiser: after the key ceremony, with an empty urne and émargement,
// before the seal is approved: freezes the roll, computes the seal, records
// "seal.prepare" (a new prepare replaces a seal not yet approved).
Result<Seal> PrepareSeal(counting::CountStores& stores, const std::string& election_id,
                         const SealSources& sources, const services::Actor& actor);

// Checks the approval against the latest seal and h_j, refuses a fragment
// that already approved it, records "seal.approve".
Result<SealState> ApproveSeal(counting::CountStores& stores, const std::string& election_id,
                              const MemberSignature& approval, const services::Actor& actor);

struct SealCheck {
  SealState state;
  std::vector<ComponentCheck> components;  // empty when there is no seal
  bool ok() const { return state.sealed() && AllOk(components); }
  // For people: "" when ok, else why (not sealed, who is missing, what differs).
  std::string Problem() const;
};
// Recomputes every component and compares with the latest seal; records
// "seal.check" with the moment ("on_demand", "opening", "closing", "count").
Result<SealCheck> CheckSeal(counting::CountStores& stores, const std::string& election_id,
                            const SealSources& sources, const std::string& moment,
                            const services::Actor& actor);

}  // namespace isoloir::seal
