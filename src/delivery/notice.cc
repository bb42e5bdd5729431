#include "delivery/notice.h"

#include <cctype>
#include <cstdio>
#include <kainjow/mustache.hpp>
#include <unordered_map>
#include <utility>

#include "delivery/mime.h"
#include "delivery/secure_buffer.h"
#include "delivery/templates.h"

namespace isoloir::delivery {
namespace {

namespace mu = kainjow::mustache;

constexpr std::string_view kNbsp = "\u00a0";
// Stands for the password while the template is rendered, so the secret never
// goes through the template engine's buffers (which are not wiped).
constexpr std::string_view kSecretMarker = "\x1d\x1esecret\x1e\x1d";

const templates::Texts& TextsFor(Language language) {
  return language == Language::kEnglish ? templates::kEnglish : templates::kFrench;
}

// Templates are parsed once per thread (parsing costs far more than
// rendering: it dominated the letter batch profile).
Result<std::string> Render(const char* text, const mu::data& data) {
  thread_local std::unordered_map<const char*, mu::mustache> parsed;
  auto it = parsed.find(text);
  if (it == parsed.end()) {
    it = parsed.emplace(text, mu::mustache{std::string(text)}).first;
    it->second.set_custom_escape([](const std::string& s) { return s; });  // plain text, not HTML
  }
  mu::mustache& tmpl = it->second;
  if (!tmpl.is_valid()) return MakeError("notice.template", tmpl.error_message());
  return tmpl.render(data);
}

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

// French typography: a non-breaking space before : ; ? ! » and after «, so a
// line is never broken there (in the letter) and mail clients keep them.
void FrenchSpaces(std::string& s) {
  for (std::string_view p : {":", ";", "?", "!", "»"}) {
    ReplaceAll(s, " " + std::string(p), std::string(kNbsp) + std::string(p));
  }
  ReplaceAll(s, "« ", "«" + std::string(kNbsp));
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    lines.emplace_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

Status Require(std::string_view field, const std::string& value, const Recipient& voter) {
  bool blank = true;
  for (unsigned char c : value) blank = blank && std::isspace(c);
  if (!blank) return Status::Ok();
  std::string who = voter.matricule.empty() ? "" : " (matricule " + voter.matricule + ")";
  return MakeError("notice.missing_field", std::string(field) + ": is empty" + who);
}

Status CheckCommon(const CredentialNotice& n) {
  const ElectionInfo& e = n.election;
  const std::pair<const char*, const std::string*> fields[] = {
      {"election.title", &e.title},
      {"election.organisation", &e.organisation},
      {"election.portal_url", &e.portal_url},
      {"election.helpdesk", &e.helpdesk},
      {"election.opening", &e.opening},
      {"election.closing", &e.closing},
      {"voter.nom", &n.voter.nom},
      {"voter.prenom", &n.voter.prenom},
  };
  for (const auto& [name, value] : fields) {
    if (Status s = Require(name, *value, n.voter); !s) return s;
  }
  for (const auto& [name, value] : fields) {
    if (!IsValidUtf8(*value)) {
      return MakeError("notice.invalid_utf8", std::string(name) + ": is not valid UTF-8");
    }
  }
  return Require("secret", n.secret, n.voter);
}

mu::data CommonData(const CredentialNotice& n, bool letter) {
  mu::data d;
  d.set("title", n.election.title);
  d.set("organisation", n.election.organisation);
  d.set("portal_url", n.election.portal_url);
  d.set("helpdesk", n.election.helpdesk);
  d.set("opening", n.election.opening);
  d.set("closing", n.election.closing);
  d.set("nom", n.voter.nom);
  d.set("prenom", n.voter.prenom);
  d.set("letter", letter ? mu::data::type::bool_true : mu::data::type::bool_false);
  return d;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant).
int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

Result<std::string> FormatLocalDateTime(std::string_view iso_local, Language language) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, consumed = 0;
  std::string s(iso_local);
  bool parsed =
      std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &consumed) == 5;
  // Optional seconds, ignored.
  if (parsed && static_cast<size_t>(consumed) != s.size()) {
    int sec = 0, more = 0;
    parsed = std::sscanf(s.c_str() + consumed, ":%2d%n", &sec, &more) == 1 &&
             static_cast<size_t>(consumed + more) == s.size() && sec >= 0 && sec <= 59;
  }
  static constexpr int kMonthDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (!parsed || y < 1970 || mo < 1 || mo > 12 || d < 1 ||
      d > (mo == 2 && !leap ? 28 : kMonthDays[mo - 1]) || h < 0 || h > 23 || mi < 0 || mi > 59) {
    return MakeError("notice.invalid_date",
                     "date-time '" + s + "': expected YYYY-MM-DDTHH:MM (Europe/Paris)");
  }
  int weekday = static_cast<int>((DaysFromCivil(y, mo, d) + 4) % 7);  // 1970-01-01: Thursday
  char buf[128];
  if (language == Language::kEnglish) {
    static constexpr const char* kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                            "Thursday", "Friday", "Saturday"};
    static constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                              "May",       "June",     "July",     "August",
                                              "September", "October",  "November", "December"};
    std::snprintf(buf, sizeof buf, "%s %d %s %d at %02d:%02d (Paris time)", kDays[weekday], d,
                  kMonths[mo - 1], y, h, mi);
  } else {
    static constexpr const char* kDays[] = {"dimanche", "lundi",    "mardi", "mercredi",
                                            "jeudi",    "vendredi", "samedi"};
    static constexpr const char* kMonths[] = {"janvier",   "février", "mars",     "avril",
                                              "mai",       "juin",    "juillet",  "août",
                                              "septembre", "octobre", "novembre", "décembre"};
    // "mardi 1er décembre 2026 à 9 h 00", with non-breaking spaces in the time.
    std::snprintf(buf, sizeof buf, "%s %d%s %s %d à %d\u00a0h\u00a0%02d (heure de Paris)",
                  kDays[weekday], d, d == 1 ? "er" : "", kMonths[mo - 1], y, h, mi);
  }
  return std::string(buf);
}

