// Zero-knowledge proofs made non-interactive by the strong Fiat-Shamir
// transform (spec §6): every challenge hashes a context digest, the full
// statement and all commitments. Proofs are sent in compact (challenge,
// response) form; verifiers recompute the commitments.
#pragma once

#include <string_view>
#include <vector>

#include "crypto/elgamal.h"
#include "crypto/random.h"
#include "crypto/transcript.h"

namespace isoloir::crypto {

struct SchnorrProof {  // spec §6.2
  Scalar challenge;
  Scalar response;
};

struct DleqProof {  // spec §6.3 (Chaum-Pedersen)
  Scalar challenge;
  Scalar response;
};

struct MembershipProof {  // spec §6.4 (one (c, s) pair per allowed value)
  std::vector<Scalar> challenges;
  std::vector<Scalar> responses;
};

// §6.2 Knowledge of x with X = g^x.
SchnorrProof ProveDlog(const Digest& context, const Scalar& x, const Point& X, Rng& rng);
bool VerifyDlog(const Digest& context, const Point& X, const SchnorrProof& proof);

// §6.3 Knowledge of x with X = g^x and Y = H^x.
DleqProof ProveDleq(const Digest& context, const Scalar& x, const Point& X, const Point& H,
                    const Point& Y, Rng& rng);
bool VerifyDleq(const Digest& context, const Point& X, const Point& H, const Point& Y,
                const DleqProof& proof);

// §6.4 The ciphertext ct = Enc(m; r) with m = values[index]: a disjunctive
// (Cramer-Damgard-Schoenmakers) proof that names no branch. Every branch is
// computed by the same operations, so timing does not reveal the index.
MembershipProof ProveMembership(const Digest& context, const ElectionKey& key,
                                const Ciphertext& ct, const Scalar& r,
                                const std::vector<uint64_t>& values, size_t index, Rng& rng);
bool VerifyMembership(const Digest& context, const ElectionKey& key, const Ciphertext& ct,
                      const std::vector<uint64_t>& values, const MembershipProof& proof);

}  // namespace isoloir::crypto
