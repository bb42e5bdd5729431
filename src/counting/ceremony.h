// The key ceremony as the count needs it: its public outcome read back from
// the stored transcript (y and every h_j), who holds which fragment, and the
// holder's fragment file. Pure; formats in docs/counting.md §3.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "crypto/dkg.h"
#include "election/model.h"

namespace isoloir::counting {

inline constexpr std::string_view kFragmentFormat = "isoloir/fragment/v1";

// What anyone can derive from the ceremony's public transcript (protocol §9.5).
struct CeremonyPublic {
  uint32_t holders = 0;
  uint32_t threshold = 0;
  crypto::Point public_key;                      // y
  std::vector<crypto::Point> verification_keys;  // h_j at index j-1
};

// The public transcript stored with the election key: {"election", "holders",
// "threshold", "kind", "announcements", "dealings", "public_key"}.
nlohmann::json CeremonyTranscriptJson(const std::string& election_id, const crypto::DkgParams& p,
                                      const std::vector<crypto::HolderAnnouncement>& announcements,
                                      const std::vector<crypto::Dealing>& dealings,
                                      const crypto::Point& public_key, std::string_view kind);

// Reads the transcript and checks it against the election (id, number of
// fragments and threshold of the BVE, fingerprint in every proof) and the
// stored public key: every announcement and dealing verifies, and y
// recomputed from the dealings (the qualified set) is the stored key.
// Errors start with "ceremony transcript: " and name the field.
Result<CeremonyPublic> ReadCeremony(std::string_view transcript, const election::Election& e,
                                    const crypto::Digest& fingerprint,
                                    const std::string& stored_public_key);

// The BVE member who holds fragment j (index j-1): members in the election
// file's order, each holding `fragments` consecutive numbers (as the key
// ceremony numbers them).
std::vector<std::string> FragmentHolders(const election::Election& e);

// "fragment 3 (delegue-snad)", or "fragment 9" for a number outside the BVE.
std::string HolderName(const std::vector<std::string>& holders, uint32_t j);

// One key holder's fragment file: their share x_j and what it must match.
struct Fragment {
  std::string election_id;
  crypto::Digest fingerprint{};
  crypto::Point public_key;
  uint32_t holder = 0;
  std::string member;
  crypto::Scalar share;  // secret: x_j
  crypto::Point verification_key;
};

nlohmann::json FragmentJson(const Fragment& f);
// Strict; also checks that g^share is the verification key.
Result<Fragment> ReadFragment(const nlohmann::json& j);

}  // namespace isoloir::counting
