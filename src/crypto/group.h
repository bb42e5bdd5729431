// The prime-order group of the protocol (NIST P-256 through OpenSSL 3) and its
// scalars. Everything above this file uses only these operations (spec §2).
#pragma once

#include <openssl/bn.h>
#include <openssl/ec.h>

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"

namespace isoloir::crypto {

inline constexpr std::string_view kGroupName = "P-256";
inline constexpr size_t kScalarBytes = 32;
inline constexpr size_t kPointBytes = 65;  // SEC1 uncompressed: 0x04 || X || Y

// An integer modulo the group order n. Arithmetic goes through OpenSSL's
// fixed-width Montgomery code with BN_FLG_CONSTTIME, so it is safe for secrets.
// Memory is wiped on destruction.
class Scalar {
 public:
  Scalar();  // zero
  ~Scalar();
  Scalar(const Scalar& other);
  Scalar(Scalar&& other) noexcept;
  Scalar& operator=(const Scalar& other);
  Scalar& operator=(Scalar&& other) noexcept;

  static Scalar FromUint64(uint64_t v);
  // Strict decoding (spec §2.2): exactly 32 bytes, big-endian, value < n.
  static Result<Scalar> Decode(std::span<const uint8_t> bytes);
  // Reduces a big-endian byte string (48 or 64 bytes: negligible bias) mod n.
  static Scalar FromWideBytes(std::span<const uint8_t> bytes);

  std::array<uint8_t, kScalarBytes> Encode() const;  // 32 bytes, big-endian

  Scalar operator+(const Scalar& o) const;
  Scalar operator-(const Scalar& o) const;
  Scalar operator*(const Scalar& o) const;
  Scalar operator-() const;
  // Inverse mod n; variable time, for public values only (Lagrange coefficients).
  Scalar InversePublic() const;
  bool IsZero() const;
  // Equality; constant time in the value.
  bool operator==(const Scalar& o) const;

  // Chooses a when choose_a is true, else b, without branching on choose_a.
  static Scalar Select(bool choose_a, const Scalar& a, const Scalar& b);

  const BIGNUM* bn() const { return bn_; }

 private:
  explicit Scalar(BIGNUM* bn) : bn_(bn) {}
  BIGNUM* bn_;
};

// A point of P-256. Decoding always checks that the point is on the curve.
class Point {
 public:
  Point();  // the identity (point at infinity)
  ~Point();
  Point(const Point& other);
  Point(Point&& other) noexcept;
  Point& operator=(const Point& other);
  Point& operator=(Point&& other) noexcept;

  static Point Generator();
  static Point Identity() { return Point(); }
  // Strict decoding (spec §2.3): 65 bytes 0x04||X||Y, X and Y < p, on the curve.
  // The identity, encoded as the single byte 0x00, is accepted only when asked.
  static Result<Point> Decode(std::span<const uint8_t> bytes, bool allow_identity = false);

  Bytes Encode() const;  // 65 bytes, or {0x00} for the identity

  Point operator+(const Point& o) const;
  Point operator-(const Point& o) const;
  Point operator-() const;
  Point& operator+=(const Point& o);  // in place; no normalisation (fast sums)
  bool operator==(const Point& o) const;
  bool IsIdentity() const;

  // this^k with a secret k: constant-time variable-base multiplication.
  Point Mul(const Scalar& k) const;
  // g^k with a secret k: constant-time fixed-base multiplication.
  static Point MulBase(const Scalar& k);
  // g^a * p^b for public a, b (verification only: variable time).
  static Point MulBaseAddPublic(const Scalar& a, const Point& p, const Scalar& b);

  const EC_POINT* raw() const { return p_; }
  EC_POINT* raw() { return p_; }

 private:
  explicit Point(EC_POINT* p) : p_(p) {}
  EC_POINT* p_;
  friend class FixedBase;
};

// A base point with a precomputed table (the election public key y), so that
// y^a is as cheap as g^a. Built once (about 40 ms); then shared read-only.
class FixedBase {
 public:
  explicit FixedBase(const Point& base);
  ~FixedBase();
  FixedBase(const FixedBase&) = delete;
  FixedBase& operator=(const FixedBase&) = delete;

  const Point& base() const { return base_; }
  // base^k with a secret k, constant time.
  Point Mul(const Scalar& k) const;
  // base^a * p^b for public a, b (verification only: variable time).
  Point MulAddPublic(const Scalar& a, const Point& p, const Scalar& b) const;

 private:
  Point base_;
  EC_GROUP* group_;
};

// The curve's group, shared and read-only.
const EC_GROUP* Curve();
// A per-thread BN_CTX for OpenSSL calls.
BN_CTX* ThreadCtx();

}  // namespace isoloir::crypto
