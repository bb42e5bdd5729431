#include "election/roll.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <unordered_map>

#include "election/csv.h"
#include "election/paris_time.h"
#include "election/text.h"

namespace isoloir::election {
namespace {

constexpr std::array<std::string_view, kRollColumnCount> kColumnNames = {
    "matricule",          "nom",  "prenom",  "date_naissance", "courriel", "adresse",
    "numero_carte_agent", "iban", "section", "scrutins"};

constexpr size_t kMaxField = 1000;    // bytes, any field but the address
constexpr size_t kMaxAddress = 2000;  // bytes
constexpr size_t kMaxMatricule = 64;
constexpr size_t kMaxCard = 64;  // after spaces removed
constexpr size_t kMaxIban = 34;

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
char Upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

// Copies s without whitespace and upper-cased into buf (capacity cap);
// returns the length, or cap + 1 when it does not fit. buf is a secret.
size_t CompactUpper(std::string_view s, char* buf, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ' ' || c == '\t') continue;
    if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') {
      ++i;
      continue;
    }
    if (c == '\xE2' && i + 2 < s.size() && s[i + 1] == '\x80' && s[i + 2] == '\xAF') {
      i += 2;
      continue;
    }
    if (n == cap) return cap + 1;
    buf[n++] = Upper(c);
  }
  return n;
}

// A fixed buffer wiped when it goes out of scope.
template <size_t N>
struct ScratchSecret {
  char data[N];
  ~ScratchSecret() { sodium_memzero(data, N); }
};

bool IbanCompactOk(const char* b, size_t n) {
  if (n < 15 || n > kMaxIban) return false;
  if (b[0] < 'A' || b[0] > 'Z' || b[1] < 'A' || b[1] > 'Z') return false;
  if (b[2] < '0' || b[2] > '9' || b[3] < '0' || b[3] > '9') return false;
  unsigned r = 0;
  for (size_t k = 0; k < n; ++k) {
    const char c = b[(k + 4) % n];
    if (c >= '0' && c <= '9') {
      r = (r * 10 + static_cast<unsigned>(c - '0')) % 97;
    } else if (c >= 'A' && c <= 'Z') {
      r = (r * 100 + static_cast<unsigned>(c - 'A' + 10)) % 97;
    } else {
      return false;
    }
  }
  return r == 1;
}

}  // namespace

std::string_view RollColumnName(RollColumn column) {
  return kColumnNames[static_cast<size_t>(column)];
}

const std::vector<std::string_view>& RollColumnAliases(RollColumn column) {
  static const std::array<std::vector<std::string_view>, kRollColumnCount> kAliases = {{
      {"matricule", "numeromatricule", "nmatricule", "nomatricule", "matriculeagent"},
      {"nom", "nomdusage", "nomusage", "nomusuel", "nomdefamille", "nomfamille"},
      {"prenom", "prenoms", "prenomusuel"},
      {"datenaissance", "datedenaissance", "naissance", "ddn", "datenais"},
      {"courriel", "email", "mail", "mel", "adressemail", "adresseemail", "adressecourriel",
       "adresseelectronique", "courrielprofessionnel", "emailprofessionnel", "mailprofessionnel"},
      {"adresse", "adressepostale", "adressepersonnelle"},
      {"numerocarteagent", "numerodecarteagent", "ncarteagent", "ndecarteagent", "nocarteagent",
       "numcarteagent", "carteagent", "numerocarte", "ncarte"},
      {"iban", "codeiban", "numeroiban"},
      {"section", "service", "affectation", "unite"},
      {"scrutins", "scrutin", "codesscrutins", "codescrutins"},
  }};
  return kAliases[static_cast<size_t>(column)];
}

Status CheckIban(std::string_view iban) {
  ScratchSecret<kMaxIban + 1> buf;
  const size_t n = CompactUpper(iban, buf.data, kMaxIban);
  if (n == 0) return MakeError("roll.iban.missing", "no IBAN");
  if (!IbanCompactOk(buf.data, n)) {
    return MakeError("roll.iban.invalid",
                     "the IBAN fails the ISO 13616 check (length, country code or mod 97 "
                     "check digits): check it for a typing error");
  }
  return Status::Ok();
}

