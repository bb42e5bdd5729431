#include "crypto/threshold.h"

#include <algorithm>

namespace isoloir::crypto {

Digest DecryptionContext(const Digest& election, const Point& public_key, std::string_view scope,
                         uint32_t holder) {
  return Transcript("isoloir/context/decryption/v1")
      .Add(kGroupName)
      .Add(election)
      .Add(public_key)
      .Add(scope)
      .AddU64(holder)
      .Finish();
}

PartialDecryption PartialDecrypt(const Digest& election, const Point& public_key,
                                 std::string_view scope, uint32_t holder, const Scalar& share,
                                 const std::vector<Ciphertext>& cts, Rng& rng) {
  const Digest ctx = DecryptionContext(election, public_key, scope, holder);
  const Point h = Point::MulBase(share);
  PartialDecryption pd;
  pd.holder = holder;
  for (const auto& ct : cts) {
    pd.factors.push_back(ct.alpha.Mul(share));
    pd.proofs.push_back(ProveDleq(ctx, share, h, ct.alpha, pd.factors.back(), rng));
  }
  return pd;
}

Status VerifyPartialDecryption(const Digest& election, const Point& public_key,
                               std::string_view scope, const Point& verification_key,
                               const std::vector<Ciphertext>& cts, const PartialDecryption& pd) {
  const std::string who = "key holder " + std::to_string(pd.holder);
  if (pd.factors.size() != cts.size() || pd.proofs.size() != cts.size()) {
    return MakeError("decryption.size", who + " gave " + std::to_string(pd.factors.size()) +
                                            " factors for " + std::to_string(cts.size()) +
                                            " ciphertexts");
  }
  const Digest ctx = DecryptionContext(election, public_key, scope, pd.holder);
  for (size_t i = 0; i < cts.size(); ++i) {
    if (!VerifyDleq(ctx, verification_key, cts[i].alpha, pd.factors[i], pd.proofs[i])) {
      return MakeError("decryption.proof", who + ": the proof of factor " +
                                               std::to_string(i + 1) + " does not verify");
    }
  }
  return Status::Ok();
}

Scalar LagrangeAtZero(uint32_t j, const std::vector<uint32_t>& set) {
  Scalar num = Scalar::FromUint64(1), den = Scalar::FromUint64(1);
  const Scalar sj = Scalar::FromUint64(j);
  for (uint32_t m : set) {
    if (m == j) continue;
    const Scalar sm = Scalar::FromUint64(m);
    num = num * sm;
    den = den * (sm - sj);
  }
  return num * den.InversePublic();
}

Result<Combined> CombinePartialDecryptions(const Digest& election, const Point& public_key,
                                           std::string_view scope, uint32_t threshold,
                                           const std::vector<Point>& verification_keys,
                                           const std::vector<Ciphertext>& cts,
                                           const std::vector<PartialDecryption>& partials) {
  Combined out;
  std::vector<const PartialDecryption*> valid;
  std::vector<uint32_t> seen;  // every holder submitted so far, valid or not
  std::string first_error;
  for (const auto& pd : partials) {
    if (pd.holder < 1 || pd.holder > verification_keys.size()) {
      return MakeError("decryption.holder", "unknown key holder " + std::to_string(pd.holder));
    }
    if (std::find(seen.begin(), seen.end(), pd.holder) != seen.end()) {
      return MakeError("decryption.duplicate",
                       "key holder " + std::to_string(pd.holder) + " decrypted twice");
    }
    seen.push_back(pd.holder);
    Status st = VerifyPartialDecryption(election, public_key, scope,
                                        verification_keys[pd.holder - 1], cts, pd);
    if (!st.ok()) {
      out.rejected.push_back(pd.holder);
      if (first_error.empty()) first_error = st.error().message;
      continue;
    }
    if (valid.size() < threshold) valid.push_back(&pd);
  }
  if (valid.size() < threshold) {
    std::string msg = std::to_string(valid.size()) + " valid partial decryptions, " +
                      std::to_string(threshold) + " needed";
    if (!first_error.empty()) msg += "; rejected: " + first_error;
    return MakeError("decryption.too_few", msg);
  }
  for (const auto* pd : valid) out.used.push_back(pd->holder);
  std::vector<Scalar> lambda;
  for (uint32_t j : out.used) lambda.push_back(LagrangeAtZero(j, out.used));
  for (size_t i = 0; i < cts.size(); ++i) {
    Point d;
    for (size_t v = 0; v < valid.size(); ++v) d += valid[v]->factors[i].Mul(lambda[v]);
    out.plain_points.push_back(cts[i].beta - d);
  }
  return out;
}

}  // namespace isoloir::crypto
