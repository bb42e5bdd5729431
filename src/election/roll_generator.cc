#include "election/roll_generator.h"

#include <array>

#include "election/csv.h"
#include "election/paris_time.h"
#include "election/text.h"

namespace isoloir::election {
namespace {

struct SplitMix {
  uint64_t s;
  uint64_t Next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return Next() % n; }
};

constexpr std::array<std::string_view, 32> kNoms = {
    "Martin",   "Bernard", "Dubois",  "Thomas",   "Robert",   "Richard", "Petit",  "Durand",
    "Leroy",    "Moreau",  "Simon",   "Laurent",  "Lefèvre",  "Michel",  "Garcia", "David",
    "Bertrand", "Roux",    "Vincent", "Fournier", "Morel",    "Girard",  "André",  "Mercier",
    "Dupont",   "Lambert", "Bonnet",  "François", "Martinez", "Le Gall", "Nguyen", "D'Almeida"};
constexpr std::array<std::string_view, 32> kPrenoms = {
    "Marie",  "Jean",    "Nathalie", "Pierre", "Isabelle", "Michel",  "Sylvie", "Philippe",
    "Hélène", "Alain",   "Céline",   "Éric",   "Camille",  "Nicolas", "Chloé",  "Julien",
    "Léa",    "Thierry", "Sophie",   "Loïc",   "Inès",     "Hugo",    "Zoé",    "François",
    "Amélie", "Jérôme",  "Anaïs",    "Benoît", "Maëlle",   "Gaël",    "Noémie", "Jean-Luc"};
constexpr std::array<std::string_view, 12> kRues = {
    "rue de la République", "avenue Jean Jaurès", "boulevard Victor Hugo",
    "rue Pasteur",          "place de la Mairie", "rue du Général de Gaulle",
    "allée des Tilleuls",   "chemin des Vignes",  "rue Émile Zola",
    "impasse des Lilas",    "quai de la Loire",   "rue de l'Église"};
constexpr std::array<std::string_view, 10> kVilles = {
    "75011 Paris",      "69003 Lyon",     "13001 Marseille", "31000 Toulouse", "44000 Nantes",
    "67000 Strasbourg", "33000 Bordeaux", "59000 Lille",     "35000 Rennes",   "97400 Saint-Denis"};

std::string Digits(SplitMix& r, size_t n) {
  std::string s(n, '0');
  for (auto& c : s) c = static_cast<char>('0' + r.Below(10));
  return s;
}

std::string Pad(uint64_t v, size_t width) {
  std::string s = std::to_string(v);
  if (s.size() < width) s.insert(0, width - s.size(), '0');
  return s;
}

std::string EmailPart(std::string_view name) {
  std::string out;
  for (char c : text::FoldName(name)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
    if (c == ' ' || c == '-') out.push_back('-');
  }
  return out;
}

}  // namespace

std::string MakeFrenchIban(std::string_view bban) {
  // Check digits: 98 - (BBAN + "FR00" as digits) mod 97.
  unsigned r = 0;
  auto add = [&](char c) {
    if (c >= '0' && c <= '9') {
      r = (r * 10 + static_cast<unsigned>(c - '0')) % 97;
    } else {
      r = (r * 100 + static_cast<unsigned>(c - 'A' + 10)) % 97;
    }
  };
  for (char c : bban) add(c);
  for (char c : std::string_view("FR00")) add(c);
  const unsigned check = 98 - r;
  return "FR" + Pad(check, 2) + std::string(bban);
}

SyntheticAgent MakeSyntheticAgent(uint64_t index, const std::vector<std::string>& scrutins,
                                  uint64_t seed) {
  SplitMix r{seed * 0x2545F4914F6CDD1DULL ^ (index + 1) * 0x9E3779B97F4A7C15ULL};
  r.Next();
  SyntheticAgent a;
  a.matricule = "M" + Pad(index + 1, 9);
  a.nom = kNoms[r.Below(kNoms.size())];
  a.prenom = kPrenoms[r.Below(kPrenoms.size())];
  const int year = 1960 + static_cast<int>(r.Below(45));
  const int month = 1 + static_cast<int>(r.Below(12));
  int day = 1 + static_cast<int>(r.Below(31));
  while (!IsValidDate(year, month, day)) --day;
  a.date_naissance = Pad(day, 2) + "/" + Pad(month, 2) + "/" + std::to_string(year);
  a.courriel = EmailPart(a.prenom) + "." + EmailPart(a.nom) + "." + std::to_string(index + 1) +
               "@agents.example.fr";
  a.adresse = std::to_string(1 + r.Below(150)) + " " + std::string(kRues[r.Below(kRues.size())]);
  if (r.Below(4) == 0)
    a.adresse += "\nRésidence \"Les Tilleuls\"; bât. " + std::to_string(1 + r.Below(9));
  a.adresse += "\n" + std::string(kVilles[r.Below(kVilles.size())]);
  a.numero_carte_agent = Digits(r, 12);
  std::string iban = MakeFrenchIban(Digits(r, 23));
  if (r.Below(2) == 0) {
    std::string grouped;
    for (size_t i = 0; i < iban.size(); ++i) {
      if (i > 0 && i % 4 == 0) grouped.push_back(' ');
      grouped.push_back(iban[i]);
    }
    iban = std::move(grouped);
  }
  a.iban = std::move(iban);
  a.section = "S" + Pad(r.Below(300), 3);
  if (!scrutins.empty()) {
    a.scrutins.push_back(scrutins[0]);
    if (scrutins.size() > 1) {
      const size_t extra = r.Below(3);
      for (size_t k = 0; k < extra; ++k) {
        const auto& code = scrutins[1 + r.Below(scrutins.size() - 1)];
        bool have = false;
        for (const auto& c : a.scrutins) have = have || c == code;
        if (!have) a.scrutins.push_back(code);
      }
    }
  }
  return a;
}

void GenerateSyntheticRoll(uint64_t n, const std::vector<std::string>& scrutins, uint64_t seed,
                           std::ostream& out) {
  std::string buf =
      "matricule;nom;prenom;date_naissance;courriel;adresse;numero_carte_agent;iban;section;"
      "scrutins\r\n";
  for (uint64_t i = 0; i < n; ++i) {
    const SyntheticAgent a = MakeSyntheticAgent(i, scrutins, seed);
    std::string codes;
    for (const auto& c : a.scrutins) codes += (codes.empty() ? "" : "|") + c;
    for (const std::string* f : {&a.matricule, &a.nom, &a.prenom, &a.date_naissance, &a.courriel,
                                 &a.adresse, &a.numero_carte_agent, &a.iban, &a.section}) {
      AppendCsvField(buf, *f, ';');
      buf.push_back(';');
    }
    AppendCsvField(buf, codes, ';');
    buf += "\r\n";
    if (buf.size() > (1 << 16)) {
      out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.clear();
    }
  }
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

}  // namespace isoloir::election
