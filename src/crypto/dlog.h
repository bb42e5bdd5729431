// Small discrete logarithms (spec §11): the vote counts m from g^m, for
// 0 <= m <= bound, by baby-step giant-step with a table of about sqrt(bound).
#pragma once

#include <cstdint>
#include <unordered_map>

#include "common/result.h"
#include "crypto/group.h"

namespace isoloir::crypto {

class DlogTable {
 public:
  explicit DlogTable(uint64_t bound);  // builds ~sqrt(bound) baby steps
  // m with g^m == p, or an error if m > bound.
  Result<uint64_t> Solve(const Point& p) const;
  uint64_t bound() const { return bound_; }

 private:
  static uint64_t Key(const Point& p);  // 64 bits of the encoded x coordinate
  uint64_t bound_;
  uint64_t step_;
  Point giant_;  // g^{-step}
  std::unordered_map<uint64_t, uint32_t> baby_;  // key of g^j -> j, j in [1, step)
};

}  // namespace isoloir::crypto
