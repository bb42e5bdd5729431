// Measures the roll store with a large synthetic roll, and the urne's public
// credential list of the same size (not a test; not in ctest). Usage:
//   roll_insert_speed sqlite [VOTERS]      (data folder in a temporary directory)
//   roll_insert_speed postgresql [VOTERS]  (needs ISOLOIR_TEST_PG, e.g. under
//                                           scripts/with-postgres.sh)
// Prints seconds per step and the process's peak resident set size.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "test_support.h"

using namespace isoloir;
using namespace isoloir::store;

namespace {

double PeakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

template <typename F>
void Step(const char* name, F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%-40s %8.2f s   peak RSS %7.0f MiB\n", name, s, PeakRssMiB());
  std::fflush(stdout);
}

// 44 base64url characters, like an encoded public credential; in no
// relation to the matricule order.
std::string Credential(size_t i) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  uint64_t x = i * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;
  std::string out;
  out.reserve(44);
  while (out.size() < 44) {
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 29;
    out += kAlphabet[x >> 58];
  }
  return out;
}

void Check(const Status& st) {
  if (!st) {
    std::fprintf(stderr, "%s\n", st.error().ToString().c_str());
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: roll_insert_speed sqlite|postgresql [VOTERS]\n");
    return 2;
  }
  auto backend = ParseBackend(argv[1]);
  if (!backend) {
    std::fprintf(stderr, "%s\n", backend.error().message.c_str());
    return 2;
  }
  const size_t n = argc > 2 ? std::stoul(argv[2]) : 1000000;
  if (*backend == Backend::kPostgres && store::testing::PostgresAdminConninfo().empty()) {
    std::fprintf(stderr, "%s\n", store::testing::kNoPostgres);
    return 2;
  }
  store::testing::TestLocation loc(*backend);
  std::printf("backend %s, %zu voters\n", std::string(BackendName(*backend)).c_str(), n);

  std::vector<election::Voter> voters;
  Step("make the voters (in memory)", [&] { voters = store::testing::MakeVoters(n); });
  auto roll = OpenRollStore(loc.config());
  Check(roll ? Status::Ok() : Status(roll.error()));
  Check((*roll)->PutElection({"E2026", "{}", std::string(64, 'a'), 1, false, 0}));

  Step("ReplaceRoll into an empty roll", [&] { Check((*roll)->ReplaceRoll("E2026", voters)); });
  // Reassort verifiers, as the import writes them ("v1:" + 64 hex), in the
  // roll file's order (here: reversed).
  std::vector<ReassortRecord> reassort;
  reassort.reserve(voters.size());
  for (auto it = voters.rbegin(); it != voters.rend(); ++it) {
    reassort.push_back({it->matricule, "v1:" + std::string(64, 'c')});
  }
  Step("PutReassortVerifiers for every voter",
       [&] { Check((*roll)->PutReassortVerifiers("E2026", reassort)); });
  reassort.clear();
  reassort.shrink_to_fit();  // peak RSS: only the voters are held, as before
  for (size_t i = 0; i < n; i += 100) voters[i].adresse = "Nouvelle adresse";
  voters.pop_back();
  Step("ReplaceRoll again (1% changed, 1 removed)",
       [&] { Check((*roll)->ReplaceRoll("E2026", voters)); });
  std::vector<CredentialRecord> creds;
  creds.reserve(voters.size());
  for (const auto& v : voters) {
    creds.push_back({v.matricule, 1, std::string(64, 'b'),
                     "$argon2id$v=19$m=65536,t=3,p=1$" + v.matricule, "reassort$" + v.matricule,
                     1764577000});
  }
  Step("PutCredentials for every voter", [&] { Check((*roll)->PutCredentials("E2026", creds)); });
  creds.clear();
  creds.shrink_to_fit();
  size_t listed = 0;
  Step("ListVoters (all)", [&] {
    auto all = (*roll)->ListVoters("E2026");
    Check(all ? Status::Ok() : Status(all.error()));
    listed = all->size();
  });
  std::printf("listed %zu voters\n", listed);
  size_t listed_credentials = 0;
  Step("ListCredentials (all)", [&] {
    auto all = (*roll)->ListCredentials("E2026");
    Check(all ? Status::Ok() : Status(all.error()));
    listed_credentials = all->size();
  });

  for (auto it = voters.rbegin(); it != voters.rend(); ++it) {
    reassort.push_back({it->matricule, "v1:" + std::string(64, 'c')});
  }
  for (size_t i = 0; i < reassort.size(); i += 100)
    reassort[i].verifier = "v1:" + std::string(64, 'd');
  Step("PutReassortVerifiers again (1% changed)",
       [&] { Check((*roll)->PutReassortVerifiers("E2026", reassort)); });
  voters.pop_back();
  Step("ReplaceRoll with credentials and reassort (1 removed)",
       [&] { Check((*roll)->ReplaceRoll("E2026", voters)); });
  // reassort[0] was the voter just removed; reassort[100] was changed.
  if ((*roll)->GetReassortVerifier("E2026", reassort[0].matricule)->has_value() ||
      (*roll)->GetReassortVerifier("E2026", reassort[100].matricule)->value_or("") !=
          "v1:" + std::string(64, 'd')) {
    std::fprintf(stderr, "reassort verifiers not as expected\n");
    return 1;
  }
  reassort.clear();
  reassort.shrink_to_fit();
  voters.clear();
  voters.shrink_to_fit();
  roll->reset();

  // The urne's public credential list of one scrutin.
  auto urne = OpenUrneStore(loc.config());
  Check(urne ? Status::Ok() : Status(urne.error()));
  std::vector<std::string> credentials;
  credentials.reserve(n);
  for (size_t i = 0; i < n; ++i) credentials.push_back(Credential(i));
  Step("AddPublicCredentials",
       [&] { Check((*urne)->AddPublicCredentials("E2026", "CSA-MIN", credentials)); });
  Step("AddPublicCredentials refused (1 duplicate)", [&] {
    std::vector<std::string> again = {credentials[n / 2]};
    auto st = (*urne)->AddPublicCredentials("E2026", "CSA-MIN", again);
    if (st.ok() || st.error().code != "urne.credential_duplicate") std::exit(1);
  });
  {
    // A whole new list with one credential already listed: refused after the
    // bulk insert fails, then the store finds which one for the message.
    std::vector<std::string> batch;
    batch.reserve(n);
    for (size_t i = 1; i < n; ++i) batch.push_back(Credential(n + i));
    batch.push_back(credentials[n / 3]);
    Step("AddPublicCredentials refused (n, 1 listed)", [&] {
      auto st = (*urne)->AddPublicCredentials("E2026", "CSA-MIN", batch);
      if (st.ok() || st.error().code != "urne.credential_duplicate" ||
          st.error().message.find(credentials[n / 3]) == std::string::npos) {
        std::fprintf(stderr, "unexpected: %s\n", st.ok() ? "ok" : st.error().ToString().c_str());
        std::exit(1);
      }
    });
  }
  size_t listed_public = 0;
  Step("ListPublicCredentials (all)", [&] {
    auto all = (*urne)->ListPublicCredentials("E2026", "CSA-MIN");
    Check(all ? Status::Ok() : Status(all.error()));
    listed_public = all->size();
    if (!std::is_sorted(all->begin(), all->end())) std::exit(1);
  });
  Step("CheckCredential x 10,000", [&] {
    for (size_t i = 0; i < 10000; ++i) {
      auto st = (*urne)->CheckCredential("E2026", "CSA-MIN", credentials[i * 97 % n]);
      if (!st || *st != CredentialStatus::kValid) std::exit(1);
    }
  });
  std::printf("listed %zu credentials, %zu public credentials\n", listed_credentials,
              listed_public);
  return listed == n - 1 && listed_credentials == n - 1 && listed_public == n ? 0 : 1;
}
