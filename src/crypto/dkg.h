// Distributed key generation for the polling-station board (spec §9): Pedersen
// DKG with Feldman commitments; shares travel encrypted to each holder's
// transport key; a holder who receives a bad share can prove it publicly.
#pragma once

#include <cstdint>
#include <vector>

#include "common/result.h"
#include "crypto/proofs.h"

namespace isoloir::crypto {

// Holders are numbered 1..n; any `threshold` of them can decrypt.
struct DkgParams {
  Digest election;
  uint32_t holders = 0;
  uint32_t threshold = 0;
};
Status CheckDkgParams(const DkgParams& p);

// §9.1 Phase 1: each holder publishes a transport key and proves knowledge of it.
struct HolderAnnouncement {
  uint32_t holder = 0;
  Point transport_key;
  SchnorrProof proof;
};
HolderAnnouncement AnnounceHolder(const DkgParams& p, uint32_t holder,
                                  const Scalar& transport_secret, Rng& rng);
Status VerifyAnnouncement(const DkgParams& p, const HolderAnnouncement& a);

// §9.2 Phase 2: each holder deals shares of a random polynomial of degree t-1.
struct EncryptedShare {
  uint32_t recipient = 0;
  Point ephemeral;  // R = g^k
  Bytes box;        // ChaCha20-Poly1305 (IETF) of the 32-byte share
};
struct Dealing {
  uint32_t dealer = 0;
  std::vector<Point> commitments;  // C_k = g^{a_k}, k = 0..t-1
  SchnorrProof proof;              // knowledge of a_0
  std::vector<EncryptedShare> shares;  // one per holder 1..n, in order
};
// transport_keys[j-1] is holder j's transport key.
Dealing Deal(const DkgParams& p, uint32_t dealer, const std::vector<Point>& transport_keys,
             Rng& rng);
// Checks what anyone can check: sizes, indices, the proof of a_0.
Status VerifyDealing(const DkgParams& p, const Dealing& d);

// §9.3 Phase 3: the recipient decrypts its share and checks it against the
// dealer's commitments. An error means the recipient should complain.
Result<Scalar> OpenShare(const DkgParams& p, const Dealing& d, uint32_t recipient,
                         const Scalar& transport_secret);

// §9.4 A complaint reveals the Diffie-Hellman key of one share with a proof
// that it is the right one; anyone can then decrypt and judge.
struct Complaint {
  uint32_t dealer = 0;
  uint32_t accuser = 0;
  Point shared_key;  // K = R^{e_accuser}
  DleqProof proof;   // log_g E = log_R K
};
Complaint MakeComplaint(const DkgParams& p, const Dealing& d, uint32_t accuser,
                        const Scalar& transport_secret, Rng& rng);
enum class Verdict { kDealerCheated, kComplaintUnfounded };
// Error if the complaint itself is malformed (wrong proof): the accuser is at fault.
Result<Verdict> JudgeComplaint(const DkgParams& p, const Dealing& d,
                               const Point& accuser_transport_key, const Complaint& c);

// §9.5 The outcome from the dealings of the qualified dealers.
struct DkgPublic {
  Point public_key;                       // y = prod C_{i,0}
  std::vector<Point> verification_keys;   // h_j = g^{x_j}, j = 1..n
};
DkgPublic CombineDealings(const DkgParams& p, const std::vector<Dealing>& qualified);
// x_j: the sum of the shares a holder opened from the qualified dealings.
Scalar CombineShares(const std::vector<Scalar>& shares);

// g^{f(j)} from Feldman commitments: prod C_k^{j^k}.
Point EvaluateCommitments(const std::vector<Point>& commitments, uint32_t j);

}  // namespace isoloir::crypto
