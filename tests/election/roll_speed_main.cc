// Manual speed check of the roll import (not a test, not in ctest):
//
//   election_roll_speed gen   FILE [ROWS=1000000]   write a synthetic roll
//   election_roll_speed parse FILE [stream|collect] [REPEAT=3]
//   election_roll_speed diff  FILE
//
// "stream" counts the entries the parser hands over (what `isoloir roll
// import` does when it stages entries in the store as they come); "collect"
// keeps every entry in memory (ParseRoll). Prints the median wall time and
// the process's peak resident memory (getrusage). "diff" parses FILE, makes
// an "old" roll from it (0.5 % removed, 1 % with another e-mail) and times
// DiffRolls between the two, as `isoloir roll import` does before asking for
// confirmation.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "election/paris_time.h"
#include "election/roll.h"
#include "election/roll_diff.h"
#include "election/roll_generator.h"

using namespace isoloir::election;

namespace {

const std::vector<std::string> kCodes = {"CSA-MIN", "CSA-PROX", "CAP-A", "CAP-B", "CAP-C", "CCP"};

Election SpeedElection() {
  Election e;
  e.id = "speed";
  for (const auto& c : kCodes)
    e.scrutins.push_back(Scrutin{c, c, VoteMode::kList, 10, 10, true, {}});
  e.window.opening = *ParseParisLocal("2026-12-01T09:00");
  e.window.closing = *ParseParisLocal("2026-12-08T17:00");
  return e;
}

double PeakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

int Usage() {
  std::fprintf(stderr,
               "usage: election_roll_speed gen FILE [ROWS]\n"
               "       election_roll_speed parse FILE [stream|collect] [REPEAT]\n"
               "       election_roll_speed diff FILE\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return Usage();
  const std::string cmd = argv[1];
  const std::string file = argv[2];
  using Clock = std::chrono::steady_clock;
  if (cmd == "gen") {
    const uint64_t rows = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1000000;
    std::ofstream out(file, std::ios::binary);
    const auto t0 = Clock::now();
    GenerateSyntheticRoll(rows, kCodes, 2026, out);
    out.close();
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    std::printf("generated %llu rows in %.2f s\n", static_cast<unsigned long long>(rows), s);
    return out ? 0 : 1;
  }
  if (cmd == "diff") {
    std::ifstream in(file, std::ios::binary);
    RollImport r = ParseRoll(in, SpeedElection());
    if (!r.report.ok()) return 1;
    std::vector<Voter> old;
    old.reserve(r.entries.size());
    for (size_t i = 0; i < r.entries.size(); ++i) {
      if (i % 200 == 7) continue;
      old.push_back(r.entries[i].voter);
      if (i % 100 == 3) old.back().courriel = "ancien." + old.back().courriel;
    }
    const auto t0 = Clock::now();
    RollDiff d = DiffRolls(old, r.entries);
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    const std::string summary = d.Summary(3);
    std::printf("%s\ndiff of %zu against %zu voters: %.2f s, peak RSS %.0f MiB\n", summary.c_str(),
                old.size(), r.entries.size(), s, PeakRssMiB());
    return 0;
  }
  if (cmd != "parse") return Usage();
  const bool collect = argc > 3 && std::string(argv[3]) == "collect";
  const int repeat = argc > 4 ? std::atoi(argv[4]) : 3;
  const Election election = SpeedElection();
  std::vector<double> times;
  uint64_t voters = 0, bytes = 0;
  for (int i = 0; i < repeat; ++i) {
    std::ifstream in(file, std::ios::binary);
    in.seekg(0, std::ios::end);
    bytes = static_cast<uint64_t>(in.tellg());
    in.seekg(0);
    const auto t0 = Clock::now();
    if (collect) {
      RollImport r = ParseRoll(in, election);
      if (!r.report.ok()) {
        std::fprintf(stderr, "%s\n", r.report.Summary().c_str());
        return 1;
      }
      voters = r.entries.size();
      times.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    } else {
      uint64_t n = 0;
      RollReport r =
          ParseRollStream(in, election, [&](std::vector<RollEntry>& b) { n += b.size(); });
      if (!r.ok()) {
        std::fprintf(stderr, "%s\n", r.Summary().c_str());
        return 1;
      }
      voters = n;
      times.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    }
  }
  std::sort(times.begin(), times.end());
  const double median = times[times.size() / 2];
  std::printf(
      "%s: %llu voters, %.1f MB, median %.2f s over %d runs (min %.2f, max %.2f), "
      "%.0f rows/s, %.0f MB/s, peak RSS %.0f MiB\n",
      collect ? "collect" : "stream", static_cast<unsigned long long>(voters),
      static_cast<double>(bytes) / 1e6, median, repeat, times.front(), times.back(),
      static_cast<double>(voters) / median, static_cast<double>(bytes) / 1e6 / median,
      PeakRssMiB());
  return 0;
}
