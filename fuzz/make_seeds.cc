// Writes the seed corpus of every fuzz target into DIR/<target>/ (default:
// fuzz/corpus): valid objects of the fuzz world, in canonical JSON, and a few
// edge cases. Deterministic: running it again gives the same files.
//   ./build-fuzz/fuzz/fuzz_make_seeds fuzz/corpus
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "fuzz_world.h"

namespace {

using namespace isoloir;
namespace codec = crypto::codec;

std::filesystem::path root = "fuzz/corpus";
int written = 0;

void Write(const std::string& target, const std::string& name, const std::string& content) {
  const auto dir = root / target;
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << content;
  ++written;
}
void WriteBytes(const std::string& target, const std::string& name, const Bytes& b) {
  Write(target, name, std::string(b.begin(), b.end()));
}
// The codec target reads a selector byte, then JSON.
void WriteCodec(const std::string& name, uint8_t selector, const codec::Json& j) {
  Write("codec", name, std::string(1, static_cast<char>(selector)) + codec::Canonical(j));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) root = argv[1];
  const auto& w = fuzz::GetWorld();
  fuzz::Expect(crypto::VerifyBallot(w.context, w.key, w.ballot).ok(), "the seed ballot verifies");
  const crypto::Point g = crypto::Point::Generator();
  const Bytes g_bytes = g.Encode();
  const auto one = crypto::Scalar::FromUint64(1).Encode();
  const auto minus_one = (-crypto::Scalar::FromUint64(1)).Encode();

  // bytes
  for (const char* s : {"", "AQ", "AQI", "AQID", "_-8", "3q2-7w"})
    Write("base64url", s[0] ? s : "empty", s);
  Write("base64url", "point_g", Base64UrlEncode(g_bytes));
  for (const char* s : {"", "00", "0aff", "deadbeef"}) Write("hex", s[0] ? s : "empty", s);
  Write("hex", "point_g", HexEncode(g_bytes));

  // point
  WriteBytes("point", "generator", g_bytes);
  WriteBytes("point", "identity", Bytes{0x00});
  WriteBytes("point", "election_key", w.key.point().Encode());
  Bytes off_curve = g_bytes;
  off_curve.back() ^= 1;
  WriteBytes("point", "off_curve", off_curve);

  // scalar
  WriteBytes("scalar", "zero", Bytes(crypto::kScalarBytes, 0));
  WriteBytes("scalar", "one", Bytes(one.begin(), one.end()));
  WriteBytes("scalar", "order_minus_one", Bytes(minus_one.begin(), minus_one.end()));
  Bytes order(minus_one.begin(), minus_one.end());
  order.back() += 1;  // n - 1 ends in 0x50: no carry
  WriteBytes("scalar", "order", order);

  // ballot: the honest one, and one whose first beta is g (so beta / g^1 is
  // the identity inside the membership proof's verification).
  const codec::Json ballot = codec::Encode(w.ballot);
  Write("ballot", "honest", codec::Canonical(ballot));
  codec::Json edge = ballot;
  edge["choices"][0]["beta"] = codec::Encode(g);
  Write("ballot", "beta_is_g", codec::Canonical(edge));

  // codec: one valid object per decoder (selector = data[0] % 13)
  WriteCodec("0_point", 0, codec::Encode(g));
  WriteCodec("1_point_identity", 1, codec::Encode(crypto::Point::Identity()));
  WriteCodec("2_scalar", 2, codec::Encode(crypto::Scalar::FromUint64(1)));
  WriteCodec("3_ciphertext", 3, codec::Encode(w.tally[0]));
  WriteCodec("4_ciphertext_identity", 4, codec::Encode(crypto::ZeroCiphertext()));
  WriteCodec("5_schnorr", 5, codec::Encode(w.ballot.signature));
  WriteCodec("6_dleq", 6, codec::Encode(w.partials[0].proofs[0]));
  WriteCodec("7_membership", 7, codec::Encode(w.ballot.choice_proofs[0]));
  WriteCodec("8_ballot", 8, ballot);
  WriteCodec("9_announcement", 9, codec::Encode(w.board.announcements[0]));
  WriteCodec("10_dealing", 10, codec::Encode(w.board.dealings[0]));
  WriteCodec("11_complaint", 11, codec::Encode(w.complaint));
  WriteCodec("12_partial", 12, codec::Encode(w.partials[0]));

  std::cout << "wrote " << written << " seed files under " << root.string() << "\n";
  return 0;
}
