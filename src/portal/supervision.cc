// Turnout and the émargement list from the roll and the émargement store.
#include "portal/supervision.h"

#include <algorithm>
#include <map>

#include "election/paris_time.h"

namespace isoloir::portal {

namespace {

// Every voter of the roll, read in pages.
Result<std::map<std::string, election::Voter>> Roll(const ElectionSite& site,
                                                    PortalStores& stores) {
  std::map<std::string, election::Voter> out;
  std::string after;
  for (;;) {
    auto page = stores.roll.ListVoters(site.election.id, after, 10000);
    if (!page) return page.error();
    if (page->empty()) break;
    after = page->back().matricule;
    for (auto& v : *page) {
      std::string m = v.matricule;
      out.emplace(std::move(m), std::move(v));
    }
  }
  return out;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

Result<std::vector<ScrutinTurnout>> Turnout(const ElectionSite& site, PortalStores& stores,
                                            int64_t now) {
  auto roll = Roll(site, stores);
  if (!roll) return roll.error();
  const int64_t opening = site.election.window.opening.utc;
  const int64_t end = std::max(opening, std::min(now, site.election.window.closing.utc));
  const int64_t quarter = 15 * 60;
  const int64_t span = end - opening;
  int64_t interval = quarter;
  while (span / interval >= static_cast<int64_t>(kMaxCoursePoints)) interval += quarter;

  std::vector<ScrutinTurnout> out;
  for (const auto& s : site.election.scrutins) {
    ScrutinTurnout t;
    t.code = s.code;
    t.title = s.title;
    std::map<std::string, SectionTurnout> sections;
    for (const auto& [m, v] : *roll) {
      if (std::find(v.scrutins.begin(), v.scrutins.end(), s.code) == v.scrutins.end()) continue;
      ++t.inscrits;
      auto& sec = sections[v.section];
      sec.section = v.section;
      ++sec.inscrits;
    }
    auto list = stores.emargement.List(site.election.id, s.code);
    if (!list) return list.error();
    std::vector<int64_t> times;
    for (const auto& e : *list) {
      ++t.votants;
      times.push_back(e.time);
      auto v = roll->find(e.matricule);
      if (v != roll->end()) ++sections[v->second.section].votants;
    }
    std::sort(times.begin(), times.end());
    if (span > 0) {
      for (int64_t at = opening + interval;; at += interval) {
        const int64_t point = std::min(at, end);
        const auto n = std::upper_bound(times.begin(), times.end(), point) - times.begin();
        t.course.push_back({point, static_cast<uint64_t>(n)});
        if (point >= end) break;
      }
    }
    for (auto& [name, sec] : sections) t.sections.push_back(std::move(sec));
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<EmargementLine>> EmargementList(const ElectionSite& site, PortalStores& stores,
                                                   const std::string& scrutin) {
  if (!scrutin.empty() && site.FindScrutin(scrutin) == nullptr) {
    return MakeError("scrutin.unknown", "no scrutin " + scrutin + " in this election");
  }
  auto roll = Roll(site, stores);
  if (!roll) return roll.error();
  std::vector<EmargementLine> out;
  for (const auto& s : site.election.scrutins) {
    if (!scrutin.empty() && s.code != scrutin) continue;
    auto list = stores.emargement.List(site.election.id, s.code);
    if (!list) return list.error();
    std::vector<EmargementLine> lines;
    for (const auto& e : *list) {
      EmargementLine l{s.code, e.matricule, "", "", "", e.time};
      if (auto v = roll->find(e.matricule); v != roll->end()) {
        l.nom = v->second.nom;
        l.prenom = v->second.prenom;
        l.section = v->second.section;
      }
      lines.push_back(std::move(l));
    }
    std::stable_sort(lines.begin(), lines.end(),
                     [](const auto& a, const auto& b) { return a.time < b.time; });
    for (auto& l : lines) out.push_back(std::move(l));
  }
  return out;
}

std::string EmargementCsv(const std::vector<EmargementLine>& lines) {
  std::string out = "scrutin,matricule,nom,prenom,section,heure_paris\r\n";
  for (const auto& l : lines) {
    out += CsvField(l.scrutin) + "," + CsvField(l.matricule) + "," + CsvField(l.nom) + "," +
           CsvField(l.prenom) + "," + CsvField(l.section) + "," +
           CsvField(election::FormatParisLocal(l.time)) + "\r\n";
  }
  return out;
}

}  // namespace isoloir::portal