Status CheckCardNumber(std::string_view card_number) {
  ScratchSecret<kMaxCard + 1> card;
  const size_t n = CompactUpper(card_number, card.data, kMaxCard);
  if (n == 0) return MakeError("roll.numero_carte_agent.missing", "no agent card number");
  if (n < 6) {
    return MakeError("roll.numero_carte_agent.too_short",
                     "the agent card number has fewer than 6 characters");
  }
  if (n > kMaxCard) {
    return MakeError("roll.numero_carte_agent.too_long",
                     "the agent card number has more than 64 characters");
  }
  for (size_t i = 0; i < 6; ++i) {
    if (!IsAsciiAlnum(card.data[i])) {
      return MakeError("roll.numero_carte_agent.charset",
                       "the first 6 characters of the agent card number must be letters or "
                       "digits");
    }
  }
  return Status::Ok();
}

Result<SecretString> ReassortSecret(std::string_view card_number, std::string_view iban) {
  if (auto st = CheckCardNumber(card_number); !st) return st.error();
  if (auto st = CheckIban(iban); !st) return st.error();
  ScratchSecret<kMaxCard + 1> card;
  CompactUpper(card_number, card.data, kMaxCard);
  ScratchSecret<kMaxIban + 1> ib;
  const size_t ni = CompactUpper(iban, ib.data, kMaxIban);
  ScratchSecret<12> out;
  std::memcpy(out.data, card.data, 6);
  std::memcpy(out.data + 6, ib.data + ni - 6, 6);
  return SecretString(std::string_view(out.data, 12));
}

Result<SecretString> NormaliseReassort(std::string_view typed) {
  ScratchSecret<13> buf;
  const size_t n = CompactUpper(typed, buf.data, 12);
  if (n != 12) {
    return MakeError("reassort.length",
                     "expected 12 characters: the first 6 of the agent card number, then the "
                     "last 6 of the IBAN");
  }
  return SecretString(std::string_view(buf.data, 12));
}

Result<Date> ParseBirthDate(std::string_view t) {
  auto bad = [&] {
    return MakeError("roll.date_naissance.invalid",
                     text::Quoted(t) + " is not a date written JJ/MM/AAAA");
  };
  auto number = [](std::string_view s, size_t min, size_t max, int& out) {
    if (s.size() < min || s.size() > max) return false;
    out = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    return true;
  };
  Date d;
  const size_t s1 = t.find('/');
  if (s1 != std::string_view::npos) {
    const size_t s2 = t.find('/', s1 + 1);
    if (s2 == std::string_view::npos) return bad();
    if (!number(t.substr(0, s1), 1, 2, d.day) ||
        !number(t.substr(s1 + 1, s2 - s1 - 1), 1, 2, d.month) ||
        !number(t.substr(s2 + 1), 4, 4, d.year)) {
      return bad();
    }
  } else if (t.size() == 10 && t[4] == '-' && t[7] == '-') {
    if (!number(t.substr(0, 4), 4, 4, d.year) || !number(t.substr(5, 2), 2, 2, d.month) ||
        !number(t.substr(8, 2), 2, 2, d.day)) {
      return bad();
    }
  } else {
    return bad();
  }
  if (!IsValidDate(d.year, d.month, d.day)) {
    return MakeError("roll.date_naissance.invalid",
                     text::Quoted(t) + " is not a real date (no such day in that month)");
  }
  if (d.year < 1900) {
    return MakeError("roll.date_naissance.invalid", text::Quoted(t) + " is before 1900");
  }
  return d;
}

