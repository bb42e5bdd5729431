// Reading the lists' votes and candidates for the seat allocation from CSV,
// every problem located by row, line and column (docs/seats.md).
#include "election/seats_csv.h"

#include <map>

#include "election/csv.h"
#include "election/text.h"

namespace isoloir::election {
namespace {

enum Col { kListe, kVoix, kCandidats };

const std::vector<CsvColumnSpec>& Specs(VoteMode mode) {
  static const std::vector<CsvColumnSpec> list_vote = {
      {"liste",
       {"liste", "nomliste", "nomdelaliste", "sigle", "organisationsyndicale", "syndicat"}},
      {"voix", {"voix", "suffrages", "votes", "nombredevoix", "suffragesobtenus"}},
      {"candidats", {"candidats", "nombredecandidats", "nbcandidats", "nombrecandidats"}},
  };
  static const std::vector<CsvColumnSpec> sigle_vote = {
      list_vote[kListe],
      list_vote[kVoix],
      {list_vote[kCandidats].name, list_vote[kCandidats].aliases, false}};
  return mode == VoteMode::kList ? list_vote : sigle_vote;
}

enum class Number { kOk, kEmpty, kInvalid, kNegative, kTooLarge };

// A whole number, digit groups possibly separated by spaces ("1 234").
Number ParseNumber(std::string_view raw, int64_t max, int64_t& out) {
  const std::string v = text::RemoveSpaces(raw);
  if (v.empty()) return Number::kEmpty;
  std::string_view digits = v;
  const bool minus = digits.front() == '-';
  if (minus) digits.remove_prefix(1);
  if (digits.empty()) return Number::kInvalid;
  int64_t n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return Number::kInvalid;
    if (n <= max) n = n * 10 + (c - '0');  // stops growing past max: no overflow
  }
  if (minus) return n == 0 ? Number::kInvalid : Number::kNegative;
  if (n > max) return Number::kTooLarge;
  out = n;
  return Number::kOk;
}

class Parser : public CsvSink {
 public:
  explicit Parser(VoteMode mode) : mode_(mode), specs_(Specs(mode)) {}

  std::vector<RowError> errors;
  std::vector<SeatRow> rows;

  void OnRecord(CsvRecord& rec) override {
    if (rec.row == 1) {
      header_ = MapCsvHeader(rec, specs_, false, "seats");
      header_ok_ = header_.ok();
      for (auto& e : header_.errors) errors.push_back(std::move(e));
      field_count_ = rec.fields.size();
      return;
    }
    if (rec.blank() || !header_ok_) return;
    ++records_;
    rec_ = &rec;
    if (rec.truncated) return Fail(-1, "seats.row.too_long", "the row is longer than 1 MiB");
    if (rec.fields.size() != field_count_) {
      return Fail(-1, "seats.columns",
                  std::to_string(rec.fields.size()) + " fields where the header has " +
                      std::to_string(field_count_) + " (check the separator and the quotes)");
    }
    if (!rec.problem.empty()) {
      const size_t f = rec.problem_field;
      return Fail(f < field_count_ ? header_.spec_of[f] : -1, "seats.csv.syntax", rec.problem);
    }
    SeatRow row;
    bool ok = true;
    const std::string_view name = text::Trim(rec.fields[header_.field_of[kListe]]);
    if (name.empty()) {
      Fail(kListe, "seats.liste.missing", "empty");
      ok = false;
    } else if (!text::IsValidUtf8(name)) {
      Fail(kListe, "seats.utf8",
           "not valid UTF-8 (the file may be in Windows-1252 or Latin-1: save it as \"CSV "
           "UTF-8\")");
      ok = false;
    } else if (text::HasControl(name, false) || name.size() > 1000) {
      Fail(kListe, "seats.liste.invalid",
           "holds a control character or a line break, or is longer than 1000 bytes");
      ok = false;
    } else if (auto [it, fresh] = seen_.emplace(text::FoldName(name), std::pair{rec.row, rec.line});
               !fresh) {
      Fail(kListe, "seats.liste.duplicate",
           text::Quoted(name) + " is already on " + RowWhere(it->second.first, it->second.second) +
               " (names are compared without case or accents)");
      ok = false;
    }
    row.name = std::string(name);
    ok = Count(kVoix, "votes", kMaxVotes, row.votes) && ok;
    if (mode_ == VoteMode::kList) {
      ok = Count(kCandidats, "candidates", kMaxCandidates, row.candidates) && ok;
    }
    if (ok) rows.push_back(std::move(row));
  }

  void Finish() {
    if (header_ok_ && errors.empty() && records_ == 0) {
      errors.push_back(RowError{0, 0, "", MakeError("seats.empty", "the file has no list")});
    }
  }

 private:
  bool Count(int col, std::string_view what, int64_t max, int64_t& out) {
    const std::string name(specs_[col].name);
    const std::string_view raw = text::Trim(rec_->fields[header_.field_of[col]]);
    switch (ParseNumber(raw, max, out)) {
      case Number::kOk:
        return true;
      case Number::kEmpty:
        Fail(col, "seats." + name + ".missing", "empty");
        break;
      case Number::kInvalid:
        Fail(col, "seats." + name + ".invalid",
             text::Quoted(raw) + " is not a whole number of " + std::string(what));
        break;
      case Number::kNegative:
        Fail(col, "seats." + name + ".negative",
             text::Quoted(raw) + ": a number of " + std::string(what) + " cannot be negative");
        break;
      case Number::kTooLarge:
        Fail(col, "seats." + name + ".too_large",
             text::Quoted(raw) + " is above " + text::Count(static_cast<uint64_t>(max)));
        break;
    }
    return false;
  }

  void Fail(int col, std::string code, std::string message) {
    errors.push_back(
        RowError{rec_->row, rec_->line, col >= 0 ? std::string(specs_[col].name) : std::string(),
                 MakeError(std::move(code),
                           header_.Where(rec_->row, rec_->line, col, specs_) + ": " + message)});
  }

  VoteMode mode_;
  const std::vector<CsvColumnSpec>& specs_;
  CsvHeader header_;
  bool header_ok_ = false;
  size_t field_count_ = 0;
  uint64_t records_ = 0;
  const CsvRecord* rec_ = nullptr;
  std::map<std::string, std::pair<uint64_t, uint64_t>> seen_;  // folded name -> row, line
};

}  // namespace

SeatsCsvImport ParseSeatsCsv(std::string_view csv, VoteMode mode) {
  SeatsCsvImport out;
  Parser parser(mode);
  CsvReader reader;
  const bool ok = reader.Feed(csv, parser) && reader.Finish(parser);
  if (!ok && reader.error()) {
    const Error& e = *reader.error();
    parser.errors.push_back(
        RowError{e.code == "csv.unterminated_quote" ? reader.rows() + 1 : 0, 0, "", e});
  }
  parser.Finish();
  out.errors = std::move(parser.errors);
  if (out.errors.empty()) out.rows = std::move(parser.rows);
  return out;
}

}  // namespace isoloir::election
