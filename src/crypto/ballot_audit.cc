#include "crypto/ballot_audit.h"

#include "common/bytes.h"

namespace isoloir::crypto {
namespace {

Error Field(std::string_view field, const Error& e) {
  return MakeError(e.code, std::string(field) + ": " + e.message);
}

}  // namespace

codec::Json EncodeBallotAudit(const BallotAudit& a) {
  codec::Json r = codec::Json::array();
  for (const Scalar& s : a.randomness) r.push_back(codec::Encode(s));
  return codec::Json{{"format", kBallotAuditFormat}, {"election_id", a.election_id},
                     {"scrutin", a.scrutin},         {"tracker", a.tracker},
                     {"ballot", codec::Encode(a.ballot)}, {"randomness", std::move(r)}};
}

Result<BallotAudit> DecodeBallotAudit(const codec::Json& j) {
  static constexpr std::string_view kKeys[] = {"format", "election_id", "scrutin",
                                               "tracker", "ballot", "randomness"};
  if (!j.is_object()) return MakeError("json.type", "the audit document is not a JSON object");
  for (const auto& [k, v] : j.items()) {
    bool known = false;
    for (auto key : kKeys) known = known || k == key;
    if (!known) return MakeError("json.unknown_field", k + ": unexpected field");
  }
  for (auto key : kKeys) {
    if (!j.contains(key)) return MakeError("json.missing_field", std::string(key) + ": missing field");
  }
  for (auto key : {"format", "election_id", "scrutin", "tracker"}) {
    if (!j[key].is_string()) return MakeError("json.type", std::string(key) + ": expected a string");
  }
  if (j["format"].get<std::string>() != kBallotAuditFormat) {
    return MakeError("audit.format", "format: expected \"" + std::string(kBallotAuditFormat) + "\"");
  }
  BallotAudit a;
  a.election_id = j["election_id"].get<std::string>();
  a.scrutin = j["scrutin"].get<std::string>();
  a.tracker = j["tracker"].get<std::string>();
  auto ballot = codec::DecodeBallot(j["ballot"]);
  if (!ballot) return Field("ballot", ballot.error());
  a.ballot = std::move(ballot).value();
  const codec::Json& r = j["randomness"];
  if (!r.is_array()) return MakeError("json.type", "randomness: expected a list");
  if (r.size() != a.ballot.choices.size()) {
    return MakeError("json.size", "randomness: expected " + std::to_string(a.ballot.choices.size()) +
                                      " scalars, one per choice");
  }
  for (size_t i = 0; i < r.size(); ++i) {
    auto s = codec::DecodeScalar(r[i]);
    if (!s) return Field("randomness[" + std::to_string(i) + "]", s.error());
    a.randomness.push_back(std::move(s).value());
  }
  return a;
}

Result<std::vector<uint64_t>> OpenBallotAudit(const BallotContext& bc, const ElectionKey& key,
                                              const BallotAudit& a) {
  if (a.ballot.choices.size() != bc.choices || a.randomness.size() != bc.choices) {
    return MakeError("audit.shape", "the scrutin has " + std::to_string(bc.choices) +
                                        " choices, the ballot " +
                                        std::to_string(a.ballot.choices.size()));
  }
  if (Status ok = VerifyBallot(bc, key, a.ballot); !ok) {
    return MakeError("audit.ballot", "the ballot does not verify: " + ok.error().message);
  }
  const std::string tracker = Base64UrlEncode(BallotTracker(bc, key, a.ballot));
  if (tracker != a.tracker) {
    return MakeError("audit.tracker", "tracker: the ballot's tracker is " + tracker + ", not " + a.tracker);
  }
  const Point g = Point::Generator();
  std::vector<uint64_t> selection;
  for (size_t i = 0; i < bc.choices; ++i) {
    const Ciphertext& ct = a.ballot.choices[i];
    const std::string at = "choices[" + std::to_string(i) + "]";
    if (!(Point::MulBase(a.randomness[i]) == ct.alpha)) {
      return MakeError("audit.opening", at + ": alpha is not g^r with the revealed randomness");
    }
    const Point m = ct.beta - key.table().Mul(a.randomness[i]);
    if (m.IsIdentity()) {
      selection.push_back(0);
    } else if (m == g) {
      selection.push_back(1);
    } else {
      return MakeError("audit.opening", at + ": encrypts neither 0 nor 1 with the revealed randomness");
    }
  }
  return selection;
}

}  // namespace isoloir::crypto
