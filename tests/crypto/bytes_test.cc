// Base64url (strict, unpadded) and hex: round trips, known values, and the
// rejection of every non-canonical text form.
#include "common/bytes.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace isoloir {
namespace {

using crypto::test::FailsWith;
using crypto::test::MakeRng;

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

TEST(Base64Url, KnownValues) {
  // RFC 4648 §10, without the padding.
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"", ""},         {"f", "Zg"},         {"fo", "Zm8"},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : cases) {
    EXPECT_EQ(Base64UrlEncode(ToBytes(plain)), encoded);
    auto d = Base64UrlDecode(encoded);
    ASSERT_TRUE(d.ok()) << encoded;
    EXPECT_EQ(*d, ToBytes(plain));
  }
  // The URL-safe alphabet: 62 and 63 are '-' and '_', never '+' and '/'.
  EXPECT_EQ(Base64UrlEncode(Bytes{0xfb, 0xff}), "-_8");
  EXPECT_EQ(Base64UrlEncode(Bytes{0xff, 0xff, 0xff}), "____");
  EXPECT_EQ(Base64UrlEncode(Bytes{0x00, 0x00, 0x00}), "AAAA");
}

TEST(Base64Url, RoundTripEveryLength) {
  auto rng = MakeRng("bytes/b64");
  for (size_t len = 0; len <= 100; ++len) {
    Bytes data(len);
    rng.Fill(data);
    const std::string text = Base64UrlEncode(data);
    EXPECT_EQ(text.size(), (len * 4 + 2) / 3) << len;
    EXPECT_EQ(text.find('='), std::string::npos);
    auto back = Base64UrlDecode(text);
    ASSERT_TRUE(back.ok()) << back.error().ToString();
    EXPECT_EQ(*back, data) << len;
  }
}

TEST(Base64Url, RejectsPadding) {
  EXPECT_TRUE(FailsWith(Base64UrlDecode("Zg=="), "base64url.character"));
  EXPECT_TRUE(FailsWith(Base64UrlDecode("Zm8="), "base64url.character"));
  EXPECT_TRUE(FailsWith(Base64UrlDecode("Zg="), "base64url.character"));
  EXPECT_TRUE(FailsWith(Base64UrlDecode("===="), "base64url.character"));
}

TEST(Base64Url, RejectsBadCharacters) {
  // Lengths are valid (not 1 mod 4) so that the character itself is at fault.
  for (std::string_view bad : {"Zm9+", "Zm9/", "Zm 9", "Zm9\n", " Zm9", "Zm\t9", "Zm.v",
                               "Zm9v!!", "\xc3\xa9xx", "Zm9vYmFy\r\n"}) {
    EXPECT_TRUE(FailsWith(Base64UrlDecode(bad), "base64url.character")) << bad;
  }
  EXPECT_TRUE(FailsWith(Base64UrlDecode(std::string_view("Zm\0v", 4)), "base64url.character"));
  // Every byte outside the alphabet is rejected in every position.
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    if (kAlphabet.find(ch) != std::string_view::npos) continue;
    std::string text = "AAAA";
    text[c % 4] = ch;
    EXPECT_TRUE(FailsWith(Base64UrlDecode(text), "base64url.character")) << c;
  }
}

TEST(Base64Url, RejectsImpossibleLength) {
  EXPECT_TRUE(FailsWith(Base64UrlDecode("A"), "base64url.length"));
  EXPECT_TRUE(FailsWith(Base64UrlDecode("AAAAA"), "base64url.length"));
  EXPECT_TRUE(FailsWith(Base64UrlDecode("Zm9vY"), "base64url.length"));
}

