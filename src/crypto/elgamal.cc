#include "crypto/elgamal.h"

namespace isoloir::crypto {

Ciphertext Encrypt(const ElectionKey& key, uint64_t m, const Scalar& r) {
  return Ciphertext{Point::MulBase(r), Point::MulBase(Scalar::FromUint64(m)) + key.table().Mul(r)};
}

Ciphertext ZeroCiphertext() { return Ciphertext{Point::Identity(), Point::Identity()}; }

Ciphertext Sum(const std::vector<Ciphertext>& cts) {
  Ciphertext acc = ZeroCiphertext();
  for (const auto& c : cts) acc += c;
  return acc;
}

}  // namespace isoloir::crypto
