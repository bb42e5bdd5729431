// The count of a scrutin as the BVE reads it on screen (French): inscrits,
// votants, blancs, nuls, suffrages exprimés, votes and seats per list, the
// fragments combined and any rejected. Pure; the CLI prints it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "counting/count.h"
#include "election/model.h"

namespace isoloir::counting {

std::string CountSummary(const election::Scrutin& scrutin, const ScrutinCount& c,
                         const std::vector<std::string>& holders);

// 1234567 -> "1 234 567" (French grouping; `separator` between groups).
std::string Grouped(uint64_t v, std::string_view separator = " ");

}  // namespace isoloir::counting
