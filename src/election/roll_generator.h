// Synthetic electoral rolls for benchmarks, tests and the demo: valid rows in
// the default column layout (';' separator, CRLF, quoted multi-line
// addresses, IBANs that pass the mod-97 check). Deterministic in (index,
// seed), so that a demo can recompute any agent's card number and IBAN.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace isoloir::election {

struct SyntheticAgent {
  std::string matricule;  // "M" + 9 digits, unique per index
  std::string nom, prenom;
  std::string date_naissance;  // JJ/MM/AAAA
  std::string courriel;
  std::string adresse;             // 2 or 3 lines separated by '\n'
  std::string numero_carte_agent;  // 12 characters
  std::string iban;                // French IBAN, grouped by 4 on half the rows
  std::string section;
  std::vector<std::string> scrutins;  // the first code always, plus 0 to 2 others
};

// Agent number `index` (from 0) of the synthetic roll drawn with `seed`.
SyntheticAgent MakeSyntheticAgent(uint64_t index, const std::vector<std::string>& scrutins,
                                  uint64_t seed);

// Writes the header and rows 0..n-1 to `out`. `scrutins` must not be empty.
void GenerateSyntheticRoll(uint64_t n, const std::vector<std::string>& scrutins, uint64_t seed,
                           std::ostream& out);

// A valid French IBAN (27 characters, no spaces) around the 23-character BBAN
// given (bank 5, branch 5, account 11, RIB key 2): "FR" + check digits + BBAN.
std::string MakeFrenchIban(std::string_view bban);

}  // namespace isoloir::election
