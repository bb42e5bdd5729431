// `isoloir bench`: how fast the cryptographic core is on this machine, in the
// terms of the capacity plan (docs: ballots verified per second per core, a
// tally of a million ballots, the decryption ceremony). Every figure is the
// median of several timed batches; everything is single-threaded except the
// tally, which says so.
#include <openssl/crypto.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/bench_fixture.h"
#include "cli/commands.h"

namespace isoloir::cli {
namespace {

using Clock = std::chrono::steady_clock;
using crypto::Point;
using crypto::Scalar;
using Json = crypto::codec::Json;

double MicrosSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Per-operation times of one measurement, in microseconds.
struct Timing {
  double median = 0, min = 0, max = 0;
  int repetitions = 0;
  long batch = 0;  // operations per timed batch
};

Json ToJson(const Timing& t) {
  return Json{{"median_us", t.median},
              {"min_us", t.min},
              {"max_us", t.max},
              {"repetitions", t.repetitions},
              {"batch", t.batch}};
}

// Times op(i) in batches sized to last about `target_us`, after a warm-up,
// and keeps the median of `repetitions` batches.
class Timer {
 public:
  explicit Timer(bool quick) : repetitions_(quick ? 3 : 9), target_us_(quick ? 15'000 : 150'000) {}

  template <typename Op>
  Timing Run(Op&& op, int repetitions = 0) {
    if (repetitions <= 0) repetitions = repetitions_;
    long index = 0;
    const long batch = Calibrate(op, index);
    std::vector<double> per_op;
    for (int r = 0; r < repetitions; ++r) per_op.push_back(TimeBatch(op, batch, index));
    return Summarise(per_op, batch);
  }

  // Two operations timed in alternating batches, so that a change of the
  // machine's speed (a shared VM) affects both alike; the ratio b/a is the
  // median of the per-repetition ratios.
  struct Pair {
    Timing a, b;
    double ratio = 0;
  };
  template <typename OpA, typename OpB>
  Pair RunPair(OpA&& op_a, OpB&& op_b) {
    long index_a = 0, index_b = 0;
    const long batch_a = Calibrate(op_a, index_a), batch_b = Calibrate(op_b, index_b);
    std::vector<double> a, b, ratios;
    for (int r = 0; r < repetitions_; ++r) {
      a.push_back(TimeBatch(op_a, batch_a, index_a));
      b.push_back(TimeBatch(op_b, batch_b, index_b));
      ratios.push_back(b.back() / a.back());
    }
    return Pair{Summarise(a, batch_a), Summarise(b, batch_b), Median(ratios)};
  }

 private:
  // Warm-up, then grows the batch until it lasts >= 1/8 of the target, and
  // returns the batch size that should last about the target.
  template <typename Op>
  long Calibrate(Op& op, long& index) {
    op(index++);
    long n = 1;
    double us = 0;
    for (;;) {
      auto t0 = Clock::now();
      for (long i = 0; i < n; ++i) op(index++);
      us = MicrosSince(t0);
      if (us * 8 >= target_us_ || n >= (1L << 24)) break;
      n *= 4;
    }
    return std::max(1L, static_cast<long>(target_us_ / std::max(us / n, 0.001)));
  }
  template <typename Op>
  double TimeBatch(Op& op, long batch, long& index) {
    auto t0 = Clock::now();
    for (long i = 0; i < batch; ++i) op(index++);
    return MicrosSince(t0) / static_cast<double>(batch);
  }
  Timing Summarise(const std::vector<double>& per_op, long batch) const {
    Timing t;
    t.median = Median(per_op);
    t.min = *std::min_element(per_op.begin(), per_op.end());
    t.max = *std::max_element(per_op.begin(), per_op.end());
    t.repetitions = static_cast<int>(per_op.size());
    t.batch = batch;
    return t;
  }

  int repetitions_;
  double target_us_;
};

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string Thousands(uint64_t v) {
  const std::string digits = std::to_string(v);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  return "unknown";
}

// The 1-minute load average: other work on the machine skews every figure.
double LoadAverage() {
  std::ifstream in("/proc/loadavg");
  double load = -1;
  in >> load;
  return load;
}

// Text lines as results arrive (unless --json), and the JSON document.
class Report {
 public:
  explicit Report(bool json) : json_(json) {}
  void Line(const std::string& text) {
    if (!json_) std::cout << text << std::endl;
  }
  Json& doc() { return doc_; }
  void Finish() {
    if (json_) std::cout << doc_.dump(2) << std::endl;
  }

 private:
  bool json_;
  Json doc_ = Json::object();
};

// Stops the benchmark: a core operation failed on honest input.
struct BenchFailure {
  std::string what;
};
void Check(bool ok, const char* what) {
  if (!ok) throw BenchFailure{what};
}

void RunBench(bool quick, Report& out) {
  crypto::Rng& rng = crypto::SystemRandom();
  Timer timer(quick);
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());

