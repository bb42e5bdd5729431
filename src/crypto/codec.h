// Canonical JSON of every protocol object (spec §12): points and scalars as
// base64url strings, objects with exactly the documented keys. Decoders are
// strict, never crash, and name the field at fault ("choices[2].alpha: ...").
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/result.h"
#include "crypto/ballot.h"
#include "crypto/dkg.h"
#include "crypto/threshold.h"

namespace isoloir::crypto::codec {

using Json = nlohmann::json;

// Parses text as JSON (no comments, no trailing data, depth-limited) or fails
// with the position of the problem.
Result<Json> ParseJson(std::string_view text);
// Canonical text: keys sorted, no spaces, UTF-8 (what hashes are taken over).
std::string Canonical(const Json& j);

Json Encode(const Point& p);
Json Encode(const Scalar& s);
Json Encode(const Ciphertext& c);
Json Encode(const SchnorrProof& p);
Json Encode(const DleqProof& p);
Json Encode(const MembershipProof& p);
Json Encode(const Ballot& b);
Json Encode(const HolderAnnouncement& a);
Json Encode(const Dealing& d);
Json Encode(const Complaint& c);
Json Encode(const PartialDecryption& pd);

Result<Point> DecodePoint(const Json& j, bool allow_identity = false);
Result<Scalar> DecodeScalar(const Json& j);
Result<Ciphertext> DecodeCiphertext(const Json& j, bool allow_identity = false);
Result<SchnorrProof> DecodeSchnorrProof(const Json& j);
Result<DleqProof> DecodeDleqProof(const Json& j);
Result<MembershipProof> DecodeMembershipProof(const Json& j);
Result<Ballot> DecodeBallot(const Json& j);
Result<HolderAnnouncement> DecodeHolderAnnouncement(const Json& j);
Result<Dealing> DecodeDealing(const Json& j);
Result<Complaint> DecodeComplaint(const Json& j);
Result<PartialDecryption> DecodePartialDecryption(const Json& j);

}  // namespace isoloir::crypto::codec
