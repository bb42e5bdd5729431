// The encrypted, signed ballot (spec §7): honest ballots verify; altering
// any field, the context, or the credential makes verification fail; a
// ballot cannot claim more choices than allowed.
#include "crypto/ballot.h"

#include <gtest/gtest.h>

#include <numeric>

#include "test_util.h"

namespace isoloir::crypto {
namespace {

using test::Bump;
using test::FailsWith;
using test::MakeRng;
using test::Succeeds;

// §7.3 as the spec writes it: the credential signs the signed digest under
// this context. Rebuilt here so that tests can re-sign modified ballots.
SchnorrProof Sign(const BallotContext& bc, const ElectionKey& key, const Ballot& b,
                  const Scalar& credential_secret, Rng& rng) {
  const Digest ctx =
      Transcript("isoloir/context/signature/v1").Add(BallotSignedDigest(bc, key, b)).Finish();
  return ProveDlog(ctx, credential_secret, b.credential, rng);
}

std::vector<uint64_t> Range(uint64_t min, uint64_t max) {
  std::vector<uint64_t> v;
  for (uint64_t m = min; m <= max; ++m) v.push_back(m);
  return v;
}

// Builds a ballot as a cheating client would: encrypts `selection` as given
// (entries may exceed 1), proves each choice with the claimed 0/1 branch
// min(s, 1), proves the sum with the claimed value `claimed_sum`, and signs
// everything properly.
Ballot Forge(const BallotContext& bc, const ElectionKey& key,
             const std::vector<uint64_t>& selection, uint64_t claimed_sum, const Scalar& sk,
             Rng& rng) {
  Ballot b;
  b.credential = Point::MulBase(sk);
  const Digest ctx = BallotProofContext(bc, key, b.credential);
  Scalar r_sum;
  for (uint64_t s : selection) {
    Scalar r = RandomScalar(rng);
    b.choices.push_back(Encrypt(key, s, r));
    b.choice_proofs.push_back(
        ProveMembership(ctx, key, b.choices.back(), r, {0, 1}, std::min<uint64_t>(s, 1), rng));
    r_sum = r_sum + r;
  }
  const auto range = Range(bc.min, bc.max);
  const size_t index = claimed_sum >= bc.min ? claimed_sum - bc.min : 0;
  b.sum_proof = ProveMembership(ctx, key, SumOfChoices(b), r_sum, range,
                                std::min(index, range.size() - 1), rng);
  b.signature = Sign(bc, key, b, sk, rng);
  return b;
}

class BallotTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto rng = MakeRng("ballot/keys");
    secret_ = new Scalar(RandomScalar(rng));
    key_ = new ElectionKey(Point::MulBase(*secret_));
    other_key_ = new ElectionKey(test::RandomPoint(rng));
  }
  static void TearDownTestSuite() {
    delete key_;
    delete other_key_;
    delete secret_;
  }

  BallotContext Context(uint64_t min = 1, uint64_t max = 1, size_t choices = 4) const {
    return BallotContext{test::MakeDigest("election"), "CSA", min, max, choices};
  }
  // The decrypted value of a ciphertext, by brute force over small values.
  static uint64_t Decrypt(const Ciphertext& ct) {
    const Point m = ct.beta - ct.alpha.Mul(*secret_);
    for (uint64_t v = 0; v < 20; ++v) {
      if (m == Point::MulBase(Scalar::FromUint64(v))) return v;
    }
    ADD_FAILURE() << "not a small value";
    return UINT64_MAX;
  }

  static Scalar* secret_;
  static ElectionKey* key_;
  static ElectionKey* other_key_;
};
Scalar* BallotTest::secret_ = nullptr;
ElectionKey* BallotTest::key_ = nullptr;
ElectionKey* BallotTest::other_key_ = nullptr;

TEST_F(BallotTest, HonestBallotsVerifyAndDecrypt) {
  auto rng = MakeRng("ballot/honest");
  const BallotContext bc = Context();
  for (size_t choice = 0; choice < bc.choices; ++choice) {
    std::vector<uint64_t> sel(bc.choices, 0);
    sel[choice] = 1;
    const Scalar sk = RandomScalar(rng);
    auto eb = EncryptBallot(bc, *key_, sel, sk, rng);
    ASSERT_TRUE(Succeeds(eb));
    const Ballot& b = eb->ballot;
    EXPECT_TRUE(Succeeds(VerifyBallot(bc, *key_, b)));
    EXPECT_EQ(b.credential, Point::MulBase(sk));
    ASSERT_EQ(b.choices.size(), bc.choices);
    ASSERT_EQ(b.choice_proofs.size(), bc.choices);
    ASSERT_EQ(eb->randomness.size(), bc.choices);
    for (size_t i = 0; i < bc.choices; ++i) {
      EXPECT_EQ(Decrypt(b.choices[i]), sel[i]);
      // The audit randomness re-creates each ciphertext.
      EXPECT_EQ(Encrypt(*key_, sel[i], eb->randomness[i]), b.choices[i]);
    }
    EXPECT_EQ(Decrypt(SumOfChoices(b)), 1u);
  }
}

