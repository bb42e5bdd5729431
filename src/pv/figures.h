// The figures a procès-verbal states for a scrutin (docs/pv.md): read from
// the count's document, written in the record's `pv` entries, compared by
// `isoloir verify` with the record's results. Pure.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"

namespace isoloir::pv {

// The figures of a scrutin's PV, as its count document gives them; what the
// record's `pv` entry states and `isoloir verify` compares with the results.
struct ListeFigures {
  std::string id, sigle;
  uint64_t voix = 0;
  int64_t sieges = 0;
};
struct PvFigures {
  std::string scrutin;
  uint64_t inscrits = 0, votants = 0, blancs = 0, nuls = 0, exprimes = 0;
  std::vector<ListeFigures> listes;
  std::vector<uint32_t> holders;  // fragments whose partial decryptions were combined
  std::string seed;
};
// From one "isoloir/count/v1" document of the results; errors name the field.
Result<PvFigures> ReadFigures(const nlohmann::json& count);
nlohmann::json FiguresJson(const PvFigures& f);
Result<PvFigures> ParseFiguresJson(const nlohmann::json& j);

}  // namespace isoloir::pv