  out.Line("isoloir bench: " + std::to_string(cores) + " cores, " +
           OpenSSL_version(OPENSSL_VERSION) + (quick ? " (quick: few repetitions)" : ""));
  const double load = LoadAverage();
  out.Line("cpu: " + CpuModel() + "; load average " + Fixed(load, 2) + "; medians of " +
           std::to_string(quick ? 3 : 9) + " timed batches, single thread unless stated");
  if (load >= cores) {
    out.Line("warning: the machine is busy (load " + Fixed(load, 2) + " on " +
             std::to_string(cores) + " cores): the figures below are pessimistic");
  }
  Json& doc = out.doc();
  doc["machine"] = Json{{"cores", cores},
                        {"cpu", CpuModel()},
                        {"load_average", load},
                        {"openssl", OpenSSL_version(OPENSSL_VERSION)}};
  doc["mode"] = quick ? "quick" : "full";
  Json& results = doc["results"];

  auto t_setup = Clock::now();
  const bench::Fixture f(rng);
  out.Line("setup (key ceremony of " + std::to_string(bench::kHolders) + " holders, threshold " +
           std::to_string(bench::kThreshold) +
           "; one standard ballot): " + Fixed(MicrosSince(t_setup) / 1000, 0) + " ms");
  Check(f.VerifyBallotText(f.ballot_text).ok(), "the standard ballot does not verify");

  // ------------------------------------------------------- group operations
  constexpr size_t kPool = 64;
  const auto points = bench::RandomPoints(kPool, rng);
  const auto scalars = bench::RandomScalars(kPool, rng);
  const auto scalars2 = bench::RandomScalars(kPool, rng);
  long sink = 0;  // keeps results observable

  auto var_mul_op = [&](long i) {
    Point r = points[i % kPool].Mul(scalars[i % kPool]);
    sink += r.IsIdentity();
  };
  const Timing var_mul = timer.Run(var_mul_op);
  out.Line("variable-base multiplication: " + Fixed(var_mul.median, 1) + " us");
  results["variable_base_mul"] = ToJson(var_mul);

  const Timing fixed_mul = timer.Run([&](long i) {
    Point r = Point::MulBase(scalars[i % kPool]);
    sink += r.IsIdentity();
  });
  out.Line("fixed-base multiplication: " + Fixed(fixed_mul.median, 1) + " us");
  results["fixed_base_mul"] = ToJson(fixed_mul);

  const Timing key_mul = timer.Run([&](long i) {
    Point r = f.key.table().Mul(scalars[i % kPool]);
    sink += r.IsIdentity();
  });
  out.Line("  fixed-base multiplication by the election key (FixedBase): " +
           Fixed(key_mul.median, 1) + " us");
  results["election_key_mul"] = ToJson(key_mul);

  const Timing double_mul = timer.Run([&](long i) {
    Point r = Point::MulBaseAddPublic(scalars[i % kPool], points[i % kPool], scalars2[i % kPool]);
    sink += r.IsIdentity();
  });
  out.Line("double-scalar multiplication: " + Fixed(double_mul.median, 1) + " us");
  results["double_scalar_mul"] = ToJson(double_mul);

  const Timing key_double_mul = timer.Run([&](long i) {
    Point r =
        f.key.table().MulAddPublic(scalars[i % kPool], points[i % kPool], scalars2[i % kPool]);
    sink += r.IsIdentity();
  });
  out.Line("  double-scalar multiplication with the election key (FixedBase::MulAddPublic): " +
           Fixed(key_double_mul.median, 1) + " us");
  results["election_key_double_mul"] = ToJson(key_double_mul);

  Point acc;
  auto add_op = [&](long i) { acc += points[i % kPool]; };
  const Timing add = timer.Run(add_op);
  sink += acc.IsIdentity();
  out.Line("point addition: " + Fixed(add.median, 2) + " us");
  results["point_add"] = ToJson(add);

  std::vector<Bytes> encoded_points;
  for (const auto& p : points) encoded_points.push_back(p.Encode());
  const Timing decode = timer.Run([&](long i) {
    auto p = Point::Decode(encoded_points[i % kPool]);
    sink += p.ok();
  });
  out.Line("  point decoding (65 bytes, on-curve check): " + Fixed(decode.median, 2) + " us");
  results["point_decode"] = ToJson(decode);

  std::vector<Point> jacobian;  // sums, as proof verification produces them
  for (size_t i = 0; i < kPool; ++i) jacobian.push_back(points[i] + points[(i + 1) % kPool]);
  const Timing encode = timer.Run([&](long i) { sink += jacobian[i % kPool].Encode().size(); });
  out.Line("  point encoding of a non-normalised point (field inversion): " +
           Fixed(encode.median, 2) + " us");
  results["point_encode"] = ToJson(encode);

