// The key ceremony (spec §9): announcements, dealings, encrypted shares,
// complaints and their judgement, and the combined public key.
#include "crypto/dkg.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "crypto/threshold.h"
#include "test_util.h"

namespace isoloir::crypto {
namespace {

using test::Bump;
using test::FailsWith;
using test::MakeRng;
using test::Succeeds;

// The spec's construction of a share box (§9.2), rebuilt independently so
// that a test can play a dealer who encrypts a wrong value correctly.
Digest DkgContext(const DkgParams& p, std::string_view stage, uint32_t holder) {
  return Transcript("isoloir/context/dkg/v1")
      .Add(kGroupName)
      .Add(p.election)
      .AddU64(p.holders)
      .AddU64(p.threshold)
      .Add(stage)
      .AddU64(holder)
      .Finish();
}

void Seal(const DkgParams& p, Dealing& d, uint32_t recipient, const Point& transport_key,
          const std::array<uint8_t, 32>& plain, Rng& rng) {
  const Scalar eph = RandomScalar(rng);
  EncryptedShare& es = d.shares.at(recipient - 1);
  es.ephemeral = Point::MulBase(eph);
  const Point K = transport_key.Mul(eph);
  const Digest key = Transcript("isoloir/dkg/share-key/v1")
                         .Add(DkgContext(p, "share", d.dealer))
                         .AddU64(recipient)
                         .Add(es.ephemeral)
                         .Add(K)
                         .Finish();
  Transcript ad_t("isoloir/dkg/share-ad/v1");
  ad_t.Add(DkgContext(p, "share", d.dealer)).AddU64(recipient).Add(es.ephemeral);
  for (const auto& c : d.commitments) ad_t.Add(c);
  const Digest ad = ad_t.Finish();
  es.box.assign(plain.size() + crypto_aead_chacha20poly1305_ietf_ABYTES, 0);
  uint8_t nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES] = {0};
  unsigned long long len = 0;
  ASSERT_EQ(crypto_aead_chacha20poly1305_ietf_encrypt(es.box.data(), &len, plain.data(),
                                                      plain.size(), ad.data(), ad.size(),
                                                      nullptr, nonce, key.data()),
            0);
  ASSERT_EQ(len, es.box.size());
}

class DkgTest : public ::testing::Test {
 protected:
  static constexpr uint32_t kHolders = 3;
  static constexpr uint32_t kThreshold = 2;

  void SetUp() override {
    for (uint32_t j = 1; j <= kHolders; ++j) {
      secrets_.push_back(RandomScalar(rng_));
      announcements_.push_back(AnnounceHolder(params_, j, secrets_.back(), rng_));
      keys_.push_back(announcements_.back().transport_key);
    }
  }
  Dealing DealBy(uint32_t dealer) { return Deal(params_, dealer, keys_, rng_); }
  Result<Scalar> Open(const Dealing& d, uint32_t j) {
    return OpenShare(params_, d, j, secrets_[j - 1]);
  }
  Result<Verdict> Complain(const Dealing& d, uint32_t accuser) {
    Complaint c = MakeComplaint(params_, d, accuser, secrets_[accuser - 1], rng_);
    EXPECT_EQ(c.dealer, d.dealer);
    EXPECT_EQ(c.accuser, accuser);
    return JudgeComplaint(params_, d, keys_[accuser - 1], c);
  }