bool IsPlausibleEmail(std::string_view e) {
  if (e.empty() || e.size() > 254) return false;
  const size_t at = e.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64 ||
      e.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view local = e.substr(0, at);
  const std::string_view domain = e.substr(at + 1);
  for (char c : e) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return false;
    if (c == '"' || c == '(' || c == ')' || c == ',' || c == ':' || c == ';' || c == '<' ||
        c == '>' || c == '[' || c == ']' || c == '\\') {
      return false;
    }
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return false;
  }
  if (domain.size() < 3 || domain.find('.') == std::string_view::npos) return false;
  if (domain.front() == '.' || domain.back() == '.' || domain.front() == '-' ||
      domain.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : domain) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) continue;  // internationalised domain names
    if (!IsAsciiAlnum(c) && c != '-' && c != '.') return false;
  }
  return true;
}

std::string RollReport::Summary() const {
  if (ok()) {
    return text::Count(voters) + (voters == 1 ? " voter" : " voters") + " in " + text::Count(rows) +
           (rows == 1 ? " row" : " rows");
  }
  const Error e = ToError();
  return "roll rejected, nothing imported: " + e.message;
}

Error RollReport::ToError() const {
  return CombineRowErrors(errors, errors_not_listed, "roll.invalid");
}

class RollParser::Impl : public CsvSink {
 public:
  Impl(const Election& election, BatchSink sink, RollOptions options)
      : sink_(std::move(sink)), options_(options) {
    for (const auto& s : election.scrutins) codes_.push_back(s.code);
    if (election.window.opening.utc != 0) {
      const std::string local = FormatParisLocal(election.window.opening.utc);
      max_birth_ = Date{std::stoi(local.substr(0, 4)), std::stoi(local.substr(5, 2)),
                        std::stoi(local.substr(8, 2))};
    }
    if (options_.batch_size == 0) options_.batch_size = 1;
    batch_.reserve(options_.batch_size);
  }

  void Feed(std::string_view bytes) {
    if (!reader_.Feed(bytes, *this)) FileError();
  }
  uint64_t records() const { return reader_.rows(); }

  RollReport Finish() {
    if (!finished_) {
      finished_ = true;
      if (!reader_.Finish(*this)) FileError();
      if (!header_seen_ && report_.errors.empty() && report_.errors_not_listed == 0) {
        AddFileError("csv.empty", "the file is empty");
      }
      if (header_ok_ && report_.ok() && report_.rows == 0) {
        AddFileError("roll.empty", "the file has a header but no voter");
      }
      if (report_.ok()) Flush();
      batch_.clear();
      report_.separator = reader_.separator();
    }
    return report_;
  }

  void OnRecord(CsvRecord& rec) override {
    if (rec.row == 1) {
      Header(rec);
      return;
    }
    if (rec.blank()) return;
    ++report_.rows;
    if (!header_ok_) return;
    Row(rec);
  }

 private:
  void FileError() {
    if (file_error_reported_ || !reader_.error()) return;
    file_error_reported_ = true;
    const Error& e = *reader_.error();
    AddError(RowError{e.code == "csv.unterminated_quote" ? reader_.rows() + 1 : 0, 0, "", e});
  }

  void AddFileError(std::string code, std::string message) {
    AddError(RowError{0, 0, "", MakeError(std::move(code), std::move(message))});
  }

  void AddError(RowError e) {
    if (report_.errors.size() < options_.max_errors) {
      report_.errors.push_back(std::move(e));
    } else {
      ++report_.errors_not_listed;
    }
  }

  void Header(CsvRecord& rec) {
    header_seen_ = true;
    static const std::vector<CsvColumnSpec> specs = [] {
      std::vector<CsvColumnSpec> v;
      for (size_t c = 0; c < kRollColumnCount; ++c) {
        v.push_back(
            CsvColumnSpec{kColumnNames[c], RollColumnAliases(static_cast<RollColumn>(c)), true});
      }
      return v;
    }();
    specs_ = &specs;
    header_ = MapCsvHeader(rec, specs, options_.ignore_unknown_columns, "roll");
    field_count_ = rec.fields.size();
    for (auto& e : header_.errors) AddError(std::move(e));
    header_ok_ = header_.ok();
    if (header_ok_) {
      for (size_t c = 0; c < kRollColumnCount; ++c) column_field_[c] = header_.field_of[c];
    }
  }

