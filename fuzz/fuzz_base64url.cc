// Base64UrlDecode (common/bytes.h): strict, so decoding is the inverse of
// encoding in both directions.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/bytes.h"
#include "fuzz_world.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace isoloir;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto decoded = Base64UrlDecode(text);
  if (decoded)
    fuzz::Expect(Base64UrlEncode(*decoded) == text, "base64url accepts a non-canonical text");
  // The other direction: any bytes survive a round trip.
  const std::span<const uint8_t> bytes(data, size);
  auto back = Base64UrlDecode(Base64UrlEncode(bytes));
  fuzz::Expect(back.ok() && *back == Bytes(bytes.begin(), bytes.end()), "base64url round trip");
  return 0;
}
