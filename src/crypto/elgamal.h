// Exponential ElGamal over the group (spec §5): Enc(m; r) = (g^r, g^m y^r),
// added component-wise, so that a sum of ciphertexts encrypts a sum of votes.
#pragma once

#include <memory>
#include <vector>

#include "crypto/group.h"

namespace isoloir::crypto {

struct Ciphertext {
  Point alpha;  // g^r
  Point beta;   // g^m * y^r

  Ciphertext& operator+=(const Ciphertext& o) {
    alpha += o.alpha;
    beta += o.beta;
    return *this;
  }
  bool operator==(const Ciphertext& o) const { return alpha == o.alpha && beta == o.beta; }
};

// The election public key y with its precomputed table. Immutable; share it.
class ElectionKey {
 public:
  explicit ElectionKey(const Point& y) : y_(y), table_(std::make_shared<FixedBase>(y)) {}
  const Point& point() const { return y_; }
  const FixedBase& table() const { return *table_; }

 private:
  Point y_;
  std::shared_ptr<const FixedBase> table_;
};

// Encrypts the small integer m with randomness r (constant time in m and r).
Ciphertext Encrypt(const ElectionKey& key, uint64_t m, const Scalar& r);

// (Identity, Identity): the neutral element for sums.
Ciphertext ZeroCiphertext();

// The component-wise sum of many ciphertexts.
Ciphertext Sum(const std::vector<Ciphertext>& cts);

}  // namespace isoloir::crypto