TEST(Base64Url, RejectsNonCanonicalTrailingBits) {
  // "f" is Zg; Zh..Zv carry the same byte with non-zero unused bits.
  EXPECT_TRUE(FailsWith(Base64UrlDecode("Zh"), "base64url.noncanonical"));
  EXPECT_TRUE(FailsWith(Base64UrlDecode("Zv"), "base64url.noncanonical"));
  // "fo" is Zm8; Zm9 has a non-zero unused bit.
  EXPECT_TRUE(FailsWith(Base64UrlDecode("Zm9"), "base64url.noncanonical"));
  EXPECT_TRUE(FailsWith(Base64UrlDecode("Zm9vYh"), "base64url.noncanonical"));
  EXPECT_TRUE(FailsWith(Base64UrlDecode("AB"), "base64url.noncanonical"));
  EXPECT_TRUE(FailsWith(Base64UrlDecode("AAB"), "base64url.noncanonical"));
}

// Exhaustive over all 2- and 3-character texts: exactly one text per byte
// string is accepted, and it is the one the encoder produces.
TEST(Base64Url, ExactlyOneCanonicalTextPerValue) {
  size_t accepted2 = 0, accepted3 = 0;
  std::string t2(2, 'A'), t3(3, 'A');
  for (char a : kAlphabet) {
    for (char b : kAlphabet) {
      t2[0] = a;
      t2[1] = b;
      auto d2 = Base64UrlDecode(t2);
      if (d2.ok()) {
        ++accepted2;
        ASSERT_EQ(d2->size(), 1u);
        ASSERT_EQ(Base64UrlEncode(*d2), t2);
      } else {
        ASSERT_EQ(d2.error().code, "base64url.noncanonical") << t2;
      }
      for (char c : kAlphabet) {
        t3[0] = a;
        t3[1] = b;
        t3[2] = c;
        auto d3 = Base64UrlDecode(t3);
        if (d3.ok()) {
          ++accepted3;
          ASSERT_EQ(d3->size(), 2u);
          ASSERT_EQ(Base64UrlEncode(*d3), t3);
        } else {
          ASSERT_EQ(d3.error().code, "base64url.noncanonical") << t3;
        }
      }
    }
  }
  EXPECT_EQ(accepted2, 256u);
  EXPECT_EQ(accepted3, 65536u);
}

TEST(Hex, KnownValuesAndRoundTrip) {
  EXPECT_EQ(HexEncode(Bytes{}), "");
  EXPECT_EQ(HexEncode(Bytes{0x00, 0x01, 0x7f, 0x80, 0xab, 0xff}), "00017f80abff");
  auto d = HexDecode("00017f80abff");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, (Bytes{0x00, 0x01, 0x7f, 0x80, 0xab, 0xff}));

  auto rng = MakeRng("bytes/hex");
  for (size_t len = 0; len <= 64; ++len) {
    Bytes data(len);
    rng.Fill(data);
    const std::string text = HexEncode(data);
    EXPECT_EQ(text.size(), 2 * len);
    auto back = HexDecode(text);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, data);
  }
  // All 256 byte values.
  Bytes all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<uint8_t>(i);
  auto back = HexDecode(HexEncode(all));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, all);
}

TEST(Hex, Rejects) {
  EXPECT_TRUE(FailsWith(HexDecode("0"), "hex.length"));
  EXPECT_TRUE(FailsWith(HexDecode("abc"), "hex.length"));
  EXPECT_TRUE(FailsWith(HexDecode("AB"), "hex.character"));  // upper case is not canonical
  EXPECT_TRUE(FailsWith(HexDecode("0g"), "hex.character"));
  EXPECT_TRUE(FailsWith(HexDecode("g0"), "hex.character"));
  EXPECT_TRUE(FailsWith(HexDecode("0x00"), "hex.character"));
  EXPECT_TRUE(FailsWith(HexDecode(" 0"), "hex.character"));
  EXPECT_TRUE(FailsWith(HexDecode(std::string_view("\0\0", 2)), "hex.character"));
}

TEST(Bytes, ToBytes) {
  EXPECT_EQ(ToBytes("ab"), (Bytes{'a', 'b'}));
  EXPECT_TRUE(ToBytes("").empty());
}

}  // namespace
}  // namespace isoloir
