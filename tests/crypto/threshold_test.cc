// Threshold decryption (spec §10): any t holders decrypt, t-1 cannot, a bad
// factor is detected and its holder named.
#include "crypto/threshold.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>

#include "crypto/simulation.h"
#include "test_util.h"

namespace isoloir::crypto {
namespace {

using test::Bump;
using test::FailsWith;
using test::MakeRng;
using test::Succeeds;

constexpr uint32_t kHolders = 5;
constexpr uint32_t kThreshold = 3;
constexpr std::string_view kScope = "CSA";

// All subsets of {1..n} of the given size, in lexicographic order.
std::vector<std::vector<uint32_t>> Subsets(uint32_t n, uint32_t size) {
  std::vector<std::vector<uint32_t>> out;
  std::vector<bool> pick(n, false);
  std::fill(pick.begin(), pick.begin() + size, true);
  do {
    std::vector<uint32_t> s;
    for (uint32_t i = 0; i < n; ++i) {
      if (pick[i]) s.push_back(i + 1);
    }
    out.push_back(s);
  } while (std::prev_permutation(pick.begin(), pick.end()));
  return out;
}

class ThresholdTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto rng = MakeRng("threshold/board");
    board_ = new SimulatedBoard(
        RunKeyCeremony(test::MakeDigest("election"), kHolders, kThreshold, rng));
    key_ = new ElectionKey(board_->pub.public_key);
    cts_ = new std::vector<Ciphertext>();
    for (uint64_t m : kCounts) cts_->push_back(Encrypt(*key_, m, RandomScalar(rng)));
    partials_ = new std::vector<PartialDecryption>();
    for (uint32_t j = 1; j <= kHolders; ++j) partials_->push_back(Partial(j, rng));
  }
  static void TearDownTestSuite() {
    delete partials_;
    delete cts_;
    delete key_;
    delete board_;
  }

  static const Digest& Election() { return board_->params.election; }
  static const Point& PublicKey() { return board_->pub.public_key; }
  static PartialDecryption Partial(uint32_t j, Rng& rng) {
    return PartialDecrypt(Election(), PublicKey(), kScope, j, board_->shares[j - 1], *cts_, rng);
  }
  static Result<Combined> Combine(const std::vector<PartialDecryption>& partials) {
    return CombinePartialDecryptions(Election(), PublicKey(), kScope, kThreshold,
                                     board_->pub.verification_keys, *cts_, partials);
  }
  static std::vector<PartialDecryption> Pick(const std::vector<uint32_t>& holders) {
    std::vector<PartialDecryption> out;
    for (uint32_t j : holders) out.push_back((*partials_)[j - 1]);
    return out;
  }
  static void ExpectCounts(const Combined& c) {
    ASSERT_EQ(c.plain_points.size(), std::size(kCounts));
    for (size_t i = 0; i < std::size(kCounts); ++i) {
      EXPECT_EQ(c.plain_points[i], Point::MulBase(Scalar::FromUint64(kCounts[i]))) << i;
    }
  }

  static constexpr uint64_t kCounts[] = {0, 1, 7, 42, 1000};
  static SimulatedBoard* board_;
  static ElectionKey* key_;
  static std::vector<Ciphertext>* cts_;
  static std::vector<PartialDecryption>* partials_;
};
SimulatedBoard* ThresholdTest::board_ = nullptr;
ElectionKey* ThresholdTest::key_ = nullptr;
std::vector<Ciphertext>* ThresholdTest::cts_ = nullptr;
std::vector<PartialDecryption>* ThresholdTest::partials_ = nullptr;

TEST(Subsets, Helper) {
  EXPECT_EQ(Subsets(5, 3).size(), 10u);
  EXPECT_EQ(Subsets(5, 2).size(), 10u);
  EXPECT_EQ(Subsets(4, 4).size(), 1u);
  EXPECT_EQ(Subsets(3, 2), (std::vector<std::vector<uint32_t>>{{1, 2}, {1, 3}, {2, 3}}));
}

