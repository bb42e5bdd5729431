#include "crypto/transcript.h"

#include <stdexcept>

namespace isoloir::crypto {

Digest Sha256(std::span<const uint8_t> data) {
  Digest out{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("sha256 failed");
  }
  return out;
}

Transcript::Transcript(std::string_view label) : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("sha256 init failed");
  }
  Add(label);
}

Transcript::~Transcript() { EVP_MD_CTX_free(ctx_); }

Transcript& Transcript::Add(std::span<const uint8_t> item) {
  const uint32_t n = static_cast<uint32_t>(item.size());
  const uint8_t len[4] = {static_cast<uint8_t>(n >> 24), static_cast<uint8_t>(n >> 16),
                          static_cast<uint8_t>(n >> 8), static_cast<uint8_t>(n)};
  if (EVP_DigestUpdate(ctx_, len, 4) != 1 ||
      (n > 0 && EVP_DigestUpdate(ctx_, item.data(), item.size()) != 1)) {
    throw std::runtime_error("sha256 update failed");
  }
  return *this;
}

Transcript& Transcript::Add(std::string_view item) {
  return Add(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(item.data()), item.size()));
}

Transcript& Transcript::Add(const Point& p) { return Add(std::span<const uint8_t>(p.Encode())); }

Transcript& Transcript::Add(const Scalar& s) {
  auto e = s.Encode();
  return Add(std::span<const uint8_t>(e));
}

Transcript& Transcript::AddU64(uint64_t v) {
  uint8_t b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(v >> (56 - 8 * i));
  return Add(std::span<const uint8_t>(b, 8));
}

Digest Transcript::Finish() {
  Digest out{};
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_, out.data(), &len) != 1) throw std::runtime_error("sha256 final");
  return out;
}

Scalar Transcript::FinishScalar() { return HashToScalar(Finish()); }

Scalar HashToScalar(const Digest& d) {
  std::array<uint8_t, 33> in{};
  std::copy(d.begin(), d.end(), in.begin());
  std::array<uint8_t, 64> wide{};
  in[32] = 0x01;
  Digest h1 = Sha256(in);
  in[32] = 0x02;
  Digest h2 = Sha256(in);
  std::copy(h1.begin(), h1.end(), wide.begin());
  std::copy(h2.begin(), h2.end(), wide.begin() + 32);
  return Scalar::FromWideBytes(wide);
}

}  // namespace isoloir::crypto
