// Writes a large honest election record for timing `isoloir verify`
// (bench/record_verify.sh): one scrutin with the standard ballot (10 lists
// + blank), N voters who all vote, a real key ceremony (6 holders, threshold
// 3), the count and the seats. Ballots are encrypted on every core; each
// voter's randomness comes from a stream seeded by its number, so the same
// N gives the same file. Usage: record_speed --ballots N --out FILE
#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

#include "crypto/codec.h"
#include "crypto/dlog.h"
#include "crypto/simulation.h"
#include "election/ballot_shape.h"
#include "election/election_file.h"
#include "election/seats.h"
#include "election/seats_report.h"
#include "record/seal_bodies.h"
#include "record/writer.h"
#include "seal/components.h"

namespace isoloir::bench {
namespace {

using Json = crypto::codec::Json;
namespace codec = crypto::codec;

constexpr uint32_t kHolders = 6, kThreshold = 3;
const char* const kSigles[] = {"SNAD", "CFAD", "UNEX", "FDPA", "SOLI",
                               "AUTO", "UNIT", "CONF", "FEDE", "ALLI"};

// The demo election with one scrutin of 10 lists (the BVE's délégués keep
// their sigles), so that the standard ballot has 11 choices.
election::Election BenchElection() {
  std::ifstream in(std::string(ISOLOIR_SOURCE_DIR) + "/examples/election-demo.json");
  std::stringstream text;
  text << in.rdbuf();
  Json j = Json::parse(text.str());
  Json listes = Json::array();
  for (int l = 0; l < 10; ++l) {
    Json candidats = Json::array();
    for (int c = 0; c < 10; ++c) {
      candidats.push_back({{"nom", std::string("Nom") + std::to_string(l) + std::to_string(c)},
                           {"prenom", "Prénom"},
                           {"sexe", c % 2 ? "H" : "F"}});
    }
    listes.push_back(
        {{"id", "L" + std::to_string(l + 1)}, {"sigle", kSigles[l]}, {"candidats", candidats}});
  }
  j["id"] = "bench-record";
  j["scrutins"] = Json::array({{{"code", "CSA-BENCH"},
                                {"title", "Comité social d'administration (banc d'essai)"},
                                {"mode", "liste"},
                                {"sieges_titulaires", 10},
                                {"sieges_suppleants", 10},
                                {"blank_allowed", true},
                                {"listes", listes}}});
  auto e = election::ParseElectionFile(j.dump());
  if (!e) throw std::runtime_error(e.error().ToString());
  return *e;
}

crypto::DeterministicRng StreamOf(uint64_t i) {
  const std::string seed = "isoloir/bench/record/voter/" + std::to_string(i);
  return crypto::DeterministicRng(ToBytes(seed));
}

struct Cast {
  std::string tracker;
  std::string credential;
  std::string ballot;  // canonical JSON
};

int Run(uint64_t n, const std::string& out_path) {
  const auto t0 = std::chrono::steady_clock::now();
  const election::Election e = BenchElection();
  const crypto::Digest fp = election::ElectionFingerprint(e);
  const election::Scrutin& scrutin = e.scrutins[0];
  crypto::DeterministicRng board_rng(ToBytes("isoloir/bench/record/board"));
  const crypto::SimulatedBoard board = crypto::RunKeyCeremony(fp, kHolders, kThreshold, board_rng);
  const crypto::ElectionKey key(board.pub.public_key);
  const crypto::BallotContext bc = election::ScrutinBallotContext(fp, scrutin);

  std::vector<Cast> casts(n);
  std::atomic<uint64_t> next{0}, done{0};
  std::mutex sums_mutex;
  std::vector<crypto::Ciphertext> sums(bc.choices, crypto::ZeroCiphertext());
  auto work = [&] {
    std::vector<crypto::Ciphertext> mine(bc.choices, crypto::ZeroCiphertext());
    for (uint64_t i = next++; i < n; i = next++) {
      crypto::DeterministicRng rng = StreamOf(i);
      const crypto::Scalar sk = crypto::RandomScalar(rng);
      // Lists get decreasing shares of the votes; one in 11 votes blank.
      const size_t choice = i % 11 == 10 ? 10 : (i * 7919 % 55) / 10 % 10;
      auto eb = crypto::EncryptBallot(bc, key, crypto::OneHot(bc.choices, choice), sk, rng);
      Cast& c = casts[i];
      c.tracker = Base64UrlEncode(crypto::BallotTracker(bc, key, eb->ballot));
      c.credential = codec::Encode(eb->ballot.credential).get<std::string>();
      c.ballot = codec::Canonical(codec::Encode(eb->ballot));
      for (size_t k = 0; k < mine.size(); ++k) mine[k] += eb->ballot.choices[k];
      const uint64_t d = ++done;
      if (d % 1000 == 0) std::fprintf(stderr, "\rrecord_speed: %lu/%lu ballots", d, n);
    }
    std::lock_guard<std::mutex> lock(sums_mutex);
    for (size_t k = 0; k < mine.size(); ++k) sums[k] += mine[k];
  };
  std::vector<std::thread> pool;
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  std::fprintf(stderr, "\n");

  // The count, as the BVE would make it.
  record::CountDocument count;
  count.election_id = e.id;
  count.fingerprint = fp;
  count.tally = {scrutin.code, n, n, sums};
  for (uint32_t j : {1u, 3u, 5u}) {
    count.partials.push_back(crypto::PartialDecrypt(
        fp, key.point(), scrutin.code, j, board.shares[j - 1], count.tally.sums, board_rng));
  }
  auto combined = crypto::CombinePartialDecryptions(fp, key.point(), scrutin.code, kThreshold,
                                                    board.pub.verification_keys, count.tally.sums,
                                                    count.partials);
  if (!combined) throw std::runtime_error(combined.error().ToString());
  const crypto::DlogTable dlog(n);
  record::ResultBody& r = count.result;
  r.scrutin = scrutin.code;
  std::vector<int64_t> votes;
  for (const auto& p : combined->plain_points) r.counts.push_back(*dlog.Solve(p));
  for (size_t l = 0; l < scrutin.listes.size(); ++l) {
    r.listes.push_back({scrutin.listes[l].id, scrutin.listes[l].sigle, r.counts[l]});
    r.exprimes += r.counts[l];
    votes.push_back(static_cast<int64_t>(r.counts[l]));
  }
  r.blancs = r.counts.back();
  r.votants = n;
  r.seed = "banc d'essai";
  r.seats = election::SeatAllocationJson(
      election::AllocateScrutinSeats(scrutin, votes, r.seed)->allocation);

  // The record, ballots in tracker order.
  std::sort(casts.begin(), casts.end(),
            [](const Cast& a, const Cast& b) { return a.tracker < b.tracker; });
  std::vector<std::string> credentials;
  for (const auto& c : casts) credentials.push_back(c.credential);
  std::sort(credentials.begin(), credentials.end());
  std::ofstream out(out_path + ".part", std::ios::binary | std::ios::trunc);
  record::RecordWriter w([&](std::string_view line) {
    out << line << '\n';
    return out ? Status::Ok() : Status(MakeError("write", "cannot write " + out_path));
  });
  record::CeremonyTranscript transcript{
      e.id,           kHolders, kThreshold,          "bench", board.announcements,
      board.dealings, {},       board.pub.public_key};
  bool ok = w.Election(e).ok() && w.Ceremony(transcript).ok() &&
            w.Credentials(scrutin.code, credentials).ok();
  // The seal (docs/seal.md), approved by the président (fragment 1) and a délégué (3).
  seal::Seal sealed{e.id, fp, "initial", seal::ElectionComponents(election::ElectionToJson(e), fp)};
  for (auto& c : seal::KeyComponents(board.pub.public_key, board.pub.verification_keys)) {
    sealed.components.push_back(std::move(c));
  }
  seal::SortComponents(sealed.components);
  std::vector<seal::MemberSignature> approvals;
  const std::vector<std::string> holders = counting::FragmentHolders(e);
  for (uint32_t j : {1u, 3u}) {
    const counting::Fragment f{e.id,
                               fp,
                               board.pub.public_key,
                               j,
                               holders[j - 1],
                               board.shares[j - 1],
                               board.pub.verification_keys[j - 1]};
    approvals.push_back(seal::SignAsMember(f, "seal", seal::SealDigest(sealed), board_rng));
  }
  ok = ok && w.Append(record::EntryType::kSeal, record::SealBodyJson(sealed, approvals)).ok();
  for (const auto& c : casts) {
    ok =
        ok && w.Append(record::EntryType::kBallot,
                       record::BallotBodyJson(scrutin.code, c.tracker, *codec::ParseJson(c.ballot)))
                  .ok();
  }
  ok = ok && w.Closing({{scrutin.code, n, n}}).ok() && w.Count(count).ok();
  auto head = w.Finish();
  out.close();
  if (!ok || !head || !out) {
    std::fprintf(stderr, "record_speed: cannot write %s\n", out_path.c_str());
    return 1;
  }
  std::rename((out_path + ".part").c_str(), out_path.c_str());
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("record_speed: %s: %lu ballots, %lu entries, head %s, written in %.0f s\n",
              out_path.c_str(), n, w.entries(), HexEncode(*head).c_str(), secs);
  return 0;
}

}  // namespace
}  // namespace isoloir::bench

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 1;
  uint64_t n = 100000;
  std::string out;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--ballots") == 0) n = std::stoull(argv[i + 1]);
    if (std::strcmp(argv[i], "--out") == 0) out = argv[i + 1];
  }
  if (out.empty() || n == 0) {
    std::fprintf(stderr, "usage: record_speed --ballots N --out FILE\n");
    return 2;
  }
  return isoloir::bench::Run(n, out);
}
