#include "crypto/random.h"

#include <sodium.h>

#include <stdexcept>

#include "crypto/transcript.h"

namespace isoloir::crypto {

void SystemRng::Fill(std::span<uint8_t> out) { randombytes_buf(out.data(), out.size()); }

DeterministicRng::DeterministicRng(std::span<const uint8_t> seed) : seed_(seed.begin(), seed.end()) {}

void DeterministicRng::Fill(std::span<uint8_t> out) {
  for (uint8_t& b : out) {
    if (used_ == block_.size()) {
      Bytes input = seed_;
      for (int s = 56; s >= 0; s -= 8) input.push_back(static_cast<uint8_t>(counter_ >> s));
      block_ = Sha256(input);
      ++counter_;
      used_ = 0;
    }
    b = block_[used_++];
  }
}

Scalar RandomScalar(Rng& rng) {
  std::array<uint8_t, 64> wide{};
  for (;;) {
    rng.Fill(wide);
    Scalar s = Scalar::FromWideBytes(wide);
    if (!s.IsZero()) {
      sodium_memzero(wide.data(), wide.size());
      return s;
    }
  }
}

Rng& SystemRandom() {
  static SystemRng rng = [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    return SystemRng();
  }();
  return rng;
}

}  // namespace isoloir::crypto
