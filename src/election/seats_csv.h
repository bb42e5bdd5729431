// The CSV that `isoloir seats` reads: one row per list with its votes and its
// number of candidates (header `liste;voix;candidats`; docs/seats.md).
#pragma once

#include <string_view>
#include <vector>

#include "common/result.h"
#include "election/model.h"
#include "election/row_error.h"
#include "election/seats.h"

namespace isoloir::election {

struct SeatsCsvImport {
  std::vector<SeatRow> rows;     // in file order; empty unless ok()
  std::vector<RowError> errors;  // every problem, in row order
  bool ok() const { return errors.empty(); }
  Error ToError() const { return CombineRowErrors(errors, 0, "seats.csv.invalid"); }
};

// Reads the file (';' or ',' detected, UTF-8 with or without BOM) with the
// shared CSV reader. Columns liste and voix are required; candidats is
// required on a list vote and ignored on a vote on sigle. Numbers are whole
// and not negative, spaces between digit groups allowed ("1 234"). Each
// error names the row as a spreadsheet numbers it, the line and the column.
SeatsCsvImport ParseSeatsCsv(std::string_view csv, VoteMode mode);

}  // namespace isoloir::election
