#include "crypto/group.h"

#include <openssl/crypto.h>
#include <openssl/obj_mac.h>
#include <sodium.h>

#include <stdexcept>

namespace isoloir::crypto {
namespace {

// Internal invariant failures (allocation, misuse of OpenSSL) are not input
// errors: they abort the operation with an exception that never crosses a
// module boundary as a value.
void Check(int ok, const char* what) {
  if (ok != 1) throw std::runtime_error(std::string("openssl failure: ") + what);
}
template <typename T>
T* CheckPtr(T* p, const char* what) {
  if (p == nullptr) throw std::runtime_error(std::string("openssl allocation failure: ") + what);
  return p;
}

struct CurveState {
  EC_GROUP* group = nullptr;
  const BIGNUM* order = nullptr;
  BN_MONT_CTX* mont = nullptr;  // Montgomery context for the order n
  BIGNUM* minus_one = nullptr;  // n - 1
  CurveState() {
    group = CheckPtr(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1), "curve");
    order = EC_GROUP_get0_order(group);
    BN_CTX* ctx = CheckPtr(BN_CTX_new(), "ctx");
    mont = CheckPtr(BN_MONT_CTX_new(), "mont");
    Check(BN_MONT_CTX_set(mont, order, ctx), "mont set");
    minus_one = CheckPtr(BN_dup(order), "dup");
    Check(BN_sub_word(minus_one, 1), "sub");
    BN_CTX_free(ctx);
  }
};

const CurveState& State() {
  static const CurveState* state = new CurveState();  // lives for the process
  return *state;
}

BIGNUM* NewSecretBn() {
  BIGNUM* bn = CheckPtr(BN_secure_new(), "bn");
  BN_set_flags(bn, BN_FLG_CONSTTIME);
  return bn;
}

}  // namespace

const EC_GROUP* Curve() { return State().group; }

BN_CTX* ThreadCtx() {
  struct Holder {
    BN_CTX* ctx = CheckPtr(BN_CTX_secure_new(), "ctx");
    ~Holder() { BN_CTX_free(ctx); }
  };
  thread_local Holder holder;
  return holder.ctx;
}

// ---------------------------------------------------------------- Scalar

Scalar::Scalar() : bn_(NewSecretBn()) { BN_zero(bn_); }
Scalar::~Scalar() {
  if (bn_ != nullptr) BN_clear_free(bn_);
}
Scalar::Scalar(const Scalar& other) : bn_(NewSecretBn()) {
  CheckPtr(BN_copy(bn_, other.bn_), "copy");
}
Scalar::Scalar(Scalar&& other) noexcept : bn_(other.bn_) { other.bn_ = nullptr; }
Scalar& Scalar::operator=(const Scalar& other) {
  if (this != &other) {
    if (bn_ == nullptr) bn_ = NewSecretBn();
    CheckPtr(BN_copy(bn_, other.bn_), "copy");
  }
  return *this;
}
Scalar& Scalar::operator=(Scalar&& other) noexcept {
  if (this != &other) {
    if (bn_ != nullptr) BN_clear_free(bn_);
    bn_ = other.bn_;
    other.bn_ = nullptr;
  }
  return *this;
}

Scalar Scalar::FromUint64(uint64_t v) {
  Scalar s;
  Check(BN_set_word(s.bn_, v), "set word");
  return s;
}

Result<Scalar> Scalar::Decode(std::span<const uint8_t> bytes) {
  if (bytes.size() != kScalarBytes) {
    return MakeError("scalar.length", "a scalar must be exactly 32 bytes");
  }
  Scalar s;
  CheckPtr(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), s.bn_), "bin2bn");
  if (BN_cmp(s.bn_, State().order) >= 0) {
    return MakeError("scalar.range", "a scalar must be smaller than the group order");
  }
  return s;
}

Scalar Scalar::FromWideBytes(std::span<const uint8_t> bytes) {
  BIGNUM* wide = NewSecretBn();
  CheckPtr(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), wide), "bin2bn");
  Scalar s;
  // BN_FLG_CONSTTIME on the dividend selects OpenSSL's constant-time division.
  int ok = BN_nnmod(s.bn_, wide, State().order, ThreadCtx());
  BN_clear_free(wide);
  Check(ok, "nnmod");
  return s;
}

