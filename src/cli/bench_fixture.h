// What `isoloir bench` and bench/crypto_bench both time, defined once: the
// election (key ceremony of 6 holders, threshold 3), the standard ballot, its
// canonical JSON, encoded ciphertexts to aggregate and partial decryptions to
// combine. Header-only so that bench/ can include it without a new library.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "crypto/codec.h"
#include "crypto/random.h"
#include "crypto/simulation.h"

namespace isoloir::bench {

inline constexpr uint32_t kHolders = 6;
inline constexpr uint32_t kThreshold = 3;
inline constexpr std::string_view kScrutin = "bench-scrutin";
inline constexpr std::string_view kTallyScope = "bench-tally";
inline constexpr size_t kStandardChoices = 11;                       // 10 lists + blank
inline constexpr size_t kCiphertextBytes = 2 * crypto::kPointBytes;  // alpha || beta
inline constexpr uint64_t kDlogBound = 10'000'000;

// Throws: a failure here is a bug in the core, not a measurement.
inline void Require(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error("bench fixture: " + what);
}

inline std::vector<crypto::Scalar> RandomScalars(size_t n, crypto::Rng& rng) {
  std::vector<crypto::Scalar> v;
  for (size_t i = 0; i < n; ++i) v.push_back(crypto::RandomScalar(rng));
  return v;
}

// Random points, decoded from their encoding as a tally receives them (affine).
inline std::vector<crypto::Point> RandomPoints(size_t n, crypto::Rng& rng) {
  std::vector<crypto::Point> v;
  for (size_t i = 0; i < n; ++i) {
    auto p = crypto::Point::Decode(crypto::Point::MulBase(crypto::RandomScalar(rng)).Encode());
    Require(p.ok(), "random point does not decode");
    v.push_back(std::move(p).value());
  }
  return v;
}

// The election every measurement uses.
struct Fixture {
  explicit Fixture(crypto::Rng& rng)
      : election(crypto::Sha256(ToBytes("isoloir/bench/election"))),
        board(crypto::RunKeyCeremony(election, kHolders, kThreshold, rng)),
        key(board.pub.public_key),
        context(crypto::StandardBallotContext(election, kScrutin)),
        credential_secret(crypto::RandomScalar(rng)),
        selection(crypto::OneHot(kStandardChoices, 3)) {
    auto eb = crypto::EncryptBallot(context, key, selection, credential_secret, rng);
    Require(eb.ok(), "standard ballot does not encrypt");
    ballot = std::move(eb).value().ballot;
    ballot_text = crypto::codec::Canonical(crypto::codec::Encode(ballot));
    tally = ballot.choices;
    for (uint32_t j = 1; j <= kThreshold; ++j) decrypting_holders.push_back(j);
    for (uint32_t j : decrypting_holders) partials.push_back(PartialDecryptTally(j, rng));
  }

  Result<crypto::EncryptedBallot> EncryptStandardBallot(crypto::Rng& rng) const {
    return crypto::EncryptBallot(context, key, selection, credential_secret, rng);
  }

  // What a server does with a ballot received as text.
  Result<crypto::Ballot> DecodeBallotText(std::string_view text) const {
    auto json = crypto::codec::ParseJson(text);
    if (!json) return json.error();
    return crypto::codec::DecodeBallot(*json);
  }
  Status VerifyBallotText(std::string_view text) const {
    auto b = DecodeBallotText(text);
    if (!b) return b.error();
    return crypto::VerifyBallot(context, key, *b);
  }

  crypto::PartialDecryption PartialDecryptTally(uint32_t holder, crypto::Rng& rng) const {
    return crypto::PartialDecrypt(election, board.pub.public_key, kTallyScope, holder,
                                  board.shares[holder - 1], tally, rng);
  }
  // Verifies the partial decryptions of holders 1..3, then combines them.
  Result<crypto::Combined> CombineTally() const {
    return crypto::CombinePartialDecryptions(election, board.pub.public_key, kTallyScope,
                                             kThreshold, board.pub.verification_keys, tally,
                                             partials);
  }