Result<ElectionInfo> MakeElectionInfo(const election::Election& election, Language language) {
  Result<std::string> opening = FormatLocalDateTime(election.window.opening.local, language);
  if (!opening) return opening.error();
  Result<std::string> closing = FormatLocalDateTime(election.window.closing.local, language);
  if (!closing) return closing.error();
  return ElectionInfo{
      election.title, election.organisation, election.portal_url, election.helpdesk, *opening,
      *closing};
}

Recipient MakeRecipient(const election::Voter& voter) {
  Recipient r{voter.nom, voter.prenom, voter.matricule, {}, voter.courriel};
  for (std::string& line : Lines(voter.adresse)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) r.adresse.push_back(std::move(line));
  }
  return r;
}

std::string FormatSecurityKey(std::string_view key) {
  if (key.size() != 20) return std::string(key);
  for (unsigned char c : key) {
    if (!std::isdigit(c) && !std::isupper(c)) return std::string(key);
  }
  std::string out;
  for (size_t i = 0; i < 20; i += 5) {
    if (i) out += '-';
    out += key.substr(i, 5);
  }
  return out;
}

Result<Mail> PasswordMail(const CredentialNotice& notice, std::string_view from_address,
                          std::string_view from_name) {
  if (Status s = CheckCommon(notice); !s) return s.error();
  if (Status s = Require("voter.courriel", notice.voter.courriel, notice.voter); !s) {
    return s.error();
  }
  const templates::Texts& t = TextsFor(notice.language);
  mu::data data = CommonData(notice, false);
  Result<std::string> common = Render(t.common, data);
  if (!common) return common.error();
  data.set("common", *common);
  data.set("password", std::string(kSecretMarker));
  Result<std::string> body = Render(t.email_body, data);
  if (!body) return body.error();
  Result<std::string> subject = Render(t.email_subject, data);
  if (!subject) return subject.error();
  if (notice.language == Language::kFrench) {
    FrenchSpaces(*body);
    FrenchSpaces(*subject);
  }
  // Plain text: headings lose their "# ", consecutive bullets their blank line.
  std::vector<std::string> lines = Lines(*body);
  std::string text;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line.empty() && i > 0 && i + 1 < lines.size() && lines[i - 1].starts_with("• ") &&
        lines[i + 1].starts_with("• ")) {
      continue;
    }
    if (line.starts_with("# ")) line.remove_prefix(2);
    text += line;
    text += '\n';
  }
  // The secret goes in last, into a buffer reserved for it.
  size_t at = text.find(kSecretMarker);
  if (at == std::string::npos || text.find(kSecretMarker, at + 1) != std::string::npos) {
    return MakeError("notice.template", "the e-mail template must hold {{password}} once");
  }
  Mail mail{std::string(from_address),
            std::string(from_name),
            notice.voter.courriel,
            std::move(*subject),
            {}};
  mail.text.reserve(text.size() + notice.secret.size());
  mail.text.append(text, 0, at);
  mail.text.append(notice.secret);
  mail.text.append(text, at + kSecretMarker.size());
  if (Status s = ValidateMail(mail); !s) {
    Wipe(mail.text);
    return s.error();
  }
  return mail;
}

