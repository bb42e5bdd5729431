// `isoloir demo`: a whole election in the terminal, with the real protocol:
// key ceremony of the BVE, voters' credentials, encrypted ballots, checks,
// homomorphic tally, threshold decryption and an independent re-verification.
#include <chrono>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>

#include <sodium.h>

#include "cli/commands.h"
#include "cli/progress.h"
#include "crypto/codec.h"
#include "crypto/credential.h"
#include "crypto/simulation.h"

namespace isoloir::cli {
namespace {

using namespace isoloir::crypto;

struct DemoScrutin {
  std::string code;
  std::string title;
  std::vector<std::string> lists;  // the last entry is the blank vote
};

const std::vector<DemoScrutin> kScrutins = {
    {"CSA", "Comité social d'administration ministériel",
     {"Liste A - Union des agents", "Liste B - Solidarité publique", "Liste C - Front commun",
      "Liste D - Indépendants", "Vote blanc"}},
    {"CAP-A", "Commission administrative paritaire, catégorie A",
     {"Liste A - Union des agents", "Liste C - Front commun", "Vote blanc"}},
};

// The BVE of the demo: 6 fragments, 4 held by délégués (2/3), 1 by the président.
const std::vector<std::string> kHolders = {
    "Président du BVE",        "Secrétaire du BVE",         "Délégué, Union des agents",
    "Délégué, Solidarité publique", "Délégué, Front commun", "Délégué, Indépendants"};
constexpr uint32_t kThreshold = 3;

// A credential's identity in the demo's sets: its encoding.
std::string Id(const Point& p) {
  Bytes e = p.Encode();
  return std::string(e.begin(), e.end());
}

void Step(const std::string& s) { std::cout << "\n== " << s << "\n"; }

// Pads a UTF-8 label to `width` characters (not bytes) for the result table.
std::string Pad(const std::string& s, size_t width) {
  size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  return s + std::string(chars < width ? width - chars : 1, ' ');
}

BallotContext ContextFor(const Digest& election, const DemoScrutin& s) {
  return BallotContext{election, s.code, 1, 1, s.lists.size()};
}

int RunDemo(size_t voters) {
  Rng& rng = SystemRandom();
  const std::string election_id = "demo-2026";
  const Digest election = Sha256(ToBytes("isoloir demo election " + election_id));
  std::cout << "Isoloir demo: an internet vote with " << voters << " voters and "
            << kScrutins.size() << " scrutins, end to end.\n";

  Step("1. Key ceremony of the polling-station board (BVE)");
  SimulatedBoard board = RunKeyCeremony(election, kHolders.size(), kThreshold, rng);
  for (const auto& a : board.announcements) {
    if (!VerifyAnnouncement(board.params, a)) return kExitFailure;
  }
  for (const auto& d : board.dealings) {
    Status st = VerifyDealing(board.params, d);
    if (!st) {
      std::cerr << st.error().ToString() << "\n";
      return kExitFailure;
    }
  }
  for (size_t j = 0; j < kHolders.size(); ++j) {
    std::cout << "   fragment " << j + 1 << " held by " << kHolders[j] << "\n";
  }
  ElectionKey key(board.pub.public_key);
  std::cout << "   any " << kThreshold << " of " << kHolders.size()
            << " fragments decrypt; nobody holds the whole key.\n"
            << "   election public key: " << HexEncode(Sha256(key.point().Encode())).substr(0, 16)
            << "... (fingerprint)\n";

  Step("2. Credentials: one security key per voter, anonymous public credentials");
  std::vector<std::string> keys;
  std::map<std::string, std::set<std::string>> credential_list;  // scrutin -> public credentials
  for (size_t v = 0; v < voters; ++v) {
    keys.push_back(GenerateSecurityKey(rng));
    for (const auto& s : kScrutins) {
      credential_list[s.code].insert(
          Id(CredentialPublic(CredentialSecret(election_id, s.code, keys.back()))));
    }
  }
  std::cout << "   example security key (as printed on a letter): " << FormatSecurityKey(keys[0])
            << "\n   published credential lists: ";
  for (const auto& [code, list] : credential_list) std::cout << code << " " << list.size() << "  ";
  std::cout << "(public keys only, sorted, naming nobody)\n";

  Step("3. Voting: each browser encrypts, proves and signs; the server verifies");
  std::map<std::string, std::vector<Ballot>> urne;
  std::map<std::string, std::vector<uint64_t>> intended;  // for the demo's final check only
  std::map<std::string, std::set<std::string>> used;
  auto start = std::chrono::steady_clock::now();
  size_t cast = 0;
  Progress progress("   ballots", voters * kScrutins.size());
  for (size_t v = 0; v < voters; ++v) {
    for (const auto& s : kScrutins) {
      const BallotContext bc = ContextFor(election, s);
      const size_t choice = randombytes_uniform(static_cast<uint32_t>(s.lists.size()));
      Scalar sk = CredentialSecret(election_id, s.code, keys[v]);
      auto eb = EncryptBallot(bc, key, OneHot(bc.choices, choice), sk, rng);
      // What travels to the server is JSON; the server decodes it strictly.
      auto received = codec::DecodeBallot(codec::Encode(eb->ballot));
      std::string cred = Id(received->credential);
      if (!credential_list[s.code].count(cred) || used[s.code].count(cred) ||
          !VerifyBallot(bc, key, *received)) {
        std::cerr << "\n   a valid ballot was refused\n";
        return kExitFailure;
      }
      used[s.code].insert(cred);
      urne[s.code].push_back(*received);
      auto& counts = intended[s.code];
      counts.resize(bc.choices);
      counts[choice]++;
      progress.Update(++cast);
    }
  }
  progress.Finish();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "   " << std::fixed << std::setprecision(1) << secs
            << " s for encrypting and verifying them all in one process\n";

  Step("4. Attacks the server refuses");
  {
    const auto& s = kScrutins[0];
    const BallotContext bc = ContextFor(election, s);
    Ballot copy = urne[s.code][0];
    std::cout << "   replayed ballot: "
              << (used[s.code].count(Id(copy.credential)) ? "refused (credential already used)"
                                                               : "ACCEPTED")
              << "\n";
    Ballot tampered = copy;
    tampered.choices[0].beta += Point::Generator();
    Status st = VerifyBallot(bc, key, tampered);
    std::cout << "   ballot with a changed ciphertext: "
              << (st ? "ACCEPTED" : "refused (" + st.error().message + ")") << "\n";
    Scalar stranger = RandomScalar(rng);
    auto forged = EncryptBallot(bc, key, OneHot(bc.choices, 0), stranger, rng);
    std::cout << "   ballot signed by an unknown credential: "
              << (credential_list[s.code].count(Id(forged->ballot.credential))
                      ? "ACCEPTED"
                      : "refused (not in the published list)")
              << "\n";
    if (st || !used[s.code].count(Id(copy.credential))) return kExitFailure;
  }

  Step("5. Closing and counting: homomorphic tally, decryption by 3 of 6 holders");
  DlogTable dlog(voters);
  bool all_ok = true;
  for (const auto& s : kScrutins) {
    std::vector<Ciphertext> tally = Aggregate(urne[s.code], s.lists.size());
    // Président, and the délégués of Union des agents and Front commun.
    const std::vector<uint32_t> present = {1, 3, 5};
    std::vector<PartialDecryption> partials;
    for (uint32_t j : present) {
      partials.push_back(PartialDecrypt(election, key.point(), s.code, j, board.shares[j - 1],
                                        tally, rng));
    }
    // A dishonest holder (fragment 2) sends a wrong factor: it is caught and named.
    PartialDecryption bad = PartialDecrypt(election, key.point(), s.code, 2, board.shares[1],
                                           tally, rng);
    bad.factors[0] += Point::Generator();
    partials.insert(partials.begin(), bad);
    auto combined = CombinePartialDecryptions(election, key.point(), s.code, kThreshold,
                                              board.pub.verification_keys, tally, partials);
    if (!combined) {
      std::cerr << combined.error().ToString() << "\n";
      return kExitFailure;
    }
    std::cout << "\n   " << s.code << " - " << s.title << "\n";
    for (uint32_t j : combined->rejected) {
      std::cout << "   rejected partial decryption of " << kHolders[j - 1]
                << " (its proof fails)\n";
    }
    std::cout << "   decrypted by: ";
    for (uint32_t j : combined->used) std::cout << kHolders[j - 1] << "; ";
    std::cout << "\n";
    uint64_t sum = 0;
    for (size_t i = 0; i < s.lists.size(); ++i) {
      auto m = dlog.Solve(combined->plain_points[i]);
      if (!m) return kExitFailure;
      sum += *m;
      std::cout << "     " << Pad(s.lists[i], 34) << std::setw(6) << *m << "\n";
      all_ok &= (*m == intended[s.code][i]);
    }
    std::cout << "     ballots in the urne: " << urne[s.code].size() << ", votes counted: " << sum
              << "\n";
    all_ok &= (sum == urne[s.code].size());
  }

  Step("6. Independent verification (what `isoloir verify` will do on the public record)");
  size_t checked = 0;
  for (const auto& s : kScrutins) {
    const BallotContext bc = ContextFor(election, s);
    std::set<std::string> seen;
    for (const auto& b : urne[s.code]) {
      all_ok &= VerifyBallot(bc, key, b).ok();
      all_ok &= seen.insert(Id(b.credential)).second;
      all_ok &= credential_list[s.code].count(Id(b.credential)) == 1;
      ++checked;
    }
  }
  std::cout << "   " << checked
            << " ballots: proofs, signatures, eligibility, no credential used twice\n"
            << "   result: " << (all_ok ? "every check passed; the counts match the votes cast"
                                         : "A CHECK FAILED")
            << "\n";
  return all_ok ? kExitOk : kExitFailure;
}

}  // namespace

void AddDemoCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("demo", "run a demonstration election in the terminal");
  static size_t voters = 200;
  cmd->add_option("--voters", voters, "number of voters (default 200)")
      ->check(CLI::Range(1, 100000));
  cmd->callback([&exit_code] { exit_code = RunDemo(voters); });
}

}  // namespace isoloir::cli
