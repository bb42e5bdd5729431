// Helpers shared by the crypto unit tests: deterministic randomness, small
// "tamper" operations (add 1 to a scalar, move a point to another valid
// point) and assertions on Result/Status error codes and field paths.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "crypto/group.h"
#include "crypto/random.h"
#include "crypto/transcript.h"

namespace isoloir::crypto::test {

inline DeterministicRng MakeRng(std::string_view seed) {
  return DeterministicRng(ToBytes(seed));
}

inline Digest MakeDigest(std::string_view label) { return Sha256(ToBytes(label)); }

inline Scalar One() { return Scalar::FromUint64(1); }

// Another valid value of the same kind: the smallest possible alteration.
inline Scalar Bump(const Scalar& s) { return s + One(); }
inline Point Bump(const Point& p) { return p + Point::Generator(); }
inline Digest Bump(Digest d) {
  d[0] ^= 1;
  return d;
}

inline Point RandomPoint(Rng& rng) { return Point::MulBase(RandomScalar(rng)); }

inline Bytes FromHex(std::string_view hex) {
  auto b = HexDecode(hex);
  EXPECT_TRUE(b.ok()) << hex;
  return b.ok() ? *b : Bytes{};
}

// The group order n of P-256, big-endian.
inline constexpr std::string_view kOrderHex =
    "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
// The field prime p of P-256, big-endian.
inline constexpr std::string_view kFieldHex =
    "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";

// Checks that r (a Result<T> or a Status) failed with exactly `code` and, if
// given, that its message contains `in_message`.
template <typename R>
::testing::AssertionResult FailsWith(const R& r, std::string_view code,
                                     std::string_view in_message = "") {
  if (r.ok()) return ::testing::AssertionFailure() << "expected error " << code << ", got success";
  if (r.error().code != code) {
    return ::testing::AssertionFailure()
           << "expected code " << code << ", got " << r.error().ToString();
  }
  if (!in_message.empty() && r.error().message.find(in_message) == std::string::npos) {
    return ::testing::AssertionFailure()
           << "message \"" << r.error().message << "\" does not contain \"" << in_message << "\"";
  }
  return ::testing::AssertionSuccess();
}

// Checks that r failed with `code` and a message that starts with "path: ".
template <typename R>
::testing::AssertionResult FailsAt(const R& r, std::string_view code, std::string_view path) {
  auto base = FailsWith(r, code);
  if (!base) return base;
  const std::string prefix = std::string(path) + ": ";
  if (r.error().message.rfind(prefix, 0) != 0) {
    return ::testing::AssertionFailure()
           << "message \"" << r.error().message << "\" does not start with \"" << prefix << "\"";
  }
  return ::testing::AssertionSuccess();
}

template <typename R>
::testing::AssertionResult Succeeds(const R& r) {
  if (r.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << r.error().ToString();
}

}  // namespace isoloir::crypto::test
