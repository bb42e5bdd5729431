#include "crypto/dkg.h"

#include <sodium.h>

#include <string>

namespace isoloir::crypto {
namespace {

constexpr size_t kBoxBytes = kScalarBytes + crypto_aead_chacha20poly1305_ietf_ABYTES;

Digest Context(const DkgParams& p, std::string_view stage, uint32_t holder) {
  return Transcript("isoloir/context/dkg/v1")
      .Add(kGroupName)
      .Add(p.election)
      .AddU64(p.holders)
      .AddU64(p.threshold)
      .Add(stage)
      .AddU64(holder)
      .Finish();
}

// Key and associated data of the box that carries share (dealer -> recipient).
Digest BoxKey(const DkgParams& p, uint32_t dealer, uint32_t recipient, const Point& R,
              const Point& K) {
  return Transcript("isoloir/dkg/share-key/v1")
      .Add(Context(p, "share", dealer))
      .AddU64(recipient)
      .Add(R)
      .Add(K)
      .Finish();
}
Digest BoxAd(const DkgParams& p, const Dealing& d, uint32_t recipient, const Point& R) {
  Transcript t("isoloir/dkg/share-ad/v1");
  t.Add(Context(p, "share", d.dealer)).AddU64(recipient).Add(R);
  for (const auto& c : d.commitments) t.Add(c);
  return t.Finish();
}

Result<Scalar> OpenBox(const DkgParams& p, const Dealing& d, uint32_t recipient, const Point& K) {
  const EncryptedShare& es = d.shares[recipient - 1];
  if (es.box.size() != kBoxBytes) {
    return MakeError("dkg.share_box", "the encrypted share has the wrong length");
  }
  Digest key = BoxKey(p, d.dealer, recipient, es.ephemeral, K);
  Digest ad = BoxAd(p, d, recipient, es.ephemeral);
  uint8_t nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES] = {0};  // key is single-use
  uint8_t plain[kScalarBytes];
  unsigned long long plain_len = 0;
  int rc = crypto_aead_chacha20poly1305_ietf_decrypt(plain, &plain_len, nullptr, es.box.data(),
                                                     es.box.size(), ad.data(), ad.size(), nonce,
                                                     key.data());
  sodium_memzero(key.data(), key.size());
  if (rc != 0) {
    return MakeError("dkg.share_box", "the encrypted share from holder " +
                                          std::to_string(d.dealer) + " does not decrypt");
  }
  auto share = Scalar::Decode(plain);
  sodium_memzero(plain, sizeof plain);
  if (!share) {
    return MakeError("dkg.share_encoding", "the share from holder " + std::to_string(d.dealer) +
                                               " is not a valid scalar");
  }
  if (Point::MulBase(*share) != EvaluateCommitments(d.commitments, recipient)) {
    return MakeError("dkg.share_mismatch", "the share from holder " + std::to_string(d.dealer) +
                                               " does not match its public commitments");
  }
  return share;
}

}  // namespace

Status CheckDkgParams(const DkgParams& p) {
  if (p.threshold < 1 || p.threshold > p.holders) {
    return MakeError("dkg.params", "the threshold must be between 1 and the number of holders");
  }
  if (p.holders > 1000) return MakeError("dkg.params", "at most 1000 key holders");
  return Status::Ok();
}

HolderAnnouncement AnnounceHolder(const DkgParams& p, uint32_t holder,
                                  const Scalar& transport_secret, Rng& rng) {
  Point E = Point::MulBase(transport_secret);
  return HolderAnnouncement{holder, E,
                            ProveDlog(Context(p, "transport", holder), transport_secret, E, rng)};
}

Status VerifyAnnouncement(const DkgParams& p, const HolderAnnouncement& a) {
  if (a.holder < 1 || a.holder > p.holders) {
    return MakeError("dkg.holder", "holder number " + std::to_string(a.holder) + " out of range");
  }
  if (a.transport_key.IsIdentity() ||
      !VerifyDlog(Context(p, "transport", a.holder), a.transport_key, a.proof)) {
    return MakeError("dkg.transport_proof", "holder " + std::to_string(a.holder) +
                                                " did not prove knowledge of its transport key");
  }
  return Status::Ok();
}

Point EvaluateCommitments(const std::vector<Point>& commitments, uint32_t j) {
  // Horner's rule in the exponent: ((C_{t-1})^j * C_{t-2})^j ... * C_0.
  Point acc;
  const Scalar x = Scalar::FromUint64(j);
  for (size_t k = commitments.size(); k-- > 0;) acc = acc.Mul(x) + commitments[k];
  return acc;
}

