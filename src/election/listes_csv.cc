#include "election/listes_csv.h"

#include <algorithm>
#include <map>

#include "election/csv.h"
#include "election/election_file.h"
#include "election/text.h"

namespace isoloir::election {
namespace {

enum Col { kScrutin, kListeId, kSigle, kOrdre, kNom, kPrenom, kSexe };

const std::vector<CsvColumnSpec>& Specs() {
  static const std::vector<CsvColumnSpec> specs = {
      {"scrutin", {"scrutin", "codescrutin"}, true},
      {"liste_id", {"listeid", "idliste", "liste", "codeliste"}, true},
      {"sigle", {"sigle", "organisationsyndicale", "syndicat"}, true},
      {"ordre", {"ordre", "rang", "position"}, true},
      {"nom", {"nom", "nomdusage", "nomusage"}, true},
      {"prenom", {"prenom"}, true},
      {"sexe", {"sexe", "genre"}, true},
  };
  return specs;
}

struct Row {
  uint64_t row, line;
  uint32_t ordre;
  Candidate candidate;
};

struct ListeAcc {
  std::string id, sigle;
  uint64_t first_row = 0, first_line = 0;
  std::vector<Row> rows;
};

struct ScrutinAcc {
  const Scrutin* scrutin = nullptr;
  std::vector<ListeAcc> listes;
  std::map<std::string, size_t> by_id;
  std::map<std::string, size_t> by_sigle;  // folded sigle -> list index
};

class Parser : public CsvSink {
 public:
  explicit Parser(const Election& e) : acc_(e.scrutins.size()), election_(e) {
    for (size_t i = 0; i < e.scrutins.size(); ++i) acc_[i].scrutin = &e.scrutins[i];
  }

  std::vector<RowError> errors;
  std::vector<ScrutinAcc> acc_;

