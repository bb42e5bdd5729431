#include "crypto/proofs.h"

namespace isoloir::crypto {
namespace {

// g^m for a small public m, without a multiplication for 0 and 1.
Point PowG(uint64_t m) {
  if (m == 0) return Point::Identity();
  if (m == 1) return Point::Generator();
  return Point::MulBase(Scalar::FromUint64(m));
}

void AddMembershipStatement(Transcript& t, const Digest& context, const ElectionKey& key,
                            const Ciphertext& ct, const std::vector<uint64_t>& values) {
  t.Add(context).Add(key.point()).Add(ct.alpha).Add(ct.beta).AddU64(values.size());
  for (uint64_t v : values) t.AddU64(v);
}

}  // namespace

// §6.2 -------------------------------------------------------------------
SchnorrProof ProveDlog(const Digest& context, const Scalar& x, const Point& X, Rng& rng) {
  Scalar w = RandomScalar(rng);
  Point A = Point::MulBase(w);
  Scalar c = Transcript("isoloir/proof/dlog/v1").Add(context).Add(X).Add(A).FinishScalar();
  return SchnorrProof{c, w + c * x};
}

bool VerifyDlog(const Digest& context, const Point& X, const SchnorrProof& proof) {
  Point A = Point::MulBaseAddPublic(proof.response, X, -proof.challenge);
  Scalar c = Transcript("isoloir/proof/dlog/v1").Add(context).Add(X).Add(A).FinishScalar();
  return c == proof.challenge;
}

// §6.3 -------------------------------------------------------------------
DleqProof ProveDleq(const Digest& context, const Scalar& x, const Point& X, const Point& H,
                    const Point& Y, Rng& rng) {
  Scalar w = RandomScalar(rng);
  Point A = Point::MulBase(w);
  Point B = H.Mul(w);
  Scalar c = Transcript("isoloir/proof/dleq/v1")
                 .Add(context).Add(X).Add(H).Add(Y).Add(A).Add(B)
                 .FinishScalar();
  return DleqProof{c, w + c * x};
}

bool VerifyDleq(const Digest& context, const Point& X, const Point& H, const Point& Y,
                const DleqProof& proof) {
  Scalar minus_c = -proof.challenge;
  Point A = Point::MulBaseAddPublic(proof.response, X, minus_c);
  Point B = H.Mul(proof.response) + Y.Mul(minus_c);
  Scalar c = Transcript("isoloir/proof/dleq/v1")
                 .Add(context).Add(X).Add(H).Add(Y).Add(A).Add(B)
                 .FinishScalar();
  return c == proof.challenge;
}

// §6.4 -------------------------------------------------------------------
MembershipProof ProveMembership(const Digest& context, const ElectionKey& key,
                                const Ciphertext& ct, const Scalar& r,
                                const std::vector<uint64_t>& values, size_t index, Rng& rng) {
  const size_t k = values.size();
  std::vector<Scalar> u(k), v(k);
  Transcript t("isoloir/proof/membership/v1");
  AddMembershipStatement(t, context, key, ct, values);
  Scalar v_sum;
  for (size_t j = 0; j < k; ++j) {
    // Same operations for every branch: A = g^u alpha^v, B = y^u (beta/g^m)^v.
    // For the true branch this equals (g^w, y^w) with w = u + v r.
    u[j] = RandomScalar(rng);
    v[j] = RandomScalar(rng);
    Point beta_j = ct.beta - PowG(values[j]);
    t.Add(Point::MulBase(u[j]) + ct.alpha.Mul(v[j]));
    t.Add(key.table().Mul(u[j]) + beta_j.Mul(v[j]));
    v_sum = v_sum + v[j];
  }
  Scalar c = t.FinishScalar();
  Scalar real_response_shift = (c + v_sum) * r;
  MembershipProof proof;
  proof.challenges.reserve(k);
  proof.responses.reserve(k);
  for (size_t j = 0; j < k; ++j) {
    // Simulated branch: (c_j, s_j) = (-v_j, u_j).
    // True branch:      (c_j, s_j) = (c + V - v_j, u_j + (c + V) r).
    const bool real = (j == index);
    proof.challenges.push_back(Scalar::Select(real, c + v_sum - v[j], -v[j]));
    proof.responses.push_back(Scalar::Select(real, u[j] + real_response_shift, u[j]));
  }
  return proof;
}

bool VerifyMembership(const Digest& context, const ElectionKey& key, const Ciphertext& ct,
                      const std::vector<uint64_t>& values, const MembershipProof& proof) {
  const size_t k = values.size();
  if (k == 0 || proof.challenges.size() != k || proof.responses.size() != k) return false;
  Transcript t("isoloir/proof/membership/v1");
  AddMembershipStatement(t, context, key, ct, values);
  Scalar c_sum;
  for (size_t j = 0; j < k; ++j) {
    const Scalar minus_c = -proof.challenges[j];
    Point beta_j = values[j] == 0 ? ct.beta : ct.beta - PowG(values[j]);
    t.Add(Point::MulBaseAddPublic(proof.responses[j], ct.alpha, minus_c));
    t.Add(key.table().MulAddPublic(proof.responses[j], beta_j, minus_c));
    c_sum = c_sum + proof.challenges[j];
  }
  return t.FinishScalar() == c_sum;
}

}  // namespace isoloir::crypto