TEST_F(BallotTest, RangesOfChoicesVerify) {
  auto rng = MakeRng("ballot/ranges");
  const Scalar sk = RandomScalar(rng);
  // Blank allowed (min 0), and up to 3 of 4.
  const BallotContext bc = Context(0, 3, 4);
  for (const auto& sel : std::vector<std::vector<uint64_t>>{
           {0, 0, 0, 0}, {1, 0, 0, 0}, {0, 1, 1, 0}, {1, 1, 0, 1}}) {
    auto eb = EncryptBallot(bc, *key_, sel, sk, rng);
    ASSERT_TRUE(Succeeds(eb));
    EXPECT_TRUE(Succeeds(VerifyBallot(bc, *key_, eb->ballot)));
    EXPECT_EQ(Decrypt(SumOfChoices(eb->ballot)),
              std::accumulate(sel.begin(), sel.end(), uint64_t{0}));
  }
}

TEST_F(BallotTest, EveryFieldIsProtected) {
  auto rng = MakeRng("ballot/tamper");
  const BallotContext bc = Context(1, 2, 3);
  const Scalar sk = RandomScalar(rng);
  auto eb = EncryptBallot(bc, *key_, {1, 0, 1}, sk, rng);
  ASSERT_TRUE(Succeeds(eb));
  const Ballot b = eb->ballot;
  ASSERT_TRUE(Succeeds(VerifyBallot(bc, *key_, b)));

  for (size_t i = 0; i < b.choices.size(); ++i) {
    const std::string which = "choice " + std::to_string(i + 1);
    Ballot bad = b;
    bad.choices[i].alpha = Bump(b.choices[i].alpha);
    EXPECT_TRUE(FailsWith(VerifyBallot(bc, *key_, bad), "ballot.choice_proof", which));
    bad = b;
    bad.choices[i].beta = Bump(b.choices[i].beta);
    EXPECT_TRUE(FailsWith(VerifyBallot(bc, *key_, bad), "ballot.choice_proof", which));
    // A valid re-randomisation of the same vote also breaks the proof.
    bad = b;
    bad.choices[i] += Encrypt(*key_, 0, RandomScalar(rng));
    EXPECT_TRUE(FailsWith(VerifyBallot(bc, *key_, bad), "ballot.choice_proof", which));
    for (size_t j = 0; j < b.choice_proofs[i].challenges.size(); ++j) {
      bad = b;
      bad.choice_proofs[i].challenges[j] = Bump(bad.choice_proofs[i].challenges[j]);
      EXPECT_TRUE(FailsWith(VerifyBallot(bc, *key_, bad), "ballot.choice_proof", which))
          << "challenge " << j;
      bad = b;
      bad.choice_proofs[i].responses[j] = Bump(bad.choice_proofs[i].responses[j]);
      EXPECT_TRUE(FailsWith(VerifyBallot(bc, *key_, bad), "ballot.choice_proof", which))
          << "response " << j;
    }
  }
  ASSERT_EQ(b.sum_proof.challenges.size(), 2u);
  for (size_t j = 0; j < b.sum_proof.challenges.size(); ++j) {
    Ballot bad = b;
    bad.sum_proof.challenges[j] = Bump(bad.sum_proof.challenges[j]);
    EXPECT_TRUE(FailsWith(VerifyBallot(bc, *key_, bad), "ballot.sum_proof")) << j;
    bad = b;
    bad.sum_proof.responses[j] = Bump(bad.sum_proof.responses[j]);
    EXPECT_TRUE(FailsWith(VerifyBallot(bc, *key_, bad), "ballot.sum_proof")) << j;
  }
  Ballot bad = b;
  bad.signature.challenge = Bump(b.signature.challenge);
  EXPECT_TRUE(FailsWith(VerifyBallot(bc, *key_, bad), "ballot.signature"));
  bad = b;
  bad.signature.response = Bump(b.signature.response);
  EXPECT_TRUE(FailsWith(VerifyBallot(bc, *key_, bad), "ballot.signature"));
  // The credential is bound into every proof's context.
  bad = b;
  bad.credential = Bump(b.credential);
  EXPECT_FALSE(VerifyBallot(bc, *key_, bad).ok());
  bad = b;
  bad.credential = Point::Identity();
  EXPECT_TRUE(FailsWith(VerifyBallot(bc, *key_, bad), "ballot.credential"));
  // Reordering choices keeps each proof valid but breaks the signature.
  bad = b;
  std::swap(bad.choices[0], bad.choices[1]);
  std::swap(bad.choice_proofs[0], bad.choice_proofs[1]);
  EXPECT_TRUE(FailsWith(VerifyBallot(bc, *key_, bad), "ballot.signature"));
  // Missing or extra choices.
  bad = b;
  bad.choices.pop_back();
  bad.choice_proofs.pop_back();
  EXPECT_TRUE(FailsWith(VerifyBallot(bc, *key_, bad), "ballot.size"));
  bad = b;
  bad.choice_proofs.pop_back();
  EXPECT_TRUE(FailsWith(VerifyBallot(bc, *key_, bad), "ballot.size"));
  bad = b;
  bad.choices.push_back(b.choices[0]);
  bad.choice_proofs.push_back(b.choice_proofs[0]);
  EXPECT_TRUE(FailsWith(VerifyBallot(bc, *key_, bad), "ballot.size"));
  // Empty proofs.
  bad = b;
  bad.sum_proof = MembershipProof{};
  EXPECT_TRUE(FailsWith(VerifyBallot(bc, *key_, bad), "ballot.sum_proof"));
  bad = b;
  bad.choice_proofs[2] = MembershipProof{};
  EXPECT_TRUE(FailsWith(VerifyBallot(bc, *key_, bad), "ballot.choice_proof", "choice 3"));
}

