#include "election/election_file.h"

#include <map>
#include <set>

#include "crypto/codec.h"
#include "election/paris_time.h"
#include "election/roll.h"
#include "election/text.h"

namespace isoloir::election {
namespace {

using Json = nlohmann::json;

constexpr size_t kMaxItems = 1000;  // scrutins, lists, candidates, members
constexpr size_t kMaxText = 1000;   // bytes in any text field
constexpr int64_t kMinWindow = 24 * 3600;
constexpr int64_t kMaxWindow = 8 * 24 * 3600;

std::string Sub(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}
std::string Index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

// Collects problems while decoding; a field that fails keeps its default.
class Decoder {
 public:
  std::vector<Error> errors;
  std::set<std::string> failed_paths;

  void Fail(const std::string& path, std::string code, std::string message) {
    failed_paths.insert(path);
    errors.push_back(
        MakeError(std::move(code), (path.empty() ? "election file" : path) + ": " + message));
  }

  // Reports unknown and missing fields; false when j is not an object.
  bool Object(const Json& j, const std::string& path,
              std::initializer_list<std::string_view> required,
              std::initializer_list<std::string_view> optional = {}) {
    if (!j.is_object()) {
      Fail(path, "election.type", "expected an object");
      return false;
    }
    std::set<std::string_view> allowed(required);
    allowed.insert(optional.begin(), optional.end());
    for (const auto& [k, v] : j.items()) {
      if (!allowed.count(k)) {
        std::string known;
        for (auto a : allowed) known += (known.empty() ? "" : ", ") + std::string(a);
        Fail(Sub(path, k), "election.unknown_field", "unknown field (expected: " + known + ")");
      }
    }
    for (auto k : required) {
      if (!j.contains(k)) Fail(Sub(path, k), "election.missing_field", "missing field");
    }
    return true;
  }

  const Json* Field(const Json& obj, std::string_view key) {
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
  }

  void String(const Json& obj, const std::string& path, std::string_view key, std::string& out) {
    const Json* j = Field(obj, key);
    if (!j) return;
    if (!j->is_string()) {
      Fail(Sub(path, key), "election.type", "expected a string");
      return;
    }
    out = j->get<std::string>();
  }

  void U32(const Json& obj, const std::string& path, std::string_view key, uint32_t& out) {
    const Json* j = Field(obj, key);
    if (!j) return;
    if (!j->is_number_unsigned() || j->get<uint64_t>() > 0xffffffffu) {
      Fail(Sub(path, key), "election.type", "expected a non-negative integer");
      return;
    }
    out = j->get<uint32_t>();
  }

  void Bool(const Json& obj, const std::string& path, std::string_view key, bool& out) {
    const Json* j = Field(obj, key);
    if (!j) return;
    if (!j->is_boolean()) {
      Fail(Sub(path, key), "election.type", "expected true or false");
      return;
    }
    out = j->get<bool>();
  }

  // Calls item(element, path) for each element of the array obj[key].
  template <typename F>
  void Array(const Json& obj, const std::string& path, std::string_view key, F item) {
    const Json* j = Field(obj, key);
    if (!j) return;
    const std::string p = Sub(path, key);
    if (!j->is_array()) {
      Fail(p, "election.type", "expected an array");
      return;
    }
    if (j->size() > kMaxItems) {
      Fail(p, "election.too_many", "more than " + std::to_string(kMaxItems) + " items");
      return;
    }
    for (size_t i = 0; i < j->size(); ++i) item((*j)[i], Index(p, i));
  }

