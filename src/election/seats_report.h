// A seat allocation as people read it (French text: table, rounds, ties and
// draws) and as machines read it (JSON). Pure: the caller prints.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "election/seats.h"

namespace isoloir::election {

inline constexpr std::string_view kSeatsJsonFormat = "isoloir/seats/v1";

// "15,14": num / den truncated (not rounded) to two decimals, with the given
// decimal mark; thousands separated by spaces when `grouped`.
std::string FormatFraction(const Fraction& f, char decimal_mark, bool grouped);

// The French report: mode, seats, suffrages exprimés, quotient; the table
// (liste, voix, candidats, sièges au quotient, sièges à la plus forte
// moyenne, total); every round with the averages; ties and draws with the
// hashed texts and digests; unfilled seats.
std::string SeatAllocationText(const SeatAllocation& a);

// The same for machines. Schema in docs/seats.md ("format": "isoloir/seats/v1").
nlohmann::json SeatAllocationJson(const SeatAllocation& a);

}  // namespace isoloir::election