TEST_F(BallotTest, BoundToItsContext) {
  auto rng = MakeRng("ballot/context");
  const BallotContext bc = Context();
  auto eb = EncryptBallot(bc, *key_, {0, 1, 0, 0}, RandomScalar(rng), rng);
  ASSERT_TRUE(Succeeds(eb));
  const Ballot& b = eb->ballot;
  ASSERT_TRUE(Succeeds(VerifyBallot(bc, *key_, b)));

  BallotContext other = bc;
  other.election = test::Bump(bc.election);
  EXPECT_FALSE(VerifyBallot(other, *key_, b).ok()) << "other election fingerprint";
  other = bc;
  other.scrutin = "CSE";
  EXPECT_FALSE(VerifyBallot(other, *key_, b).ok()) << "other scrutin";
  other = bc;
  other.scrutin = "";
  EXPECT_FALSE(VerifyBallot(other, *key_, b).ok()) << "empty scrutin";
  EXPECT_FALSE(VerifyBallot(bc, *other_key_, b).ok()) << "other public key";
  other = bc;
  other.min = 0;
  EXPECT_FALSE(VerifyBallot(other, *key_, b).ok()) << "other min";
  other = bc;
  other.max = 2;
  EXPECT_FALSE(VerifyBallot(other, *key_, b).ok()) << "other max";
  other = bc;
  other.choices = 5;
  EXPECT_TRUE(FailsWith(VerifyBallot(other, *key_, b), "ballot.size"));
  other = bc;
  other.min = 2;
  other.max = 1;  // an empty range: nothing can verify
  EXPECT_FALSE(VerifyBallot(other, *key_, b).ok()) << "min > max";
}

