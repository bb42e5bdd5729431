// Every codec::Decode*: the first byte chooses the decoder, the rest is JSON
// text. What decodes must re-encode to the same JSON value; objects that
// have a verifier are then checked against the fuzz world's election.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_world.h"

namespace {

using namespace isoloir;
namespace codec = crypto::codec;

template <typename T>
bool RoundTrips(const Result<T>& r, const codec::Json& j) {
  return !r.ok() || codec::Encode(*r) == j;
}

void Fuzz(uint8_t selector, const codec::Json& j) {
  const auto& w = fuzz::GetWorld();
  const auto& p = w.board.params;
  const crypto::Digest ctx = crypto::BallotProofContext(w.context, w.key, w.ballot.credential);
  switch (selector % 13) {
    case 0:
    case 1: {
      auto r = codec::DecodePoint(j, selector % 13 == 1);
      fuzz::Expect(RoundTrips(r, j), "point");
      break;
    }
    case 2: {
      auto r = codec::DecodeScalar(j);
      fuzz::Expect(RoundTrips(r, j), "scalar");
      break;
    }
    case 3:
    case 4: {
      auto r = codec::DecodeCiphertext(j, selector % 13 == 4);
      fuzz::Expect(RoundTrips(r, j), "ciphertext");
      if (r) {
        crypto::Ciphertext sum = *r;
        sum += w.tally[0];
        fuzz::Expect(sum.alpha - w.tally[0].alpha == r->alpha, "ciphertext sum");
      }
      break;
    }
    case 5: {
      auto r = codec::DecodeSchnorrProof(j);
      fuzz::Expect(RoundTrips(r, j), "schnorr proof");
      if (r) (void)crypto::VerifyDlog(ctx, w.ballot.credential, *r);
      break;
    }
    case 6: {
      auto r = codec::DecodeDleqProof(j);
      fuzz::Expect(RoundTrips(r, j), "dleq proof");
      if (r) {
        (void)crypto::VerifyDleq(ctx, w.board.pub.verification_keys[0], w.tally[0].alpha,
                                 w.partials[0].factors[0], *r);
      }
      break;
    }
    case 7: {
      auto r = codec::DecodeMembershipProof(j);
      fuzz::Expect(RoundTrips(r, j), "membership proof");
      if (r && r->challenges.size() <= 16) {
        (void)crypto::VerifyMembership(ctx, w.key, w.ballot.choices[0], {0, 1}, *r);
      }
      break;
    }
    case 8: {
      auto r = codec::DecodeBallot(j);
      fuzz::Expect(RoundTrips(r, j), "ballot");
      if (r && r->choices.size() <= 16) (void)crypto::VerifyBallot(w.context, w.key, *r);
      break;
    }
    case 9: {
      auto r = codec::DecodeHolderAnnouncement(j);
      fuzz::Expect(RoundTrips(r, j), "holder announcement");
      if (r) (void)crypto::VerifyAnnouncement(p, *r);
      break;
    }
    case 10: {
      auto r = codec::DecodeDealing(j);
      fuzz::Expect(RoundTrips(r, j), "dealing");
      if (r) {
        // What a recipient does with a dealing it received: the public checks,
        // then opening its share (whose commitments it re-evaluates).
        if (crypto::VerifyDealing(p, *r).ok()) {
          (void)crypto::OpenShare(p, *r, 1, w.board.transport_secrets[0]);
        }
        (void)crypto::JudgeComplaint(p, *r, w.board.announcements[1].transport_key, w.complaint);
      }
      break;
    }
    case 11: {
      auto r = codec::DecodeComplaint(j);
      fuzz::Expect(RoundTrips(r, j), "complaint");
      if (r) {
        const uint32_t a = r->accuser;
        const crypto::Point& accuser_key =
            w.board.announcements[(a >= 1 && a <= fuzz::kHolders ? a : 1) - 1].transport_key;
        (void)crypto::JudgeComplaint(p, w.board.dealings[0], accuser_key, *r);
      }
      break;
    }
    case 12: {
      auto r = codec::DecodePartialDecryption(j);
      fuzz::Expect(RoundTrips(r, j), "partial decryption");
      if (r && r->factors.size() <= 16) {
        // A holder's factors with an honest one: the combination must either
        // fail or use only factors whose proofs verified.
        std::vector<crypto::PartialDecryption> pds = {*r, w.partials[2]};
        auto c = crypto::CombinePartialDecryptions(p.election, w.board.pub.public_key, fuzz::kScope,
                                                   p.threshold, w.board.pub.verification_keys,
                                                   w.tally, pds);
        if (c) {
          const Status st = crypto::VerifyPartialDecryption(
              p.election, w.board.pub.public_key, fuzz::kScope,
              w.board.pub.verification_keys[r->holder - 1], w.tally, *r);
          fuzz::Expect(st.ok(), "combination used an invalid partial decryption");
        }
      }
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  auto json = codec::ParseJson(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  if (json) Fuzz(data[0], *json);
  return 0;
}