  crypto::Digest election;
  crypto::SimulatedBoard board;
  crypto::ElectionKey key;
  crypto::BallotContext context;
  crypto::Scalar credential_secret;
  std::vector<uint64_t> selection;
  crypto::Ballot ballot;
  std::string ballot_text;                          // canonical JSON of `ballot`
  std::vector<crypto::Ciphertext> tally;            // 11 ciphertexts to decrypt
  std::vector<uint32_t> decrypting_holders;         // 1..threshold
  std::vector<crypto::PartialDecryption> partials;  // theirs, over `tally`
};

// Aggregation starts from bytes, as a tally reading stored ballots does: the
// two 65-byte encodings of a ciphertext are decoded (with the on-curve check)
// and added into running sums that are never normalised.
inline bool AggregateEncoded(const uint8_t* ct, crypto::Ciphertext& sum) {
  auto alpha = crypto::Point::Decode(std::span<const uint8_t>(ct, crypto::kPointBytes));
  auto beta = crypto::Point::Decode(
      std::span<const uint8_t>(ct + crypto::kPointBytes, crypto::kPointBytes));
  if (!alpha || !beta) return false;
  sum.alpha += *alpha;
  sum.beta += *beta;
  return true;
}

// The ciphertexts of many standard ballots, encoded back to back. Encrypting
// every ballot would dominate the benchmark, so `distinct` real ballots (one
// random choice each, under the fixture's key, without proofs) are repeated.
struct EncodedBallots {
  size_t ballots = 0;
  size_t choices = 0;
  std::vector<uint8_t> bytes;      // ballots x choices x (alpha || beta)
  std::vector<uint64_t> expected;  // the count of each choice over all ballots

  const uint8_t* At(size_t ballot, size_t choice) const {
    return bytes.data() + (ballot * choices + choice) * kCiphertextBytes;
  }
};

inline EncodedBallots MakeEncodedBallots(const Fixture& f, size_t ballots, size_t distinct,
                                         crypto::Rng& rng) {
  EncodedBallots out;
  out.ballots = ballots;
  out.choices = f.context.choices;
  out.expected.assign(out.choices, 0);
  distinct = std::max<size_t>(1, std::min(distinct, ballots));
  std::vector<uint8_t> pool;
  std::vector<size_t> pool_choice;
  for (size_t d = 0; d < distinct; ++d) {
    std::array<uint8_t, 1> pick{};
    rng.Fill(pick);
    const size_t chosen = pick[0] % out.choices;
    pool_choice.push_back(chosen);
    for (size_t i = 0; i < out.choices; ++i) {
      const auto ct = crypto::Encrypt(f.key, i == chosen ? 1 : 0, crypto::RandomScalar(rng));
      const Bytes a = ct.alpha.Encode(), b = ct.beta.Encode();
      Require(a.size() == crypto::kPointBytes && b.size() == crypto::kPointBytes,
              "ciphertext encodes the identity");
      pool.insert(pool.end(), a.begin(), a.end());
      pool.insert(pool.end(), b.begin(), b.end());
    }
  }
  const size_t ballot_bytes = out.choices * kCiphertextBytes;
  out.bytes.resize(ballots * ballot_bytes);
  for (size_t k = 0; k < ballots; ++k) {
    const size_t d = k % distinct;
    std::copy_n(pool.begin() + static_cast<std::ptrdiff_t>(d * ballot_bytes), ballot_bytes,
                out.bytes.begin() + static_cast<std::ptrdiff_t>(k * ballot_bytes));
    ++out.expected[pool_choice[d]];
  }
  return out;
}

// Sums ballots [begin, end) into `sums` (one running sum per choice).
inline bool AggregateRange(const EncodedBallots& eb, size_t begin, size_t end,
                           std::vector<crypto::Ciphertext>& sums) {
  bool ok = true;
  for (size_t k = begin; k < end; ++k) {
    for (size_t i = 0; i < eb.choices; ++i) ok &= AggregateEncoded(eb.At(k, i), sums[i]);
  }
  return ok;
}

// The tally of all ballots with `threads` threads, each with its own running
// sums over a contiguous share of the ballots, combined at the end.
inline Result<std::vector<crypto::Ciphertext>> AggregateInParallel(const EncodedBallots& eb,
                                                                   unsigned threads) {
  threads = std::max(1u, threads);
  std::vector<std::vector<crypto::Ciphertext>> partial(
      threads, std::vector<crypto::Ciphertext>(eb.choices, crypto::ZeroCiphertext()));
  std::vector<char> ok(threads, 1);
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t) {
    const size_t begin = eb.ballots * t / threads, end = eb.ballots * (t + 1) / threads;
    workers.emplace_back(
        [&, t, begin, end] { ok[t] = AggregateRange(eb, begin, end, partial[t]); });
  }
  for (auto& w : workers) w.join();
  if (std::find(ok.begin(), ok.end(), 0) != ok.end()) {
    return MakeError("bench.aggregate", "an encoded ciphertext does not decode");
  }
  std::vector<crypto::Ciphertext> sums = std::move(partial[0]);
  for (unsigned t = 1; t < threads; ++t) {
    for (size_t i = 0; i < eb.choices; ++i) sums[i] += partial[t][i];
  }
  return sums;
}

}  // namespace isoloir::bench