  void Row(CsvRecord& rec) {
    row_ok_ = true;
    rec_ = &rec;
    if (rec.truncated) {
      WipeSecrets(rec);
      Fail(-1, "roll.row.too_long", "the row is longer than 1 MiB");
      return;
    }
    if (rec.fields.size() != field_count_) {
      for (size_t i = 0; i < rec.fields.size(); ++i) rec.Wipe(i);
      Fail(-1, "roll.columns",
           std::to_string(rec.fields.size()) + " fields where the header has " +
               std::to_string(field_count_) + " (check the separator and the quotes)");
      return;
    }
    if (!rec.problem.empty()) {
      const size_t f = rec.problem_field;
      Fail(f < field_count_ ? header_.spec_of[f] : -1, "roll.csv.syntax", rec.problem);
    }
    // Encoding, control characters and length, for every field kept.
    bool field_ok[kRollColumnCount];
    for (size_t c = 0; c < kRollColumnCount; ++c) {
      const std::string_view v = rec.fields[column_field_[c]];
      field_ok[c] = false;
      const bool secret = c == static_cast<size_t>(RollColumn::kNumeroCarteAgent) ||
                          c == static_cast<size_t>(RollColumn::kIban);
      if (!text::IsValidUtf8(v)) {
        Fail(static_cast<int>(c), "roll.utf8",
             "not valid UTF-8 (the file may be in Windows-1252 or Latin-1: save it as \"CSV "
             "UTF-8\")");
      } else if (text::HasControl(v, c == static_cast<size_t>(RollColumn::kAdresse))) {
        Fail(static_cast<int>(c), "roll.control",
             secret ? "holds a control character" : "holds a control character or a line break");
      } else if (v.size() >
                 (c == static_cast<size_t>(RollColumn::kAdresse) ? kMaxAddress : kMaxField)) {
        Fail(static_cast<int>(c), "roll.field.too_long",
             "longer than " +
                 std::to_string(c == static_cast<size_t>(RollColumn::kAdresse) ? kMaxAddress
                                                                               : kMaxField) +
                 " bytes");
      } else {
        field_ok[c] = true;
      }
    }
    auto field = [&](RollColumn c) { return rec.fields[column_field_[static_cast<size_t>(c)]]; };
    auto ok = [&](RollColumn c) { return field_ok[static_cast<size_t>(c)]; };

    RollEntry entry;
    entry.row = rec.row;
    Voter& v = entry.voter;

    if (ok(RollColumn::kMatricule)) {
      const std::string_view m = text::Trim(field(RollColumn::kMatricule));
      if (m.empty()) {
        Fail(RollColumn::kMatricule, "roll.matricule.missing", "empty");
      } else if (m.size() > kMaxMatricule || m.find_first_of(" \t\n") != std::string_view::npos) {
        Fail(RollColumn::kMatricule, "roll.matricule.invalid",
             text::Quoted(m) + " is longer than 64 bytes or holds a space");
      } else {
        auto [it, inserted] = seen_.try_emplace(
            std::string(m), Seen{static_cast<uint32_t>(rec.row), static_cast<uint32_t>(rec.line)});
        if (!inserted) {
          Fail(RollColumn::kMatricule, "roll.matricule.duplicate",
               text::Quoted(m) + " is already on " + RowWhere(it->second.row, it->second.line));
        }
        v.matricule = m;
      }
    }
    Name(RollColumn::kNom, ok(RollColumn::kNom), field(RollColumn::kNom), v.nom);
    Name(RollColumn::kPrenom, ok(RollColumn::kPrenom), field(RollColumn::kPrenom), v.prenom);
    if (ok(RollColumn::kDateNaissance)) {
      const std::string_view d = text::Trim(field(RollColumn::kDateNaissance));
      if (d.empty()) {
        Fail(RollColumn::kDateNaissance, "roll.date_naissance.missing", "empty");
      } else if (auto date = ParseBirthDate(d); !date) {
        Fail(RollColumn::kDateNaissance, date.error().code, date.error().message);
      } else if (max_birth_ && Later(*date, *max_birth_)) {
        Fail(RollColumn::kDateNaissance, "roll.date_naissance.invalid",
             text::Quoted(d) + " is after the opening of the vote");
      } else {
        v.naissance = *date;
      }
    }
    if (ok(RollColumn::kCourriel)) {
      const std::string_view e = text::Trim(field(RollColumn::kCourriel));
      if (e.empty()) {
        Fail(RollColumn::kCourriel, "roll.courriel.missing",
             "empty: every voter needs an e-mail address");
      } else if (!IsPlausibleEmail(e)) {
        Fail(RollColumn::kCourriel, "roll.courriel.invalid",
             text::Quoted(e) + " is not a plausible e-mail address");
      } else {
        v.courriel = e;
      }
    }
    if (ok(RollColumn::kAdresse)) {
      v.adresse = text::TrimLines(field(RollColumn::kAdresse));
      if (v.adresse.empty()) {
        Fail(RollColumn::kAdresse, "roll.adresse.missing",
             "empty: every voter needs a postal address");
      }
    }
    Secret(rec, ok(RollColumn::kNumeroCarteAgent), ok(RollColumn::kIban), entry);
    if (ok(RollColumn::kSection)) {
      const std::string_view s = text::Trim(field(RollColumn::kSection));
      if (IsFormula(s)) {
        Fail(RollColumn::kSection, "roll.field.formula", FormulaMessage());
      } else {
        v.section = s;
      }
    }
    if (ok(RollColumn::kScrutins)) Scrutins(field(RollColumn::kScrutins), v.scrutins);

    if (!row_ok_) return;
    ++report_.voters;
    if (!report_.ok()) return;  // all-or-nothing: nothing more for the sink
    batch_.push_back(std::move(entry));
    if (batch_.size() >= options_.batch_size) Flush();
  }

