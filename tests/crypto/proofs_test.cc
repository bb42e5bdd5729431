// Exponential ElGamal (spec §5) and the zero-knowledge proofs (spec §6):
// every honest proof verifies; altering any single field, the statement or
// the context makes verification fail.
#include "crypto/proofs.h"

#include <gtest/gtest.h>

#include <memory>

#include "test_util.h"

namespace isoloir::crypto {
namespace {

using test::Bump;
using test::MakeRng;
using test::One;

// --------------------------------------------------------------- ElGamal

class ElGamalTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto rng = MakeRng("elgamal/key");
    secret_ = new Scalar(RandomScalar(rng));
    key_ = new ElectionKey(Point::MulBase(*secret_));
  }
  static void TearDownTestSuite() {
    delete key_;
    delete secret_;
  }
  static Point Decrypt(const Ciphertext& ct) { return ct.beta - ct.alpha.Mul(*secret_); }
  static Scalar* secret_;
  static ElectionKey* key_;
};
Scalar* ElGamalTest::secret_ = nullptr;
ElectionKey* ElGamalTest::key_ = nullptr;

TEST_F(ElGamalTest, EncryptsAsDocumented) {
  auto rng = MakeRng("elgamal/encrypt");
  for (uint64_t m : {0ull, 1ull, 2ull, 1000ull}) {
    Scalar r = RandomScalar(rng);
    Ciphertext ct = Encrypt(*key_, m, r);
    EXPECT_EQ(ct.alpha, Point::MulBase(r));
    EXPECT_EQ(ct.beta, Point::MulBase(Scalar::FromUint64(m)) + key_->point().Mul(r));
    EXPECT_EQ(Decrypt(ct), Point::MulBase(Scalar::FromUint64(m)));
  }
  EXPECT_EQ(key_->table().base(), key_->point());
}

TEST_F(ElGamalTest, IsAdditivelyHomomorphic) {
  auto rng = MakeRng("elgamal/homomorphic");
  std::vector<Ciphertext> cts;
  Scalar r_sum;
  uint64_t m_sum = 0;
  for (uint64_t m = 0; m < 6; ++m) {
    Scalar r = RandomScalar(rng);
    cts.push_back(Encrypt(*key_, m, r));
    r_sum = r_sum + r;
    m_sum += m;
  }
  Ciphertext total = Sum(cts);
  EXPECT_EQ(total, Encrypt(*key_, m_sum, r_sum));
  EXPECT_EQ(Decrypt(total), Point::MulBase(Scalar::FromUint64(m_sum)));
  Ciphertext acc = ZeroCiphertext();
  for (const auto& c : cts) acc += c;
  EXPECT_EQ(acc, total);
  EXPECT_TRUE(ZeroCiphertext().alpha.IsIdentity());
  EXPECT_TRUE(ZeroCiphertext().beta.IsIdentity());
  EXPECT_EQ(Sum({}), ZeroCiphertext());
  EXPECT_FALSE(cts[0] == cts[1]);
}

// ---------------------------------------------------------------- Schnorr

TEST(Schnorr, HonestProofVerifies) {
  auto rng = MakeRng("proofs/schnorr");
  const Digest ctx = test::MakeDigest("ctx");
  for (int i = 0; i < 10; ++i) {
    Scalar x = RandomScalar(rng);
    Point X = Point::MulBase(x);
    SchnorrProof p = ProveDlog(ctx, x, X, rng);
    EXPECT_TRUE(VerifyDlog(ctx, X, p));
  }
}

