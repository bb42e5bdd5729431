#include "crypto/test_vectors.h"

#include "crypto/credential.h"
#include "crypto/simulation.h"

namespace isoloir::crypto {
namespace {

using codec::Encode;
using codec::Json;

std::string B64(std::span<const uint8_t> b) { return Base64UrlEncode(b); }
std::string B64(const Scalar& s) {
  auto e = s.Encode();
  return Base64UrlEncode(e);
}

DeterministicRng Seeded(std::string_view seed) { return DeterministicRng(ToBytes(seed)); }

Json GroupVectors() {
  Json points = Json::array();
  for (uint64_t k : {1ull, 2ull, 3ull, 1000000ull}) {
    points.push_back({{"k", k}, {"g^k", Encode(Point::MulBase(Scalar::FromUint64(k)))}});
  }
  Json reductions = Json::array();
  for (std::string_view seed : {"wide-1", "wide-2"}) {
    auto rng = Seeded(seed);
    std::array<uint8_t, 64> wide{};
    rng.Fill(wide);
    reductions.push_back({{"wide", B64(wide)}, {"mod_n", B64(Scalar::FromWideBytes(wide))}});
  }
  Scalar minus_one = -Scalar::FromUint64(1);
  return {{"generator", Encode(Point::Generator())},
          {"identity", Encode(Point::Identity())},
          {"order_minus_one", B64(minus_one)},
          {"multiples", points},
          {"wide_reductions", reductions}};
}

Json HashVectors() {
  Transcript t("isoloir/test/v1");
  t.Add(std::string_view("hello")).AddU64(42).Add(Point::Generator()).Add(Scalar::FromUint64(7));
  Digest d = t.Finish();
  auto rng = Seeded("rng-seed");
  Bytes stream(80);
  rng.Fill(stream);
  return {{"transcript",
           {{"label", "isoloir/test/v1"},
            {"items", {"string hello", "u64 42", "point generator", "scalar 7"}},
            {"digest", HexEncode(d)},
            {"hash_to_scalar", B64(HashToScalar(d))}}},
          {"deterministic_rng", {{"seed", "rng-seed"}, {"first_80_bytes", HexEncode(stream)}}}};
}

Json CredentialVectors() {
  auto rng = Seeded("credential");
  std::string key = GenerateSecurityKey(rng);
  const std::string election = "2026-fonction-publique-test";
  Digest token = LoginToken(election, key);
  Json scrutins = Json::array();
  for (std::string_view s : {"CSA", "CAP-A"}) {
    Scalar sk = CredentialSecret(election, s, key);
    scrutins.push_back(
        {{"scrutin", s}, {"secret", B64(sk)}, {"public", Encode(CredentialPublic(sk))}});
  }
  std::string typed = FormatSecurityKey(key);
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return {{"rng_seed", "credential"},
          {"security_key", key},
          {"printed", FormatSecurityKey(key)},
          {"typed", typed},
          {"election_id", election},
          {"login_token", HexEncode(token)},
          {"login_verifier", HexEncode(LoginVerifier(token))},
          {"signing", scrutins}};
}

Json ProofVectors(const ElectionKey& key, const Digest& context) {
  auto rng = Seeded("proofs");
  Scalar x = RandomScalar(rng);
  Point X = Point::MulBase(x);
  Point H = Point::MulBase(RandomScalar(rng));
  Point Y = H.Mul(x);
  SchnorrProof dlog = ProveDlog(context, x, X, rng);
  DleqProof dleq = ProveDleq(context, x, X, H, Y, rng);
  Scalar r = RandomScalar(rng);
  Ciphertext ct = Encrypt(key, 1, r);
  MembershipProof mem = ProveMembership(context, key, ct, r, {0, 1}, 1, rng);
  return {{"rng_seed", "proofs"},
          {"context", HexEncode(context)},
          {"dlog", {{"x", B64(x)}, {"X", Encode(X)}, {"proof", Encode(dlog)}}},
          {"dleq", {{"X", Encode(X)}, {"H", Encode(H)}, {"Y", Encode(Y)}, {"proof", Encode(dleq)}}},
          {"membership",
           {{"r", B64(r)}, {"m", 1}, {"values", {0, 1}}, {"ciphertext", Encode(ct)},
            {"proof", Encode(mem)}}}};
}

}  // namespace

codec::Json MakeTestVectors() {
  Digest election = Sha256(ToBytes("isoloir test vectors v1"));

  auto board_rng = Seeded("board");
  SimulatedBoard board = RunKeyCeremony(election, 3, 2, board_rng);
  ElectionKey key(board.pub.public_key);

  Json dkg = {{"rng_seed", "board"},
              {"election", HexEncode(election)},
              {"holders", 3},
              {"threshold", 2},
              {"announcements", Json::array()},
              {"dealings", Json::array()},
              {"shares", Json::array()},
              {"public_key", Encode(board.pub.public_key)},
              {"verification_keys", Json::array()}};
  for (const auto& a : board.announcements) dkg["announcements"].push_back(Encode(a));
  for (const auto& d : board.dealings) dkg["dealings"].push_back(Encode(d));
  for (const auto& s : board.shares) dkg["shares"].push_back(B64(s));
  for (const auto& h : board.pub.verification_keys) dkg["verification_keys"].push_back(Encode(h));

  Json encryptions = Json::array();
  auto enc_rng = Seeded("encryption");
  for (uint64_t m : {0ull, 1ull, 5ull}) {
    Scalar r = RandomScalar(enc_rng);
    encryptions.push_back({{"m", m}, {"r", B64(r)}, {"ciphertext", Encode(Encrypt(key, m, r))}});
  }

  // A standard ballot and a small tally decrypted by holders 1 and 3.
  BallotContext bc = StandardBallotContext(election, "CSA");
  auto ballot_rng = Seeded("ballots");
  Json ballots = Json::array();
  std::vector<Ballot> cast;
  for (size_t i = 0; i < 3; ++i) {
    Scalar sk = RandomScalar(ballot_rng);
    auto eb = EncryptBallot(bc, key, OneHot(bc.choices, i == 2 ? 10 : 1), sk, ballot_rng).value();
    Json randomness = Json::array();
    for (const auto& r : eb.randomness) randomness.push_back(B64(r));
    ballots.push_back({{"credential_secret", B64(sk)},
                       {"selection", OneHot(bc.choices, i == 2 ? 10 : 1)},
                       {"randomness", randomness},
                       {"proof_context", HexEncode(BallotProofContext(bc, key, eb.ballot.credential))},
                       {"signed_digest", HexEncode(BallotSignedDigest(bc, key, eb.ballot))},
                       {"tracker", Base64UrlEncode(BallotTracker(bc, key, eb.ballot))},
                       {"ballot", Encode(eb.ballot)}});
    cast.push_back(eb.ballot);
  }
  std::vector<Ciphertext> tally = Aggregate(cast, bc.choices);
  auto dec_rng = Seeded("decryption");
  Json partials = Json::array();
  for (uint32_t j : {1u, 3u}) {
    partials.push_back(Encode(PartialDecrypt(election, key.point(), "CSA", j, board.shares[j - 1],
                                             tally, dec_rng)));
  }
  Json tally_json = Json::array();
  for (const auto& c : tally) tally_json.push_back(Encode(c));

  return {{"version", 1},
          {"group", std::string(kGroupName)},
          {"note", "Generated by `isoloir vectors`; see docs/protocol.md appendix A."},
          {"group_vectors", GroupVectors()},
          {"hash", HashVectors()},
          {"credential", CredentialVectors()},
          {"dkg", dkg},
          {"encryption", encryptions},
          {"proofs", ProofVectors(key, election)},
          {"ballot",
           {{"rng_seed", "ballots"},
            {"scrutin", bc.scrutin},
            {"choices", bc.choices},
            {"min", bc.min},
            {"max", bc.max},
            {"ballots", ballots}}},
          {"tally",
           {{"scope", "CSA"},
            {"sums", tally_json},
            {"rng_seed", "decryption"},
            {"partial_decryptions", partials},
            {"counts", {0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1}}}}};
}

}  // namespace isoloir::crypto