TEST_F(ThresholdTest, HonestPartialDecryptionsVerify) {
  for (uint32_t j = 1; j <= kHolders; ++j) {
    const PartialDecryption& pd = (*partials_)[j - 1];
    EXPECT_EQ(pd.holder, j);
    ASSERT_EQ(pd.factors.size(), cts_->size());
    ASSERT_EQ(pd.proofs.size(), cts_->size());
    for (size_t i = 0; i < cts_->size(); ++i) {
      EXPECT_EQ(pd.factors[i], (*cts_)[i].alpha.Mul(board_->shares[j - 1]));
    }
    EXPECT_TRUE(Succeeds(VerifyPartialDecryption(Election(), PublicKey(), kScope,
                                                 board_->pub.verification_keys[j - 1], *cts_,
                                                 pd)));
  }
}

TEST_F(ThresholdTest, EverySubsetOfThresholdSizeDecrypts) {
  for (const auto& set : Subsets(kHolders, kThreshold)) {
    auto c = Combine(Pick(set));
    ASSERT_TRUE(Succeeds(c));
    EXPECT_EQ(c->used, set);
    EXPECT_TRUE(c->rejected.empty());
    ExpectCounts(*c);
    // Order of submission does not matter.
    std::vector<uint32_t> reversed(set.rbegin(), set.rend());
    auto cr = Combine(Pick(reversed));
    ASSERT_TRUE(Succeeds(cr));
    ExpectCounts(*cr);
  }
}

TEST_F(ThresholdTest, MoreThanThresholdUsesTheFirstValid) {
  for (uint32_t size = kThreshold + 1; size <= kHolders; ++size) {
    for (const auto& set : Subsets(kHolders, size)) {
      auto c = Combine(Pick(set));
      ASSERT_TRUE(Succeeds(c));
      EXPECT_EQ(c->used, std::vector<uint32_t>(set.begin(), set.begin() + kThreshold));
      ExpectCounts(*c);
    }
  }
}

TEST_F(ThresholdTest, FewerThanThresholdCannotDecrypt) {
  for (uint32_t size = 0; size < kThreshold; ++size) {
    for (const auto& set : Subsets(kHolders, size)) {
      EXPECT_TRUE(FailsWith(Combine(Pick(set)), "decryption.too_few")) << set.size();
    }
  }
  // Lagrange interpolation over t-1 shares does not give the key's secret:
  // combining their factors "as if" they were enough gives a wrong plaintext.
  const std::vector<uint32_t> two = {1, 2};
  Point d;
  for (uint32_t j : two) {
    d += (*partials_)[j - 1].factors[1].Mul(LagrangeAtZero(j, two));
  }
  EXPECT_NE((*cts_)[1].beta - d, Point::MulBase(Scalar::FromUint64(kCounts[1])));
}