  DeterministicRng rng_ = MakeRng("dkg");
  DkgParams params_{test::MakeDigest("election"), kHolders, kThreshold};
  std::vector<Scalar> secrets_;
  std::vector<HolderAnnouncement> announcements_;
  std::vector<Point> keys_;
};

TEST(DkgParamsTest, Check) {
  const Digest e = test::MakeDigest("e");
  EXPECT_TRUE(Succeeds(CheckDkgParams({e, 5, 3})));
  EXPECT_TRUE(Succeeds(CheckDkgParams({e, 1, 1})));
  EXPECT_TRUE(Succeeds(CheckDkgParams({e, 5, 5})));
  EXPECT_TRUE(Succeeds(CheckDkgParams({e, 5, 1})));
  EXPECT_TRUE(Succeeds(CheckDkgParams({e, 1000, 1000})));
  EXPECT_TRUE(FailsWith(CheckDkgParams({e, 5, 0}), "dkg.params"));
  EXPECT_TRUE(FailsWith(CheckDkgParams({e, 5, 6}), "dkg.params"));
  EXPECT_TRUE(FailsWith(CheckDkgParams({e, 0, 0}), "dkg.params"));
  EXPECT_TRUE(FailsWith(CheckDkgParams({e, 0, 1}), "dkg.params"));
  EXPECT_TRUE(FailsWith(CheckDkgParams({e, 1001, 3}), "dkg.params"));
  EXPECT_TRUE(FailsWith(CheckDkgParams({e, 3, UINT32_MAX}), "dkg.params"));
}

TEST_F(DkgTest, AnnouncementsVerify) {
  for (uint32_t j = 1; j <= kHolders; ++j) {
    const HolderAnnouncement& a = announcements_[j - 1];
    EXPECT_EQ(a.holder, j);
    EXPECT_EQ(a.transport_key, Point::MulBase(secrets_[j - 1]));
    EXPECT_TRUE(Succeeds(VerifyAnnouncement(params_, a)));
  }
}

TEST_F(DkgTest, VerifyAnnouncementRejects) {
  const HolderAnnouncement a = announcements_[1];
  HolderAnnouncement bad = a;
  bad.proof.challenge = Bump(a.proof.challenge);
  EXPECT_TRUE(FailsWith(VerifyAnnouncement(params_, bad), "dkg.transport_proof"));
  bad = a;
  bad.proof.response = Bump(a.proof.response);
  EXPECT_TRUE(FailsWith(VerifyAnnouncement(params_, bad), "dkg.transport_proof"));
  bad = a;
  bad.transport_key = Bump(a.transport_key);
  EXPECT_TRUE(FailsWith(VerifyAnnouncement(params_, bad), "dkg.transport_proof"));
  bad = a;
  bad.transport_key = Point::Identity();
  EXPECT_TRUE(FailsWith(VerifyAnnouncement(params_, bad), "dkg.transport_proof"));
  // The proof is bound to the holder number and to the ceremony.
  bad = a;
  bad.holder = 3;
  EXPECT_TRUE(FailsWith(VerifyAnnouncement(params_, bad), "dkg.transport_proof"));
  DkgParams other = params_;
  other.election = test::Bump(params_.election);
  EXPECT_TRUE(FailsWith(VerifyAnnouncement(other, a), "dkg.transport_proof"));
  other = params_;
  other.threshold = 3;
  EXPECT_TRUE(FailsWith(VerifyAnnouncement(other, a), "dkg.transport_proof"));
  // Holder numbers out of range.
  bad = a;
  bad.holder = 0;
  EXPECT_TRUE(FailsWith(VerifyAnnouncement(params_, bad), "dkg.holder"));
  bad.holder = kHolders + 1;
  EXPECT_TRUE(FailsWith(VerifyAnnouncement(params_, bad), "dkg.holder"));
  // Someone else's key re-announced without its secret.
  bad = announcements_[0];
  bad.holder = 2;
  EXPECT_FALSE(VerifyAnnouncement(params_, bad).ok());
}

TEST_F(DkgTest, HonestDealingVerifiesAndOpens) {
  for (uint32_t i = 1; i <= kHolders; ++i) {
    const Dealing d = DealBy(i);
    EXPECT_EQ(d.dealer, i);
    ASSERT_EQ(d.commitments.size(), kThreshold);
    ASSERT_EQ(d.shares.size(), kHolders);
    EXPECT_TRUE(Succeeds(VerifyDealing(params_, d)));
    std::vector<Scalar> shares;
    for (uint32_t j = 1; j <= kHolders; ++j) {
      EXPECT_EQ(d.shares[j - 1].recipient, j);
      auto s = Open(d, j);
      ASSERT_TRUE(Succeeds(s));
      EXPECT_EQ(Point::MulBase(*s), EvaluateCommitments(d.commitments, j));
      shares.push_back(*s);
    }
    // Any `threshold` shares interpolate to the dealer's secret a_0 (g^{a_0} = C_0).
    for (std::vector<uint32_t> set : {std::vector<uint32_t>{1, 2}, {1, 3}, {2, 3}}) {
      Scalar a0;
      for (uint32_t j : set) a0 = a0 + LagrangeAtZero(j, set) * shares[j - 1];
      EXPECT_EQ(Point::MulBase(a0), d.commitments[0]);
    }
    // A share opened by someone else's transport secret does not decrypt.
    EXPECT_TRUE(FailsWith(OpenShare(params_, d, 1, secrets_[1]), "dkg.share_box"));
  }
}

TEST_F(DkgTest, VerifyDealingRejects) {
  const Dealing d = DealBy(2);
  ASSERT_TRUE(Succeeds(VerifyDealing(params_, d)));

  Dealing bad = d;
  bad.commitments.push_back(Point::Generator());
  EXPECT_TRUE(FailsWith(VerifyDealing(params_, bad), "dkg.commitments"));
  bad = d;
  bad.commitments.pop_back();
  EXPECT_TRUE(FailsWith(VerifyDealing(params_, bad), "dkg.commitments"));
  bad = d;
  bad.commitments.clear();
  EXPECT_TRUE(FailsWith(VerifyDealing(params_, bad), "dkg.commitments"));
  bad = d;
  bad.proof.challenge = Bump(d.proof.challenge);
  EXPECT_TRUE(FailsWith(VerifyDealing(params_, bad), "dkg.dealing_proof"));
  bad = d;
  bad.proof.response = Bump(d.proof.response);
  EXPECT_TRUE(FailsWith(VerifyDealing(params_, bad), "dkg.dealing_proof"));
  bad = d;
  bad.commitments[0] = Bump(d.commitments[0]);
  EXPECT_TRUE(FailsWith(VerifyDealing(params_, bad), "dkg.dealing_proof"));
  bad = d;
  bad.commitments[0] = Point::Identity();
  EXPECT_TRUE(FailsWith(VerifyDealing(params_, bad), "dkg.dealing_proof"));
  bad = d;
  bad.dealer = 1;  // the proof names dealer 2
  EXPECT_TRUE(FailsWith(VerifyDealing(params_, bad), "dkg.dealing_proof"));
  DkgParams other = params_;
  other.election = test::Bump(params_.election);
  EXPECT_TRUE(FailsWith(VerifyDealing(other, d), "dkg.dealing_proof"));
  bad = d;
  bad.dealer = 0;
  EXPECT_TRUE(FailsWith(VerifyDealing(params_, bad), "dkg.holder"));
  bad.dealer = kHolders + 1;
  EXPECT_TRUE(FailsWith(VerifyDealing(params_, bad), "dkg.holder"));
  bad = d;
  bad.shares.pop_back();
  EXPECT_TRUE(FailsWith(VerifyDealing(params_, bad), "dkg.shares"));
  bad = d;
  bad.shares.push_back(d.shares[0]);
  EXPECT_TRUE(FailsWith(VerifyDealing(params_, bad), "dkg.shares"));
  bad = d;
  std::swap(bad.shares[0], bad.shares[1]);
  EXPECT_TRUE(FailsWith(VerifyDealing(params_, bad), "dkg.shares", "holder 1"));
  bad = d;
  bad.shares[2].box.pop_back();
  EXPECT_TRUE(FailsWith(VerifyDealing(params_, bad), "dkg.shares", "holder 3"));
}

// A dealer who corrupts one holder's box: only that holder fails to open,
// and its complaint convicts the dealer.
TEST_F(DkgTest, TamperedBoxIsDetectedAndJudged) {
  Dealing d = DealBy(1);
  d.shares[1].box[5] ^= 0x01;  // victim: holder 2
  EXPECT_TRUE(Succeeds(VerifyDealing(params_, d)));  // not visible publicly
  EXPECT_TRUE(Succeeds(Open(d, 1)));
  EXPECT_TRUE(FailsWith(Open(d, 2), "dkg.share_box", "holder 1"));
  EXPECT_TRUE(Succeeds(Open(d, 3)));
  auto verdict = Complain(d, 2);
  ASSERT_TRUE(Succeeds(verdict));
  EXPECT_EQ(*verdict, Verdict::kDealerCheated);
  // Holder 1 received a good share: its complaint is unfounded.
  auto unfounded = Complain(d, 1);
  ASSERT_TRUE(Succeeds(unfounded));
  EXPECT_EQ(*unfounded, Verdict::kComplaintUnfounded);
}

// A dealer who changes its commitments after encrypting the shares (so that
// no share matches them any more).
TEST_F(DkgTest, ModifiedCommitmentsAreDetectedAndJudged) {
  Dealing d = DealBy(3);
  d.commitments[1] = Bump(d.commitments[1]);
  EXPECT_TRUE(Succeeds(VerifyDealing(params_, d)));  // C_0 and its proof are intact
  for (uint32_t j = 1; j <= kHolders; ++j) {
    EXPECT_FALSE(Open(d, j).ok()) << j;
    auto verdict = Complain(d, j);
    ASSERT_TRUE(Succeeds(verdict));
    EXPECT_EQ(*verdict, Verdict::kDealerCheated);
  }
}

// A dealer who encrypts a wrong value properly: the box opens, but the share
// does not match the commitments.
TEST_F(DkgTest, WrongShareIsDetectedAndJudged) {
  Dealing d = DealBy(2);
  auto good = Open(d, 3);
  ASSERT_TRUE(Succeeds(good));

  // Sanity: re-sealing the right share with the rebuilt construction opens.
  Dealing resealed = d;
  Seal(params_, resealed, 3, keys_[2], good->Encode(), rng_);
  auto again = Open(resealed, 3);
  ASSERT_TRUE(Succeeds(again));
  EXPECT_EQ(*again, *good);

  Dealing cheat = d;
  Seal(params_, cheat, 3, keys_[2], Bump(*good).Encode(), rng_);
  EXPECT_TRUE(Succeeds(VerifyDealing(params_, cheat)));
  EXPECT_TRUE(FailsWith(Open(cheat, 3), "dkg.share_mismatch", "holder 2"));
  EXPECT_TRUE(Succeeds(Open(cheat, 1)));
  auto verdict = Complain(cheat, 3);
  ASSERT_TRUE(Succeeds(verdict));
  EXPECT_EQ(*verdict, Verdict::kDealerCheated);

  // A box holding 32 bytes that are not a scalar (>= n).
  std::array<uint8_t, 32> junk;
  junk.fill(0xff);
  Dealing junk_dealing = d;
  Seal(params_, junk_dealing, 1, keys_[0], junk, rng_);
  EXPECT_TRUE(FailsWith(Open(junk_dealing, 1), "dkg.share_encoding"));
  auto junk_verdict = Complain(junk_dealing, 1);
  ASSERT_TRUE(Succeeds(junk_verdict));
  EXPECT_EQ(*junk_verdict, Verdict::kDealerCheated);
}

TEST_F(DkgTest, ComplaintAgainstHonestDealerIsUnfounded) {
  const Dealing d = DealBy(1);
  for (uint32_t j = 1; j <= kHolders; ++j) {
    auto verdict = Complain(d, j);
    ASSERT_TRUE(Succeeds(verdict));
    EXPECT_EQ(*verdict, Verdict::kComplaintUnfounded);
  }
}

TEST_F(DkgTest, ForgedComplaintsAreErrors) {
  Dealing d = DealBy(1);
  d.shares[0].box[0] ^= 0x80;  // a real grievance for holder 1
  const Complaint c = MakeComplaint(params_, d, 1, secrets_[0], rng_);
  ASSERT_TRUE(Succeeds(JudgeComplaint(params_, d, keys_[0], c)));

  Complaint bad = c;
  bad.shared_key = Bump(c.shared_key);  // a key that opens nothing
  EXPECT_TRUE(FailsWith(JudgeComplaint(params_, d, keys_[0], bad), "dkg.complaint_proof",
                        "holder 1"));
  bad = c;
  bad.shared_key = Point::Generator();
  EXPECT_TRUE(FailsWith(JudgeComplaint(params_, d, keys_[0], bad), "dkg.complaint_proof"));
  bad = c;
  bad.proof.challenge = Bump(c.proof.challenge);
  EXPECT_TRUE(FailsWith(JudgeComplaint(params_, d, keys_[0], bad), "dkg.complaint_proof"));
  bad = c;
  bad.proof.response = Bump(c.proof.response);
  EXPECT_TRUE(FailsWith(JudgeComplaint(params_, d, keys_[0], bad), "dkg.complaint_proof"));
  // Judged against another holder's transport key.
  EXPECT_TRUE(FailsWith(JudgeComplaint(params_, d, keys_[1], c), "dkg.complaint_proof"));
  // Holder 2 cannot complain in holder 1's name with its own secret.
  const Complaint impostor = MakeComplaint(params_, d, 1, secrets_[1], rng_);
  EXPECT_TRUE(FailsWith(JudgeComplaint(params_, d, keys_[0], impostor), "dkg.complaint_proof"));
  // The complaint must name this dealing and a real holder.
  bad = c;
  bad.dealer = 2;
  EXPECT_TRUE(FailsWith(JudgeComplaint(params_, d, keys_[0], bad), "dkg.complaint"));
  bad = c;
  bad.accuser = 0;
  EXPECT_TRUE(FailsWith(JudgeComplaint(params_, d, keys_[0], bad), "dkg.complaint"));
  bad.accuser = kHolders + 1;
  EXPECT_TRUE(FailsWith(JudgeComplaint(params_, d, keys_[0], bad), "dkg.complaint"));
  // A complaint about one dealing does not transfer to another.
  const Dealing other = DealBy(1);
  EXPECT_TRUE(FailsWith(JudgeComplaint(params_, other, keys_[0], c), "dkg.complaint_proof"));
}

TEST_F(DkgTest, OpenShareRejectsOutOfRangeRecipient) {
  const Dealing d = DealBy(1);
  EXPECT_TRUE(FailsWith(OpenShare(params_, d, 0, secrets_[0]), "dkg.holder"));
  EXPECT_TRUE(FailsWith(OpenShare(params_, d, kHolders + 1, secrets_[0]), "dkg.holder"));
  // A box with the wrong length.
  Dealing bad = d;
  bad.shares[0].box.resize(10);
  EXPECT_TRUE(FailsWith(Open(bad, 1), "dkg.share_box"));
  bad.shares[0].box.clear();
  EXPECT_TRUE(FailsWith(Open(bad, 1), "dkg.share_box"));
  // Shares are bound to the ceremony's parameters.
  DkgParams other = params_;
  other.election = test::Bump(params_.election);
  EXPECT_TRUE(FailsWith(OpenShare(other, d, 1, secrets_[0]), "dkg.share_box"));
}

// The whole ceremony with one cheating dealer excluded from the qualified set.
TEST_F(DkgTest, CombinedKeysAreConsistent) {
  std::vector<Dealing> dealings;
  for (uint32_t i = 1; i <= kHolders; ++i) dealings.push_back(DealBy(i));
  dealings[1].shares[0].box[3] ^= 0x10;  // dealer 2 cheats holder 1
  ASSERT_FALSE(Open(dealings[1], 1).ok());
  auto verdict = Complain(dealings[1], 1);
  ASSERT_TRUE(Succeeds(verdict));
  ASSERT_EQ(*verdict, Verdict::kDealerCheated);

  const std::vector<Dealing> qualified = {dealings[0], dealings[2]};
  const DkgPublic pub = CombineDealings(params_, qualified);
  EXPECT_EQ(pub.public_key, dealings[0].commitments[0] + dealings[2].commitments[0]);
  ASSERT_EQ(pub.verification_keys.size(), kHolders);
  std::vector<Scalar> x;
  for (uint32_t j = 1; j <= kHolders; ++j) {
    std::vector<Scalar> received;
    for (const auto& d : qualified) {
      auto s = Open(d, j);
      ASSERT_TRUE(Succeeds(s));
      received.push_back(*s);
    }
    x.push_back(CombineShares(received));
    EXPECT_EQ(x.back(), received[0] + received[1]);
    EXPECT_EQ(Point::MulBase(x.back()), pub.verification_keys[j - 1]) << j;
  }
  for (std::vector<uint32_t> set : {std::vector<uint32_t>{1, 2}, {1, 3}, {2, 3}, {1, 2, 3}}) {
    Scalar secret;
    for (uint32_t j : set) secret = secret + LagrangeAtZero(j, set) * x[j - 1];
    EXPECT_EQ(Point::MulBase(secret), pub.public_key);
  }
  // A single share is not enough: it does not reveal the key.
  EXPECT_NE(Point::MulBase(x[0]), pub.public_key);
  EXPECT_TRUE(CombineShares({}).IsZero());
}

TEST(EvaluateCommitments, IsTheCommittedPolynomial) {
  auto rng = MakeRng("dkg/evaluate");
  std::vector<Scalar> a = {RandomScalar(rng), RandomScalar(rng), RandomScalar(rng)};
  std::vector<Point> c;
  for (const auto& ak : a) c.push_back(Point::MulBase(ak));
  for (uint32_t j : {0u, 1u, 2u, 7u, 1000u}) {
    const Scalar x = Scalar::FromUint64(j);
    const Scalar f = a[0] + a[1] * x + a[2] * x * x;
    EXPECT_EQ(EvaluateCommitments(c, j), Point::MulBase(f)) << j;
  }
  EXPECT_TRUE(EvaluateCommitments({}, 5).IsIdentity());
  EXPECT_EQ(EvaluateCommitments({c[0]}, 9), c[0]);
}

}  // namespace
}  // namespace isoloir::crypto
