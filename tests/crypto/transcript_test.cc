// Hashing (spec §3): SHA-256, the length-prefixed transcript, HashToScalar,
// and the documented deterministic random stream built on SHA-256.
#include "crypto/transcript.h"

#include <gtest/gtest.h>

#include "crypto/random.h"
#include "test_util.h"

namespace isoloir::crypto {
namespace {

using test::FromHex;
using test::MakeRng;

void AppendItem(Bytes& out, std::span<const uint8_t> item) {
  const uint32_t n = static_cast<uint32_t>(item.size());
  out.push_back(static_cast<uint8_t>(n >> 24));
  out.push_back(static_cast<uint8_t>(n >> 16));
  out.push_back(static_cast<uint8_t>(n >> 8));
  out.push_back(static_cast<uint8_t>(n));
  out.insert(out.end(), item.begin(), item.end());
}

TEST(Sha256, KnownValues) {
  EXPECT_EQ(HexEncode(Sha256(Bytes{})),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexEncode(Sha256(ToBytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexEncode(Sha256(ToBytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Transcript, MatchesDocumentedEncoding) {
  auto rng = MakeRng("transcript/encoding");
  const Point P = test::RandomPoint(rng);
  const Scalar s = RandomScalar(rng);
  const Bytes raw = {1, 2, 3};

  Bytes expected;
  AppendItem(expected, ToBytes("isoloir/test/v1"));
  AppendItem(expected, raw);
  AppendItem(expected, ToBytes("scrutin"));
  AppendItem(expected, P.Encode());
  auto se = s.Encode();
  AppendItem(expected, se);
  AppendItem(expected, FromHex("0102030405060708"));
  AppendItem(expected, Bytes{});
  AppendItem(expected, Bytes{0x00});  // the identity point

  Digest got = Transcript("isoloir/test/v1")
                   .Add(std::span<const uint8_t>(raw))
                   .Add(std::string_view("scrutin"))
                   .Add(P)
                   .Add(s)
                   .AddU64(0x0102030405060708ull)
                   .Add(std::string_view(""))
                   .Add(Point::Identity())
                   .Finish();
  EXPECT_EQ(got, Sha256(expected));
  // Label only.
  Bytes label_only;
  AppendItem(label_only, ToBytes("L"));
  EXPECT_EQ(Transcript("L").Finish(), Sha256(label_only));
}

TEST(Transcript, ItemBoundariesLabelsAndOrderMatter) {
  auto sv = [](const char* s) { return std::string_view(s); };
  const Digest ab_c = Transcript("t").Add(sv("ab")).Add(sv("c")).Finish();
  const Digest a_bc = Transcript("t").Add(sv("a")).Add(sv("bc")).Finish();
  const Digest abc = Transcript("t").Add(sv("abc")).Finish();
  const Digest c_ab = Transcript("t").Add(sv("c")).Add(sv("ab")).Finish();
  const Digest other_label = Transcript("u").Add(sv("ab")).Add(sv("c")).Finish();
  EXPECT_NE(ab_c, a_bc);
  EXPECT_NE(ab_c, abc);
  EXPECT_NE(ab_c, c_ab);
  EXPECT_NE(ab_c, other_label);
  // The label is an item too: ("t", "x") differs from ("tx").
  EXPECT_NE(Transcript("t").Add(sv("x")).Finish(), Transcript("tx").Finish());
  // Deterministic.
  EXPECT_EQ(ab_c, Transcript("t").Add(sv("ab")).Add(sv("c")).Finish());
  // AddU64 is 8 bytes big-endian, distinct from a shorter integer encoding.
  EXPECT_EQ(Transcript("t").AddU64(1).Finish(),
            Transcript("t").Add(std::span<const uint8_t>(FromHex("0000000000000001"))).Finish());
  EXPECT_NE(Transcript("t").AddU64(1).Finish(), Transcript("t").AddU64(256).Finish());
}

TEST(Transcript, HashToScalarFollowsSpec) {
  auto check = [](const Digest& d) {
    Bytes in1(d.begin(), d.end()), in2(d.begin(), d.end());
    in1.push_back(0x01);
    in2.push_back(0x02);
    Digest h1 = Sha256(in1), h2 = Sha256(in2);
    Bytes wide(h1.begin(), h1.end());
    wide.insert(wide.end(), h2.begin(), h2.end());
    EXPECT_EQ(HashToScalar(d), Scalar::FromWideBytes(wide));
  };
  check(Digest{});
  check(test::MakeDigest("x"));
  check(test::MakeDigest("y"));
  EXPECT_NE(HashToScalar(test::MakeDigest("x")), HashToScalar(test::MakeDigest("y")));

  const Digest d = Transcript("t").AddU64(7).Finish();
  EXPECT_EQ(Transcript("t").AddU64(7).FinishScalar(), HashToScalar(d));
}

// ------------------------------------------------------------ randomness

TEST(DeterministicRng, FirstBlocksAreDocumentedHashes) {
  const Bytes seed = ToBytes("isoloir test seed");
  DeterministicRng rng(seed);
  std::array<uint8_t, 64> out{};
  rng.Fill(out);

  Bytes in0 = seed, in1 = seed;
  in0.insert(in0.end(), 8, 0x00);  // u64be(0)
  in1.insert(in1.end(), 7, 0x00);  // u64be(1)
  in1.push_back(0x01);
  const Digest b0 = Sha256(in0), b1 = Sha256(in1);
  EXPECT_TRUE(std::equal(b0.begin(), b0.end(), out.begin()));
  EXPECT_TRUE(std::equal(b1.begin(), b1.end(), out.begin() + 32));
}

TEST(DeterministicRng, SameSeedSameStream) {
  auto a = MakeRng("seed-1"), b = MakeRng("seed-1"), c = MakeRng("seed-2");
  Bytes xa(1000), xb(1000), xc(1000);
  a.Fill(xa);
  b.Fill(xb);
  c.Fill(xc);
  EXPECT_EQ(xa, xb);
  EXPECT_NE(xa, xc);
  // Scalars drawn from equal streams are equal.
  auto d = MakeRng("seed-1"), e = MakeRng("seed-1");
  EXPECT_EQ(RandomScalar(d), RandomScalar(e));
}

TEST(DeterministicRng, StreamDoesNotDependOnReadSizes) {
  auto a = MakeRng("chunks"), b = MakeRng("chunks");
  Bytes whole(500);
  a.Fill(whole);
  Bytes pieces;
  size_t sizes[] = {1, 31, 32, 33, 0, 7, 64, 100, 232};
  for (size_t n : sizes) {
    Bytes part(n);
    b.Fill(part);
    pieces.insert(pieces.end(), part.begin(), part.end());
  }
  ASSERT_EQ(pieces.size(), whole.size());
  EXPECT_EQ(pieces, whole);
}

TEST(DeterministicRng, EmptySeedWorks) {
  DeterministicRng rng(std::span<const uint8_t>{});
  std::array<uint8_t, 32> out{};
  rng.Fill(out);
  EXPECT_EQ(Digest(out), Sha256(Bytes(8, 0x00)));
}

TEST(RandomScalar, IsTheWideReductionOfSixtyFourBytes) {
  auto a = MakeRng("scalar-spec"), b = MakeRng("scalar-spec");
  std::array<uint8_t, 64> wide{};
  b.Fill(wide);
  EXPECT_EQ(RandomScalar(a), Scalar::FromWideBytes(wide));
}

TEST(SystemRng, ProducesFreshBytes) {
  Rng& rng = SystemRandom();
  std::array<uint8_t, 32> x{}, y{};
  rng.Fill(x);
  rng.Fill(y);
  EXPECT_NE(x, y);
  EXPECT_NE(x, (std::array<uint8_t, 32>{}));
  Scalar s = RandomScalar(rng), t = RandomScalar(rng);
  EXPECT_FALSE(s.IsZero());
  EXPECT_NE(s, t);
}

}  // namespace
}  // namespace isoloir::crypto
