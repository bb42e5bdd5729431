// Signing and checking a BVE member's signature (protocol §13).
#include "seal/member_signature.h"

#include "common/bytes.h"
#include "counting/json_fields.h"
#include "crypto/codec.h"

namespace isoloir::seal {

crypto::Digest MemberSignatureContext(const crypto::Digest& fingerprint, std::string_view purpose,
                                      const crypto::Digest& digest, uint32_t holder) {
  crypto::Transcript t(kMemberSignatureLabel);
  t.Add("P-256").Add(fingerprint).Add(purpose).Add(digest).AddU64(holder);
  return t.Finish();
}

MemberSignature SignAsMember(const counting::Fragment& f, std::string_view purpose,
                             const crypto::Digest& digest, crypto::Rng& rng) {
  MemberSignature s;
  s.election_id = f.election_id;
  s.fingerprint = f.fingerprint;
  s.purpose = purpose;
  s.digest = digest;
  s.holder = f.holder;
  s.member = f.member;
  s.proof = crypto::ProveDlog(MemberSignatureContext(f.fingerprint, purpose, digest, f.holder),
                              f.share, f.verification_key, rng);
  return s;
}

bool VerifyMemberSignature(const MemberSignature& s, const crypto::Point& verification_key) {
  return crypto::VerifyDlog(MemberSignatureContext(s.fingerprint, s.purpose, s.digest, s.holder),
                            verification_key, s.proof);
}

nlohmann::json MemberSignatureJson(const MemberSignature& s) {
  return {{"format", kMemberSignatureFormat},
          {"election", s.election_id},
          {"fingerprint", HexEncode(s.fingerprint)},
          {"purpose", s.purpose},
          {"digest", HexEncode(s.digest)},
          {"holder", s.holder},
          {"member", s.member},
          {"signature", crypto::codec::Encode(s.proof)}};
}

Result<MemberSignature> ReadMemberSignature(const nlohmann::json& j) {
  return counting::fields::Guard<MemberSignature>([&] {
    using namespace counting::fields;
    Document(j, kMemberSignatureFormat,
             {"format", "election", "fingerprint", "purpose", "digest", "holder", "member",
              "signature"});
    MemberSignature s;
    s.election_id = Text(j["election"], "election");
    s.fingerprint = Hex32(j["fingerprint"], "fingerprint");
    s.purpose = Text(j["purpose"], "purpose");
    if (s.purpose != "seal" && s.purpose != "pv") {
      Fail("purpose", "signature.purpose", "\"" + s.purpose + "\" is neither \"seal\" nor \"pv\"");
    }
    s.digest = Hex32(j["digest"], "digest");
    s.holder = U32(j["holder"], "holder");
    if (s.holder == 0) Fail("holder", "json.range", "holders are numbered from 1");
    s.member = Text(j["member"], "member");
    auto proof = crypto::codec::DecodeSchnorrProof(j["signature"]);
    if (!proof) Fail("signature", proof.error().code, proof.error().message);
    s.proof = *proof;
    return s;
  });
}

}  // namespace isoloir::seal
