#include "election/roll_diff.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "election/csv.h"
#include "election/text.h"

namespace isoloir::election {
namespace {

bool SameScrutins(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  std::vector<std::string_view> x(a.begin(), a.end()), y(b.begin(), b.end());
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  return x == y;
}

std::vector<std::string> ChangedFields(const Voter& a, const Voter& b) {
  std::vector<std::string> f;
  if (a.nom != b.nom) f.emplace_back("nom");
  if (a.prenom != b.prenom) f.emplace_back("prenom");
  if (!(a.naissance == b.naissance)) f.emplace_back("date_naissance");
  if (a.courriel != b.courriel) f.emplace_back("courriel");
  if (a.adresse != b.adresse) f.emplace_back("adresse");
  if (a.section != b.section) f.emplace_back("section");
  if (!SameScrutins(a.scrutins, b.scrutins)) f.emplace_back("scrutins");
  return f;
}

const Voter& VoterOf(const Voter& v) { return v; }
const Voter& VoterOf(const RollEntry& e) { return e.voter; }

template <typename T>
std::vector<const Voter*> ByMatricule(const std::vector<T>& v) {
  std::vector<const Voter*> p;
  p.reserve(v.size());
  for (const auto& x : v) p.push_back(&VoterOf(x));
  std::stable_sort(p.begin(), p.end(),
                   [](const Voter* a, const Voter* b) { return a->matricule < b->matricule; });
  return p;
}

std::string Describe(const Voter& v) {
  return v.matricule + " " + text::AsciiUpper(v.nom) + " " + v.prenom +
         (v.section.empty() ? "" : " (" + v.section + ")");
}

template <typename T>
RollDiff Diff(const std::vector<Voter>& old, const std::vector<T>& incoming) {
  RollDiff d;
  d.before_total = old.size();
  d.after_total = incoming.size();
  const auto a = ByMatricule(old);
  const auto b = ByMatricule(incoming);
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i]->matricule < b[j]->matricule)) {
      d.removed.push_back(*a[i++]);
    } else if (i == a.size() || b[j]->matricule < a[i]->matricule) {
      d.added.push_back(*b[j++]);
    } else {
      auto fields = ChangedFields(*a[i], *b[j]);
      if (fields.empty()) {
        ++d.unchanged;
      } else {
        d.changed.push_back(VoterChange{*a[i], *b[j], std::move(fields)});
      }
      ++i;
      ++j;
    }
  }
  std::map<std::string, ScrutinCount> counts;
  for (const auto& v : old) {
    for (const auto& s : v.scrutins) ++counts[s].before;
  }
  for (const auto& v : incoming) {
    for (const auto& s : VoterOf(v).scrutins) ++counts[s].after;
  }
  for (auto& [code, c] : counts) {
    c.scrutin = code;
    d.scrutins.push_back(c);
  }
  return d;
}

}  // namespace

RollDiff DiffRolls(const std::vector<Voter>& old, const std::vector<Voter>& incoming) {
  return Diff(old, incoming);
}
RollDiff DiffRolls(const std::vector<Voter>& old, const std::vector<RollEntry>& incoming) {
  return Diff(old, incoming);
}

std::string RollDiff::Summary(size_t max_lines) const {
  std::map<std::string, uint64_t> by_field;
  for (const auto& c : changed) {
    for (const auto& f : c.fields) ++by_field[f];
  }
  std::string s = "roll: " + text::Count(before_total) + " voters before, " +
                  text::Count(after_total) + " after: " + text::Count(added.size()) + " added, " +
                  text::Count(removed.size()) + " removed, " + text::Count(changed.size()) +
                  " changed";
  if (!by_field.empty()) {
    s += " (";
    bool first = true;
    for (const char* f :
         {"nom", "prenom", "date_naissance", "courriel", "adresse", "section", "scrutins"}) {
      auto it = by_field.find(f);
      if (it == by_field.end()) continue;
      s += (first ? "" : ", ") + it->first + " " + text::Count(it->second);
      first = false;
    }
    s += ")";
  }
  s += ", " + text::Count(unchanged) + " unchanged";
  for (const auto& c : scrutins) {
    if (c.before == c.after) continue;
    s += "\n  scrutin " + c.scrutin + ": " + text::Count(c.before) + " -> " + text::Count(c.after) +
         " voters";
  }
  size_t lines = 0;
  const size_t total = added.size() + removed.size() + changed.size();
  auto line = [&](const std::string& l) {
    if (lines++ < max_lines) s += "\n" + l;
  };
  for (const auto& v : added) line("+ " + Describe(v));
  for (const auto& v : removed) line("- " + Describe(v));
  for (const auto& c : changed) {
    std::string f;
    for (const auto& x : c.fields) f += (f.empty() ? "" : ", ") + x;
    line("~ " + Describe(c.after) + ": " + f);
  }
  if (total > max_lines) s += "\n... and " + text::Count(total - max_lines) + " more";
  return s;
}

void WriteRollCsv(const std::vector<Voter>& voters, std::string_view scrutin, std::ostream& out) {
  struct Key {
    std::string nom, prenom;
    const Voter* v;
  };
  std::vector<Key> rows;
  for (const auto& v : voters) {
    if (!scrutin.empty() &&
        std::find(v.scrutins.begin(), v.scrutins.end(), scrutin) == v.scrutins.end()) {
      continue;
    }
    rows.push_back(Key{text::FoldName(v.nom), text::FoldName(v.prenom), &v});
  }
  std::sort(rows.begin(), rows.end(), [](const Key& a, const Key& b) {
    if (a.nom != b.nom) return a.nom < b.nom;
    if (a.prenom != b.prenom) return a.prenom < b.prenom;
    if (a.v->section != b.v->section) return a.v->section < b.v->section;
    if (a.v->nom != b.v->nom) return a.v->nom < b.v->nom;
    return a.v->prenom < b.v->prenom;
  });
  std::string buf = "\xEF\xBB\xBFnom;prenom;section;scrutins\r\n";
  for (const auto& r : rows) {
    const Voter& v = *r.v;
    AppendCsvField(buf, v.nom, ';');
    buf.push_back(';');
    AppendCsvField(buf, v.prenom, ';');
    buf.push_back(';');
    AppendCsvField(buf, v.section, ';');
    buf.push_back(';');
    std::string codes;
    for (const auto& c : v.scrutins) codes += (codes.empty() ? "" : "|") + c;
    AppendCsvField(buf, codes, ';');
    buf += "\r\n";
    if (buf.size() > (1 << 16)) {
      out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.clear();
    }
  }
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

std::string ExportRollCsv(const std::vector<Voter>& voters, std::string_view scrutin) {
  std::ostringstream out;
  WriteRollCsv(voters, scrutin, out);
  return std::move(out).str();
}

}  // namespace isoloir::election