  static bool Later(const Date& a, const Date& b) {
    if (a.year != b.year) return a.year > b.year;
    if (a.month != b.month) return a.month > b.month;
    return a.day > b.day;
  }

  static bool IsFormula(std::string_view s) {
    return !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '@');
  }
  static std::string FormulaMessage() {
    return "starts with '=', '+' or '@', which spreadsheets run as a formula";
  }

  void Name(RollColumn c, bool ok, std::string_view raw, std::string& out) {
    if (!ok) return;
    const std::string_view s = text::Trim(raw);
    if (s.empty()) {
      Fail(c, "roll." + std::string(RollColumnName(c)) + ".missing", "empty");
    } else if (IsFormula(s)) {
      Fail(c, "roll.field.formula", FormulaMessage());
    } else {
      out = s;
    }
  }

  void Secret(CsvRecord& rec, bool card_ok, bool iban_ok, RollEntry& entry) {
    const size_t card_field = column_field_[static_cast<size_t>(RollColumn::kNumeroCarteAgent)];
    const size_t iban_field = column_field_[static_cast<size_t>(RollColumn::kIban)];
    const std::string_view card = rec.fields[card_field];
    const std::string_view iban = rec.fields[iban_field];
    bool card_good = false, iban_good = false;
    if (card_ok) {
      if (auto st = CheckCardNumber(card); !st) {
        Fail(RollColumn::kNumeroCarteAgent, st.error().code, st.error().message);
      } else {
        card_good = true;
      }
    }
    if (iban_ok) {
      if (auto st = CheckIban(iban); !st) {
        Fail(RollColumn::kIban, st.error().code, st.error().message);
      } else {
        iban_good = true;
      }
    }
    if (card_good && iban_good) {
      // Both checked: the first 6 of the card and the last 6 of the IBAN.
      ScratchSecret<kMaxCard + 1> c;
      CompactUpper(card, c.data, kMaxCard);
      ScratchSecret<kMaxIban + 1> ib;
      const size_t ni = CompactUpper(iban, ib.data, kMaxIban);
      std::memcpy(c.data + 6, ib.data + ni - 6, 6);
      entry.reassort.Assign(std::string_view(c.data, 12));
    }
    rec.Wipe(card_field);
    rec.Wipe(iban_field);
  }

  void WipeSecrets(CsvRecord& rec) {
    if (rec.fields.size() != field_count_) return;
    rec.Wipe(column_field_[static_cast<size_t>(RollColumn::kNumeroCarteAgent)]);
    rec.Wipe(column_field_[static_cast<size_t>(RollColumn::kIban)]);
  }

  void Scrutins(std::string_view raw, std::vector<std::string>& out) {
    uint64_t seen = 0;  // bit i: codes_[i] listed (first 64 scrutins; more are checked by name)
    std::vector<size_t> picked;
    std::string unknown, duplicate;
    size_t start = 0;
    while (start <= raw.size()) {
      size_t bar = raw.find('|', start);
      if (bar == std::string_view::npos) bar = raw.size();
      const std::string_view code = text::Trim(raw.substr(start, bar - start));
      start = bar + 1;
      if (code.empty()) continue;
      size_t idx = codes_.size();
      for (size_t i = 0; i < codes_.size(); ++i) {
        if (codes_[i] == code) {
          idx = i;
          break;
        }
      }
      if (idx == codes_.size()) {
        if (!unknown.empty()) unknown += ", ";
        unknown += text::Quoted(code);
        continue;
      }
      bool dup = false;
      if (idx < 64) {
        dup = seen & (uint64_t{1} << idx);
        seen |= uint64_t{1} << idx;
      } else {
        for (size_t p : picked) dup = dup || p == idx;
      }
      if (dup) {
        if (!duplicate.empty()) duplicate += ", ";
        duplicate += text::Quoted(codes_[idx]);
        continue;
      }
      picked.push_back(idx);
    }
    if (!unknown.empty()) {
      std::string known;
      for (const auto& c : codes_) known += (known.empty() ? "" : ", ") + c;
      Fail(RollColumn::kScrutins, "roll.scrutins.unknown",
           "unknown scrutin " + unknown + " (the election's scrutins: " + known + ")");
    }
    if (!duplicate.empty()) {
      Fail(RollColumn::kScrutins, "roll.scrutins.duplicate", duplicate + " listed twice");
    }
    if (picked.empty() && unknown.empty()) {
      Fail(RollColumn::kScrutins, "roll.scrutins.missing",
           "empty: list the voter's scrutin codes separated by '|'");
    }
    // Election order, whatever the order in the file.
    std::sort(picked.begin(), picked.end());
    out.reserve(picked.size());
    for (size_t i : picked) out.push_back(codes_[i]);
  }

  void Fail(RollColumn c, std::string code, std::string message) {
    Fail(static_cast<int>(c), std::move(code), std::move(message));
  }
  void Fail(int column, std::string code, std::string message) {
    row_ok_ = false;
    AddError(RowError{
        rec_->row, rec_->line, column >= 0 ? std::string(kColumnNames[column]) : std::string(),
        MakeError(std::move(code),
                  header_.Where(rec_->row, rec_->line, column, *specs_) + ": " + message)});
  }

  void Flush() {
    if (batch_.empty()) return;
    if (sink_) sink_(batch_);
    batch_.clear();
  }

  struct Seen {
    uint32_t row;
    uint32_t line;
  };

  BatchSink sink_;
  RollOptions options_;
  CsvReader reader_;
  std::vector<std::string> codes_;
  std::optional<Date> max_birth_;
  bool finished_ = false;
  bool header_seen_ = false;
  bool header_ok_ = true;
  bool file_error_reported_ = false;
  size_t field_count_ = 0;
  CsvHeader header_;
  const std::vector<CsvColumnSpec>* specs_ = nullptr;
  std::array<int, kRollColumnCount> column_field_{};
  std::unordered_map<std::string, Seen> seen_;
  std::vector<RollEntry> batch_;
  RollReport report_;
  bool row_ok_ = true;
  const CsvRecord* rec_ = nullptr;
};

