// The election as the organiser describes it: scrutins, candidate lists, the
// voting window, the BVE, and the voters of the roll. Plain data, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace isoloir::election {

enum class VoteMode { kList, kSigle };        // "liste" or "sigle" in the file
enum class Sex { kFemale, kMale };            // "F" or "H" in files (femme, homme)

struct Candidate {
  std::string nom;
  std::string prenom;
  Sex sexe = Sex::kFemale;
};

// A candidate list (list vote) or a union sigle (vote on sigle: no candidates).
struct Liste {
  std::string id;        // stable, unique within the scrutin, e.g. "L1"
  std::string sigle;     // union name as printed on the ballot
  std::string title;     // optional longer title; may be empty
  std::vector<Candidate> candidats;  // in list order (empty on a sigle vote)
  std::string profession_de_foi;     // optional PDF file name, relative to the election file
};

struct Scrutin {
  std::string code;      // e.g. "CSA-MIN", "CAP-A"; unique in the election
  std::string title;
  VoteMode mode = VoteMode::kList;
  uint32_t sieges_titulaires = 0;
  uint32_t sieges_suppleants = 0;
  bool blank_allowed = true;
  std::vector<Liste> listes;  // in the order the ballot shows them
};

// Date-times are kept as written ("2026-12-01T09:00", Europe/Paris) and as
// seconds since the Unix epoch (UTC), converted with the Paris time zone rules.
struct DateTime {
  std::string local;   // ISO 8601 without offset, Europe/Paris
  int64_t utc = 0;     // seconds since 1970-01-01T00:00:00Z
};

struct VotingWindow {
  DateTime opening;
  DateTime closing;
};

enum class BveRole { kPresident, kSecretaire, kDelegue };  // "president", "secretaire", "delegue"

struct BveMember {
  std::string id;         // stable login name, e.g. "president"
  std::string nom;
  std::string prenom;
  BveRole role = BveRole::kDelegue;
  std::string liste;      // for a délégué: the sigle of the list represented
  std::string courriel;
  uint32_t fragments = 0; // key fragments held (0, 1 or 2)
};

struct Bve {
  std::vector<BveMember> members;
  uint32_t threshold = 0;  // fragments needed to decrypt
};

struct Election {
  std::string id;             // stable identifier, used in credentials (protocol §8)
  std::string title;
  std::string organisation;   // the administration organising the vote
  std::string portal_url;     // printed on letters
  std::string helpdesk;       // how to reach the cellule d'assistance
  VotingWindow window;
  std::vector<Scrutin> scrutins;
  Bve bve;
};

struct Date {
  int year = 0, month = 0, day = 0;
  bool operator==(const Date&) const = default;
};

// One voter of the roll, without any secret (no card number, no IBAN).
struct Voter {
  std::string matricule;   // unique in the election
  std::string nom;
  std::string prenom;
  Date naissance;
  std::string courriel;
  std::string adresse;     // postal address, lines separated by '\n'
  std::string section;     // organisational unit, for turnout and union checks
  std::vector<std::string> scrutins;  // scrutin codes
  bool operator==(const Voter&) const = default;
};

}  // namespace isoloir::election
