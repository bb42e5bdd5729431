// The ballot audit of spec §7.6 (Benaloh challenge): the booth reveals a
// ballot's randomness instead of casting it, and anyone opens it. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "crypto/ballot.h"
#include "crypto/codec.h"

namespace isoloir::crypto {

inline constexpr std::string_view kBallotAuditFormat = "isoloir/ballot-audit/v1";

// §7.6 The audit document: a ballot that will never be cast and its r_i.
struct BallotAudit {
  std::string election_id;
  std::string scrutin;
  std::string tracker;             // base64url, as the booth showed it
  Ballot ballot;
  std::vector<Scalar> randomness;  // r_i, one per choice, in order
};

codec::Json EncodeBallotAudit(const BallotAudit& a);
// §7.6 step 1 (the decoding part): exactly the documented keys, strict
// ballot (§12), one scalar per choice. Errors name the field.
Result<BallotAudit> DecodeBallotAudit(const codec::Json& j);

// §7.6 steps 2-3 with E, y and the shape taken from the record by the
// caller: the ballot verifies, its tracker is the document's, and every
// ciphertext opens to 0 or 1 with its r_i. Returns m_1..m_L.
// Error codes: audit.ballot, audit.tracker, audit.shape, audit.opening.
Result<std::vector<uint64_t>> OpenBallotAudit(const BallotContext& bc, const ElectionKey& key,
                                              const BallotAudit& a);

}  // namespace isoloir::crypto