  void OnRecord(CsvRecord& rec) override {
    if (rec.row == 1) {
      header_ = MapCsvHeader(rec, Specs(), false, "listes");
      header_ok_ = header_.ok();
      for (auto& e : header_.errors) errors.push_back(std::move(e));
      field_count_ = rec.fields.size();
      return;
    }
    if (rec.blank() || !header_ok_) return;
    ++rows_;
    rec_ = &rec;
    if (rec.truncated) return Fail(-1, "listes.row.too_long", "the row is longer than 1 MiB");
    if (rec.fields.size() != field_count_) {
      return Fail(-1, "listes.columns",
                  std::to_string(rec.fields.size()) + " fields where the header has " +
                      std::to_string(field_count_) + " (check the separator and the quotes)");
    }
    if (!rec.problem.empty()) {
      const size_t f = rec.problem_field;
      Fail(f < field_count_ ? header_.spec_of[f] : -1, "listes.csv.syntax", rec.problem);
    }
    std::string_view v[7];
    bool ok = true;
    for (int c = kScrutin; c <= kSexe; ++c) {
      v[c] = text::Trim(rec.fields[header_.field_of[c]]);
      if (!text::IsValidUtf8(v[c])) {
        Fail(c, "listes.utf8",
             "not valid UTF-8 (the file may be in Windows-1252 or Latin-1: save it as \"CSV "
             "UTF-8\")");
        ok = false;
      } else if (text::HasControl(v[c], false) || v[c].size() > 1000) {
        Fail(c, "listes.text", "holds a control character or is longer than 1000 bytes");
        ok = false;
      }
    }
    if (!ok) return;
    // Scrutin.
    size_t si = acc_.size();
    for (size_t i = 0; i < acc_.size(); ++i) {
      if (acc_[i].scrutin->code == v[kScrutin]) si = i;
    }
    if (v[kScrutin].empty()) return Fail(kScrutin, "listes.scrutin.missing", "empty");
    if (si == acc_.size()) {
      std::string known;
      for (const auto& s : election_.scrutins) known += (known.empty() ? "" : ", ") + s.code;
      return Fail(kScrutin, "listes.scrutin.unknown",
                  "unknown scrutin \"" + text::Shown(v[kScrutin]) +
                      "\" (the election's scrutins: " + known + ")");
    }
    ScrutinAcc& s = acc_[si];
    if (v[kListeId].empty()) return Fail(kListeId, "listes.liste_id.missing", "empty");
    if (v[kSigle].empty()) return Fail(kSigle, "listes.sigle.missing", "empty");
    bool id_ok = v[kListeId].size() <= 32;
    for (char c : v[kListeId]) {
      id_ok = id_ok && ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
                        (c >= 'a' && c <= 'z') || c == '-' || c == '_');
    }
    if (!id_ok) {
      return Fail(kListeId, "listes.liste_id.invalid",
                  text::Quoted(v[kListeId]) + " must be 1 to 32 ASCII letters, digits, - or _");
    }
    // The list: one sigle per id, one id per sigle.
    const std::string id(v[kListeId]);
    const std::string folded_sigle = text::FoldName(v[kSigle]);
    size_t li;
    if (auto it = s.by_id.find(id); it != s.by_id.end()) {
      li = it->second;
      if (s.listes[li].sigle != v[kSigle]) {
        return Fail(kSigle, "listes.sigle.mismatch",
                    "liste " + id + " has the sigle \"" + text::Shown(s.listes[li].sigle) +
                        "\" on " + RowWhere(s.listes[li].first_row, s.listes[li].first_line));
      }
    } else {
      if (auto jt = s.by_sigle.find(folded_sigle); jt != s.by_sigle.end()) {
        const ListeAcc& other = s.listes[jt->second];
        return Fail(kSigle, "listes.sigle.duplicate",
                    text::Quoted(v[kSigle]) + " is already the sigle of liste " + other.id + " (" +
                        RowWhere(other.first_row, other.first_line) + ")");
      }
      li = s.listes.size();
      s.listes.push_back(ListeAcc{id, std::string(v[kSigle]), rec.row, rec.line, {}});
      s.by_id.emplace(id, li);
      s.by_sigle.emplace(folded_sigle, li);
    }
    const bool declaration =
        v[kOrdre].empty() && v[kNom].empty() && v[kPrenom].empty() && v[kSexe].empty();
    if (declaration) return;
    if (s.scrutin->mode == VoteMode::kSigle) {
      return Fail(-1, "listes.candidates_on_sigle_vote",
                  "scrutin " + s.scrutin->code +
                      " is a vote on sigle: its lists have no candidates (leave ordre, nom, "
                      "prenom and sexe empty)");
    }
    Row r{rec.row, rec.line, 0, {}};
    bool row_ok = true;
    uint64_t ordre = 0;
    bool ordre_ok = !v[kOrdre].empty() && v[kOrdre].size() <= 4;
    for (char c : v[kOrdre]) {
      ordre_ok = ordre_ok && c >= '0' && c <= '9';
      if (ordre_ok) ordre = ordre * 10 + static_cast<uint64_t>(c - '0');
    }
    if (!ordre_ok || ordre == 0) {
      Fail(kOrdre, "listes.ordre.invalid",
           text::Quoted(v[kOrdre]) + " is not a position 1, 2, 3...");
      row_ok = false;
    }
    r.ordre = static_cast<uint32_t>(ordre);
    if (v[kNom].empty()) {
      Fail(kNom, "listes.nom.missing", "empty");
      row_ok = false;
    }
    if (v[kPrenom].empty()) {
      Fail(kPrenom, "listes.prenom.missing", "empty");
      row_ok = false;
    }
    const std::string sexe = text::AsciiUpper(v[kSexe]);
    if (sexe == "F") {
      r.candidate.sexe = Sex::kFemale;
    } else if (sexe == "H") {
      r.candidate.sexe = Sex::kMale;
    } else {
      Fail(kSexe, "listes.sexe.invalid",
           text::Quoted(v[kSexe]) + ": expected \"F\" (femme) or \"H\" (homme)");
      row_ok = false;
    }
    if (!row_ok) return;
    r.candidate.nom = v[kNom];
    r.candidate.prenom = v[kPrenom];
    s.listes[li].rows.push_back(std::move(r));
  }

