// Scalar::Decode: exactly 32 bytes, big-endian, below the group order.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/group.h"
#include "fuzz_world.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace isoloir;
  using crypto::Scalar;
  const std::span<const uint8_t> bytes(data, size);
  auto s = Scalar::Decode(bytes);
  if (!s) {
    // n = 0xffffffff00000000ff...: every 32-byte value below 0xff.. is < n.
    fuzz::Expect(size != crypto::kScalarBytes || data[0] == 0xff,
                 "a 32-byte scalar below the order was rejected");
    return 0;
  }
  const auto e = s->Encode();
  fuzz::Expect(std::equal(e.begin(), e.end(), bytes.begin(), bytes.end()),
               "scalar re-encodes differently");
  // Arithmetic on decoded scalars, as the verifiers do it.
  const Scalar minus = -*s;
  fuzz::Expect((*s + minus).IsZero(), "s + (-s) != 0");
  fuzz::Expect(*s - *s == Scalar(), "s - s != 0");
  if (!s->IsZero()) {
    fuzz::Expect(*s * s->InversePublic() == Scalar::FromUint64(1), "s * s^-1 != 1");
  }
  return 0;
}
