// Measures the roll store with a large synthetic roll (not a test; not in
// ctest). Usage:
//   roll_insert_speed sqlite [VOTERS]      (data folder in a temporary directory)
//   roll_insert_speed postgresql [VOTERS]  (needs ISOLOIR_TEST_PG, e.g. under
//                                           scripts/with-postgres.sh)
// Prints seconds per step and the process's peak resident set size.
#include <sys/resource.h>

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
  return listed == voters.size() ? 0 : 1;
}
