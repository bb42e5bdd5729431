// A BVE member's signature with their key-ceremony fragment (protocol §13):
// a Schnorr proof of knowledge of x_j bound to the election, a purpose
// ("seal", "pv") and a digest, checkable by anyone against h_j. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/result.h"
#include "counting/ceremony.h"
#include "crypto/proofs.h"

namespace isoloir::seal {

inline constexpr std::string_view kMemberSignatureFormat = "isoloir/member-signature/v1";
inline constexpr std::string_view kMemberSignatureLabel = "isoloir/context/member-signature/v1";

// T("isoloir/context/member-signature/v1", "P-256", E, purpose, digest, u64(holder)).
crypto::Digest MemberSignatureContext(const crypto::Digest& fingerprint, std::string_view purpose,
                                      const crypto::Digest& digest, uint32_t holder);

// What a member's machine writes: who signs what, and the proof.
struct MemberSignature {
  std::string election_id;
  crypto::Digest fingerprint{};
  std::string purpose;      // "seal" or "pv"
  crypto::Digest digest{};  // the seal's digest, or the PV's SHA-256
  uint32_t holder = 0;      // fragment number j
  std::string member;       // the BVE member's id (as in the fragment)
  crypto::SchnorrProof proof;
};

MemberSignature SignAsMember(const counting::Fragment& fragment, std::string_view purpose,
                             const crypto::Digest& digest, crypto::Rng& rng);
// Does the proof verify against h_j (the verification key of `holder`)?
bool VerifyMemberSignature(const MemberSignature& s, const crypto::Point& verification_key);

nlohmann::json MemberSignatureJson(const MemberSignature& s);
// Strict ("format" "isoloir/member-signature/v1" and exactly its fields).
Result<MemberSignature> ReadMemberSignature(const nlohmann::json& j);

}  // namespace isoloir::seal
