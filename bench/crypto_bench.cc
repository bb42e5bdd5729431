// Google Benchmark versions of the `isoloir bench` measurements, for
// comparisons across commits (--benchmark_format=json, compare.py) and for
// profiling one operation at a time (--benchmark_filter=...).
#include <benchmark/benchmark.h>

#include "cli/bench_fixture.h"

namespace isoloir::bench {
namespace {

using crypto::Point;
using crypto::Scalar;

constexpr size_t kPool = 64;

crypto::Rng& Rand() { return crypto::SystemRandom(); }

const Fixture& F() {
  static const Fixture* f = new Fixture(Rand());
  return *f;
}
const std::vector<Point>& Points() {
  static const auto* v = new std::vector<Point>(RandomPoints(kPool, Rand()));
  return *v;
}
const std::vector<Scalar>& Scalars() {
  static const auto* v = new std::vector<Scalar>(RandomScalars(kPool, Rand()));
  return *v;
}
const std::vector<Scalar>& Scalars2() {
  static const auto* v = new std::vector<Scalar>(RandomScalars(kPool, Rand()));
  return *v;
}

// ------------------------------------------------------------ group operations

void BM_VariableBaseMul(benchmark::State& state) {
  const auto& p = Points();
  const auto& k = Scalars();
  size_t i = 0;
  for (auto _ : state) {
    Point r = p[i % kPool].Mul(k[i % kPool]);
    benchmark::DoNotOptimize(r.raw());
    ++i;
  }
}
BENCHMARK(BM_VariableBaseMul)->Unit(benchmark::kMicrosecond);

void BM_FixedBaseMul(benchmark::State& state) {
  const auto& k = Scalars();
  size_t i = 0;
  for (auto _ : state) {
    Point r = Point::MulBase(k[i++ % kPool]);
    benchmark::DoNotOptimize(r.raw());
  }
}
BENCHMARK(BM_FixedBaseMul)->Unit(benchmark::kMicrosecond);

void BM_ElectionKeyMul(benchmark::State& state) {
  const auto& table = F().key.table();
  const auto& k = Scalars();
  size_t i = 0;
  for (auto _ : state) {
    Point r = table.Mul(k[i++ % kPool]);
    benchmark::DoNotOptimize(r.raw());
  }
}
BENCHMARK(BM_ElectionKeyMul)->Unit(benchmark::kMicrosecond);

void BM_DoubleScalarMul(benchmark::State& state) {
  const auto& p = Points();
  const auto& a = Scalars();
  const auto& b = Scalars2();
  size_t i = 0;
  for (auto _ : state) {
    Point r = Point::MulBaseAddPublic(a[i % kPool], p[i % kPool], b[i % kPool]);
    benchmark::DoNotOptimize(r.raw());
    ++i;
  }
}
BENCHMARK(BM_DoubleScalarMul)->Unit(benchmark::kMicrosecond);

// The accumulator is never normalised and the addends are affine (decoded),
// as in a tally.
void BM_PointAdd(benchmark::State& state) {
  const auto& p = Points();
  Point acc;
  size_t i = 0;
  for (auto _ : state) acc += p[i++ % kPool];
  benchmark::DoNotOptimize(acc.raw());
}
BENCHMARK(BM_PointAdd);

void BM_PointDecode(benchmark::State& state) {
  std::vector<Bytes> enc;
  for (const auto& p : Points()) enc.push_back(p.Encode());
  size_t i = 0;
  for (auto _ : state) {
    auto r = Point::Decode(enc[i++ % kPool]);
    benchmark::DoNotOptimize(r.ok());
  }
}
BENCHMARK(BM_PointDecode);

void BM_PointEncode(benchmark::State& state) {  // of a non-normalised point
  const auto& p = Points();
  std::vector<Point> sums;
  for (size_t i = 0; i < kPool; ++i) sums.push_back(p[i] + p[(i + 1) % kPool]);
  size_t i = 0;
  for (auto _ : state) {
    Bytes b = sums[i++ % kPool].Encode();
    benchmark::DoNotOptimize(b.data());
  }
}
BENCHMARK(BM_PointEncode);

// --------------------------------------------------------------------- ballots

void BM_EncryptStandardBallot(benchmark::State& state) {
  const Fixture& f = F();
  for (auto _ : state) {
    auto eb = f.EncryptStandardBallot(Rand());
    if (!eb.ok()) state.SkipWithError("EncryptBallot failed");
  }
}
BENCHMARK(BM_EncryptStandardBallot)->Unit(benchmark::kMillisecond);

// From the canonical JSON text: ParseJson + DecodeBallot + VerifyBallot.
void BM_VerifyStandardBallot(benchmark::State& state) {
  const Fixture& f = F();
  for (auto _ : state) {
    if (!f.VerifyBallotText(f.ballot_text).ok()) state.SkipWithError("VerifyBallot failed");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyStandardBallot)->Unit(benchmark::kMillisecond);

void BM_DecodeStandardBallot(benchmark::State& state) {
  const Fixture& f = F();
  for (auto _ : state) {
    if (!f.DecodeBallotText(f.ballot_text).ok()) state.SkipWithError("DecodeBallot failed");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.ballot_text.size()));
}
BENCHMARK(BM_DecodeStandardBallot)->Unit(benchmark::kMicrosecond);

// ----------------------------------------------------------------------- tally

// Two 65-byte encodings decoded and added into running sums. With threads,
// each thread has its own sums (as in AggregateInParallel).
void BM_AggregateCiphertext(benchmark::State& state) {
  static const EncodedBallots* eb = [] {
    static const EncodedBallots v = MakeEncodedBallots(F(), kPool, kPool, Rand());
    return &v;
  }();
  std::vector<crypto::Ciphertext> sums(eb->choices, crypto::ZeroCiphertext());
  size_t k = 0;
  const size_t n = eb->ballots * eb->choices;
  for (auto _ : state) {
    const size_t c = k % eb->choices;
    if (!AggregateEncoded(eb->At((k % n) / eb->choices, c), sums[c])) {
      state.SkipWithError("an encoded ciphertext does not decode");
    }
    ++k;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AggregateCiphertext)->ThreadRange(1, 2)->UseRealTime();

// 2,000 standard ballots summed by 2 threads (AggregateInParallel).
void BM_Tally2Threads(benchmark::State& state) {
  static const EncodedBallots eb = MakeEncodedBallots(F(), 2'000, 100, Rand());
  for (auto _ : state) {
    auto sums = AggregateInParallel(eb, 2);
    if (!sums.ok()) state.SkipWithError("aggregation failed");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * eb.ballots));
  state.counters["ballots"] = static_cast<double>(eb.ballots);
}
BENCHMARK(BM_Tally2Threads)->Unit(benchmark::kMillisecond)->UseRealTime();

// ------------------------------------------------------------------ decryption

void BM_PartialDecryption(benchmark::State& state) {  // 11 choices
  const Fixture& f = F();
  for (auto _ : state) {
    auto pd = f.PartialDecryptTally(1, Rand());
    benchmark::DoNotOptimize(pd.factors.data());
  }
}
BENCHMARK(BM_PartialDecryption)->Unit(benchmark::kMillisecond);

// Verifies the 3 partial decryptions (33 proofs), then combines them.
void BM_Combine(benchmark::State& state) {
  const Fixture& f = F();
  for (auto _ : state) {
    auto c = f.CombineTally();
    if (!c.ok()) state.SkipWithError("CombinePartialDecryptions failed");
  }
}
BENCHMARK(BM_Combine)->Unit(benchmark::kMillisecond);

void BM_DlogBuild(benchmark::State& state) {  // table for counts up to 10^7
  for (auto _ : state) {
    crypto::DlogTable t(kDlogBound);
    benchmark::DoNotOptimize(t.bound());
  }
}
BENCHMARK(BM_DlogBuild)->Unit(benchmark::kMillisecond);

// Solve with a prebuilt table, for m = 10^7 (the worst case).
void BM_Dlog(benchmark::State& state) {
  static const crypto::DlogTable table(kDlogBound);
  const Point target = Point::MulBase(Scalar::FromUint64(kDlogBound));
  for (auto _ : state) {
    auto m = table.Solve(target);
    if (!m.ok() || *m != kDlogBound) state.SkipWithError("Solve failed");
  }
}
BENCHMARK(BM_Dlog)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace isoloir::bench

BENCHMARK_MAIN();
