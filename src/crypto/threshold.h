// Threshold decryption (spec §10): each key holder gives alpha^{x_j} with a
// proof; any t valid factors combine, by Lagrange interpolation at 0, into
// the decryption of the tally. A bad factor is detected and its holder named.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "crypto/proofs.h"

namespace isoloir::crypto {

// §10.1 Binds a holder's factors to the election, its key and what is decrypted.
Digest DecryptionContext(const Digest& election, const Point& public_key, std::string_view scope,
                         uint32_t holder);

// One holder's contribution for a list of ciphertexts (one per choice).
struct PartialDecryption {
  uint32_t holder = 0;
  std::vector<Point> factors;     // alpha_i^{x_j}
  std::vector<DleqProof> proofs;  // log_g h_j = log_{alpha_i} factor_i
};

PartialDecryption PartialDecrypt(const Digest& election, const Point& public_key,
                                 std::string_view scope, uint32_t holder, const Scalar& share,
                                 const std::vector<Ciphertext>& cts, Rng& rng);

// Checks one holder's factors against its verification key h_j.
Status VerifyPartialDecryption(const Digest& election, const Point& public_key,
                               std::string_view scope, const Point& verification_key,
                               const std::vector<Ciphertext>& cts, const PartialDecryption& pd);

// §10.2 lambda_j = prod_{m in S, m != j} m / (m - j) mod n.
Scalar LagrangeAtZero(uint32_t j, const std::vector<uint32_t>& set);

// §10.3 Verifies every partial decryption, then combines exactly `threshold`
// of them (the first valid ones) into g^{m_i} for each ciphertext. Errors name
// the holder whose proof fails, or say that too few valid factors remain.
struct Combined {
  std::vector<Point> plain_points;  // g^{m_i}
  std::vector<uint32_t> used;       // holders whose factors were combined
  std::vector<uint32_t> rejected;   // holders whose factors failed their proofs
};
Result<Combined> CombinePartialDecryptions(const Digest& election, const Point& public_key,
                                           std::string_view scope, uint32_t threshold,
                                           const std::vector<Point>& verification_keys,
                                           const std::vector<Ciphertext>& cts,
                                           const std::vector<PartialDecryption>& partials);

}  // namespace isoloir::crypto
