// The voter's security key and what is derived from it (spec §8).
#include "crypto/credential.h"

#include <gtest/gtest.h>

#include <set>

#include "test_util.h"

namespace isoloir::crypto {
namespace {

using test::FailsWith;
using test::MakeRng;

constexpr std::string_view kKey = "7K3QDM9XWT2HFRBYP4NA";
constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

TEST(SecurityKey, NormalizesTypedForms) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"7K3QD-M9XWT-2HFRB-YP4NA", kKey},
      {"7K3QDM9XWT2HFRBYP4NA", kKey},
      {"7k3qd-m9xwt-2hfrb-yp4na", kKey},
      {"7k3qd m9xwt 2hfrb yp4na", kKey},
      {"  7K3QD--M9XWT 2HFRB\tYP4NA ", kKey},
      {"7K3QD-m9XwT-2hfRB-yP4nA", kKey},
      // O -> 0, I and L -> 1, in either case.
      {"OOOOO-IIIII-LLLLL-ooooo", "00000111111111100000"},
      {"oil0o-1ILil-00000-11111", "01100111110000011111"},
      {"abcdefghjkmnpqrstvwx", "ABCDEFGHJKMNPQRSTVWX"},
  };
  for (const auto& [typed, canonical] : cases) {
    auto n = NormalizeSecurityKey(typed);
    ASSERT_TRUE(n.ok()) << typed << ": " << n.error().ToString();
    EXPECT_EQ(*n, canonical) << typed;
  }
}

TEST(SecurityKey, RejectsBadCharacters) {
  // U is not in Crockford's alphabet; punctuation and non-ASCII are not keys.
  for (std::string_view bad : {"7K3QD-M9XWT-2HFRB-YP4NU", "7K3QD-M9XWT-2HFRB-YP4Nu",
                               "7K3QD_M9XWT_2HFRB_YP4NA", "7K3QD.M9XWT.2HFRB.YP4NA",
                               "7K3QD-M9XWT-2HFRB-YP4N!", "7K3QD-M9XWT-2HFRB-YP4N\xc3\xa9",
                               "7K3QD\nM9XWT2HFRBYP4NA"}) {
    EXPECT_TRUE(FailsWith(NormalizeSecurityKey(bad), "security_key.character")) << bad;
  }
  EXPECT_TRUE(FailsWith(NormalizeSecurityKey(std::string_view("7K3QD\0M9XWT2HFRBYP4NA", 21)),
                        "security_key.character"));
}

TEST(SecurityKey, RejectsWrongLength) {
  for (std::string_view bad : {"", "-", "   ", "7K3QD-M9XWT-2HFRB-YP4N", "7K3QD-M9XWT-2HFRB-YP4NAA",
                               "7K3QD", "7K3QDM9XWT2HFRBYP4NA7K3QDM9XWT2HFRBYP4NA"}) {
    EXPECT_TRUE(FailsWith(NormalizeSecurityKey(bad), "security_key.length")) << bad;
  }
}

TEST(SecurityKey, GeneratedKeysAreCanonical) {
  auto rng = MakeRng("credential/generate");
  std::set<std::string> seen;
  std::set<char> chars;
  for (int i = 0; i < 200; ++i) {
    const std::string key = GenerateSecurityKey(rng);
    ASSERT_EQ(key.size(), kSecurityKeyChars);
    for (char c : key) {
      ASSERT_NE(kCrockford.find(c), std::string_view::npos) << key;
      chars.insert(c);
    }
    auto n = NormalizeSecurityKey(key);
    ASSERT_TRUE(n.ok()) << key;
    EXPECT_EQ(*n, key);
    auto n2 = NormalizeSecurityKey(FormatSecurityKey(key));
    ASSERT_TRUE(n2.ok());
    EXPECT_EQ(*n2, key);
    seen.insert(key);
  }
  EXPECT_EQ(seen.size(), 200u);
  EXPECT_EQ(chars.size(), 32u);  // every letter of the alphabet is used
  // Deterministic given the stream.
  auto a = MakeRng("credential/same"), b = MakeRng("credential/same");
  EXPECT_EQ(GenerateSecurityKey(a), GenerateSecurityKey(b));
  // The system generator also yields canonical keys.
  const std::string sys = GenerateSecurityKey(SystemRandom());
  auto ns = NormalizeSecurityKey(sys);
  ASSERT_TRUE(ns.ok());
  EXPECT_EQ(*ns, sys);
}