// Built with 0..2 allowed and two 1s: valid there, invalid where exactly one
// choice is allowed.
TEST_F(BallotTest, CannotClaimMoreChoicesThanAllowed) {
  auto rng = MakeRng("ballot/overvote");
  const Scalar sk = RandomScalar(rng);
  const BallotContext wide = Context(0, 2, 3), single = Context(1, 1, 3);
  auto eb = EncryptBallot(wide, *key_, {1, 1, 0}, sk, rng);
  ASSERT_TRUE(Succeeds(eb));
  EXPECT_TRUE(Succeeds(VerifyBallot(wide, *key_, eb->ballot)));
  EXPECT_FALSE(VerifyBallot(single, *key_, eb->ballot).ok());
  EXPECT_EQ(Decrypt(SumOfChoices(eb->ballot)), 2u);

  // The forging helper is faithful: an honest selection forged this way verifies.
  EXPECT_TRUE(Succeeds(VerifyBallot(single, *key_, Forge(single, *key_, {0, 1, 0}, 1, sk, rng))));

  // A client built for `single` that sets two 1s: every choice proof is
  // valid and the signature is valid, yet the sum proof cannot be made.
  Ballot two = Forge(single, *key_, {1, 1, 0}, 1, sk, rng);
  EXPECT_TRUE(FailsWith(VerifyBallot(single, *key_, two), "ballot.sum_proof"));
  Ballot none = Forge(single, *key_, {0, 0, 0}, 1, sk, rng);
  EXPECT_TRUE(FailsWith(VerifyBallot(single, *key_, none), "ballot.sum_proof"));
  Ballot all = Forge(wide, *key_, {1, 1, 1}, 2, sk, rng);
  EXPECT_TRUE(FailsWith(VerifyBallot(wide, *key_, all), "ballot.sum_proof"));
  // A single choice worth 2 (sum 2 where 2 is allowed): its 0/1 proof fails.
  Ballot heavy = Forge(wide, *key_, {2, 0, 0}, 2, sk, rng);
  EXPECT_TRUE(FailsWith(VerifyBallot(wide, *key_, heavy), "ballot.choice_proof", "choice 1"));
}

TEST_F(BallotTest, EncryptRejectsBadSelections) {
  auto rng = MakeRng("ballot/selection");
  const Scalar sk = RandomScalar(rng);
  const BallotContext bc = Context(1, 1, 4);
  EXPECT_TRUE(FailsWith(EncryptBallot(bc, *key_, {1, 0, 0}, sk, rng), "ballot.size"));
  EXPECT_TRUE(FailsWith(EncryptBallot(bc, *key_, {1, 0, 0, 0, 0}, sk, rng), "ballot.size"));
  EXPECT_TRUE(FailsWith(EncryptBallot(bc, *key_, {}, sk, rng), "ballot.size"));
  EXPECT_TRUE(FailsWith(EncryptBallot(bc, *key_, {2, 0, 0, 0}, sk, rng), "ballot.selection"));
  EXPECT_TRUE(FailsWith(EncryptBallot(bc, *key_, {0, 0, 0, UINT64_MAX}, sk, rng),
                        "ballot.selection"));
  EXPECT_TRUE(FailsWith(EncryptBallot(bc, *key_, {1, 1, 0, 0}, sk, rng), "ballot.count"));
  EXPECT_TRUE(FailsWith(EncryptBallot(bc, *key_, {0, 0, 0, 0}, sk, rng), "ballot.count"));
  EXPECT_TRUE(FailsWith(EncryptBallot(Context(0, 2, 4), *key_, {1, 1, 1, 0}, sk, rng),
                        "ballot.count"));
  EXPECT_TRUE(FailsWith(EncryptBallot(Context(2, 1, 4), *key_, {1, 0, 0, 0}, sk, rng),
                        "ballot.context"));
  EXPECT_TRUE(Succeeds(EncryptBallot(bc, *key_, {0, 0, 0, 1}, sk, rng)));
}

TEST_F(BallotTest, ContextShapeIsChecked) {
  EXPECT_TRUE(Succeeds(CheckBallotContext(Context(1, 1, 1))));
  EXPECT_TRUE(Succeeds(CheckBallotContext(Context(0, 4, 4))));
  EXPECT_TRUE(Succeeds(CheckBallotContext(Context(1, 1, kMaxChoices))));
  EXPECT_TRUE(FailsWith(CheckBallotContext(Context(0, 0, 0)), "ballot.context"));
  EXPECT_TRUE(FailsWith(CheckBallotContext(Context(2, 1, 4)), "ballot.context"));
  EXPECT_TRUE(FailsWith(CheckBallotContext(Context(1, 5, 4)), "ballot.context"));
  EXPECT_TRUE(FailsWith(CheckBallotContext(Context(1, 1, kMaxChoices + 1)), "ballot.context"));
  EXPECT_TRUE(FailsWith(CheckBallotContext(Context(0, UINT64_MAX, 4)), "ballot.context"));
  // Verification refuses a malformed context before looking at the ballot.
  auto rng = MakeRng("ballot/context-shape");
  auto eb = EncryptBallot(Context(), *key_, {0, 0, 1, 0}, RandomScalar(rng), rng);
  ASSERT_TRUE(Succeeds(eb));
  EXPECT_TRUE(FailsWith(VerifyBallot(Context(0, UINT64_MAX, 4), *key_, eb->ballot),
                        "ballot.context"));
  EXPECT_TRUE(FailsWith(EncryptBallot(Context(0, 0, 0), *key_, {}, RandomScalar(rng), rng),
                        "ballot.context"));
}

