// Supervision by the board during the vote (issue 5 §5): turnout per scrutin
// and section, its course over time, the émargement list. Reads only the roll
// and the émargement, never the urne: nothing here can count a list's votes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "portal/voter_portal.h"

namespace isoloir::portal {

struct SectionTurnout {
  std::string section;
  uint64_t inscrits = 0;
  uint64_t votants = 0;
};

struct TurnoutPoint {
  int64_t time = 0;      // end of the interval (Unix seconds)
  uint64_t votants = 0;  // émargements up to then (cumulative)
};

struct ScrutinTurnout {
  std::string code;
  std::string title;
  uint64_t inscrits = 0;
  uint64_t votants = 0;
  std::vector<SectionTurnout> sections;  // by section name
  std::vector<TurnoutPoint> course;      // from the opening to min(now, closing)
};

// At most this many points per course (the interval is a multiple of 15 min).
inline constexpr size_t kMaxCoursePoints = 48;

Result<std::vector<ScrutinTurnout>> Turnout(const ElectionSite& site, PortalStores& stores,
                                            int64_t now);

struct EmargementLine {
  std::string scrutin;
  std::string matricule;
  std::string nom;
  std::string prenom;
  std::string section;
  int64_t time = 0;
};

// Who voted which scrutin, when: by scrutin, then time, then matricule.
// `scrutin` empty: every scrutin. "scrutin.unknown".
Result<std::vector<EmargementLine>> EmargementList(const ElectionSite& site, PortalStores& stores,
                                                   const std::string& scrutin);

// RFC 4180 CSV (with a header line) of an émargement list.
std::string EmargementCsv(const std::vector<EmargementLine>& lines);

}  // namespace isoloir::portal