TEST(Schnorr, AnyAlterationFails) {
  auto rng = MakeRng("proofs/schnorr-tamper");
  const Digest ctx = test::MakeDigest("ctx");
  Scalar x = RandomScalar(rng);
  Point X = Point::MulBase(x);
  const SchnorrProof p = ProveDlog(ctx, x, X, rng);
  ASSERT_TRUE(VerifyDlog(ctx, X, p));

  SchnorrProof bad = p;
  bad.challenge = Bump(p.challenge);
  EXPECT_FALSE(VerifyDlog(ctx, X, bad));
  bad = p;
  bad.response = Bump(p.response);
  EXPECT_FALSE(VerifyDlog(ctx, X, bad));
  bad = p;
  bad.challenge = -p.challenge;
  EXPECT_FALSE(VerifyDlog(ctx, X, bad));
  bad = p;
  std::swap(bad.challenge, bad.response);
  EXPECT_FALSE(VerifyDlog(ctx, X, bad));
  EXPECT_FALSE(VerifyDlog(ctx, X, SchnorrProof{}));
  // Statement and context.
  EXPECT_FALSE(VerifyDlog(ctx, Bump(X), p));
  EXPECT_FALSE(VerifyDlog(ctx, -X, p));
  EXPECT_FALSE(VerifyDlog(test::Bump(ctx), X, p));
  EXPECT_FALSE(VerifyDlog(test::MakeDigest("other"), X, p));
}

TEST(Schnorr, WrongWitnessFails) {
  auto rng = MakeRng("proofs/schnorr-wrong");
  const Digest ctx = test::MakeDigest("ctx");
  Scalar x = RandomScalar(rng);
  Point X = Point::MulBase(x);
  EXPECT_FALSE(VerifyDlog(ctx, X, ProveDlog(ctx, Bump(x), X, rng)));
}

TEST(Schnorr, ProofsAreRandomized) {
  auto rng = MakeRng("proofs/schnorr-random");
  const Digest ctx = test::MakeDigest("ctx");
  Scalar x = RandomScalar(rng);
  Point X = Point::MulBase(x);
  SchnorrProof p1 = ProveDlog(ctx, x, X, rng), p2 = ProveDlog(ctx, x, X, rng);
  EXPECT_NE(p1.challenge, p2.challenge);
  EXPECT_TRUE(VerifyDlog(ctx, X, p1));
  EXPECT_TRUE(VerifyDlog(ctx, X, p2));
}

// ---------------------------------------------------------- Chaum-Pedersen

struct DleqStatement {
  Scalar x;
  Point X, H, Y;
};

DleqStatement MakeDleq(Rng& rng) {
  DleqStatement s;
  s.x = RandomScalar(rng);
  s.X = Point::MulBase(s.x);
  s.H = test::RandomPoint(rng);
  s.Y = s.H.Mul(s.x);
  return s;
}

TEST(Dleq, HonestProofVerifies) {
  auto rng = MakeRng("proofs/dleq");
  const Digest ctx = test::MakeDigest("ctx");
  for (int i = 0; i < 10; ++i) {
    DleqStatement s = MakeDleq(rng);
    DleqProof p = ProveDleq(ctx, s.x, s.X, s.H, s.Y, rng);
    EXPECT_TRUE(VerifyDleq(ctx, s.X, s.H, s.Y, p));
  }
}

TEST(Dleq, AnyAlterationFails) {
  auto rng = MakeRng("proofs/dleq-tamper");
  const Digest ctx = test::MakeDigest("ctx");
  DleqStatement s = MakeDleq(rng);
  const DleqProof p = ProveDleq(ctx, s.x, s.X, s.H, s.Y, rng);
  ASSERT_TRUE(VerifyDleq(ctx, s.X, s.H, s.Y, p));

  DleqProof bad = p;
  bad.challenge = Bump(p.challenge);
  EXPECT_FALSE(VerifyDleq(ctx, s.X, s.H, s.Y, bad));
  bad = p;
  bad.response = Bump(p.response);
  EXPECT_FALSE(VerifyDleq(ctx, s.X, s.H, s.Y, bad));
  EXPECT_FALSE(VerifyDleq(ctx, s.X, s.H, s.Y, DleqProof{}));
  EXPECT_FALSE(VerifyDleq(ctx, Bump(s.X), s.H, s.Y, p));
  EXPECT_FALSE(VerifyDleq(ctx, s.X, Bump(s.H), s.Y, p));
  EXPECT_FALSE(VerifyDleq(ctx, s.X, s.H, Bump(s.Y), p));
  EXPECT_FALSE(VerifyDleq(ctx, s.X, s.Y, s.H, p));  // H and Y swapped
  EXPECT_FALSE(VerifyDleq(test::Bump(ctx), s.X, s.H, s.Y, p));
}