RollParser::RollParser(const Election& election, BatchSink sink, RollOptions options)
    : impl_(std::make_unique<Impl>(election, std::move(sink), options)) {}
RollParser::~RollParser() = default;
void RollParser::Feed(std::string_view bytes) { impl_->Feed(bytes); }
RollReport RollParser::Finish() { return impl_->Finish(); }

uint64_t RollParser::records() const { return impl_->records(); }

namespace {

// Feeds `in` to the parser in 1 MiB chunks; after_chunk(bytes fed so far).
template <typename F>
RollReport FeedStream(std::istream& in, RollParser& parser, F after_chunk) {
  std::vector<char> buf(1 << 20);
  uint64_t fed = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = in.gcount();
    if (n <= 0) break;
    parser.Feed(std::string_view(buf.data(), static_cast<size_t>(n)));
    fed += static_cast<uint64_t>(n);
    after_chunk(fed);
  }
  sodium_memzero(buf.data(), buf.size());
  RollReport report = parser.Finish();
  if (in.bad()) {
    report.errors.push_back(
        RowError{0, 0, "", MakeError("roll.read", "the file could not be read to the end")});
  }
  return report;
}

// Bytes left in `in`, or -1 when it cannot tell.
int64_t RemainingBytes(std::istream& in) {
  const std::streampos start = in.tellg();
  if (start == std::streampos(-1)) return -1;
  in.seekg(0, std::ios::end);
  const std::streampos end = in.tellg();
  in.clear();
  in.seekg(start);
  if (end == std::streampos(-1) || !in) {
    in.clear();
    return -1;
  }
  return static_cast<int64_t>(end - start);
}

}  // namespace