  template <typename E>
  void Enum(const Json& obj, const std::string& path, std::string_view key,
            std::initializer_list<std::pair<std::string_view, E>> values, std::string_view expected,
            E& out) {
    const Json* j = Field(obj, key);
    if (!j) return;
    if (j->is_string()) {
      const auto& s = j->get_ref<const std::string&>();
      for (const auto& [name, v] : values) {
        if (s == name) {
          out = v;
          return;
        }
      }
    }
    Fail(Sub(path, key), "election.value", "expected " + std::string(expected));
  }
};

Candidate DecodeCandidate(Decoder& d, const Json& j, const std::string& path) {
  Candidate c;
  if (!d.Object(j, path, {"nom", "prenom", "sexe"})) return c;
  d.String(j, path, "nom", c.nom);
  d.String(j, path, "prenom", c.prenom);
  d.Enum<Sex>(j, path, "sexe", {{"F", Sex::kFemale}, {"H", Sex::kMale}}, "\"F\" or \"H\"", c.sexe);
  return c;
}

Liste DecodeListe(Decoder& d, const Json& j, const std::string& path) {
  Liste l;
  if (!d.Object(j, path, {"id", "sigle"}, {"title", "candidats", "profession_de_foi"})) return l;
  d.String(j, path, "id", l.id);
  d.String(j, path, "sigle", l.sigle);
  d.String(j, path, "title", l.title);
  d.String(j, path, "profession_de_foi", l.profession_de_foi);
  d.Array(j, path, "candidats", [&](const Json& c, const std::string& p) {
    l.candidats.push_back(DecodeCandidate(d, c, p));
  });
  return l;
}

Scrutin DecodeScrutin(Decoder& d, const Json& j, const std::string& path) {
  Scrutin s;
  if (!d.Object(j, path, {"code", "title", "mode", "sieges_titulaires", "sieges_suppleants"},
                {"blank_allowed", "listes"})) {
    return s;
  }
  d.String(j, path, "code", s.code);
  d.String(j, path, "title", s.title);
  d.Enum<VoteMode>(j, path, "mode", {{"liste", VoteMode::kList}, {"sigle", VoteMode::kSigle}},
                   "\"liste\" or \"sigle\"", s.mode);
  d.U32(j, path, "sieges_titulaires", s.sieges_titulaires);
  d.U32(j, path, "sieges_suppleants", s.sieges_suppleants);
  d.Bool(j, path, "blank_allowed", s.blank_allowed);
  d.Array(j, path, "listes",
          [&](const Json& l, const std::string& p) { s.listes.push_back(DecodeListe(d, l, p)); });
  return s;
}

BveMember DecodeMember(Decoder& d, const Json& j, const std::string& path) {
  BveMember m;
  if (!d.Object(j, path, {"id", "nom", "prenom", "role", "courriel", "fragments"}, {"liste"})) {
    return m;
  }
  d.String(j, path, "id", m.id);
  d.String(j, path, "nom", m.nom);
  d.String(j, path, "prenom", m.prenom);
  d.Enum<BveRole>(j, path, "role",
                  {{"president", BveRole::kPresident},
                   {"secretaire", BveRole::kSecretaire},
                   {"delegue", BveRole::kDelegue}},
                  "\"president\", \"secretaire\" or \"delegue\"", m.role);
  d.String(j, path, "liste", m.liste);
  d.String(j, path, "courriel", m.courriel);
  d.U32(j, path, "fragments", m.fragments);
  return m;
}

Election Decode(Decoder& d, const Json& j) {
  Election e;
  if (!d.Object(
          j, "",
          {"id", "title", "organisation", "portal_url", "helpdesk", "window", "scrutins", "bve"},
          {"format"})) {
    return e;
  }
  if (const Json* f = d.Field(j, "format");
      f && !(f->is_string() && f->get_ref<const std::string&>() == kElectionFormat)) {
    d.Fail("format", "election.format", "expected \"" + std::string(kElectionFormat) + "\"");
  }
  d.String(j, "", "id", e.id);
  d.String(j, "", "title", e.title);
  d.String(j, "", "organisation", e.organisation);
  d.String(j, "", "portal_url", e.portal_url);
  d.String(j, "", "helpdesk", e.helpdesk);
  if (const Json* w = d.Field(j, "window"); w && d.Object(*w, "window", {"opening", "closing"})) {
    d.String(*w, "window", "opening", e.window.opening.local);
    d.String(*w, "window", "closing", e.window.closing.local);
    // The instants; problems are reported by ValidateElection.
    if (auto t = ParseParisLocal(e.window.opening.local)) e.window.opening = *t;
    if (auto t = ParseParisLocal(e.window.closing.local)) e.window.closing = *t;
  }
  d.Array(j, "", "scrutins", [&](const Json& s, const std::string& p) {
    e.scrutins.push_back(DecodeScrutin(d, s, p));
  });
  if (const Json* b = d.Field(j, "bve"); b && d.Object(*b, "bve", {"members", "threshold"})) {
    d.U32(*b, "bve", "threshold", e.bve.threshold);
    d.Array(*b, "bve", "members", [&](const Json& m, const std::string& p) {
      e.bve.members.push_back(DecodeMember(d, m, p));
    });
  }
  return e;
}

// The path an error message starts with ("scrutins[1].code").
std::string PathOf(const Error& e) {
  const size_t colon = e.message.find(": ");
  return colon == std::string::npos ? std::string() : e.message.substr(0, colon);
}

// True when path or one of its prefixes ("a", "a.b", "a.b[2]") already failed.
bool UnderFailed(const std::string& path, const std::set<std::string>& failed) {
  if (failed.count(path)) return true;
  for (size_t i = 0; i < path.size(); ++i) {
    if ((path[i] == '.' || path[i] == '[') && failed.count(path.substr(0, i))) return true;
  }
  return false;
}

// Semantic checks, collecting errors with their path.
class Checker {
 public:
  std::vector<Error> errors;

