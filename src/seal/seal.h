// The seal (scellement) of an election: named components, each with a
// SHA-256 digest, one digest over the list, and the BVE members' approvals.
// Comparing a seal with the components recomputed now says exactly which
// differ. Pure; docs/seal.md.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "election/model.h"
#include "seal/member_signature.h"

namespace isoloir::seal {

inline constexpr std::string_view kSealFormat = "isoloir/seal/v1";
inline constexpr std::string_view kSealLabel = "isoloir/seal/v1";

struct SealComponent {
  std::string name;  // "binary/isoloir", "embedded/vote.mustache", "roll"...
  crypto::Digest sha256{};
  bool operator==(const SealComponent&) const = default;
};

struct Seal {
  std::string election_id;
  crypto::Digest fingerprint{};
  std::string kind = "initial";  // "initial" (before the vote) or "final" (with the results)
  std::vector<SealComponent> components;  // sorted by name, each name once
};

// T("isoloir/seal/v1", E, kind, u64(n), name_1, sha256_1, ..., name_n, sha256_n).
crypto::Digest SealDigest(const Seal& seal);

// {"format", "election", "fingerprint", "kind", "components": [{"name", "sha256"}], "digest"}
nlohmann::json SealJson(const Seal& seal);
// Strict; the components sorted and unique, "digest" the recomputed one.
Result<Seal> ReadSeal(const nlohmann::json& j);

// One component as a check finds it.
// kDesk: a credential list that differs from the sealed one only by the
// president's desk's audited additions (docs/seal.md); it counts as OK.
enum class ComponentState { kOk, kDifferent, kMissing, kAdded, kDesk };
// "OK", "DIFFERENT", "MISSING", "ADDED", "DESK"
const char* ComponentStateName(ComponentState s);
struct ComponentCheck {
  std::string name;
  ComponentState state = ComponentState::kOk;
};
// Every component of the seal and of `now` (both sorted by name).
std::vector<ComponentCheck> CompareSeal(const Seal& sealed, const std::vector<SealComponent>& now);
bool AllOk(const std::vector<ComponentCheck>& checks);

// Checks a member's signature of `digest` for `purpose`: for this election
// and fingerprint, a fragment of the BVE, held by the member it names, the
// signature verifying against h_j. Errors have `code` and name the field.
Status CheckMemberSignature(const MemberSignature& s, std::string_view purpose,
                            const std::string& election_id, const crypto::Digest& fingerprint,
                            const crypto::Digest& digest, const election::Election& election,
                            const std::vector<crypto::Point>& verification_keys,
                            const std::string& code);

// Checks an approval against the seal and the ceremony: for this election
// and seal, a fragment of the BVE, held by the member it names, whose
// signature verifies against h_j. Errors name the field.
Status CheckApproval(const MemberSignature& approval, const Seal& seal,
                     const crypto::Digest& seal_digest, const election::Election& election,
                     const std::vector<crypto::Point>& verification_keys);

// The role of the member holding fragment `holder` (FragmentHolders order).
std::optional<election::BveRole> HolderRole(const election::Election& e, uint32_t holder);

// Sealed: approved by the président and at least one délégué. Otherwise,
// who is missing ("the président", "a délégué de liste").
std::vector<std::string> MissingApprovals(const election::Election& e,
                                          const std::vector<MemberSignature>& approvals);

}  // namespace isoloir::seal