std::array<uint8_t, kScalarBytes> Scalar::Encode() const {
  std::array<uint8_t, kScalarBytes> out{};
  Check(BN_bn2binpad(bn_, out.data(), kScalarBytes) == kScalarBytes ? 1 : 0, "bn2binpad");
  return out;
}

Scalar Scalar::operator+(const Scalar& o) const {
  Scalar r;
  Check(BN_mod_add_quick(r.bn_, bn_, o.bn_, State().order), "mod add");
  return r;
}

Scalar Scalar::operator*(const Scalar& o) const {
  const CurveState& st = State();
  BN_CTX* ctx = ThreadCtx();
  Scalar t, r;
  Check(BN_to_montgomery(t.bn_, bn_, st.mont, ctx), "to mont");
  Check(BN_mod_mul_montgomery(r.bn_, t.bn_, o.bn_, st.mont, ctx), "mont mul");
  return r;
}

Scalar Scalar::operator-() const {
  // -a = a * (n - 1): one Montgomery multiplication, no data-dependent branch.
  Scalar minus_one;
  CheckPtr(BN_copy(minus_one.bn_, State().minus_one), "copy");
  return *this * minus_one;
}

Scalar Scalar::operator-(const Scalar& o) const { return *this + (-o); }

Scalar Scalar::InversePublic() const {
  Scalar r;
  BIGNUM* pub = CheckPtr(BN_dup(bn_), "dup");
  CheckPtr(BN_mod_inverse(r.bn_, pub, State().order, ThreadCtx()), "inverse");
  BN_free(pub);
  return r;
}

bool Scalar::IsZero() const {
  auto e = Encode();
  uint8_t acc = 0;
  for (uint8_t b : e) acc |= b;
  return acc == 0;
}