TEST_F(ThresholdTest, TamperedFactorIsDetectedAndNamed) {
  auto rng = MakeRng("threshold/tamper");
  for (uint32_t cheater = 1; cheater <= kHolders; ++cheater) {
    for (size_t i = 0; i < cts_->size(); i += 2) {
      std::vector<PartialDecryption> partials = *partials_;
      partials[cheater - 1].factors[i] = Bump(partials[cheater - 1].factors[i]);
      auto c = Combine(partials);
      ASSERT_TRUE(Succeeds(c));
      EXPECT_EQ(c->rejected, std::vector<uint32_t>{cheater});
      EXPECT_EQ(std::count(c->used.begin(), c->used.end(), cheater), 0);
      EXPECT_EQ(c->used.size(), kThreshold);
      ExpectCounts(*c);
      EXPECT_TRUE(FailsWith(
          VerifyPartialDecryption(Election(), PublicKey(), kScope,
                                  board_->pub.verification_keys[cheater - 1], *cts_,
                                  partials[cheater - 1]),
          "decryption.proof", "key holder " + std::to_string(cheater)));
    }
  }
  // With exactly t submitted and one bad, decryption fails and names it.
  std::vector<PartialDecryption> three = Pick({1, 2, 3});
  three[1].factors[0] = Bump(three[1].factors[0]);
  EXPECT_TRUE(FailsWith(Combine(three), "decryption.too_few", "key holder 2"));
  // Two bad of five: still three honest.
  std::vector<PartialDecryption> all = *partials_;
  all[0].proofs[3].challenge = Bump(all[0].proofs[3].challenge);
  all[3].proofs[2].response = Bump(all[3].proofs[2].response);
  auto c = Combine(all);
  ASSERT_TRUE(Succeeds(c));
  EXPECT_EQ(c->rejected, (std::vector<uint32_t>{1, 4}));
  EXPECT_EQ(c->used, (std::vector<uint32_t>{2, 3, 5}));
  ExpectCounts(*c);
  // A holder who uses a wrong share with a consistent proof is also caught.
  PartialDecryption wrong = PartialDecrypt(Election(), PublicKey(), kScope, 2,
                                           Bump(board_->shares[1]), *cts_, rng);
  auto cw = Combine({(*partials_)[0], wrong, (*partials_)[2], (*partials_)[3]});
  ASSERT_TRUE(Succeeds(cw));
  EXPECT_EQ(cw->rejected, std::vector<uint32_t>{2});
  ExpectCounts(*cw);
}

TEST_F(ThresholdTest, DuplicateHolderIsRejected) {
  EXPECT_TRUE(FailsWith(Combine(Pick({1, 1, 2, 3})), "decryption.duplicate", "key holder 1"));
  EXPECT_TRUE(FailsWith(Combine(Pick({1, 2, 1})), "decryption.duplicate", "key holder 1"));
  EXPECT_TRUE(FailsWith(Combine(Pick({1, 2, 3, 3})), "decryption.duplicate", "key holder 3"));
  // Also once the threshold has been reached...
  EXPECT_TRUE(FailsWith(Combine(Pick({1, 2, 3, 4, 4})), "decryption.duplicate", "key holder 4"));
  // ...and when the first submission of that holder was invalid.
  std::vector<PartialDecryption> partials = Pick({1, 2, 3, 4});
  partials.insert(partials.begin(), partials[0]);
  partials[0].factors[0] = Bump(partials[0].factors[0]);
  EXPECT_TRUE(FailsWith(Combine(partials), "decryption.duplicate", "key holder 1"));
}

TEST_F(ThresholdTest, UnknownHolderIsRejected) {
  std::vector<PartialDecryption> partials = Pick({1, 2, 3});
  partials[0].holder = 0;
  EXPECT_TRUE(FailsWith(Combine(partials), "decryption.holder"));
  partials[0].holder = kHolders + 1;
  EXPECT_TRUE(FailsWith(Combine(partials), "decryption.holder"));
  // A factor relabelled as another holder's does not verify.
  partials = Pick({1, 2, 3, 4});
  partials[0].holder = 5;
  auto c = Combine(partials);
  ASSERT_TRUE(Succeeds(c));
  EXPECT_EQ(c->rejected, std::vector<uint32_t>{5});
}

