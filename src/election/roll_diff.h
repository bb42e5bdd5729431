// What changes when a new roll replaces the current one, and the roll export
// given to unions (docs/election-file.md, "Roll diff" and "Roll export").
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "election/model.h"
#include "election/roll.h"

namespace isoloir::election {

struct VoterChange {
  Voter before;
  Voter after;
  // Roll column names of the fields that differ, in column order: "nom",
  // "prenom", "date_naissance", "courriel", "adresse", "section", "scrutins".
  std::vector<std::string> fields;
};

struct ScrutinCount {
  std::string scrutin;
  uint64_t before = 0;
  uint64_t after = 0;
};

struct RollDiff {
  std::vector<Voter> added;          // sorted by matricule
  std::vector<Voter> removed;        // sorted by matricule
  std::vector<VoterChange> changed;  // sorted by matricule
  uint64_t unchanged = 0;
  uint64_t before_total = 0;
  uint64_t after_total = 0;
  std::vector<ScrutinCount> scrutins;  // voters per scrutin, before and after, by code

  bool empty() const { return added.empty() && removed.empty() && changed.empty(); }
  // For people, in French-neutral English like every message:
  //   "roll: 1 000 voters before, 1 010 after: 12 added, 2 removed, 5 changed
  //   (courriel 3, adresse 2), 983 unchanged"
  // then one line per scrutin whose count changes, then up to `max_lines`
  // lines naming the voters ("+ M000000012 DUPONT Marie (S012)", "- ...",
  // "~ M... courriel, adresse").
  std::string Summary(size_t max_lines = 50) const;
};

// Voters are matched by matricule (unique in each roll, as the roll parser
// guarantees; with duplicates, occurrences are paired in order). Comparison
// is exact, field by field; scrutins compare as sets.
// The reassort secret is not part of a Voter: a caller that wants to show
// its changes compares the stored verifiers itself.
RollDiff DiffRolls(const std::vector<Voter>& old, const std::vector<Voter>& incoming);
// The same against freshly parsed entries, without copying their voters.
RollDiff DiffRolls(const std::vector<Voter>& old, const std::vector<RollEntry>& incoming);

// The roll of one scrutin as unions receive it: a UTF-8 BOM (so spreadsheets
// read the accents), the header "nom;prenom;section;scrutins", one row per
// voter of `scrutin` (every voter when `scrutin` is empty) sorted by nom then
// prenom (accents and case folded; ties by section, then bytes), codes joined
// with '|', CRLF line ends, RFC 4180 quoting, formulas neutralised. No
// matricule, no birth date, no contact details, no secret.
std::string ExportRollCsv(const std::vector<Voter>& voters, std::string_view scrutin);
// The same, written to `out` as it goes (for large rolls).
void WriteRollCsv(const std::vector<Voter>& voters, std::string_view scrutin, std::ostream& out);

}  // namespace isoloir::election