bool Scalar::operator==(const Scalar& o) const {
  auto a = Encode(), b = o.Encode();
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Scalar Scalar::Select(bool choose_a, const Scalar& a, const Scalar& b) {
  auto ea = a.Encode(), eb = b.Encode();
  const uint8_t mask = static_cast<uint8_t>(-static_cast<int>(choose_a));
  std::array<uint8_t, kScalarBytes> out{};
  for (size_t i = 0; i < out.size(); ++i) out[i] = (ea[i] & mask) | (eb[i] & ~mask);
  Scalar s;
  CheckPtr(BN_bin2bn(out.data(), kScalarBytes, s.bn_), "bin2bn");
  sodium_memzero(ea.data(), ea.size());
  sodium_memzero(eb.data(), eb.size());
  sodium_memzero(out.data(), out.size());
  return s;
}

// ----------------------------------------------------------------- Point

Point::Point() : p_(CheckPtr(EC_POINT_new(Curve()), "point")) {
  Check(EC_POINT_set_to_infinity(Curve(), p_), "infinity");
}
Point::~Point() {
  if (p_ != nullptr) EC_POINT_free(p_);
}
Point::Point(const Point& other) : p_(CheckPtr(EC_POINT_dup(other.p_, Curve()), "dup")) {}
Point::Point(Point&& other) noexcept : p_(other.p_) { other.p_ = nullptr; }
Point& Point::operator=(const Point& other) {
  if (this != &other) {
    if (p_ == nullptr) p_ = CheckPtr(EC_POINT_new(Curve()), "point");
    Check(EC_POINT_copy(p_, other.p_), "copy");
  }
  return *this;
}
Point& Point::operator=(Point&& other) noexcept {
  if (this != &other) {
    if (p_ != nullptr) EC_POINT_free(p_);
    p_ = other.p_;
    other.p_ = nullptr;
  }
  return *this;
}

Point Point::Generator() {
  return Point(CheckPtr(EC_POINT_dup(EC_GROUP_get0_generator(Curve()), Curve()), "dup"));
}

Result<Point> Point::Decode(std::span<const uint8_t> bytes, bool allow_identity) {
  if (bytes.size() == 1 && bytes[0] == 0x00) {
    if (allow_identity) return Point();
    return MakeError("point.identity", "the point at infinity is not allowed here");
  }
  if (bytes.size() != kPointBytes) {
    return MakeError("point.length", "a point must be 65 bytes (uncompressed SEC1)");
  }
  if (bytes[0] != 0x04) {
    return MakeError("point.format", "a point must start with 0x04 (uncompressed SEC1)");
  }
  Point p;
  // OpenSSL rejects coordinates >= p and points that are not on the curve.
  if (EC_POINT_oct2point(Curve(), p.p_, bytes.data(), bytes.size(), ThreadCtx()) != 1) {
    return MakeError("point.not_on_curve", "the bytes do not encode a point of P-256");
  }
  return p;
}

Bytes Point::Encode() const {
  if (IsIdentity()) return Bytes{0x00};
  Bytes out(kPointBytes);
  size_t n = EC_POINT_point2oct(Curve(), p_, POINT_CONVERSION_UNCOMPRESSED, out.data(),
                                out.size(), ThreadCtx());
  Check(n == kPointBytes ? 1 : 0, "point2oct");
  return out;
}

Point Point::operator+(const Point& o) const {
  Point r;
  Check(EC_POINT_add(Curve(), r.p_, p_, o.p_, ThreadCtx()), "add");
  return r;
}

Point& Point::operator+=(const Point& o) {
  Check(EC_POINT_add(Curve(), p_, p_, o.p_, ThreadCtx()), "add");
  return *this;
}

Point Point::operator-() const {
  Point r(*this);
  Check(EC_POINT_invert(Curve(), r.p_, ThreadCtx()), "invert");
  return r;
}

Point Point::operator-(const Point& o) const { return *this + (-o); }

bool Point::operator==(const Point& o) const {
  int c = EC_POINT_cmp(Curve(), p_, o.p_, ThreadCtx());
  Check(c >= 0 ? 1 : 0, "cmp");
  return c == 0;
}

bool Point::IsIdentity() const { return EC_POINT_is_at_infinity(Curve(), p_) == 1; }

Point Point::Mul(const Scalar& k) const {
  Point r;
  Check(EC_POINT_mul(Curve(), r.p_, nullptr, p_, k.bn(), ThreadCtx()), "mul");
  return r;
}

Point Point::MulBase(const Scalar& k) {
  Point r;
  Check(EC_POINT_mul(Curve(), r.p_, k.bn(), nullptr, nullptr, ThreadCtx()), "mul base");
  return r;
}

Point Point::MulBaseAddPublic(const Scalar& a, const Point& p, const Scalar& b) {
  Point r;
  Check(EC_POINT_mul(Curve(), r.p_, a.bn(), p.p_, b.bn(), ThreadCtx()), "double mul");
  return r;
}

// ------------------------------------------------------------- FixedBase

FixedBase::FixedBase(const Point& base) : base_(base) {
  if (base.IsIdentity()) throw std::invalid_argument("fixed base must not be the identity");
  group_ = CheckPtr(EC_GROUP_dup(Curve()), "group dup");
  Check(EC_GROUP_set_generator(group_, base.raw(), EC_GROUP_get0_order(Curve()),
                               EC_GROUP_get0_cofactor(Curve())),
        "set generator");
  // OpenSSL 3 marks the precomputation call deprecated but keeps it; it is the
  // library's own table (the same one that makes g^k fast), reused for y.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  Check(EC_GROUP_precompute_mult(group_, ThreadCtx()), "precompute");
#pragma GCC diagnostic pop
}

FixedBase::~FixedBase() { EC_GROUP_free(group_); }

Point FixedBase::Mul(const Scalar& k) const {
  Point r;
  Check(EC_POINT_mul(group_, r.p_, k.bn(), nullptr, nullptr, ThreadCtx()), "fixed mul");
  return r;
}

Point FixedBase::MulAddPublic(const Scalar& a, const Point& p, const Scalar& b) const {
  Point r;
  Check(EC_POINT_mul(group_, r.p_, a.bn(), p.raw(), b.bn(), ThreadCtx()), "fixed double mul");
  return r;
}

}  // namespace isoloir::crypto