Result<LetterText> SecurityKeyLetter(const CredentialNotice& notice) {
  if (Status s = CheckCommon(notice); !s) return s.error();
  if (Status s = Require("voter.matricule", notice.voter.matricule, notice.voter); !s) {
    return s.error();
  }
  if (notice.voter.adresse.empty()) {
    return MakeError("notice.missing_field",
                     "voter.adresse: is empty (matricule " + notice.voter.matricule + ")");
  }
  for (size_t i = 0; i < notice.voter.adresse.size(); ++i) {
    const std::string& line = notice.voter.adresse[i];
    bool control = false;
    for (unsigned char c : line) control = control || c < 0x20 || c == 0x7f;
    if (!IsValidUtf8(line) || control) {
      return MakeError("notice.invalid_utf8", "voter.adresse: line " + std::to_string(i + 1) +
                                                  " is not one line of valid UTF-8 (matricule " +
                                                  notice.voter.matricule + ")");
    }
  }
  const templates::Texts& t = TextsFor(notice.language);
  mu::data data = CommonData(notice, true);
  LetterText letter;
  Result<std::string> before = Render(t.letter_before_key, data);
  if (!before) return before.error();
  Result<std::string> after = Render(t.common, data);
  if (!after) return after.error();
  mu::data m;
  m.set("matricule", notice.voter.matricule);
  Result<std::string> matricule_line = Render(t.letter_matricule, m);
  if (!matricule_line) return matricule_line.error();
  letter.matricule_line = std::move(*matricule_line);
  letter.heading = t.letter_heading;
  letter.key_label = t.letter_key_label;
  letter.qr_caption = t.letter_qr_caption;
  letter.footer = t.letter_footer;
  if (notice.language == Language::kFrench) {
    FrenchSpaces(*before);
    FrenchSpaces(*after);
    FrenchSpaces(letter.key_label);
    FrenchSpaces(letter.matricule_line);
    FrenchSpaces(letter.footer);
  }
  letter.before_key = Lines(*before);
  letter.after_key = Lines(*after);
  letter.sender = {notice.election.organisation, notice.election.title};
  letter.recipient.push_back(notice.voter.prenom + " " + notice.voter.nom);
  for (const std::string& line : notice.voter.adresse) letter.recipient.push_back(line);
  letter.key = FormatSecurityKey(notice.secret);
  letter.portal_url = notice.election.portal_url;
  return letter;
}

}  // namespace isoloir::delivery