TEST_F(ThresholdTest, VerifyPartialDecryptionIsBoundToItsContext) {
  const PartialDecryption& pd = (*partials_)[2];
  const Point& h = board_->pub.verification_keys[2];
  ASSERT_TRUE(Succeeds(VerifyPartialDecryption(Election(), PublicKey(), kScope, h, *cts_, pd)));
  EXPECT_TRUE(FailsWith(VerifyPartialDecryption(Election(), PublicKey(), "CSE", h, *cts_, pd),
                        "decryption.proof"));
  EXPECT_TRUE(FailsWith(
      VerifyPartialDecryption(test::Bump(Election()), PublicKey(), kScope, h, *cts_, pd),
      "decryption.proof"));
  EXPECT_TRUE(FailsWith(
      VerifyPartialDecryption(Election(), Bump(PublicKey()), kScope, h, *cts_, pd),
      "decryption.proof"));
  EXPECT_TRUE(FailsWith(VerifyPartialDecryption(Election(), PublicKey(), kScope,
                                                board_->pub.verification_keys[1], *cts_, pd),
                        "decryption.proof"));
  std::vector<Ciphertext> other = *cts_;
  other[4].alpha = Bump(other[4].alpha);
  EXPECT_TRUE(FailsWith(VerifyPartialDecryption(Election(), PublicKey(), kScope, h, other, pd),
                        "decryption.proof", "factor 5"));
  std::vector<Ciphertext> fewer(cts_->begin(), cts_->end() - 1);
  EXPECT_TRUE(FailsWith(VerifyPartialDecryption(Election(), PublicKey(), kScope, h, fewer, pd),
                        "decryption.size"));
  PartialDecryption ragged = pd;
  ragged.proofs.pop_back();
  EXPECT_TRUE(FailsWith(VerifyPartialDecryption(Election(), PublicKey(), kScope, h, *cts_, ragged),
                        "decryption.size"));
  // A partial decryption given for another scope cannot be replayed here.
  auto rng = MakeRng("threshold/replay");
  PartialDecryption other_scope =
      PartialDecrypt(Election(), PublicKey(), "CSE", 3, board_->shares[2], *cts_, rng);
  EXPECT_EQ(other_scope.factors, pd.factors);
  EXPECT_TRUE(FailsWith(
      VerifyPartialDecryption(Election(), PublicKey(), kScope, h, *cts_, other_scope),
      "decryption.proof"));
}

TEST(Lagrange, CoefficientsInterpolateAtZero) {
  // For {1, 3, 5}: lambda_1 = (3*5)/((3-1)(5-1)) = 15/8.
  const std::vector<uint32_t> set = {1, 3, 5};
  EXPECT_EQ(LagrangeAtZero(1, set) * Scalar::FromUint64(8), Scalar::FromUint64(15));
  // lambda_3 = (1*5)/((1-3)(5-3)) = -5/4.
  EXPECT_EQ(LagrangeAtZero(3, set) * Scalar::FromUint64(4), -Scalar::FromUint64(5));
  // Sum of lambda_j * j^k is 1 for k = 0 and 0 for 0 < k < |set|.
  for (const auto& s : Subsets(6, 4)) {
    for (uint64_t k = 0; k < s.size(); ++k) {
      Scalar sum;
      for (uint32_t j : s) {
        Scalar pow = Scalar::FromUint64(1);
        for (uint64_t e = 0; e < k; ++e) pow = pow * Scalar::FromUint64(j);
        sum = sum + LagrangeAtZero(j, s) * pow;
      }
      EXPECT_EQ(sum, k == 0 ? Scalar::FromUint64(1) : Scalar()) << k;
    }
  }
  EXPECT_EQ(LagrangeAtZero(4, {4}), Scalar::FromUint64(1));
}

TEST(DecryptionContextTest, SeparatesInputs) {
  const Digest e = test::MakeDigest("e");
  const Point y = Point::Generator();
  const Digest base = DecryptionContext(e, y, "CSA", 1);
  EXPECT_EQ(base, DecryptionContext(e, y, "CSA", 1));
  EXPECT_NE(base, DecryptionContext(test::Bump(e), y, "CSA", 1));
  EXPECT_NE(base, DecryptionContext(e, Bump(y), "CSA", 1));
  EXPECT_NE(base, DecryptionContext(e, y, "CSE", 1));
  EXPECT_NE(base, DecryptionContext(e, y, "CSA", 2));
}

}  // namespace
}  // namespace isoloir::crypto