TEST(Dleq, UnequalLogarithmsFail) {
  auto rng = MakeRng("proofs/dleq-unequal");
  const Digest ctx = test::MakeDigest("ctx");
  DleqStatement s = MakeDleq(rng);
  // Y = H^(x+1): no proof with witness x can verify.
  const Point Y2 = s.H.Mul(Bump(s.x));
  EXPECT_FALSE(VerifyDleq(ctx, s.X, s.H, Y2, ProveDleq(ctx, s.x, s.X, s.H, Y2, rng)));
  EXPECT_FALSE(
      VerifyDleq(ctx, s.X, s.H, Y2, ProveDleq(ctx, Bump(s.x), s.X, s.H, Y2, rng)));
}

// ------------------------------------------------------------- Membership

class MembershipTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto rng = MakeRng("membership/key");
    key_ = new ElectionKey(test::RandomPoint(rng));
    other_key_ = new ElectionKey(test::RandomPoint(rng));
  }
  static void TearDownTestSuite() {
    delete key_;
    delete other_key_;
  }
  static ElectionKey* key_;
  static ElectionKey* other_key_;
};
ElectionKey* MembershipTest::key_ = nullptr;
ElectionKey* MembershipTest::other_key_ = nullptr;

TEST_F(MembershipTest, HonestProofsVerifyForEveryBranch) {
  auto rng = MakeRng("membership/honest");
  const Digest ctx = test::MakeDigest("ctx");
  const std::vector<std::vector<uint64_t>> value_sets = {{0, 1}, {0, 1, 2, 3}, {2, 3, 4}, {5}};
  for (const auto& values : value_sets) {
    for (size_t index = 0; index < values.size(); ++index) {
      Scalar r = RandomScalar(rng);
      Ciphertext ct = Encrypt(*key_, values[index], r);
      MembershipProof p = ProveMembership(ctx, *key_, ct, r, values, index, rng);
      ASSERT_EQ(p.challenges.size(), values.size());
      ASSERT_EQ(p.responses.size(), values.size());
      EXPECT_TRUE(VerifyMembership(ctx, *key_, ct, values, p))
          << "value " << values[index] << " of " << values.size();
    }
  }
}

TEST_F(MembershipTest, AlteringAnyChallengeOrResponseFails) {
  auto rng = MakeRng("membership/tamper");
  const Digest ctx = test::MakeDigest("ctx");
  const std::vector<uint64_t> values = {0, 1, 2, 3};
  for (size_t index = 0; index < values.size(); ++index) {
    Scalar r = RandomScalar(rng);
    Ciphertext ct = Encrypt(*key_, values[index], r);
    const MembershipProof p = ProveMembership(ctx, *key_, ct, r, values, index, rng);
    ASSERT_TRUE(VerifyMembership(ctx, *key_, ct, values, p));
    for (size_t j = 0; j < values.size(); ++j) {
      MembershipProof bad = p;
      bad.challenges[j] = Bump(bad.challenges[j]);
      EXPECT_FALSE(VerifyMembership(ctx, *key_, ct, values, bad)) << "challenge " << j;
      bad = p;
      bad.responses[j] = Bump(bad.responses[j]);
      EXPECT_FALSE(VerifyMembership(ctx, *key_, ct, values, bad)) << "response " << j;
    }
    // Moving challenge mass between branches keeps the sum but still fails.
    MembershipProof shifted = p;
    shifted.challenges[0] = Bump(shifted.challenges[0]);
    shifted.challenges[1] = shifted.challenges[1] - One();
    EXPECT_FALSE(VerifyMembership(ctx, *key_, ct, values, shifted));
    // Reordered branches.
    MembershipProof swapped = p;
    std::swap(swapped.challenges[0], swapped.challenges[1]);
    std::swap(swapped.responses[0], swapped.responses[1]);
    EXPECT_FALSE(VerifyMembership(ctx, *key_, ct, values, swapped));
  }
}

