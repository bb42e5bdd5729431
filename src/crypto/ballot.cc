#include "crypto/ballot.h"

#include <numeric>

namespace isoloir::crypto {
namespace {

const std::vector<uint64_t> kZeroOne = {0, 1};

std::vector<uint64_t> Range(uint64_t min, uint64_t max) {
  std::vector<uint64_t> v;
  for (uint64_t m = min; m <= max; ++m) v.push_back(m);
  return v;
}

void AddProof(Transcript& t, const MembershipProof& p) {
  t.AddU64(p.challenges.size());
  for (size_t j = 0; j < p.challenges.size(); ++j) t.Add(p.challenges[j]).Add(p.responses[j]);
}

Digest SignatureContext(const Digest& signed_digest) {
  return Transcript("isoloir/context/signature/v1").Add(signed_digest).Finish();
}

}  // namespace

Digest BallotProofContext(const BallotContext& bc, const ElectionKey& key,
                          const Point& credential) {
  return Transcript("isoloir/context/ballot/v1")
      .Add(kGroupName)
      .Add(bc.election)
      .Add(key.point())
      .Add(bc.scrutin)
      .AddU64(bc.choices)
      .AddU64(bc.min)
      .AddU64(bc.max)
      .Add(credential)
      .Finish();
}

Digest BallotSignedDigest(const BallotContext& bc, const ElectionKey& key, const Ballot& b) {
  Transcript t("isoloir/ballot/v1");
  t.Add(BallotProofContext(bc, key, b.credential));
  t.AddU64(b.choices.size());
  for (size_t i = 0; i < b.choices.size(); ++i) {
    t.Add(b.choices[i].alpha).Add(b.choices[i].beta);
    AddProof(t, b.choice_proofs[i]);
  }
  AddProof(t, b.sum_proof);
  return t.Finish();
}

Digest BallotTracker(const BallotContext& bc, const ElectionKey& key, const Ballot& b) {
  return Transcript("isoloir/tracker/v1")
      .Add(BallotSignedDigest(bc, key, b))
      .Add(b.signature.challenge)
      .Add(b.signature.response)
      .Finish();
}

Ciphertext SumOfChoices(const Ballot& b) { return Sum(b.choices); }

Result<EncryptedBallot> EncryptBallot(const BallotContext& bc, const ElectionKey& key,
                                      const std::vector<uint64_t>& selection,
                                      const Scalar& credential_secret, Rng& rng) {
  if (Status st = CheckBallotContext(bc); !st) return st.error();
  if (selection.size() != bc.choices) {
    return MakeError("ballot.size", "the selection has " + std::to_string(selection.size()) +
                                        " entries; the scrutin has " +
                                        std::to_string(bc.choices) + " choices");
  }
  for (uint64_t s : selection) {
    if (s > 1) return MakeError("ballot.selection", "every selection entry must be 0 or 1");
  }
  const uint64_t total = std::accumulate(selection.begin(), selection.end(), uint64_t{0});
  if (total < bc.min || total > bc.max) {
    return MakeError("ballot.count", "the selection must choose between " +
                                         std::to_string(bc.min) + " and " +
                                         std::to_string(bc.max) + " choices");
  }
  EncryptedBallot out;
  Ballot& b = out.ballot;
  b.credential = Point::MulBase(credential_secret);
  const Digest context = BallotProofContext(bc, key, b.credential);
  Scalar r_sum;
  for (uint64_t s : selection) {
    Scalar r = RandomScalar(rng);
    b.choices.push_back(Encrypt(key, s, r));
    b.choice_proofs.push_back(ProveMembership(context, key, b.choices.back(), r, kZeroOne, s, rng));
    r_sum = r_sum + r;
    out.randomness.push_back(std::move(r));
  }
  b.sum_proof = ProveMembership(context, key, SumOfChoices(b), r_sum, Range(bc.min, bc.max),
                                total - bc.min, rng);
  b.signature = ProveDlog(SignatureContext(BallotSignedDigest(bc, key, b)), credential_secret,
                          b.credential, rng);
  return out;
}

Status CheckBallotContext(const BallotContext& bc) {
  if (bc.choices < 1 || bc.choices > kMaxChoices || bc.min > bc.max || bc.max > bc.choices) {
    return MakeError("ballot.context", "a scrutin needs 1 to " + std::to_string(kMaxChoices) +
                                           " choices and 0 <= min <= max <= choices");
  }
  return Status::Ok();
}

Status VerifyBallot(const BallotContext& bc, const ElectionKey& key, const Ballot& b) {
  if (Status st = CheckBallotContext(bc); !st) return st;
  if (b.choices.size() != bc.choices || b.choice_proofs.size() != bc.choices) {
    return MakeError("ballot.size", "the ballot has " + std::to_string(b.choices.size()) +
                                        " ciphertexts; the scrutin has " +
                                        std::to_string(bc.choices) + " choices");
  }
  if (b.credential.IsIdentity()) {
    return MakeError("ballot.credential", "the credential must not be the identity");
  }
  const Digest context = BallotProofContext(bc, key, b.credential);
  for (size_t i = 0; i < b.choices.size(); ++i) {
    if (!VerifyMembership(context, key, b.choices[i], kZeroOne, b.choice_proofs[i])) {
      return MakeError("ballot.choice_proof",
                       "the proof that choice " + std::to_string(i + 1) +
                           " encrypts 0 or 1 does not verify");
    }
  }
  if (!VerifyMembership(context, key, SumOfChoices(b), Range(bc.min, bc.max), b.sum_proof)) {
    return MakeError("ballot.sum_proof", "the proof that the number of chosen lists lies in [" +
                                             std::to_string(bc.min) + ", " +
                                             std::to_string(bc.max) + "] does not verify");
  }
  if (!VerifyDlog(SignatureContext(BallotSignedDigest(bc, key, b)), b.credential, b.signature)) {
    return MakeError("ballot.signature", "the credential's signature does not verify");
  }
  return Status::Ok();
}

}  // namespace isoloir::crypto
