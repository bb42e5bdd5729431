// Candidate lists from a CSV file (one row per candidate), and their merge
// into an Election. Columns (docs/election-file.md, "Candidate lists"):
//   scrutin;liste_id;sigle;ordre;nom;prenom;sexe
// A row whose ordre, nom, prenom and sexe are all empty declares a list
// without candidates (the only kind on a vote on sigle).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "election/model.h"
#include "election/row_error.h"

namespace isoloir::election {

struct ScrutinListes {
  std::string scrutin;        // scrutin code
  std::vector<Liste> listes;  // in order of first appearance; candidates by ordre
};

struct ListesCsvImport {
  std::vector<ScrutinListes> scrutins;  // in election order; empty unless ok()
  std::vector<RowError> errors;         // every problem, in row order
  bool ok() const { return errors.empty(); }
  Error ToError() const { return CombineRowErrors(errors, 0, "listes.invalid"); }
};

// Parses and checks the CSV against the election: unknown scrutin, list id
// with two sigles, sigle on two list ids, bad sexe, ordre not 1..n without
// gaps or repeats, duplicate candidate in a list or in a scrutin, more
// candidates than seats titulaires + suppléants, candidates on a vote on
// sigle. All-or-nothing.
ListesCsvImport ParseListesCsv(std::string_view csv, const Election& election);

// The election with the imported lists: a list whose id already exists in
// its scrutin gets the imported sigle and candidates (title and profession de
// foi kept); other imported lists are appended; lists not in the CSV are left
// as they are. The result is checked with ValidateElection.
Result<Election> MergeListes(const Election& election, const std::vector<ScrutinListes>& listes);

}  // namespace isoloir::election
