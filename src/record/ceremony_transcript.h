// The key ceremony's public transcript (protocol §9): what `isoloir ceremony`
// stores with the election key and the record publishes. Everything anyone
// needs to check the ceremony and derive each holder's verification key.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "crypto/codec.h"
#include "crypto/dkg.h"

namespace isoloir::record {

struct CeremonyTranscript {
  std::string election_id;
  uint32_t holders = 0;
  uint32_t threshold = 0;
  std::string kind;  // optional note, e.g. "local (one machine: demo and tests only)"
  std::vector<crypto::HolderAnnouncement> announcements;  // holders 1..N
  std::vector<crypto::Dealing> dealings;
  std::vector<crypto::Complaint> complaints;  // usually none
  crypto::Point public_key;
};

// {"election", "holders", "threshold", "announcements", "dealings",
//  "public_key"} plus "kind" and "complaints" when not empty.
crypto::codec::Json CeremonyTranscriptJson(const CeremonyTranscript& t);
// Strict decoding; errors name the field ("dealings[2].commitments[0]: ...").
Result<CeremonyTranscript> ParseCeremonyTranscript(const crypto::codec::Json& j);

// What anyone can check of a ceremony (§9.1, §9.2, §9.4, §9.5), given the
// election fingerprint: every announcement and dealing verifies, complaints
// are judged, and the public key is the product of the qualified dealers'
// first commitments. Returns the qualified outcome (public key as recorded
// and every holder's verification key) or every problem found.
struct CeremonyCheck {
  crypto::DkgPublic outcome;        // from the qualified dealings
  std::vector<uint32_t> qualified;  // dealers
  std::vector<std::string> problems;
  uint64_t proofs_checked = 0;
};
CeremonyCheck CheckCeremony(const crypto::Digest& fingerprint, const CeremonyTranscript& t);

}  // namespace isoloir::record
