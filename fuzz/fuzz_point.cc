// Point::Decode: strict SEC1 uncompressed, on the curve; the identity only
// when allowed. An accepted point re-encodes to the same bytes and can be
// used in the operations a verifier applies to it.
#include <openssl/ec.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/group.h"
#include "fuzz_world.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace isoloir;
  using crypto::Point;
  const std::span<const uint8_t> bytes(data, size);
  for (bool allow_identity : {false, true}) {
    auto p = Point::Decode(bytes, allow_identity);
    if (!p) continue;
    fuzz::Expect(p->Encode() == Bytes(bytes.begin(), bytes.end()), "point re-encodes differently");
    fuzz::Expect(allow_identity || !p->IsIdentity(), "identity accepted where not allowed");
    fuzz::Expect(EC_POINT_is_on_curve(crypto::Curve(), p->raw(), crypto::ThreadCtx()) == 1,
                 "decoded point is not on the curve");
    // What verifiers do with decoded points: sums, differences, multiplications.
    const Point g = Point::Generator();
    const Point q = *p + g;
    fuzz::Expect(q - g == *p, "p + g - g != p");
    const crypto::Scalar k = crypto::Scalar::FromUint64(size + 2);
    fuzz::Expect(p->Mul(k) == Point::MulBaseAddPublic(crypto::Scalar(), *p, k),
                 "Mul and MulBaseAddPublic disagree");
    Point acc;
    acc += *p;
    acc += *p;
    fuzz::Expect(acc == p->Mul(crypto::Scalar::FromUint64(2)), "p + p != 2p");
  }
  return 0;
}