TEST(SecurityKey, FormatGroupsByFive) {
  EXPECT_EQ(FormatSecurityKey(kKey), "7K3QD-M9XWT-2HFRB-YP4NA");
  EXPECT_EQ(FormatSecurityKey("ABCDE"), "ABCDE");
  EXPECT_EQ(FormatSecurityKey(""), "");
  auto rng = MakeRng("credential/format");
  const std::string key = GenerateSecurityKey(rng);
  const std::string f = FormatSecurityKey(key);
  ASSERT_EQ(f.size(), 23u);
  EXPECT_EQ(f[5], '-');
  EXPECT_EQ(f[11], '-');
  EXPECT_EQ(f[17], '-');
  EXPECT_EQ(f.substr(0, 5) + f.substr(6, 5) + f.substr(12, 5) + f.substr(18, 5), key);
}

TEST(Credential, DerivationsAreDeterministic) {
  EXPECT_EQ(LoginToken("E1", kKey), LoginToken("E1", kKey));
  EXPECT_EQ(LoginVerifier(LoginToken("E1", kKey)), LoginVerifier(LoginToken("E1", kKey)));
  EXPECT_EQ(CredentialSecret("E1", "CSA", kKey), CredentialSecret("E1", "CSA", kKey));
  EXPECT_EQ(CredentialPublic(CredentialSecret("E1", "CSA", kKey)),
            Point::MulBase(CredentialSecret("E1", "CSA", kKey)));
  EXPECT_FALSE(CredentialSecret("E1", "CSA", kKey).IsZero());
  // Typed forms normalise to the same derivations.
  auto typed = NormalizeSecurityKey("7k3qd-m9xwt-2hfrb-yp4na");
  ASSERT_TRUE(typed.ok());
  EXPECT_EQ(LoginToken("E1", *typed), LoginToken("E1", kKey));
  // Documented construction.
  EXPECT_EQ(LoginToken("E1", kKey),
            Transcript("isoloir/credential/login/v1").Add("E1").Add(kKey).Finish());
  EXPECT_EQ(LoginVerifier(LoginToken("E1", kKey)),
            Transcript("isoloir/credential/login-verifier/v1")
                .Add(std::span<const uint8_t>(LoginToken("E1", kKey)))
                .Finish());
}

TEST(Credential, DerivationsAreSeparated) {
  const std::string other_key = "7K3QDM9XWT2HFRBYP4NB";
  const Scalar base = CredentialSecret("E1", "CSA", kKey);
  EXPECT_NE(base, CredentialSecret("E1", "CSE", kKey)) << "other scrutin";
  EXPECT_NE(base, CredentialSecret("E2", "CSA", kKey)) << "other election";
  EXPECT_NE(base, CredentialSecret("E1", "CSA", other_key)) << "other key";
  EXPECT_NE(CredentialPublic(base), CredentialPublic(CredentialSecret("E1", "CSE", kKey)));
  // Length prefixes keep ("E1", "CSA") apart from ("E1C", "SA").
  EXPECT_NE(base, CredentialSecret("E1C", "SA", kKey));

  EXPECT_NE(LoginToken("E1", kKey), LoginToken("E2", kKey));
  EXPECT_NE(LoginToken("E1", kKey), LoginToken("E1", other_key));
  EXPECT_NE(LoginVerifier(LoginToken("E1", kKey)), LoginToken("E1", kKey));
  // The login token is not the signing key.
  const auto sk = base.Encode();
  const Digest token = LoginToken("E1", kKey);
  EXPECT_FALSE(std::equal(sk.begin(), sk.end(), token.begin()));
}

}  // namespace
}  // namespace isoloir::crypto
