// Fragment v2 (counting/sealed.h): sealed with a passphrase, read back with
// the right one only; the public fields cannot be changed; v1 still reads.
#include "counting/sealed.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/bytes.h"

#include "crypto/random.h"

namespace isoloir::counting {
namespace {

Fragment MakeFragment() {
  Fragment f;
  f.election_id = "demo-2026";
  f.fingerprint.fill(7);
  f.holder = 2;
  f.member = "secretaire";
  f.share = crypto::RandomScalar(crypto::SystemRandom());
  f.verification_key = crypto::Point::MulBase(f.share);
  f.public_key = crypto::Point::MulBase(crypto::RandomScalar(crypto::SystemRandom()));
  return f;
}

PassphraseSource Give(std::string p) {
  return [p] { return Result<std::string>(p); };
}

TEST(SealedFragment, RightPassphraseOpensWrongOneIsRefusedClearly) {
  const Fragment f = MakeFragment();
  const nlohmann::json j = SealedFragmentJson(f, "a long enough passphrase");
  EXPECT_EQ(j["format"], "isoloir/fragment/v2");
  EXPECT_FALSE(j.contains("share"));
  EXPECT_EQ(j["kdf"]["algorithm"], "argon2id13");
  EXPECT_EQ(j["kdf"]["opslimit"], 3);
  EXPECT_EQ(j["kdf"]["memlimit"], 268435456);
  auto back = ReadAnyFragment(j, Give("a long enough passphrase"));
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(back->share, f.share);
  EXPECT_EQ(back->holder, 2u);
  auto wrong = ReadAnyFragment(j, Give("another passphrase"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, "fragment.passphrase");
  EXPECT_NE(wrong.error().message.find("wrong passphrase"), std::string::npos);
}

TEST(SealedFragment, PublicFieldsAreAuthenticated) {
  nlohmann::json j = SealedFragmentJson(MakeFragment(), "a long enough passphrase");
  j["member"] = "president";
  EXPECT_EQ(ReadAnyFragment(j, Give("a long enough passphrase")).error().code,
            "fragment.passphrase");
  j = SealedFragmentJson(MakeFragment(), "a long enough passphrase");
  j["kdf"]["memlimit"] = 1ull << 40;  // a crafted file cannot ask for a terabyte
  EXPECT_EQ(ReadAnyFragment(j, Give("a long enough passphrase")).error().code,
            "fragment.kdf_limits");
}

TEST(SealedFragment, V1StillReadsWithoutAPassphrase) {
  const Fragment f = MakeFragment();
  auto back = ReadAnyFragment(FragmentJson(f), [] {
    ADD_FAILURE() << "asked a passphrase for v1";
    return Result<std::string>(std::string());
  });
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(back->share, f.share);
}

TEST(SealedFragment, ShortPassphrasesAreRefused) {
  EXPECT_FALSE(CheckNewPassphrase("short").ok());
  EXPECT_TRUE(CheckNewPassphrase("twelve chars").ok());
}

// The shared vector, sealed by the browser's code (web/src/protocol/fragment.js,
// @noble): libsodium opens it, so argon2id and XChaCha20-Poly1305 agree.
TEST(SealedFragment, OpensTheBrowsersVector) {
  std::ifstream in(std::string(ISOLOIR_SOURCE_DIR) + "/tests/vectors/fragment-v2.json");
  ASSERT_TRUE(in) << "tests/vectors/fragment-v2.json";
  std::stringstream ss;
  ss << in.rdbuf();
  const nlohmann::json v = nlohmann::json::parse(ss.str());
  auto f = ReadAnyFragment(v["file"], Give(v["passphrase"].get<std::string>()));
  ASSERT_TRUE(f.ok()) << f.error().ToString();
  EXPECT_EQ(HexEncode(f->share.Encode()), v["share_hex"].get<std::string>());
  EXPECT_EQ(f->member, "secretaire");
  EXPECT_EQ(ReadAnyFragment(v["file"], Give("correct horse battery stapler")).error().code,
            "fragment.passphrase");
}

}  // namespace
}  // namespace isoloir::counting