  void Finish() {
    // Per list: ordre 1..n, size, duplicates; per scrutin: one list per candidate.
    for (auto& s : acc_) {
      const uint64_t max = uint64_t{s.scrutin->sieges_titulaires} + s.scrutin->sieges_suppleants;
      std::map<std::string, std::pair<const ListeAcc*, const Row*>> in_scrutin;
      for (auto& l : s.listes) {
        std::stable_sort(l.rows.begin(), l.rows.end(),
                         [](const Row& a, const Row& b) { return a.ordre < b.ordre; });
        for (size_t k = 0; k < l.rows.size(); ++k) {
          const Row& r = l.rows[k];
          const uint32_t expected = k == 0 ? 1 : l.rows[k - 1].ordre + 1;
          if (k > 0 && r.ordre == l.rows[k - 1].ordre) {
            const Row& first = l.rows[k - 1];
            AddAt(r, kOrdre, "listes.ordre.duplicate",
                  "ordre " + std::to_string(r.ordre) + " of liste " + l.id + " is already on " +
                      RowWhere(first.row, first.line));
          } else if (r.ordre != expected) {
            AddAt(r, kOrdre, "listes.ordre.gap",
                  "ordre " + std::to_string(r.ordre) + " of liste " + l.id +
                      (k == 0 ? std::string(" comes first; positions start at 1")
                              : " follows " + std::to_string(l.rows[k - 1].ordre) + " (" +
                                    std::to_string(expected) + " is missing)"));
          }
        }
        if (l.rows.size() > max) {
          const Row& extra = l.rows[max];
          AddAt(extra, -1, "listes.too_many_candidates",
                "liste " + l.id + " of scrutin " + s.scrutin->code + " has " +
                    std::to_string(l.rows.size()) +
                    " candidates; a list has at most as many as seats titulaires + suppléants (" +
                    std::to_string(max) + ")");
        }
        std::map<std::string, const Row*> in_list;
        for (const Row& r : l.rows) {
          const std::string key =
              text::FoldName(r.candidate.nom) + "\n" + text::FoldName(r.candidate.prenom);
          if (auto [it, fresh] = in_list.emplace(key, &r); !fresh) {
            AddAt(r, -1, "listes.candidat.duplicate",
                  r.candidate.prenom + " " + r.candidate.nom + " is already on liste " + l.id +
                      " at " + RowWhere(it->second->row, it->second->line));
            continue;
          }
          if (auto [it, fresh] = in_scrutin.emplace(key, std::pair{&l, &r}); !fresh) {
            AddAt(r, -1, "listes.candidat.two_lists",
                  r.candidate.prenom + " " + r.candidate.nom + " is already a candidate of liste " +
                      it->second.first->id + " at " +
                      RowWhere(it->second.second->row, it->second.second->line) +
                      "; nobody stands on two lists of one scrutin");
          }
        }
      }
    }
    std::stable_sort(errors.begin(), errors.end(),
                     [](const RowError& a, const RowError& b) { return a.row < b.row; });
    if (header_ok_ && errors.empty() && rows_ == 0) {
      errors.push_back(RowError{0, 0, "", MakeError("listes.empty", "the file has no list")});
    }
  }

 private:
  void Fail(int col, std::string code, std::string message) {
    errors.push_back(
        RowError{rec_->row, rec_->line, col >= 0 ? std::string(Specs()[col].name) : std::string(),
                 MakeError(std::move(code),
                           header_.Where(rec_->row, rec_->line, col, Specs()) + ": " + message)});
  }
  void AddAt(const Row& r, int col, std::string code, std::string message) {
    errors.push_back(RowError{
        r.row, r.line, col >= 0 ? std::string(Specs()[col].name) : std::string(),
        MakeError(std::move(code), header_.Where(r.row, r.line, col, Specs()) + ": " + message)});
  }

  const Election& election_;
  CsvHeader header_;
  bool header_ok_ = false;
  size_t field_count_ = 0;
  uint64_t rows_ = 0;
  const CsvRecord* rec_ = nullptr;
};

}  // namespace

ListesCsvImport ParseListesCsv(std::string_view csv, const Election& election) {
  ListesCsvImport out;
  Parser parser(election);
  CsvReader reader;
  bool ok = reader.Feed(csv, parser) && reader.Finish(parser);
  if (!ok && reader.error()) {
    const Error& e = *reader.error();
    parser.errors.push_back(
        RowError{e.code == "csv.unterminated_quote" ? reader.rows() + 1 : 0, 0, "", e});
  }
  parser.Finish();
  out.errors = std::move(parser.errors);
  if (!out.errors.empty()) return out;
  for (auto& s : parser.acc_) {
    if (s.listes.empty()) continue;
    ScrutinListes sl{s.scrutin->code, {}};
    for (auto& l : s.listes) {
      Liste liste;
      liste.id = l.id;
      liste.sigle = l.sigle;
      for (auto& r : l.rows) liste.candidats.push_back(std::move(r.candidate));
      sl.listes.push_back(std::move(liste));
    }
    out.scrutins.push_back(std::move(sl));
  }
  return out;
}

Result<Election> MergeListes(const Election& election, const std::vector<ScrutinListes>& listes) {
  Election e = election;
  for (const auto& imported : listes) {
    auto s = std::find_if(e.scrutins.begin(), e.scrutins.end(),
                          [&](const Scrutin& x) { return x.code == imported.scrutin; });
    if (s == e.scrutins.end()) {
      return MakeError("listes.scrutin.unknown",
                       "unknown scrutin \"" + text::Shown(imported.scrutin) + "\"");
    }
    for (const auto& l : imported.listes) {
      auto existing = std::find_if(s->listes.begin(), s->listes.end(),
                                   [&](const Liste& x) { return x.id == l.id; });
      if (existing == s->listes.end()) {
        s->listes.push_back(l);
      } else {
        existing->sigle = l.sigle;
        existing->candidats = l.candidats;
      }
    }
  }
  auto errors = ValidateElection(e);
  if (!errors.empty()) return CombineErrors(errors, "election.invalid");
  return e;
}

}  // namespace isoloir::election
