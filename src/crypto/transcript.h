// Hashing for the protocol (spec §3): SHA-256 over length-prefixed items, and
// the map from a digest to a scalar used for Fiat-Shamir challenges.
#pragma once

#include <openssl/evp.h>

#include <array>
#include <span>
#include <string_view>

#include "crypto/group.h"

namespace isoloir::crypto {

using Digest = std::array<uint8_t, 32>;

Digest Sha256(std::span<const uint8_t> data);

// A running hash of u32be(len(label)) || label, then of u32be(len(item)) ||
// item for every item added. Points go in their 65-byte encoding, scalars in
// 32 bytes, integers as 8 bytes big-endian, strings as UTF-8.
class Transcript {
 public:
  explicit Transcript(std::string_view label);
  ~Transcript();
  Transcript(const Transcript&) = delete;
  Transcript& operator=(const Transcript&) = delete;

  Transcript& Add(std::span<const uint8_t> item);
  Transcript& Add(std::string_view item);
  Transcript& Add(const Point& p);
  Transcript& Add(const Scalar& s);
  Transcript& AddU64(uint64_t v);

  Digest Finish();           // SHA-256 of everything added; ends the transcript
  Scalar FinishScalar();     // HashToScalar(Finish())

 private:
  EVP_MD_CTX* ctx_;
};

// Spec §3.2: SHA-256(d || 0x01) || SHA-256(d || 0x02), read big-endian, mod n.
Scalar HashToScalar(const Digest& d);

}  // namespace isoloir::crypto
