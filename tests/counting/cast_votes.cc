// Test helper for tests/cli/count_cli.sh: every voter of identifiants.csv
// (scripts/portal-fixture.sh) logs in and votes in each of their scrutins
// through the portal's use cases, at a time inside the voting window, so
// that the CLI can count an election whose window has closed. Voter i (file
// order, from 0) chooses choice i mod L. Prints the expected counts, one line
// per scrutin: "CODE n_1,n_2,...,n_L".
// Usage: count_cast_votes DATA_DIR IDENTIFIANTS.csv (SQLite, or $ISOLOIR_PG)
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "common/bytes.h"
#include "crypto/codec.h"
#include "crypto/credential.h"
#include "crypto/random.h"
#include "portal/voter_portal.h"

using namespace isoloir;

namespace {

std::vector<std::string> Split(const std::string& line, char sep) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == sep) {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

int Die(const std::string& what) {
  std::cerr << "count_cast_votes: " << what << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return Die("usage: count_cast_votes DATA_DIR IDENTIFIANTS.csv");
  const std::string data = argv[1];
  store::StoreConfig config;
  config.data_dir = data + "/db";
  if (const char* pg = std::getenv("ISOLOIR_PG"); pg && *pg) {
    config.backend = store::Backend::kPostgres;
    config.conninfo = pg;
  }
  auto s = store::OpenStores(config);
  if (!s) return Die(s.error().ToString());
  portal::PortalStores stores{*s->roll, *s->portal, *s->urne, *s->emargement, *s->cast, *s->audit};
  auto key = services::ServerKey::LoadOrCreate(data + "/secrets/server.key");
  if (!key) return Die(key.error().ToString());
  const std::string election_id = "demo-2026";
  auto site = portal::LoadElectionSite(*s->roll, *s->portal, election_id, *key, {});
  if (!site) return Die(site.error().ToString());
  const int64_t now = (*site)->election.window.opening.utc + 3600;  // inside the window

  std::ifstream in(argv[2]);
  std::string line;
  std::getline(in,
               line);  // header: matricule;nom;prenom;naissance;cle;mot_de_passe;reassort;scrutins
  std::map<std::string, std::vector<uint64_t>> expected;
  for (const auto& sc : (*site)->election.scrutins) {
    expected[sc.code].assign(portal::ScrutinChoices(sc).size(), 0);
  }
  size_t i = 0;
  while (std::getline(in, line)) {
    const auto f = Split(line, ';');
    if (f.size() < 8) continue;
    auto canonical = crypto::NormalizeSecurityKey(f[4]);
    if (!canonical) return Die("voter " + f[0] + ": " + canonical.error().ToString());
    const portal::LoginForm form{f[0], f[3], HexEncode(crypto::LoginToken(election_id, *canonical)),
                                 f[5], "192.0.2.7"};
    auto session = portal::Login(**site, stores, form, now);
    if (!session) return Die("voter " + f[0] + ": " + session.error().ToString());
    for (const auto& code : Split(f[7], '|')) {
      const election::Scrutin* sc = (*site)->FindScrutin(code);
      if (sc == nullptr) continue;
      const auto bc = portal::ScrutinBallotContext((*site)->fingerprint, *sc);
      const size_t choice = i % bc.choices;
      std::vector<uint64_t> selection(bc.choices, 0);
      selection[choice] = 1;
      auto eb = crypto::EncryptBallot(bc, *(*site)->key, selection,
                                      crypto::CredentialSecret(election_id, code, *canonical),
                                      crypto::SystemRandom());
      if (!eb) return Die(eb.error().ToString());
      auto receipt =
          portal::CastBallot(**site, stores, session->record, code,
                             crypto::codec::Canonical(crypto::codec::Encode(eb->ballot)), now);
      if (!receipt) return Die("voter " + f[0] + ", " + code + ": " + receipt.error().ToString());
      ++expected[code][choice];
    }
    ++i;
  }
  for (const auto& [code, counts] : expected) {
    std::cout << code << " ";
    for (size_t k = 0; k < counts.size(); ++k) std::cout << (k ? "," : "") << counts[k];
    std::cout << "\n";
  }
  return 0;
}
