// The BVE member's signature shared with the browser (protocol §13):
// tests/vectors/member-signature-v1.json, also checked by
// web/test/member_signature.test.js. C++ recomputes the context and, from the
// same §3.3 stream, the same signature bytes; it verifies the signature the
// browser's code made with real randomness; a changed field is refused.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/bytes.h"
#include "crypto/codec.h"
#include "crypto/random.h"
#include "seal/member_signature.h"

namespace isoloir::seal {
namespace {

nlohmann::json Vectors() {
  std::ifstream in(std::string(ISOLOIR_SOURCE_DIR) + "/tests/vectors/member-signature-v1.json");
  EXPECT_TRUE(in) << "tests/vectors/member-signature-v1.json";
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

crypto::Digest Hex32(const nlohmann::json& j) {
  auto bytes = HexDecode(j.get<std::string>());
  EXPECT_TRUE(bytes && bytes->size() == 32);
  crypto::Digest d{};
  if (bytes && bytes->size() == 32) std::copy(bytes->begin(), bytes->end(), d.begin());
  return d;
}

counting::Fragment VectorFragment(const nlohmann::json& v) {
  counting::Fragment f;
  const auto& pub = v["fragment"];
  f.election_id = pub["election"];
  f.fingerprint = Hex32(pub["fingerprint"]);
  f.holder = pub["holder"];
  f.member = pub["member"];
  auto share = HexDecode(v["share_hex"].get<std::string>());
  auto x = crypto::Scalar::Decode(*share);
  EXPECT_TRUE(x.ok());
  f.share = *x;
  auto h = crypto::codec::DecodePoint(pub["verification_key"]);
  EXPECT_TRUE(h.ok());
  f.verification_key = *h;
  EXPECT_EQ(crypto::Point::MulBase(f.share), f.verification_key);
  return f;
}

TEST(MemberSignatureVectors, CppSignsTheSameBytesAsTheBrowser) {
  const nlohmann::json v = Vectors();
  const counting::Fragment f = VectorFragment(v);
  ASSERT_EQ(v["cases"].size(), 2u);
  for (const auto& c : v["cases"]) {
    const std::string purpose = c["purpose"];
    const crypto::Digest digest = Hex32(c["digest"]);
    EXPECT_EQ(HexEncode(MemberSignatureContext(f.fingerprint, purpose, digest, f.holder)),
              c["context"].get<std::string>())
        << purpose;
    const std::string seed = c["seed"];
    crypto::DeterministicRng rng(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(seed.data()), seed.size()));
    EXPECT_EQ(MemberSignatureJson(SignAsMember(f, purpose, digest, rng)), c["deterministic"])
        << purpose;
  }
}

TEST(MemberSignatureVectors, BrowserSignaturesVerifyInCpp) {
  const nlohmann::json v = Vectors();
  const counting::Fragment f = VectorFragment(v);
  for (const auto& c : v["cases"]) {
    for (const char* which : {"deterministic", "browser"}) {
      auto s = ReadMemberSignature(c[which]);
      ASSERT_TRUE(s.ok()) << s.error().ToString();
      EXPECT_TRUE(VerifyMemberSignature(*s, f.verification_key)) << c["purpose"] << " " << which;
      // Bound to the purpose, the digest, the fragment and the election.
      MemberSignature moved = *s;
      moved.purpose = moved.purpose == "seal" ? "pv" : "seal";
      EXPECT_FALSE(VerifyMemberSignature(moved, f.verification_key));
      moved = *s;
      moved.digest[0] ^= 1;
      EXPECT_FALSE(VerifyMemberSignature(moved, f.verification_key));
      moved = *s;
      moved.holder += 1;
      EXPECT_FALSE(VerifyMemberSignature(moved, f.verification_key));
      moved = *s;
      moved.fingerprint[31] ^= 1;
      EXPECT_FALSE(VerifyMemberSignature(moved, f.verification_key));
    }
  }
}

}  // namespace
}  // namespace isoloir::seal