// A ballot copied from another voter and re-signed with one's own credential
// fails: the proofs are bound to the original credential.
TEST_F(BallotTest, CopiedBallotResignedWithAnotherCredentialFails) {
  auto rng = MakeRng("ballot/copy");
  const BallotContext bc = Context();
  const Scalar alice = RandomScalar(rng), mallory = RandomScalar(rng);
  auto eb = EncryptBallot(bc, *key_, {0, 0, 1, 0}, alice, rng);
  ASSERT_TRUE(Succeeds(eb));

  // Re-signing with the right credential works (the helper is faithful).
  Ballot resigned = eb->ballot;
  resigned.signature = Sign(bc, *key_, resigned, alice, rng);
  EXPECT_NE(resigned.signature.challenge, eb->ballot.signature.challenge);
  EXPECT_TRUE(Succeeds(VerifyBallot(bc, *key_, resigned)));

  Ballot copy = eb->ballot;
  copy.credential = Point::MulBase(mallory);
  copy.signature = Sign(bc, *key_, copy, mallory, rng);
  EXPECT_TRUE(FailsWith(VerifyBallot(bc, *key_, copy), "ballot.choice_proof"));

  // Keeping the original signature with the new credential fails too.
  Ballot copy2 = eb->ballot;
  copy2.credential = Point::MulBase(mallory);
  EXPECT_FALSE(VerifyBallot(bc, *key_, copy2).ok());

  // Signing with the wrong secret for the original credential fails.
  Ballot forged_sig = eb->ballot;
  forged_sig.signature = Sign(bc, *key_, forged_sig, mallory, rng);
  EXPECT_TRUE(FailsWith(VerifyBallot(bc, *key_, forged_sig), "ballot.signature"));
}

TEST_F(BallotTest, TrackerAndSignedDigest) {
  auto rng = MakeRng("ballot/tracker");
  const BallotContext bc = Context();
  const Scalar sk = RandomScalar(rng);
  auto e1 = EncryptBallot(bc, *key_, {1, 0, 0, 0}, sk, rng);
  auto e2 = EncryptBallot(bc, *key_, {1, 0, 0, 0}, sk, rng);
  ASSERT_TRUE(e1.ok() && e2.ok());
  const Ballot& b = e1->ballot;
  EXPECT_EQ(BallotTracker(bc, *key_, b), BallotTracker(bc, *key_, b));
  EXPECT_NE(BallotTracker(bc, *key_, b), BallotTracker(bc, *key_, e2->ballot));
  EXPECT_NE(BallotSignedDigest(bc, *key_, b), BallotSignedDigest(bc, *key_, e2->ballot));

  Ballot resigned = b;
  resigned.signature = Sign(bc, *key_, b, sk, rng);
  EXPECT_EQ(BallotSignedDigest(bc, *key_, resigned), BallotSignedDigest(bc, *key_, b));
  EXPECT_NE(BallotTracker(bc, *key_, resigned), BallotTracker(bc, *key_, b));

  BallotContext other = bc;
  other.scrutin = "X";
  EXPECT_NE(BallotTracker(other, *key_, b), BallotTracker(bc, *key_, b));
  EXPECT_NE(BallotProofContext(bc, *key_, b.credential),
            BallotProofContext(bc, *key_, Bump(b.credential)));
  EXPECT_NE(BallotProofContext(bc, *key_, b.credential),
            BallotProofContext(bc, *other_key_, b.credential));

  Ballot tampered = b;
  tampered.sum_proof.responses[0] = Bump(tampered.sum_proof.responses[0]);
  EXPECT_NE(BallotSignedDigest(bc, *key_, tampered), BallotSignedDigest(bc, *key_, b));
}

TEST_F(BallotTest, DeterministicGivenTheRng) {
  const BallotContext bc = Context();
  auto r1 = MakeRng("ballot/det"), r2 = MakeRng("ballot/det");
  const Scalar sk = test::One() + test::One();
  auto e1 = EncryptBallot(bc, *key_, {0, 0, 0, 1}, sk, r1);
  auto e2 = EncryptBallot(bc, *key_, {0, 0, 0, 1}, sk, r2);
  ASSERT_TRUE(e1.ok() && e2.ok());
  EXPECT_EQ(BallotTracker(bc, *key_, e1->ballot), BallotTracker(bc, *key_, e2->ballot));
}

}  // namespace
}  // namespace isoloir::crypto
