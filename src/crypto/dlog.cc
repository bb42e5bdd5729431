#include "crypto/dlog.h"

#include <cmath>

namespace isoloir::crypto {

uint64_t DlogTable::Key(const Point& p) {
  Bytes e = p.Encode();  // 0x04 || X || Y; X starts at byte 1
  uint64_t k = 0;
  for (int i = 1; i <= 8; ++i) k = (k << 8) | e[i];
  return k;
}

DlogTable::DlogTable(uint64_t bound) : bound_(bound) {
  step_ = static_cast<uint64_t>(std::ceil(std::sqrt(static_cast<double>(bound) + 1.0)));
  if (step_ < 2) step_ = 2;
  Point acc;
  const Point g = Point::Generator();
  baby_.reserve(step_);
  for (uint64_t j = 1; j < step_; ++j) {
    acc += g;
    baby_.emplace(Key(acc), static_cast<uint32_t>(j));
  }
  giant_ = -Point::MulBase(Scalar::FromUint64(step_));
}

Result<uint64_t> DlogTable::Solve(const Point& p) const {
  Point cur = p;
  for (uint64_t i = 0; i * step_ <= bound_; ++i) {
    if (cur.IsIdentity()) return i * step_;
    auto it = baby_.find(Key(cur));
    if (it != baby_.end()) {
      const uint64_t m = i * step_ + it->second;
      // The key is a 64-bit prefix: confirm before answering.
      if (m <= bound_ && Point::MulBase(Scalar::FromUint64(m)) == p) return m;
    }
    cur += giant_;
  }
  return MakeError("dlog.out_of_range",
                   "the decrypted value is not a count between 0 and " + std::to_string(bound_));
}

}  // namespace isoloir::crypto
