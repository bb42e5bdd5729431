// The P-256 group and its scalars: arithmetic laws, encodings, and strict
// decoding (spec §2.2, §2.3).
#include "crypto/group.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/err.h>

#include <stdexcept>

#include "test_util.h"

namespace isoloir::crypto {
namespace {

using test::Bump;
using test::FailsWith;
using test::FromHex;
using test::MakeRng;
using test::One;

constexpr std::string_view kGxHex = "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296";
constexpr std::string_view kGyHex = "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";

Scalar OrderMinusOne() {
  auto s = Scalar::Decode(FromHex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550"));
  EXPECT_TRUE(s.ok());
  return *s;
}

// ------------------------------------------------------------------ Scalar

TEST(Scalar, ZeroAndSmallValues) {
  Scalar zero;
  EXPECT_TRUE(zero.IsZero());
  EXPECT_EQ(zero, Scalar::FromUint64(0));
  EXPECT_FALSE(One().IsZero());
  EXPECT_NE(One(), zero);

  std::array<uint8_t, kScalarBytes> expected{};
  expected[30] = 0x01;
  expected[31] = 0x02;
  EXPECT_EQ(Scalar::FromUint64(0x0102).Encode(), expected);

  std::array<uint8_t, kScalarBytes> max64{};
  for (int i = 24; i < 32; ++i) max64[i] = 0xff;
  EXPECT_EQ(Scalar::FromUint64(UINT64_MAX).Encode(), max64);
  EXPECT_EQ(Scalar::FromUint64(2) + Scalar::FromUint64(3), Scalar::FromUint64(5));
  EXPECT_EQ(Scalar::FromUint64(6) * Scalar::FromUint64(7), Scalar::FromUint64(42));
  EXPECT_EQ(Scalar::FromUint64(10) - Scalar::FromUint64(3), Scalar::FromUint64(7));
}

TEST(Scalar, EncodeDecodeRoundTrip) {
  auto rng = MakeRng("group/scalar-roundtrip");
  for (int i = 0; i < 200; ++i) {
    Scalar s = RandomScalar(rng);
    auto e = s.Encode();
    auto d = Scalar::Decode(e);
    ASSERT_TRUE(d.ok()) << d.error().ToString();
    EXPECT_EQ(*d, s);
    EXPECT_EQ(d->Encode(), e);
  }
  for (uint64_t v : {0ull, 1ull, 255ull, 256ull, 0xffffffffull, 0x123456789abcdefull}) {
    auto d = Scalar::Decode(Scalar::FromUint64(v).Encode());
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(*d, Scalar::FromUint64(v));
  }
  // The largest scalar, n - 1, is accepted and round-trips.
  auto max = Scalar::Decode(FromHex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550"));
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(HexEncode(max->Encode()),
            "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550");
}

TEST(Scalar, DecodeRejectsValuesNotBelowOrder) {
  EXPECT_TRUE(FailsWith(Scalar::Decode(FromHex(test::kOrderHex)), "scalar.range"));
  EXPECT_TRUE(FailsWith(
      Scalar::Decode(FromHex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632552")),
      "scalar.range"));
  EXPECT_TRUE(FailsWith(Scalar::Decode(Bytes(32, 0xff)), "scalar.range"));
  // The field prime p is larger than n: also rejected.
  EXPECT_TRUE(FailsWith(Scalar::Decode(FromHex(test::kFieldHex)), "scalar.range"));
}

TEST(Scalar, DecodeRejectsWrongLength) {
  EXPECT_TRUE(FailsWith(Scalar::Decode(Bytes{}), "scalar.length"));
  EXPECT_TRUE(FailsWith(Scalar::Decode(Bytes{0x01}), "scalar.length"));
  EXPECT_TRUE(FailsWith(Scalar::Decode(Bytes(31, 0)), "scalar.length"));
  EXPECT_TRUE(FailsWith(Scalar::Decode(Bytes(33, 0)), "scalar.length"));
  EXPECT_TRUE(FailsWith(Scalar::Decode(Bytes(64, 0)), "scalar.length"));
  // A small value with a leading zero byte too many is still the wrong length.
  Bytes padded(33, 0);
  padded[32] = 5;
  EXPECT_TRUE(FailsWith(Scalar::Decode(padded), "scalar.length"));
}

TEST(Scalar, ArithmeticLaws) {
  auto rng = MakeRng("group/scalar-laws");
  const Scalar zero;
  for (int i = 0; i < 100; ++i) {
    Scalar a = RandomScalar(rng), b = RandomScalar(rng), c = RandomScalar(rng);
    EXPECT_EQ(a + b - b, a);
    EXPECT_EQ(a - b + b, a);
    EXPECT_EQ(a + b, b + a);
    EXPECT_EQ(a * b, b * a);
    EXPECT_EQ((a + b) + c, a + (b + c));
    EXPECT_EQ((a * b) * c, a * (b * c));
    EXPECT_EQ((a + b) * c, a * c + b * c);
    EXPECT_EQ(a * a.InversePublic(), One());
    EXPECT_EQ(a.InversePublic().InversePublic(), a);
    EXPECT_EQ(-a + a, zero);
    EXPECT_TRUE((-a + a).IsZero());
    EXPECT_EQ(-(-a), a);
    EXPECT_EQ(a - a, zero);
    EXPECT_EQ(a + zero, a);
    EXPECT_EQ(a * One(), a);
    EXPECT_TRUE((a * zero).IsZero());
    EXPECT_EQ(zero - a, -a);
    EXPECT_NE(a + One(), a);
  }
  EXPECT_EQ(-zero, zero);
}

TEST(Scalar, WrapsAroundTheOrder) {
  const Scalar max = OrderMinusOne();
  EXPECT_EQ(max, -One());
  EXPECT_TRUE((max + One()).IsZero());
  EXPECT_EQ(max + max, -Scalar::FromUint64(2));
  EXPECT_EQ(max * max, One());  // (-1)^2
  EXPECT_EQ(Scalar() - One(), max);
  EXPECT_EQ(max.InversePublic(), max);
  EXPECT_EQ(Scalar::FromUint64(2).InversePublic() * Scalar::FromUint64(2), One());
}

TEST(Scalar, Select) {
  auto rng = MakeRng("group/select");
  for (int i = 0; i < 20; ++i) {
    Scalar a = RandomScalar(rng), b = RandomScalar(rng);
    EXPECT_EQ(Scalar::Select(true, a, b), a);
    EXPECT_EQ(Scalar::Select(false, a, b), b);
    // The selected scalar is an independent, fully usable value.
    Scalar s = Scalar::Select(true, a, b);
    EXPECT_EQ(s + One() - One(), a);
  }
  EXPECT_EQ(Scalar::Select(true, Scalar(), One()), Scalar());
  EXPECT_EQ(Scalar::Select(false, Scalar(), One()), One());
  EXPECT_EQ(Scalar::Select(true, OrderMinusOne(), Scalar()), OrderMinusOne());
}

TEST(Scalar, FromWideBytesReducesModOrder) {
  auto rng = MakeRng("group/wide");
  const Bytes n = FromHex(test::kOrderHex);
  for (int i = 0; i < 20; ++i) {
    Scalar s = RandomScalar(rng);
    auto e = s.Encode();
    // 0^32 || s  ==  s
    Bytes wide(32, 0);
    wide.insert(wide.end(), e.begin(), e.end());
    EXPECT_EQ(Scalar::FromWideBytes(wide), s);
    // n || s  ==  n * 2^256 + s  ==  s (mod n)
    Bytes wide2 = n;
    wide2.insert(wide2.end(), e.begin(), e.end());
    EXPECT_EQ(Scalar::FromWideBytes(wide2), s);
  }
  // 48-byte input: 0^16 || n  ==  0
  Bytes n48(16, 0);
  n48.insert(n48.end(), n.begin(), n.end());
  EXPECT_TRUE(Scalar::FromWideBytes(n48).IsZero());
  // n + 5 in 33 bytes.
  Bytes n_plus_5 = n;
  n_plus_5.insert(n_plus_5.begin(), 0);
  n_plus_5.back() += 5;  // 0x51 + 5: no carry
  EXPECT_EQ(Scalar::FromWideBytes(n_plus_5), Scalar::FromUint64(5));
}

TEST(Scalar, CopyAndMove) {
  auto rng = MakeRng("group/copy");
  Scalar a = RandomScalar(rng);
  Scalar b = a;
  EXPECT_EQ(a, b);
  b = b + One();  // the copy is independent
  EXPECT_NE(a, b);
  Scalar c = std::move(b);
  EXPECT_EQ(c, a + One());
  Scalar d;
  d = a;
  EXPECT_EQ(d, a);
  d = std::move(c);
  EXPECT_EQ(d, a + One());
  b = a;  // assigning to a moved-from scalar makes it usable again
  EXPECT_EQ(b, a);
}

TEST(Scalar, RandomScalarsAreNonZeroAndDistinct) {
  auto rng = MakeRng("group/random");
  Scalar prev = RandomScalar(rng);
  for (int i = 0; i < 50; ++i) {
    Scalar s = RandomScalar(rng);
    EXPECT_FALSE(s.IsZero());
    EXPECT_NE(s, prev);
    prev = s;
  }
}

// ------------------------------------------------------------------- Point

TEST(Point, GeneratorEncoding) {
  Bytes expected = {0x04};
  Bytes gx = FromHex(kGxHex), gy = FromHex(kGyHex);
  expected.insert(expected.end(), gx.begin(), gx.end());
  expected.insert(expected.end(), gy.begin(), gy.end());
  EXPECT_EQ(Point::Generator().Encode(), expected);
  EXPECT_EQ(Point::MulBase(One()), Point::Generator());
}

TEST(Point, IdentityEncoding) {
  EXPECT_TRUE(Point().IsIdentity());
  EXPECT_TRUE(Point::Identity().IsIdentity());
  EXPECT_FALSE(Point::Generator().IsIdentity());
  EXPECT_EQ(Point::Identity().Encode(), Bytes{0x00});
  EXPECT_TRUE(FailsWith(Point::Decode(Bytes{0x00}), "point.identity"));
  EXPECT_TRUE(FailsWith(Point::Decode(Bytes{0x00}, false), "point.identity"));
  auto id = Point::Decode(Bytes{0x00}, /*allow_identity=*/true);
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(id->IsIdentity());
  EXPECT_TRUE(Point::MulBase(Scalar()).IsIdentity());
}

TEST(Point, EncodeDecodeRoundTrip) {
  auto rng = MakeRng("group/point-roundtrip");
  for (int i = 0; i < 100; ++i) {
    Point p = test::RandomPoint(rng);
    Bytes e = p.Encode();
    ASSERT_EQ(e.size(), kPointBytes);
    EXPECT_EQ(e[0], 0x04);
    auto d = Point::Decode(e);
    ASSERT_TRUE(d.ok()) << d.error().ToString();
    EXPECT_EQ(*d, p);
    EXPECT_EQ(d->Encode(), e);
    auto d2 = Point::Decode(e, /*allow_identity=*/true);
    ASSERT_TRUE(d2.ok());
    EXPECT_EQ(*d2, p);
  }
}

TEST(Point, DecodeRejectsWrongLength) {
  Bytes g = Point::Generator().Encode();
  EXPECT_TRUE(FailsWith(Point::Decode(Bytes{}), "point.length"));
  EXPECT_TRUE(FailsWith(Point::Decode(Bytes{}, true), "point.length"));
  EXPECT_TRUE(FailsWith(Point::Decode(Bytes{0x04}), "point.length"));
  EXPECT_TRUE(FailsWith(Point::Decode(Bytes{0x00, 0x00}, true), "point.length"));
  EXPECT_TRUE(FailsWith(Point::Decode(Bytes(g.begin(), g.end() - 1)), "point.length"));
  Bytes longer = g;
  longer.push_back(0);
  EXPECT_TRUE(FailsWith(Point::Decode(longer), "point.length"));
  // Compressed form (33 bytes) is not accepted.
  Bytes compressed(g.begin(), g.begin() + 33);
  compressed[0] = static_cast<uint8_t>(0x02 | (g[64] & 1));
  EXPECT_TRUE(FailsWith(Point::Decode(compressed), "point.length"));
}

TEST(Point, DecodeRejectsWrongPrefix) {
  auto rng = MakeRng("group/prefix");
  for (int i = 0; i < 10; ++i) {
    Bytes e = test::RandomPoint(rng).Encode();
    const uint8_t y_odd = e[64] & 1;
    for (uint8_t prefix : {uint8_t{0x00}, uint8_t{0x01}, uint8_t{0x02}, uint8_t{0x03},
                           uint8_t{0x05}, uint8_t(0x06 | y_odd), uint8_t{0x06}, uint8_t{0x07},
                           uint8_t{0x44}, uint8_t{0xff}}) {
      Bytes bad = e;
      bad[0] = prefix;
      EXPECT_TRUE(FailsWith(Point::Decode(bad), "point.format")) << int(prefix);
      EXPECT_TRUE(FailsWith(Point::Decode(bad, true), "point.format")) << int(prefix);
    }
  }
}

TEST(Point, DecodeRejectsPointsNotOnCurve) {
  auto rng = MakeRng("group/not-on-curve");
  for (int i = 0; i < 20; ++i) {
    Bytes e = test::RandomPoint(rng).Encode();
    Bytes bad = e;
    bad[64] ^= 0x01;  // y + 1 or y - 1
    EXPECT_TRUE(FailsWith(Point::Decode(bad), "point.not_on_curve"));
    bad = e;
    bad[1 + (i % 32)] ^= 0x80;  // change x
    EXPECT_TRUE(FailsWith(Point::Decode(bad), "point.not_on_curve"));
  }
  Bytes zeros(kPointBytes, 0);
  zeros[0] = 0x04;
  EXPECT_TRUE(FailsWith(Point::Decode(zeros), "point.not_on_curve"));
  EXPECT_TRUE(FailsWith(Point::Decode(zeros, true), "point.not_on_curve"));
  Bytes ones(kPointBytes, 0xff);
  ones[0] = 0x04;
  EXPECT_TRUE(FailsWith(Point::Decode(ones), "point.not_on_curve"));
}

// A point (x, y) with a small x; then (x + p, y) satisfies the curve equation
// modulo p but is not a canonical encoding: it must be rejected.
TEST(Point, DecodeRejectsCoordinateNotBelowFieldPrime) {
  BN_CTX* ctx = BN_CTX_new();
  BIGNUM *p = BN_new(), *a = BN_new(), *b = BN_new(), *x = BN_new(), *rhs = BN_new(),
         *t = BN_new(), *y = BN_new(), *x_big = BN_new();
  ASSERT_EQ(EC_GROUP_get_curve(Curve(), p, a, b, ctx), 1);
  bool found = false;
  for (unsigned xv = 0; xv < 200 && !found; ++xv) {
    ASSERT_EQ(BN_set_word(x, xv), 1);
    // rhs = x^3 + a x + b mod p
    ASSERT_EQ(BN_mod_sqr(t, x, p, ctx), 1);
    ASSERT_EQ(BN_mod_add(t, t, a, p, ctx), 1);
    ASSERT_EQ(BN_mod_mul(t, t, x, p, ctx), 1);
    ASSERT_EQ(BN_mod_add(rhs, t, b, p, ctx), 1);
    if (BN_mod_sqrt(y, rhs, p, ctx) == nullptr) {
      ERR_clear_error();
      continue;
    }
    ASSERT_EQ(BN_mod_sqr(t, y, p, ctx), 1);
    if (BN_cmp(t, rhs) != 0) continue;
    found = true;
  }
  ASSERT_TRUE(found);
  auto encode = [](const BIGNUM* xx, const BIGNUM* yy) {
    Bytes out(kPointBytes);
    out[0] = 0x04;
    EXPECT_EQ(BN_bn2binpad(xx, out.data() + 1, 32), 32);
    EXPECT_EQ(BN_bn2binpad(yy, out.data() + 33, 32), 32);
    return out;
  };
  // Sanity: the canonical encoding is a valid point.
  auto ok = Point::Decode(encode(x, y));
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  // x + p still fits in 32 bytes because x is small.
  ASSERT_EQ(BN_add(x_big, x, p), 1);
  ASSERT_LE(BN_num_bits(x_big), 256);
  EXPECT_TRUE(FailsWith(Point::Decode(encode(x_big, y)), "point.not_on_curve"));
  // x = p exactly (congruent to 0) is also rejected.
  EXPECT_TRUE(FailsWith(Point::Decode(encode(p, y)), "point.not_on_curve"));
  for (BIGNUM* bn : {p, a, b, x, rhs, t, y, x_big}) BN_free(bn);
  BN_CTX_free(ctx);
}

TEST(Point, GroupLaws) {
  auto rng = MakeRng("group/point-laws");
  const Point g = Point::Generator();
  for (int i = 0; i < 20; ++i) {
    Scalar a = RandomScalar(rng), b = RandomScalar(rng);
    Point A = Point::MulBase(a), B = Point::MulBase(b);
    EXPECT_EQ(A + B, Point::MulBase(a + b));
    EXPECT_EQ(A - B, Point::MulBase(a - b));
    EXPECT_EQ(-A, Point::MulBase(-a));
    EXPECT_EQ(A + B, B + A);
    EXPECT_TRUE((A - A).IsIdentity());
    EXPECT_TRUE((A + (-A)).IsIdentity());
    EXPECT_EQ(A + Point::Identity(), A);
    EXPECT_EQ(Point::Identity() + A, A);
    EXPECT_EQ(A.Mul(b), Point::MulBase(a * b));
    EXPECT_EQ(A.Mul(b), B.Mul(a));
    EXPECT_EQ(g.Mul(a), A);
    EXPECT_TRUE(A.Mul(Scalar()).IsIdentity());
    EXPECT_TRUE(Point::Identity().Mul(a).IsIdentity());
    EXPECT_EQ(A.Mul(One()), A);
    Point acc = A;
    acc += B;
    EXPECT_EQ(acc, A + B);
    EXPECT_NE(A, B);
    EXPECT_NE(Bump(A), A);
  }
  EXPECT_EQ(g + g, Point::MulBase(Scalar::FromUint64(2)));
  EXPECT_EQ(Point::MulBase(OrderMinusOne()), -g);
  EXPECT_TRUE((Point::MulBase(OrderMinusOne()) + g).IsIdentity());
}

TEST(Point, MulBaseAddPublic) {
  auto rng = MakeRng("group/double-mul");
  for (int i = 0; i < 20; ++i) {
    Scalar a = RandomScalar(rng), b = RandomScalar(rng);
    Point P = test::RandomPoint(rng);
    EXPECT_EQ(Point::MulBaseAddPublic(a, P, b), Point::MulBase(a) + P.Mul(b));
    EXPECT_EQ(Point::MulBaseAddPublic(a, P, Scalar()), Point::MulBase(a));
    EXPECT_EQ(Point::MulBaseAddPublic(Scalar(), P, b), P.Mul(b));
    EXPECT_EQ(Point::MulBaseAddPublic(a, Point::Identity(), b), Point::MulBase(a));
  }
}

TEST(FixedBase, AgreesWithVariableBase) {
  auto rng = MakeRng("group/fixed-base");
  const Point Y = test::RandomPoint(rng);
  const FixedBase table(Y);
  EXPECT_EQ(table.base(), Y);
  for (int i = 0; i < 20; ++i) {
    Scalar a = RandomScalar(rng), b = RandomScalar(rng);
    Point P = test::RandomPoint(rng);
    EXPECT_EQ(table.Mul(a), Y.Mul(a));
    EXPECT_EQ(table.MulAddPublic(a, P, b), Y.Mul(a) + P.Mul(b));
    EXPECT_EQ(table.MulAddPublic(a, P, Scalar()), Y.Mul(a));
    EXPECT_EQ(table.MulAddPublic(Scalar(), P, b), P.Mul(b));
  }
  EXPECT_TRUE(table.Mul(Scalar()).IsIdentity());
  EXPECT_EQ(table.Mul(One()), Y);
  // A table over the generator behaves as MulBase.
  const FixedBase gtable(Point::Generator());
  Scalar k = RandomScalar(rng);
  EXPECT_EQ(gtable.Mul(k), Point::MulBase(k));
}

TEST(FixedBase, RejectsIdentity) {
  EXPECT_THROW(FixedBase{Point::Identity()}, std::invalid_argument);
}

TEST(Point, CopyAndMove) {
  auto rng = MakeRng("group/point-copy");
  Point a = test::RandomPoint(rng);
  Point b = a;
  EXPECT_EQ(a, b);
  b += Point::Generator();  // the copy is independent
  EXPECT_NE(a, b);
  Point c = std::move(b);
  EXPECT_EQ(c, a + Point::Generator());
  b = a;  // a moved-from point can be assigned again
  EXPECT_EQ(b, a);
  Point d;
  d = std::move(c);
  EXPECT_EQ(d, a + Point::Generator());
}

}  // namespace
}  // namespace isoloir::crypto
