// The path of a ballot received by the server: codec::ParseJson, then
// codec::DecodeBallot, then VerifyBallot against the fuzz world's election.
// A decoded ballot must re-encode to the same JSON value (no malleability of
// the decoding), and verification must answer without crashing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_world.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace isoloir;
  namespace codec = crypto::codec;
  const auto& world = fuzz::GetWorld();
  auto json = codec::ParseJson(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!json) return 0;
  auto ballot = codec::DecodeBallot(*json);
  if (!ballot) return 0;
  fuzz::Expect(codec::Encode(*ballot) == *json, "a ballot re-encodes to different JSON");
  // Verification costs 4 double multiplications per choice: stay fast.
  if (ballot->choices.size() > 16) return 0;
  crypto::BallotContext bc = world.context;
  bc.choices = ballot->choices.size();  // so that every proof is checked, not just the size
  const Status st = crypto::VerifyBallot(bc, world.key, *ballot);
  if (st.ok()) {
    // Only the honest seed ballot (or an equal one) can verify.
    fuzz::Expect(codec::Encode(*ballot) == codec::Encode(world.ballot), "a forged ballot verified");
  }
  return 0;
}
