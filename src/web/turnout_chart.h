// The turnout chart of the supervision page: an inline SVG (no JavaScript)
// of the cumulative share of votants over time, with its text alternative.
#pragma once

#include <functional>
#include <string>

#include "portal/supervision.h"

namespace isoloir::web {

struct ChartText {
  std::string title;        // accessible name, e.g. "Participation au scrutin CSA-MIN"
  std::string description;  // e.g. "12 votants sur 40 inscrits (30 %) à 14:00"
};

// `label(time)`: the x axis' labels (hour:minute, Paris time).
std::string TurnoutSvg(const portal::ScrutinTurnout& turnout, const ChartText& text,
                       const std::function<std::string(int64_t)>& label, const std::string& id);

}  // namespace isoloir::web