TEST_F(MembershipTest, AlteringStatementOrContextFails) {
  auto rng = MakeRng("membership/statement");
  const Digest ctx = test::MakeDigest("ctx");
  const std::vector<uint64_t> values = {0, 1};
  Scalar r = RandomScalar(rng);
  const Ciphertext ct = Encrypt(*key_, 1, r);
  const MembershipProof p = ProveMembership(ctx, *key_, ct, r, values, 1, rng);
  ASSERT_TRUE(VerifyMembership(ctx, *key_, ct, values, p));

  Ciphertext bad = ct;
  bad.alpha = Bump(ct.alpha);
  EXPECT_FALSE(VerifyMembership(ctx, *key_, bad, values, p));
  bad = ct;
  bad.beta = Bump(ct.beta);
  EXPECT_FALSE(VerifyMembership(ctx, *key_, bad, values, p));
  EXPECT_FALSE(VerifyMembership(test::Bump(ctx), *key_, ct, values, p));
  EXPECT_FALSE(VerifyMembership(ctx, *other_key_, ct, values, p));
  EXPECT_FALSE(VerifyMembership(ctx, *key_, ct, {1, 0}, p));
  EXPECT_FALSE(VerifyMembership(ctx, *key_, ct, {1, 2}, p));
  EXPECT_FALSE(VerifyMembership(ctx, *key_, ct, {0, 1, 2}, p));
  EXPECT_FALSE(VerifyMembership(ctx, *key_, ct, {}, p));
  EXPECT_FALSE(VerifyMembership(ctx, *key_, ct, {}, MembershipProof{}));
  // Wrong number of branches in the proof.
  MembershipProof shorter = p;
  shorter.challenges.pop_back();
  shorter.responses.pop_back();
  EXPECT_FALSE(VerifyMembership(ctx, *key_, ct, values, shorter));
  MembershipProof ragged = p;
  ragged.responses.pop_back();
  EXPECT_FALSE(VerifyMembership(ctx, *key_, ct, values, ragged));
  MembershipProof longer = p;
  longer.challenges.push_back(Scalar());
  longer.responses.push_back(Scalar());
  EXPECT_FALSE(VerifyMembership(ctx, *key_, ct, values, longer));
}

// A prover who encrypts a value outside the set cannot make any branch verify.
TEST_F(MembershipTest, ValueOutsideTheSetCannotBeProved) {
  auto rng = MakeRng("membership/soundness");
  const Digest ctx = test::MakeDigest("ctx");
  const std::vector<uint64_t> values = {0, 1};
  for (uint64_t m : {2ull, 3ull, 100ull}) {
    Scalar r = RandomScalar(rng);
    Ciphertext ct = Encrypt(*key_, m, r);
    for (size_t index = 0; index < values.size(); ++index) {
      EXPECT_FALSE(VerifyMembership(ctx, *key_, ct, values,
                                    ProveMembership(ctx, *key_, ct, r, values, index, rng)))
          << "m=" << m << " claimed " << values[index];
    }
  }
  // A true value with the wrong branch index also fails.
  Scalar r = RandomScalar(rng);
  Ciphertext ct = Encrypt(*key_, 0, r);
  EXPECT_FALSE(VerifyMembership(ctx, *key_, ct, values,
                                ProveMembership(ctx, *key_, ct, r, values, 1, rng)));
  // Wrong randomness.
  EXPECT_FALSE(VerifyMembership(ctx, *key_, ct, values,
                                ProveMembership(ctx, *key_, ct, Bump(r), values, 0, rng)));
}

}  // namespace
}  // namespace isoloir::crypto