  // ---------------------------------------------------------------- ballots
  const Timing encrypt = timer.Run([&](long) {
    auto eb = f.EncryptStandardBallot(rng);
    Check(eb.ok(), "EncryptBallot failed");
  });
  out.Line("encrypt+prove standard ballot: " + Fixed(encrypt.median / 1000, 2) + " ms");
  results["encrypt_standard_ballot"] = ToJson(encrypt);

  const auto verify_pair = timer.RunPair(var_mul_op, [&](long) {
    Check(f.VerifyBallotText(f.ballot_text).ok(), "VerifyBallot failed");
  });
  const Timing& verify = verify_pair.b;
  out.Line("verify standard ballot: " + Fixed(verify.median / 1000, 2) + " ms");
  out.Line("  (from its canonical JSON, " + Thousands(f.ballot_text.size()) +
           " bytes: ParseJson + DecodeBallot + VerifyBallot)");
  results["verify_standard_ballot"] = ToJson(verify);

  const Timing decode_ballot = timer.Run(
      [&](long) { Check(f.DecodeBallotText(f.ballot_text).ok(), "DecodeBallot failed"); });
  out.Line("verify standard ballot decode only: " + Fixed(decode_ballot.median / 1000, 3) + " ms");
  results["decode_standard_ballot"] = ToJson(decode_ballot);

  const double verify_ratio = verify_pair.ratio;
  out.Line("verify standard ballot = " + Fixed(verify_ratio, 1) +
           " variable-base multiplications (target <= 80)");
  out.Line("  (median ratio over batches alternating with variable-base multiplications, " +
           Fixed(verify_pair.a.median, 1) + " us each meanwhile)");
  const double per_second = 1e6 / verify.median;
  out.Line("ballots verified per second per core: " + Thousands(static_cast<uint64_t>(per_second)));
  doc["verify_in_variable_base_muls"] = verify_ratio;
  doc["verify_target_met"] = verify_ratio <= 80;
  doc["ballots_verified_per_second_per_core"] = per_second;

  // ------------------------------------------------------------------ tally
  const auto few = bench::MakeEncodedBallots(f, kPool, kPool, rng);
  std::vector<crypto::Ciphertext> sums(f.context.choices, crypto::ZeroCiphertext());
  const auto aggregate_pair = timer.RunPair(add_op, [&](long i) {
    const size_t k = static_cast<size_t>(i) % (kPool * few.choices);
    Check(bench::AggregateEncoded(few.At(k / few.choices, k % few.choices), sums[k % few.choices]),
          "an encoded ciphertext does not decode");
  });
  const Timing& aggregate = aggregate_pair.b;
  const double aggregate_ratio = aggregate_pair.ratio;
  out.Line("aggregate one ciphertext (decode + add): " + Fixed(aggregate.median, 2) +
           " us = " + Fixed(aggregate_ratio, 1) + " point additions (target <= 3)");
  out.Line(
      "  (2 point decodings + 2 additions; median ratio over batches alternating with "
      "point additions, " +
      Fixed(aggregate_pair.a.median, 2) + " us each meanwhile)");
  results["aggregate_ciphertext"] = ToJson(aggregate);
  doc["aggregate_in_point_additions"] = aggregate_ratio;
  doc["aggregate_target_met"] = aggregate_ratio <= 3;

  const size_t sample_ballots = quick ? 2'000 : 20'000;
  const unsigned tally_threads = 2;
  const auto sample = bench::MakeEncodedBallots(f, sample_ballots, quick ? 50 : 200, rng);
  std::vector<double> runs;
  std::vector<crypto::Ciphertext> tally;
  for (int r = 0; r < (quick ? 2 : 5); ++r) {
    auto t0 = Clock::now();
    auto s = bench::AggregateInParallel(sample, tally_threads);
    runs.push_back(MicrosSince(t0));
    Check(s.ok(), "parallel aggregation failed");
    tally = std::move(s).value();
  }
  const double tally_us = Median(runs);
  const double ballots_per_s = sample_ballots / (tally_us / 1e6);
  const double million_s = 1e6 / ballots_per_s;
  // The sums must decrypt to the counts that went in.
  const crypto::DlogTable small_dlog(sample_ballots);
  auto counts = crypto::DecryptTally(f.board, bench::kTallyScope, f.decrypting_holders, tally,
                                     small_dlog, rng);
  Check(counts.ok() && *counts == sample.expected, "the sample tally does not decrypt correctly");
  out.Line("tally of 1,000,000 standard ballots, 2 threads: estimated " + Fixed(million_s, 1) +
           " s");
  out.Line("  measured: " + Thousands(sample_ballots) + " ballots (" +
           Thousands(sample_ballots * sample.choices) + " ciphertexts) in " +
           Fixed(tally_us / 1000, 0) +
           " ms with 2 threads = " + Thousands(static_cast<uint64_t>(ballots_per_s)) +
           " ballots/s, " + Thousands(static_cast<uint64_t>(ballots_per_s * sample.choices)) +
           " ciphertexts/s (median of " + std::to_string(runs.size()) +
           " runs; the sums were decrypted and match the expected counts)");
  doc["tally"] = Json{{"threads", tally_threads},
                      {"sample_ballots", sample_ballots},
                      {"sample_ciphertexts", sample_ballots * sample.choices},
                      {"median_sample_ms", tally_us / 1000},
                      {"runs", runs.size()},
                      {"ballots_per_second", ballots_per_s},
                      {"ciphertexts_per_second", ballots_per_s * sample.choices},
                      {"estimated_1m_ballots_s", million_s},
                      {"checked", true}};