Dealing Deal(const DkgParams& p, uint32_t dealer, const std::vector<Point>& transport_keys,
             Rng& rng) {
  Dealing d;
  d.dealer = dealer;
  std::vector<Scalar> a;
  for (uint32_t k = 0; k < p.threshold; ++k) {
    a.push_back(RandomScalar(rng));
    d.commitments.push_back(Point::MulBase(a.back()));
  }
  d.proof = ProveDlog(Context(p, "dealing", dealer), a[0], d.commitments[0], rng);
  for (uint32_t j = 1; j <= p.holders; ++j) {
    Scalar share;  // f(j) by Horner's rule
    const Scalar x = Scalar::FromUint64(j);
    for (size_t k = a.size(); k-- > 0;) share = share * x + a[k];
    Scalar eph = RandomScalar(rng);
    EncryptedShare es;
    es.recipient = j;
    es.ephemeral = Point::MulBase(eph);
    Point K = transport_keys[j - 1].Mul(eph);
    Digest key = BoxKey(p, dealer, j, es.ephemeral, K);
    Digest ad = BoxAd(p, d, j, es.ephemeral);
    auto plain = share.Encode();
    es.box.resize(kBoxBytes);
    uint8_t nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES] = {0};
    unsigned long long len = 0;
    crypto_aead_chacha20poly1305_ietf_encrypt(es.box.data(), &len, plain.data(), plain.size(),
                                              ad.data(), ad.size(), nullptr, nonce, key.data());
    sodium_memzero(key.data(), key.size());
    sodium_memzero(plain.data(), plain.size());
    d.shares.push_back(std::move(es));
  }
  return d;
}

Status VerifyDealing(const DkgParams& p, const Dealing& d) {
  const std::string who = "holder " + std::to_string(d.dealer);
  if (d.dealer < 1 || d.dealer > p.holders) {
    return MakeError("dkg.holder", who + " is out of range");
  }
  if (d.commitments.size() != p.threshold) {
    return MakeError("dkg.commitments", who + " published the wrong number of commitments");
  }
  if (d.shares.size() != p.holders) {
    return MakeError("dkg.shares", who + " sent the wrong number of shares");
  }
  for (uint32_t j = 1; j <= p.holders; ++j) {
    if (d.shares[j - 1].recipient != j || d.shares[j - 1].box.size() != kBoxBytes) {
      return MakeError("dkg.shares", who + " sent a malformed share for holder " +
                                         std::to_string(j));
    }
  }
  if (d.commitments[0].IsIdentity() ||
      !VerifyDlog(Context(p, "dealing", d.dealer), d.commitments[0], d.proof)) {
    return MakeError("dkg.dealing_proof", who + " did not prove knowledge of its secret");
  }
  return Status::Ok();
}

Result<Scalar> OpenShare(const DkgParams& p, const Dealing& d, uint32_t recipient,
                         const Scalar& transport_secret) {
  if (recipient < 1 || recipient > d.shares.size()) {
    return MakeError("dkg.holder", "recipient out of range");
  }
  return OpenBox(p, d, recipient, d.shares[recipient - 1].ephemeral.Mul(transport_secret));
}

Complaint MakeComplaint(const DkgParams& p, const Dealing& d, uint32_t accuser,
                        const Scalar& transport_secret, Rng& rng) {
  const Point& R = d.shares[accuser - 1].ephemeral;
  Complaint c;
  c.dealer = d.dealer;
  c.accuser = accuser;
  c.shared_key = R.Mul(transport_secret);
  c.proof = ProveDleq(Context(p, "complaint", accuser), transport_secret,
                      Point::MulBase(transport_secret), R, c.shared_key, rng);
  return c;
}

Result<Verdict> JudgeComplaint(const DkgParams& p, const Dealing& d,
                               const Point& accuser_transport_key, const Complaint& c) {
  if (c.dealer != d.dealer || c.accuser < 1 || c.accuser > d.shares.size()) {
    return MakeError("dkg.complaint", "the complaint does not name this dealing");
  }
  const Point& R = d.shares[c.accuser - 1].ephemeral;
  if (!VerifyDleq(Context(p, "complaint", c.accuser), accuser_transport_key, R, c.shared_key,
                  c.proof)) {
    return MakeError("dkg.complaint_proof", "holder " + std::to_string(c.accuser) +
                                                " revealed a key it cannot prove");
  }
  auto opened = OpenBox(p, d, c.accuser, c.shared_key);
  return opened ? Verdict::kComplaintUnfounded : Verdict::kDealerCheated;
}

DkgPublic CombineDealings(const DkgParams& p, const std::vector<Dealing>& qualified) {
  DkgPublic out;
  std::vector<Point> sum_commitments(p.threshold);
  for (const auto& d : qualified) {
    for (uint32_t k = 0; k < p.threshold; ++k) sum_commitments[k] += d.commitments[k];
  }
  out.public_key = sum_commitments[0];
  for (uint32_t j = 1; j <= p.holders; ++j) {
    out.verification_keys.push_back(EvaluateCommitments(sum_commitments, j));
  }
  return out;
}

Scalar CombineShares(const std::vector<Scalar>& shares) {
  Scalar x;
  for (const auto& s : shares) x = x + s;
  return x;
}

}  // namespace isoloir::crypto