RollReport ParseRollStream(std::istream& in, const Election& election,
                           const RollParser::BatchSink& sink, RollOptions options) {
  RollParser parser(election, sink, options);
  return FeedStream(in, parser, [](uint64_t) {});
}

RollImport ParseRoll(std::istream& in, const Election& election, RollOptions options) {
  RollImport out;
  const int64_t total = RemainingBytes(in);
  RollParser parser(
      election,
      [&](std::vector<RollEntry>& batch) {
        for (auto& e : batch) out.entries.push_back(std::move(e));
      },
      options);
  bool sized = false;
  out.report = FeedStream(in, parser, [&](uint64_t fed) {
    if (sized || total <= 0 || parser.records() < 2) return;
    sized = true;
    // Rows per byte so far, 10 % margin; never more than a row per 16 bytes.
    const double rows = static_cast<double>(parser.records()) * static_cast<double>(total) /
                        static_cast<double>(fed) * 1.1;
    const uint64_t cap = static_cast<uint64_t>(total) / 16 + 1;
    out.entries.reserve(static_cast<size_t>(std::min<double>(rows, static_cast<double>(cap))));
  });
  if (!out.report.ok()) out.entries.clear();
  return out;
}

RollImport ParseRoll(std::string_view csv, const Election& election, RollOptions options) {
  RollImport out;
  RollParser parser(
      election,
      [&](std::vector<RollEntry>& batch) {
        for (auto& e : batch) out.entries.push_back(std::move(e));
      },
      options);
  parser.Feed(csv);
  out.report = parser.Finish();
  if (!out.report.ok()) out.entries.clear();
  return out;
}

std::vector<Voter> VotersOf(const std::vector<RollEntry>& entries) {
  std::vector<Voter> out;
  out.reserve(entries.size());
  for (const auto& e : entries) out.push_back(e.voter);
  return out;
}

}  // namespace isoloir::election