  void Fail(const std::string& path, std::string code, std::string message) {
    errors.push_back(MakeError(std::move(code), path + ": " + message));
  }

  // Valid UTF-8, no control characters (line breaks only where allowed),
  // at most kMaxText bytes, and not empty when required.
  bool Text(const std::string& path, const std::string& s, bool required,
            bool allow_newline = false) {
    if (!text::IsValidUtf8(s)) {
      Fail(path, "election.utf8", "not valid UTF-8");
      return false;
    }
    if (text::HasControl(s, allow_newline)) {
      Fail(path, "election.control", "holds a control character");
      return false;
    }
    if (s.size() > kMaxText) {
      Fail(path, "election.too_long", "longer than " + std::to_string(kMaxText) + " bytes");
      return false;
    }
    if (required && text::Trim(s).empty()) {
      Fail(path, "election.empty", "must not be empty");
      return false;
    }
    return true;
  }

  // Letters, digits and the punctuation given; 1 to max bytes.
  void Identifier(const std::string& path, const std::string& s, size_t max,
                  std::string_view punctuation, std::string code) {
    if (s.empty()) {
      Fail(path, "election.empty", "must not be empty");
      return;
    }
    bool ok = s.size() <= max;
    for (char c : s) {
      const bool alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
      ok = ok && (alnum || punctuation.find(c) != std::string_view::npos);
    }
    if (!ok) {
      Fail(path, std::move(code),
           text::Quoted(s) + " must be 1 to " + std::to_string(max) + " ASCII letters, digits or " +
               std::string(punctuation));
    }
  }
};

void CheckWindow(Checker& c, const VotingWindow& w) {
  bool both = true;
  for (auto [name, dt] :
       {std::pair<const char*, const DateTime*>{"opening", &w.opening}, {"closing", &w.closing}}) {
    const std::string path = std::string("window.") + name;
    auto t = ParseParisLocal(dt->local);
    if (!t) {
      c.Fail(path, t.error().code, t.error().message);
      both = false;
    } else if (t->utc != dt->utc) {
      c.Fail(path, "election.window.inconsistent",
             "the UTC instant " + FormatUtc(dt->utc) + " is not " + dt->local + " in Paris (" +
                 FormatUtc(t->utc) + ")");
      both = false;
    }
  }
  if (!both) return;
  const int64_t d = w.closing.utc - w.opening.utc;
  if (d <= 0) {
    c.Fail("window.closing", "election.window.order", "the closing must come after the opening");
  } else if (d < kMinWindow) {
    c.Fail("window.closing", "election.window.too_short",
           "the vote must last at least 24 hours (décret 2011-595); it lasts " +
               std::to_string(d / 3600) + " h " + std::to_string(d % 3600 / 60) + " min");
  } else if (d > kMaxWindow) {
    c.Fail("window.closing", "election.window.too_long",
           "the vote must last at most 8 days (décret 2011-595); it lasts " +
               std::to_string(d / 86400) + " days " + std::to_string(d % 86400 / 3600) + " h");
  }
}

void CheckScrutin(Checker& c, const Scrutin& s, const std::string& path) {
  c.Identifier(Sub(path, "code"), s.code, 32, "-_", "election.scrutin.code");
  c.Text(Sub(path, "title"), s.title, true);
  if (s.sieges_titulaires == 0) {
    c.Fail(Sub(path, "sieges_titulaires"), "election.scrutin.sieges", "must be at least 1");
  }
  if (s.sieges_titulaires > 1000 || s.sieges_suppleants > 1000) {
    c.Fail(path, "election.scrutin.sieges", "more than 1000 seats");
  }
  const uint64_t max_candidates = uint64_t{s.sieges_titulaires} + s.sieges_suppleants;
  std::map<std::string, size_t> ids, sigles;
  std::map<std::string, std::string> candidates_in_scrutin;  // folded name -> path
  for (size_t i = 0; i < s.listes.size(); ++i) {
    const Liste& l = s.listes[i];
    const std::string lp = Index(Sub(path, "listes"), i);
    c.Identifier(Sub(lp, "id"), l.id, 32, "-_", "election.liste.id");
    if (!l.id.empty()) {
      auto [it, fresh] = ids.emplace(l.id, i);
      if (!fresh) {
        c.Fail(
            Sub(lp, "id"), "election.liste.duplicate_id",
            text::Quoted(l.id) + " is already the id of " + Index(Sub(path, "listes"), it->second));
      }
    }
    if (c.Text(Sub(lp, "sigle"), l.sigle, true)) {
      auto [it, fresh] = sigles.emplace(text::FoldName(l.sigle), i);
      if (!fresh) {
        c.Fail(Sub(lp, "sigle"), "election.liste.duplicate_sigle",
               text::Quoted(l.sigle) + " is already the sigle of " +
                   Index(Sub(path, "listes"), it->second));
      }
    }
    c.Text(Sub(lp, "title"), l.title, false);
    if (!l.profession_de_foi.empty() &&
        c.Text(Sub(lp, "profession_de_foi"), l.profession_de_foi, false)) {
      const std::string& f = l.profession_de_foi;
      const std::string lower = text::AsciiLower(f);
      if (f.front() == '/' || f.find('\\') != std::string::npos ||
          f.find("..") != std::string::npos || lower.size() < 5 ||
          lower.substr(lower.size() - 4) != ".pdf") {
        c.Fail(Sub(lp, "profession_de_foi"), "election.liste.profession_de_foi",
               "expected a PDF file name relative to the election file (no \"..\", no leading "
               "\"/\", ending in .pdf)");
      }
    }
    if (s.mode == VoteMode::kSigle) {
      if (!l.candidats.empty()) {
        c.Fail(Sub(lp, "candidats"), "election.liste.candidates_on_sigle_vote",
               "a vote on sigle has no candidates; remove them or set the scrutin's mode to "
               "\"liste\"");
      }
      continue;
    }
    if (l.candidats.size() > max_candidates) {
      c.Fail(Sub(lp, "candidats"), "election.liste.too_many_candidates",
             std::to_string(l.candidats.size()) +
                 " candidates; a list has at most as many as "
                 "seats titulaires + suppléants (" +
                 std::to_string(max_candidates) + ")");
    }
    std::map<std::string, size_t> in_list;
    for (size_t k = 0; k < l.candidats.size(); ++k) {
      const Candidate& cand = l.candidats[k];
      const std::string cp = Index(Sub(lp, "candidats"), k);
      const bool ok =
          c.Text(Sub(cp, "nom"), cand.nom, true) & c.Text(Sub(cp, "prenom"), cand.prenom, true);
      if (!ok) continue;
      const std::string key = text::FoldName(cand.nom) + "\n" + text::FoldName(cand.prenom);
      auto [it, fresh] = in_list.emplace(key, k);
      if (!fresh) {
        c.Fail(cp, "election.candidat.duplicate",
               cand.prenom + " " + cand.nom + " is already " +
                   Index(Sub(lp, "candidats"), it->second));
        continue;
      }
      auto [jt, new_in_scrutin] = candidates_in_scrutin.emplace(key, cp);
      if (!new_in_scrutin) {
        c.Fail(cp, "election.candidat.two_lists",
               cand.prenom + " " + cand.nom + " is already a candidate of this scrutin at " +
                   jt->second + "; nobody stands on two lists of one scrutin");
      }
    }
  }
}

}  // namespace

std::string_view VoteModeName(VoteMode mode) { return mode == VoteMode::kList ? "liste" : "sigle"; }
std::string_view SexName(Sex sex) { return sex == Sex::kFemale ? "F" : "H"; }
std::string_view BveRoleName(BveRole role) {
  switch (role) {
    case BveRole::kPresident:
      return "president";
    case BveRole::kSecretaire:
      return "secretaire";
    case BveRole::kDelegue:
      return "delegue";
  }
  return "delegue";
}

Error CombineErrors(const std::vector<Error>& errors, std::string_view code) {
  if (errors.size() == 1) return errors.front();
  std::string message = std::to_string(errors.size()) + " problems:";
  for (const auto& e : errors) message += "\n" + e.message;
  return MakeError(std::string(code), std::move(message));
}

std::vector<Error> ValidateElection(const Election& e) {
  Checker c;
  c.Identifier("id", e.id, 64, "-_.", "election.id");
  c.Text("title", e.title, true);
  c.Text("organisation", e.organisation, true);
  c.Text("helpdesk", e.helpdesk, true, /*allow_newline=*/true);
  if (c.Text("portal_url", e.portal_url, true)) {
    const std::string& u = e.portal_url;
    const bool https = u.rfind("https://", 0) == 0 && u.size() > 8;
    const bool local = u.rfind("http://localhost", 0) == 0 || u.rfind("http://127.0.0.1", 0) == 0;
    if ((!https && !local) || u.find_first_of(" \t") != std::string::npos) {
      c.Fail("portal_url", "election.portal_url",
             "expected an https:// address (http:// only for localhost or 127.0.0.1)");
    }
  }
  CheckWindow(c, e.window);
  if (e.scrutins.empty()) c.Fail("scrutins", "election.scrutins.empty", "at least one scrutin");
  std::map<std::string, size_t> codes;
  for (size_t i = 0; i < e.scrutins.size(); ++i) {
    const std::string path = Index("scrutins", i);
    CheckScrutin(c, e.scrutins[i], path);
    if (e.scrutins[i].code.empty()) continue;
    auto [it, fresh] = codes.emplace(e.scrutins[i].code, i);
    if (!fresh) {
      c.Fail(Sub(path, "code"), "election.scrutin.duplicate_code",
             text::Quoted(e.scrutins[i].code) + " is already the code of " +
                 Index("scrutins", it->second));
    }
  }
  auto bve = CheckBveRules(e);
  c.errors.insert(c.errors.end(), bve.begin(), bve.end());
  return c.errors;
}

std::vector<Error> CheckReadyToSeal(const Election& e) {
  Checker c;
  for (size_t i = 0; i < e.scrutins.size(); ++i) {
    const Scrutin& s = e.scrutins[i];
    const std::string path = Index("scrutins", i);
    if (s.listes.empty()) {
      c.Fail(Sub(path, "listes"), "election.scrutin.no_liste", "the scrutin has no list");
    }
    if (s.mode != VoteMode::kList) continue;
    for (size_t k = 0; k < s.listes.size(); ++k) {
      if (s.listes[k].candidats.empty()) {
        c.Fail(Sub(Index(Sub(path, "listes"), k), "candidats"), "election.liste.no_candidate",
               "a list of a list vote needs at least one candidate");
      }
    }
  }
  return c.errors;
}

ElectionFileParse ParseElectionFileAll(std::string_view json_text) {
  ElectionFileParse out;
  auto json = crypto::codec::ParseJson(json_text);
  if (!json) {
    out.errors.push_back(MakeError("election.json", "election file: " + json.error().message));
    return out;
  }
  Decoder d;
  Election e = Decode(d, *json);
  out.errors = std::move(d.errors);
  if (!json->is_object()) return out;
  for (auto& err : ValidateElection(e)) {
    const std::string path = PathOf(err);
    if (UnderFailed(path, d.failed_paths)) continue;
    // Rules that read another field of the scrutin: quiet when that one failed.
    if (err.code == "election.liste.too_many_candidates" ||
        err.code == "election.liste.candidates_on_sigle_vote") {
      const std::string scrutin = path.substr(0, path.find('.'));
      if (d.failed_paths.count(scrutin + ".sieges_titulaires") ||
          d.failed_paths.count(scrutin + ".sieges_suppleants") ||
          d.failed_paths.count(scrutin + ".mode")) {
        continue;
      }
    }
    out.errors.push_back(std::move(err));
  }
  if (out.errors.empty()) out.election = std::move(e);
  return out;
}

Result<Election> ParseElectionFile(std::string_view json_text) {
  auto parsed = ParseElectionFileAll(json_text);
  if (!parsed.errors.empty()) return CombineErrors(parsed.errors, "election.invalid");
  return std::move(*parsed.election);
}

nlohmann::json ElectionToJson(const Election& e) {
  Json scrutins = Json::array();
  for (const auto& s : e.scrutins) {
    Json listes = Json::array();
    for (const auto& l : s.listes) {
      Json candidats = Json::array();
      for (const auto& c : l.candidats) {
        candidats.push_back(Json{{"nom", c.nom}, {"prenom", c.prenom}, {"sexe", SexName(c.sexe)}});
      }
      listes.push_back(Json{{"id", l.id},
                            {"sigle", l.sigle},
                            {"title", l.title},
                            {"candidats", std::move(candidats)},
                            {"profession_de_foi", l.profession_de_foi}});
    }
    scrutins.push_back(Json{{"code", s.code},
                            {"title", s.title},
                            {"mode", VoteModeName(s.mode)},
                            {"sieges_titulaires", s.sieges_titulaires},
                            {"sieges_suppleants", s.sieges_suppleants},
                            {"blank_allowed", s.blank_allowed},
                            {"listes", std::move(listes)}});
  }
  Json members = Json::array();
  for (const auto& m : e.bve.members) {
    members.push_back(Json{{"id", m.id},
                           {"nom", m.nom},
                           {"prenom", m.prenom},
                           {"role", BveRoleName(m.role)},
                           {"liste", m.liste},
                           {"courriel", m.courriel},
                           {"fragments", m.fragments}});
  }
  return Json{
      {"format", kElectionFormat},
      {"id", e.id},
      {"title", e.title},
      {"organisation", e.organisation},
      {"portal_url", e.portal_url},
      {"helpdesk", e.helpdesk},
      {"window", Json{{"opening", e.window.opening.local}, {"closing", e.window.closing.local}}},
      {"scrutins", std::move(scrutins)},
      {"bve", Json{{"threshold", e.bve.threshold}, {"members", std::move(members)}}}};
}

std::string CanonicalElectionJson(const Election& e) {
  // codec::Canonical, but never throwing on text that is not UTF-8 (a model
  // built in code may hold some; ValidateElection reports it).
  return ElectionToJson(e).dump(-1, ' ', false, Json::error_handler_t::replace);
}

crypto::Digest ElectionFingerprint(const Election& e) {
  const std::string canonical = CanonicalElectionJson(e);
  return crypto::Sha256(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(canonical.data()),
                                                 canonical.size()));
}

}  // namespace isoloir::election
