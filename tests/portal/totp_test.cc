// TOTP against the published test vectors: RFC 4226 appendix D (HOTP),
// RFC 6238 appendix B (TOTP, SHA-1), RFC 4648 section 10 (base32).
#include "portal/totp.h"

#include <gtest/gtest.h>

namespace isoloir::portal {
namespace {

const std::vector<uint8_t> kRfcSecret = [] {
  const std::string s = "12345678901234567890";
  return std::vector<uint8_t>(s.begin(), s.end());
}();

TEST(TotpTest, Rfc4226HotpVectors) {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (uint64_t c = 0; c < 10; ++c) EXPECT_EQ(Hotp(kRfcSecret, c), expected[c]) << c;
}

TEST(TotpTest, Rfc6238Sha1Vectors) {
  const std::pair<int64_t, const char*> vectors[] = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
  };
  for (const auto& [t, code] : vectors) EXPECT_EQ(Totp(kRfcSecret, t, 8), code) << t;
  // The 6-digit codes are the last six digits.
  EXPECT_EQ(Totp(kRfcSecret, 59), "287082");
  EXPECT_EQ(TotpStep(59), 1);
  EXPECT_EQ(TotpStep(1111111109), 37037036);
}

TEST(TotpTest, AcceptsOneStepOfDriftEitherWayAndNoMore) {
  const int64_t now = 1234567890;
  const int64_t step = TotpStep(now);
  EXPECT_EQ(MatchTotp(kRfcSecret, Totp(kRfcSecret, now), now), step);
  EXPECT_EQ(MatchTotp(kRfcSecret, Totp(kRfcSecret, now - 30), now), step - 1);
  EXPECT_EQ(MatchTotp(kRfcSecret, Totp(kRfcSecret, now + 30), now), step + 1);
  EXPECT_FALSE(MatchTotp(kRfcSecret, Totp(kRfcSecret, now - 60), now).has_value());
  EXPECT_FALSE(MatchTotp(kRfcSecret, Totp(kRfcSecret, now + 60), now).has_value());
  // Spaces are allowed ("123 456"); anything else but 6 digits is refused.
  const std::string code = Totp(kRfcSecret, now);
  EXPECT_EQ(MatchTotp(kRfcSecret, code.substr(0, 3) + " " + code.substr(3), now), step);
  EXPECT_FALSE(MatchTotp(kRfcSecret, code.substr(0, 5), now).has_value());
  EXPECT_FALSE(MatchTotp(kRfcSecret, code + "0", now).has_value());
  EXPECT_FALSE(MatchTotp(kRfcSecret, "abcdef", now).has_value());
  EXPECT_FALSE(MatchTotp(kRfcSecret, "", now).has_value());
}

TEST(TotpTest, Rfc4648Base32Vectors) {
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},
      {"f", "MY"},
      {"fo", "MZXQ"},
      {"foo", "MZXW6"},
      {"foob", "MZXW6YQ"},
      {"fooba", "MZXW6YTB"},
      {"foobar", "MZXW6YTBOI"},
  };
  for (const auto& [plain, encoded] : vectors) {
    const std::vector<uint8_t> bytes(plain.begin(), plain.end());
    EXPECT_EQ(Base32Encode(bytes), encoded) << plain;
    EXPECT_EQ(Base32Decode(encoded), bytes) << encoded;
  }
  EXPECT_EQ(Base32Decode("mzxw 6ytb oi"), (std::vector<uint8_t>{'f', 'o', 'o', 'b', 'a', 'r'}));
  EXPECT_FALSE(Base32Decode("MZ1W").has_value());
}

TEST(TotpTest, OtpauthUriNamesTheIssuerAndTheAccount) {
  EXPECT_EQ(OtpauthUri("Isoloir demo-2026", "president", kRfcSecret),
            "otpauth://totp/Isoloir%20demo-2026:president?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=Isoloir%20demo-2026&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace isoloir::portal
