// A problem found in a CSV file, located as a spreadsheet shows it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace isoloir::election {

struct RowError {
  uint64_t row = 0;    // spreadsheet row, header = 1; 0 when about the whole file
  uint64_t line = 0;   // physical line where the record starts; 0 when about the whole file
  std::string column;  // canonical column name ("iban"); empty when about the whole row
  Error error;         // message starts with "row R (line L), column: "
};

// One Error listing every problem, one per line (for Result-returning callers).
Error CombineRowErrors(const std::vector<RowError>& errors, uint64_t not_listed,
                       std::string_view code);

}  // namespace isoloir::election
