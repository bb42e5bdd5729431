// Sources of randomness: the system generator (libsodium) for real use, and a
// documented deterministic stream (spec §3.3) for test vectors only.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "crypto/group.h"

namespace isoloir::crypto {

class Rng {
 public:
  virtual ~Rng() = default;
  virtual void Fill(std::span<uint8_t> out) = 0;
};

// libsodium's randombytes_buf: the only generator used outside tests.
class SystemRng final : public Rng {
 public:
  void Fill(std::span<uint8_t> out) override;
};

// Block i of the stream is SHA-256(seed || u64be(i)); blocks are concatenated.
// Reproducible in any language; never used for real secrets.
class DeterministicRng final : public Rng {
 public:
  explicit DeterministicRng(std::span<const uint8_t> seed);
  void Fill(std::span<uint8_t> out) override;

 private:
  Bytes seed_;
  uint64_t counter_ = 0;
  std::array<uint8_t, 32> block_{};
  size_t used_ = 32;
};

// A uniformly random non-zero scalar: 64 bytes from rng reduced mod n (spec §3.3).
Scalar RandomScalar(Rng& rng);

// The process-wide system generator.
Rng& SystemRandom();

}  // namespace isoloir::crypto