  // ------------------------------------------------------------- decryption
  const Timing partial = timer.Run([&](long) {
    auto pd = f.PartialDecryptTally(1, rng);
    sink += static_cast<long>(pd.factors.size());
  });
  out.Line("partial decryption (11 choices): " + Fixed(partial.median / 1000, 2) + " ms");
  results["partial_decryption"] = ToJson(partial);

  const Timing combine = timer.Run([&](long) {
    auto c = f.CombineTally();
    Check(c.ok() && c->rejected.empty(), "CombinePartialDecryptions failed");
  });
  out.Line("combination of 3 partial decryptions (11 choices): " + Fixed(combine.median / 1000, 2) +
           " ms");
  out.Line("  (includes verifying the 3 partial decryptions: 33 Chaum-Pedersen proofs)");
  results["combine_partial_decryptions"] = ToJson(combine);

  const int dlog_reps = quick ? 3 : 5;
  const Timing dlog_build = timer.Run(
      [&](long) {
        crypto::DlogTable t(bench::kDlogBound);
        sink += static_cast<long>(t.bound());
      },
      dlog_reps);
  const crypto::DlogTable dlog(bench::kDlogBound);
  const Point worst = Point::MulBase(Scalar::FromUint64(bench::kDlogBound));
  const Timing dlog_worst = timer.Run(
      [&](long) {
        auto m = dlog.Solve(worst);
        Check(m.ok() && *m == bench::kDlogBound, "dlog failed");
      },
      dlog_reps);
  std::vector<uint64_t> values;
  std::vector<Point> targets;
  for (int i = 0; i < 16; ++i) {
    std::array<uint8_t, 8> b{};
    rng.Fill(b);
    uint64_t v = 0;
    for (uint8_t x : b) v = (v << 8) | x;
    values.push_back(v % (bench::kDlogBound + 1));
    targets.push_back(Point::MulBase(Scalar::FromUint64(values.back())));
  }
  const Timing dlog_random = timer.Run(
      [&](long i) {
        auto m = dlog.Solve(targets[i % 16]);
        Check(m.ok() && *m == values[i % 16], "dlog failed");
      },
      dlog_reps);
  out.Line("discrete log up to 10^7: " + Fixed((dlog_build.median + dlog_worst.median) / 1000, 1) +
           " ms");
  out.Line("  (table build " + Fixed(dlog_build.median / 1000, 1) + " ms, then solve " +
           Fixed(dlog_worst.median / 1000, 1) + " ms in the worst case m = 10^7, " +
           Fixed(dlog_random.median / 1000, 1) + " ms on average for a random m)");
  results["dlog_table_build"] = ToJson(dlog_build);
  results["dlog_solve_worst"] = ToJson(dlog_worst);
  results["dlog_solve_random"] = ToJson(dlog_random);

  if (sink == -1) out.Line("");  // never true; keeps `sink` live
}

}  // namespace

void AddBenchCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "bench", "time the cryptographic core (medians; single thread unless stated)");
  static bool quick = false, json = false;
  cmd->add_flag("--quick", quick, "few repetitions and a small tally sample (a CI smoke test)");
  cmd->add_flag("--json", json, "print the results as one JSON document");
  cmd->callback([&exit_code] {
    Report report(json);
    const auto t0 = Clock::now();
    try {
      RunBench(quick, report);
    } catch (const BenchFailure& e) {
      std::cerr << "bench: " << e.what << "\n";
      exit_code = kExitFailure;
      return;
    } catch (const std::exception& e) {
      std::cerr << "bench: " << e.what() << "\n";
      exit_code = kExitFailure;
      return;
    }
    const double total_s = MicrosSince(t0) / 1e6;
    report.doc()["total_s"] = total_s;
    report.Line("total: " + Fixed(total_s, 1) + " s");
    report.Finish();
    exit_code = kExitOk;
  });
}

}  // namespace isoloir::cli
