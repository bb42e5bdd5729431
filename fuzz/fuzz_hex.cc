// HexDecode (common/bytes.h): lower case only, so decoding is the inverse of
// encoding in both directions.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/bytes.h"
#include "fuzz_world.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace isoloir;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto decoded = HexDecode(text);
  if (decoded) fuzz::Expect(HexEncode(*decoded) == text, "hex accepts a non-canonical text");
  const std::span<const uint8_t> bytes(data, size);
  auto back = HexDecode(HexEncode(bytes));
  fuzz::Expect(back.ok() && *back == Bytes(bytes.begin(), bytes.end()), "hex round trip");
  return 0;
}
