// The encrypted ballot of one scrutin (spec §7): one ciphertext per choice with
// a proof that it encrypts 0 or 1, a proof that their sum lies in [min, max],
// and a Schnorr signature by the voter's anonymous credential.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "crypto/proofs.h"

namespace isoloir::crypto {

// What a ballot is bound to. The same election, key, scrutin and credential
// must be given to verify it.
struct BallotContext {
  Digest election;       // election fingerprint (spec §4)
  std::string scrutin;   // scrutin code
  uint64_t min = 1;      // allowed number of 1s among the choices
  uint64_t max = 1;
  size_t choices = 0;    // number of choices (lists, plus blank if offered)
};

struct Ballot {
  Point credential;                            // the credential public key
  std::vector<Ciphertext> choices;
  std::vector<MembershipProof> choice_proofs;  // each encrypts 0 or 1
  MembershipProof sum_proof;                   // the sum encrypts min..max
  SchnorrProof signature;                      // by the credential's key
};

// §7.1 Limits on a scrutin's shape: 1 <= choices <= kMaxChoices, 0 <= min <= max <= choices.
inline constexpr size_t kMaxChoices = 100;
Status CheckBallotContext(const BallotContext& bc);

// §7.1 The context digest that every proof of the ballot is bound to.
Digest BallotProofContext(const BallotContext& bc, const ElectionKey& key, const Point& credential);
// §7.3 The digest the credential signs: context, ciphertexts and proofs.
Digest BallotSignedDigest(const BallotContext& bc, const ElectionKey& key, const Ballot& b);
// §7.4 The tracker: a public name for the ballot, printed on the receipt.
Digest BallotTracker(const BallotContext& bc, const ElectionKey& key, const Ballot& b);

struct EncryptedBallot {
  Ballot ballot;
  std::vector<Scalar> randomness;  // r of each choice: revealed only by an audit
};

// §7.2 Encrypts a selection (one 0/1 entry per choice) and signs it.
// Fails if the selection does not fit the context (size, 0/1, min..max).
Result<EncryptedBallot> EncryptBallot(const BallotContext& bc, const ElectionKey& key,
                                      const std::vector<uint64_t>& selection,
                                      const Scalar& credential_secret, Rng& rng);

// §7.5 Checks everything about a ballot except whether its credential is
// eligible and unused (the caller's list decides that).
Status VerifyBallot(const BallotContext& bc, const ElectionKey& key, const Ballot& b);

// The ciphertext of the sum of a ballot's choices.
Ciphertext SumOfChoices(const Ballot& b);

}  // namespace isoloir::crypto
