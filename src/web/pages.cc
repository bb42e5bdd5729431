#include "web/pages.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <ctime>
#include <fstream>
#include <sstream>

#include "common/bytes.h"
#include "election/paris_time.h"
#include "portal/session_token.h"
#include "record/export.h"
#include "web/forms.h"
#include "web/staff_pages.h"

namespace isoloir::web {

namespace {

constexpr const char* kVisitCookie = "isoloir_visite";
constexpr const char* kSessionCookie = "isoloir_session";
constexpr const char* kLangCookie = "isoloir_langue";


}  // namespace

// Form helpers, shared with the board's pages (web/forms.h).

// field.<name>.<reason> -> (name, message), in the page's language.
std::pair<std::string, std::string> FieldProblem(Lang lang, const Error& e) {
  const std::string& code = e.code;
  const size_t a = code.find('.'), b = code.rfind('.');
  const std::string field = code.substr(a + 1, b - a - 1);
  const std::string reason = code.substr(b + 1);
  if (reason == "missing")
    return {field, Text(lang, field) + " : " + Text(lang, "err_field_missing")};
  const std::string& m = Text(lang, "err_" + field + "_format");
  return {field, m.empty() ? Text(lang, "err_internal") : m};
}

// A form's problem as field errors and a summary: a malformed field is named
// and linked; anything else is one form-wide message (by error code).
void FormProblems(Lang lang, const Error* error, const std::map<std::string, std::string>& messages,
                  const std::string& fallback, std::map<std::string, std::string>& fields,
                  std::vector<std::pair<std::string, std::string>>& summary) {
  if (error == nullptr) return;
  if (error->code.starts_with("field.")) {
    auto [field, message] = FieldProblem(lang, *error);
    fields[field] = message;
    summary.emplace_back(field, message);
    return;
  }
  auto it = messages.find(error->code);
  summary.emplace_back("", Text(lang, it != messages.end() ? it->second : fallback));
}

nlohmann::json MakeField(Lang lang, const std::string& id, const std::string& name,
                         const std::string& type, const std::string& value,
                         const std::map<std::string, std::string>& errors) {
  nlohmann::json f = {
      {"id", id}, {"type", type}, {"value", value}, {"label", Text(lang, id)}, {"required", true}};
  if (!name.empty()) f["name"] = name;  // the security key field has none: never submitted
  std::string describedby;
  const std::string& help = Text(lang, id + "_help");
  if (!help.empty()) {
    f["help"] = help;
    describedby = id + "-aide";
  }
  if (auto it = errors.find(id); it != errors.end()) {
    f["error"] = it->second;
    describedby += (describedby.empty() ? "" : " ") + id + "-erreur";
  }
  f["describedby"] = describedby;
  return f;
}

// The two fields every voter form starts with: matricule and birth date.
static void IdentityFields(Lang lang, const std::string& matricule, const std::string& naissance,
                    const std::map<std::string, std::string>& errors, nlohmann::json& fields) {
  fields.push_back(MakeField(lang, "matricule", "matricule", "text", matricule, errors));
  fields.back()["autocomplete"] = "username";
  fields.push_back(MakeField(lang, "naissance", "naissance", "text", naissance, errors));
  fields.back()["autocomplete"] = "bday";
  fields.back()["inputmode"] = "numeric";
}

nlohmann::json ErrorList(const std::vector<std::pair<std::string, std::string>>& errors) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [field, message] : errors) {
    // A form-wide error has a null field: {{#field}} is true for "" (and,
    // were the key absent, for the "field" partial of the outer context).
    list.push_back({{"field", field.empty() ? nlohmann::json(nullptr) : nlohmann::json(field)},
                    {"message", message}});
  }
  return list;
}

namespace {

std::string ReadFile(const std::filesystem::path& p, bool& ok) {
  std::ifstream in(p, std::ios::binary);
  ok = static_cast<bool>(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

Result<std::unique_ptr<PortalApp>> PortalApp::Create(
    std::shared_ptr<const portal::ElectionSite> site, StorePool& pool, PortalOptions options) {
  std::unique_ptr<PortalApp> app(new PortalApp(std::move(site), pool, std::move(options)));
  for (const char* name : {"booth.js", "booth.js.map", "verify.js", "verify.js.map",
                           "ceremony.js", "ceremony.js.map", "sign.js", "sign.js.map"}) {
    bool ok = false;
    std::string content = ReadFile(app->options_.assets / name, ok);
    if (!ok) {
      if (std::string(name) == "booth.js") {
        return MakeError("portal.assets", "no booth.js in " + app->options_.assets.string() +
                                              " (build it: cd web && npm ci && npm run build)");
      }
      continue;
    }
    app->assets_[name] = std::move(content);
  }
  return app;
}

int64_t PortalApp::Now() const {
  if (options_.clock) return options_.clock();
  return static_cast<int64_t>(std::time(nullptr));
}

std::string PortalApp::HumanTime(Lang lang, int64_t utc) const {
  const std::time_t local = static_cast<std::time_t>(utc + election::ParisOffsetAt(utc));
  std::tm tm{};
  gmtime_r(&local, &tm);
  char buf[64];
  if (lang == Lang::kEn) {
    std::strftime(buf, sizeof buf, "%d/%m/%Y at %H:%M:%S", &tm);
  } else {
    std::strftime(buf, sizeof buf, "%d/%m/%Y à %H:%M:%S", &tm);
  }
  return buf;
}

HttpResponse PortalApp::Handle(const HttpRequest& request) {
  Ctx c{request};
  const std::string lang_param = request.Query("lang");
  const std::string lang_cookie = request.Cookie(CookieName(kLangCookie, options_.tls));
  const std::string chosen = !lang_param.empty() ? lang_param : lang_cookie;
  c.lang = chosen == "en" ? Lang::kEn : Lang::kFr;
  if (!lang_param.empty() && (lang_param == "en" || lang_param == "fr")) {
    c.set_cookies.push_back(
        SetCookieValue(kLangCookie, lang_param, {options_.tls, 365 * 24 * 3600}));
  }
  c.visit = request.Cookie(CookieName(kVisitCookie, options_.tls));
  if (c.visit.size() != 43) {
    c.visit = portal::NewCookieValue();
    c.set_cookies.push_back(SetCookieValue(kVisitCookie, c.visit, {options_.tls, -1}));
  }
  c.session_cookie = request.Cookie(CookieName(kSessionCookie, options_.tls));

  HttpResponse r;
  try {
    if (request.path.starts_with("/static/")) {
      r = Static(c, request.path.substr(8));
    } else {
      TakeElectionKey();
      CheckSealOnTime();
      c.lease.emplace(pool_.Acquire());
      r = request.path.starts_with("/api/") ? Api(c) : Route(c);
    }
  } catch (const std::exception& e) {
    // Never a stack trace or an exception's text in an answer.
    spdlog::error("portal: {} {}: unexpected failure ({})", request.method, request.path, e.what());
    r = HttpResponse{};
    r.status = 500;
    r.body = "<!DOCTYPE html><html lang=\"fr\"><title>Erreur</title><p>" +
             Text(c.lang, "err_internal") + "</p></html>";
  }
  for (auto& cookie : c.set_cookies) r.set_cookies.push_back(std::move(cookie));
  const bool cacheable = request.path.starts_with("/static/");
  AddSecurityHeaders(r, options_.tls, cacheable);
  return r;
}

std::string PortalApp::Csrf(Ctx& c) {
  return portal::CsrfToken(site().server_key, site().election.id, c.visit);
}

bool PortalApp::CsrfOk(Ctx& c, const std::string& token) {
  return portal::CheckCsrf(site().server_key, site().election.id, c.visit, token);
}

bool PortalApp::Resume(Ctx& c) {
  if (c.session) return true;
  if (c.session_cookie.empty()) return false;
  auto s = portal::ResumeSession(site(), c.stores(), c.session_cookie, Now());
  if (!s) {
    if (s.error().code != "session.none") throw std::runtime_error(s.error().ToString());
    return false;
  }
  c.session = *s;
  return true;
}

HttpResponse PortalApp::Page(Ctx& c, const std::string& title, std::string_view tmpl,
                             nlohmann::json data, int status, std::string main_attributes) {
  Layout l;
  l.lang = c.lang;
  l.title = title;
  l.election_title = site().election.title;
  l.organisation = site().election.organisation;
  l.logged_in = c.session.has_value();
  l.csrf = Csrf(c);
  l.main_attributes = std::move(main_attributes);
  if (auto it = data.find("extra_script"); it != data.end() && it->is_string()) {
    l.extra_script = it->get<std::string>();
  }
  data["csrf"] = l.csrf;
  data["election_id"] = site().election.id;
  data["has_errors"] = data.contains("errors") && !data["errors"].empty();
  HttpResponse r;
  r.status = status;
  r.body = RenderPage(l, tmpl, std::move(data));
  return r;
}

HttpResponse PortalApp::Message(Ctx& c, const std::string& title_key,
                                std::vector<std::string> paragraphs, int status,
                                const std::string& link_href, const std::string& link_key) {
  nlohmann::json d = {{"heading", Text(c.lang, title_key)}, {"paragraphs", paragraphs}};
  if (!link_href.empty()) {
    d["link_href"] = link_href;
    d["link_text"] = Text(c.lang, link_key);
  }
  return Page(c, Text(c.lang, title_key), "message", d, status);
}

HttpResponse PortalApp::Redirect(Ctx&, const std::string& to) {
  HttpResponse r;
  r.status = 303;
  r.headers.emplace_back("Location", to);
  r.body = "";
  return r;
}

HttpResponse PortalApp::SessionExpired(Ctx& c) {
  c.set_cookies.push_back(SetCookieValue(kSessionCookie, "", {options_.tls, 0}));
  return Page(c, Text(c.lang, "session_expired_title"), "message",
              {{"heading", Text(c.lang, "session_expired_title")},
               {"paragraphs", {Text(c.lang, "session_expired")}},
               {"link_href", "/"},
               {"link_text", Text(c.lang, "back_to_login")}},
              401, " data-forget-all=\"" + EscapeAttribute(site().election.id) + "\"");
}

HttpResponse PortalApp::InternalError(Ctx& c, const Error& e) {
  spdlog::error("portal: {} {}: {}", c.req.method, c.req.path, e.ToString());
  return Message(c, "error_title", {Text(c.lang, "err_internal")}, 500);
}

HttpResponse PortalApp::PhasePage(Ctx& c, portal::Phase phase) {
  const auto& w = site().election.window;
  switch (phase) {
    case portal::Phase::kNotOpen:
      return Message(
          c, "phase_not_open_title",
          {Text(c.lang, "phase_not_open") + " " + HumanTime(c.lang, w.opening.utc) + "."}, 403,
          "/scrutins", "back_to_scrutins");
    case portal::Phase::kSuspended: {
      auto st = c.stores().portal.GetVoteState(site().election.id);
      const std::string reason = st ? st->reason : "";
      return Message(
          c, "phase_suspended_title",
          {Text(c.lang, "phase_suspended") + " " + reason, Text(c.lang, "phase_suspended_next")},
          403, "/scrutins", "back_to_scrutins");
    }
    default:
      return Message(c, "phase_closed_title",
                     {Text(c.lang, "phase_closed") + " " + HumanTime(c.lang, w.closing.utc) + "."},
                     403, "/scrutins", "back_to_scrutins");
  }
}

HttpResponse PortalApp::Route(Ctx& c) {
  const std::string& m = c.req.method;
  const std::string& p = c.req.path;
  const bool get = m == "GET" || m == "HEAD";
  if (get && p == "/") {
    if (Resume(c)) return Redirect(c, "/scrutins");
    return LoginPage(c, nullptr, nullptr, 200);
  }
  if (m == "POST" && p == "/connexion") return PostLogin(c);
  // /bve: staff pages, and the key holders' pages with or without an
  // account (ceremony, decryption: staff_pages.cc).
  if (p == "/bve" || p.starts_with("/bve/")) return StaffPages(*this, c).Route();
  if (get && p == "/support") {
    return Page(c, Text(c.lang, "support_title"), "support",
                {{"helpdesk", site().election.helpdesk}});
  }
  if (get && p == "/confidentialite") {
    return Page(c, Text(c.lang, "privacy_title"), "privacy",
                {{"organisation", site().election.organisation}});
  }
  if (get && p == "/regeneration") return RegenerationPage(c, nullptr, nullptr, 200);
  if (m == "POST" && p == "/regeneration") return PostRegeneration(c);
  if (get && p == "/scrutins") return ScrutinsPage(c);
  if (p.starts_with("/scrutins/")) {
    std::string rest = p.substr(10);
    if (get && rest.find('/') == std::string::npos) return VotePage(c, rest);
    if (m == "POST" && rest.size() > 5 && rest.substr(rest.size() - 5) == "/vote") {
      return PostVote(c, rest.substr(0, rest.size() - 5));
    }
  }
  if (get && p == "/suivi") return TrackerPage(c);
  if (get && p == "/recu") return ReceiptDownload(c);
  if (m == "POST" && p == "/deconnexion") return PostLogout(c);
  if (get && p.starts_with("/professions-de-foi/")) return Document(c, p.substr(20));
  if (get && p == "/record.jsonl") return RecordFile(c);
  if (get && p == "/verification") return VerificationPage(c);
  if (get && p == "/verification/identifiant") return CredentialCheckPage(c);
  if (get && p == "/resultats") return ResultsPage(c);
  if (get && p.starts_with("/resultats/")) return ResultsFile(c, p.substr(11));
  if (get && p == "/sante") {
    HttpResponse r;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "ok\n";
    return r;
  }
  return Message(c, "not_found_title", {Text(c.lang, "not_found")}, 404, "/", "back_to_login");
}

// The public election record as it stands (docs/record.md): a snapshot of
// the urne during the vote, with the closing state once the window is over.
// Once the président has published the count, its results are in too.
HttpResponse PortalApp::RecordFile(Ctx& c) {
  auto& st = c.stores();
  record::ExportSources sources{st.roll, st.portal, st.urne, st.emargement, &st.audit};
  record::ExportOptions options;
  options.closing = Now() >= site().election.window.closing.utc;
  if (Published()) {
    std::string text;
    std::ifstream in(options_.published / "results.json", std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    auto counts = record::CountDocumentsOfResults(nlohmann::json::parse(text, nullptr, false));
    if (!counts) return InternalError(c, counts.error());
    options.counts = std::move(*counts);
  }
  HttpResponse r;
  auto written =
      record::ExportRecord(sources, site().election.id, options, [&r](std::string_view line) {
        r.body.append(line);
        r.body += '\n';
        return Status::Ok();
      });
  if (!written) return InternalError(c, written.error());
  r.content_type = "application/jsonl; charset=utf-8";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"record.jsonl\"");
  r.headers.emplace_back("X-Isoloir-Head", HexEncode(written->head));
  return r;
}

HttpResponse PortalApp::LoginPage(Ctx& c, const portal::LoginForm* form, const Error* error,
                                  int status) {
  std::map<std::string, std::string> field_errors;
  std::vector<std::pair<std::string, std::string>> summary;
  FormProblems(c.lang, error, {{"login.throttled", "err_login_throttled"}, {"csrf", "err_csrf"}},
               "err_login_refused", field_errors, summary);
  nlohmann::json scrutins = nlohmann::json::array();
  for (const auto& s : site().election.scrutins) scrutins.push_back(s.code);
  nlohmann::json fields = nlohmann::json::array();
  IdentityFields(c.lang, form ? form->matricule : "", form ? form->naissance : "", field_errors,
                 fields);
  nlohmann::json cle = MakeField(c.lang, "cle", "", "text", "", field_errors);
  cle["autocomplete"] = "off";
  cle["client_error"] = true;
  cle["msg_invalid"] = Text(c.lang, "cle_invalid");
  if (!field_errors.count("cle")) cle["describedby"] = "cle-aide cle-erreur";
  fields.push_back(cle);
  fields.push_back(MakeField(c.lang, "mot_de_passe", "mot_de_passe", "password", "", field_errors));
  fields.back()["autocomplete"] = "current-password";
  return Page(
      c, Text(c.lang, "login_title"), "login",
      {{"fields", fields}, {"errors", ErrorList(summary)}, {"scrutins_json", scrutins.dump()}},
      status, error ? " data-forget-all=\"" + EscapeAttribute(site().election.id) + "\"" : "");
}

HttpResponse PortalApp::PostLogin(Ctx& c) {
  std::map<std::string, std::string> f;
  if (!ParseFormEncoded(c.req.body, f)) {
    Error e{"csrf", "malformed form"};
    return LoginPage(c, nullptr, &e, 400);
  }
  portal::LoginForm form{f["matricule"], f["naissance"], f["jeton"], f["mot_de_passe"],
                         c.req.client_address};
  if (!CsrfOk(c, f["csrf"])) {
    Error e{"csrf", "bad CSRF token"};
    return LoginPage(c, &form, &e, 400);
  }
  auto s = portal::Login(site(), c.stores(), form, Now());
  sodium_memzero(form.mot_de_passe.data(), form.mot_de_passe.size());
  if (!s) {
    const std::string& code = s.error().code;
    if (code.starts_with("field.") || code.starts_with("login.")) {
      return LoginPage(c, &form, &s.error(), code == "login.throttled" ? 429 : 400);
    }
    return InternalError(c, s.error());
  }
  c.set_cookies.push_back(SetCookieValue(kSessionCookie, s->cookie, {options_.tls, -1}));
  return Redirect(c, "/scrutins");
}

HttpResponse PortalApp::RegenerationPage(Ctx& c, const portal::RegenerationForm* form,
                                         const Error* error, int status) {
  std::map<std::string, std::string> field_errors;
  std::vector<std::pair<std::string, std::string>> summary;
  FormProblems(c.lang, error,
               {{"regeneration.throttled", "err_regen_throttled"}, {"csrf", "err_csrf"}},
               "err_regen_refused", field_errors, summary);
  nlohmann::json fields = nlohmann::json::array();
  IdentityFields(c.lang, form ? form->matricule : "", form ? form->naissance : "", field_errors,
                 fields);
  fields.push_back(MakeField(c.lang, "reassort", "reassort", "text", "", field_errors));
  fields.back()["autocomplete"] = "off";
  return Page(c, Text(c.lang, "regen_title"), "regeneration",
              {{"fields", fields}, {"errors", ErrorList(summary)}}, status);
}

HttpResponse PortalApp::PostRegeneration(Ctx& c) {
  std::map<std::string, std::string> f;
  if (!ParseFormEncoded(c.req.body, f)) {
    Error e{"csrf", "malformed form"};
    return RegenerationPage(c, nullptr, &e, 400);
  }
  portal::RegenerationForm form{f["matricule"], f["naissance"], f["reassort"],
                                c.req.client_address};
  if (!CsrfOk(c, f["csrf"])) {
    Error e{"csrf", "bad CSRF token"};
    return RegenerationPage(c, &form, &e, 400);
  }
  auto r = portal::RegeneratePassword(site(), c.stores(), form, Now());
  sodium_memzero(form.reassort.data(), form.reassort.size());
  if (!r) {
    const std::string& code = r.error().code;
    if (code == "regeneration.locked") {
      return Message(c, "regen_locked_title",
                     {Text(c.lang, "regen_locked"), Text(c.lang, "regen_locked_next")}, 403,
                     "/support", "support_link");
    }
    if (code.starts_with("field.") || code.starts_with("regeneration.")) {
      return RegenerationPage(c, &form, &r.error(), code == "regeneration.throttled" ? 429 : 400);
    }
    return InternalError(c, r.error());
  }
  // The old password no longer works: neither does a session opened with it.
  c.set_cookies.push_back(SetCookieValue(kSessionCookie, "", {options_.tls, 0}));
  HttpResponse page =
      Page(c, Text(c.lang, "regen_done_title"), "regenerated",
           {{"shown", !r->password.empty()}, {"password", r->password}, {"emailed", r->emailed}});
  sodium_memzero(r->password.data(), r->password.size());
  return page;
}

HttpResponse PortalApp::ScrutinsPage(Ctx& c) {
  if (!Resume(c)) return SessionExpired(c);
  auto list = portal::VoterScrutins(site(), c.stores(), *c.session);
  if (!list) {
    if (list.error().code == "session.none") return SessionExpired(c);
    return InternalError(c, list.error());
  }
  auto phase = portal::CurrentPhase(site(), c.stores(), Now(), c.session->created);
  if (!phase) return InternalError(c, phase.error());
  auto voter = c.stores().roll.GetVoter(site().election.id, c.session->matricule);
  if (!voter || !voter->has_value()) return SessionExpired(c);
  std::string phase_message;
  switch (*phase) {
    case portal::Phase::kNotOpen:
      phase_message = Text(c.lang, "phase_not_open") + " " +
                      HumanTime(c.lang, site().election.window.opening.utc) + ".";
      break;
    case portal::Phase::kSuspended:
      phase_message = Text(c.lang, "phase_suspended_title") + ".";
      break;
    case portal::Phase::kClosed:
      phase_message = Text(c.lang, "phase_closed") + " " +
                      HumanTime(c.lang, site().election.window.closing.utc) + ".";
      break;
    case portal::Phase::kGrace:
      phase_message = Text(c.lang, "phase_grace");
      break;
    case portal::Phase::kOpen:
      break;
  }
  if (!site().key && portal::CanCast(*phase)) phase_message = Text(c.lang, "phase_no_key");
  nlohmann::json items = nlohmann::json::array();
  for (const auto& s : *list) {
    items.push_back({{"code", s.scrutin->code},
                     {"title", s.scrutin->title},
                     {"state", Text(c.lang, s.voted ? "state_voted" : "state_to_vote")},
                     {"state_class", s.voted ? "a-vote" : "a-voter"},
                     {"can_vote", !s.voted && portal::CanCast(*phase) && site().key.has_value()}});
  }
  nlohmann::json data = {{"scrutins", items},
                         {"voter_name", (*voter)->prenom + " " + (*voter)->nom}};
  // Only when there is one: {{#phase_message}} is true for "" (an empty alert).
  if (!phase_message.empty()) data["phase_message"] = phase_message;
  return Page(c, Text(c.lang, "scrutins_title"), "scrutins", data);
}

nlohmann::json PortalApp::BallotParams(const election::Scrutin& s) const {
  const crypto::BallotContext bc = portal::ScrutinBallotContext(site().fingerprint, s);
  return {{"election_id", site().election.id},
          {"scrutin", s.code},
          {"fingerprint", HexEncode(site().fingerprint)},
          {"public_key", site().public_key_b64},
          {"choices", bc.choices},
          {"min", bc.min},
          {"max", bc.max},
          {"selection", nlohmann::json::array()}};
}

HttpResponse PortalApp::VotePage(Ctx& c, const std::string& code) {
  if (!Resume(c)) return SessionExpired(c);
  auto list = portal::VoterScrutins(site(), c.stores(), *c.session);
  if (!list) return InternalError(c, list.error());
  const portal::ScrutinStatus* mine = nullptr;
  for (const auto& s : *list) {
    if (s.scrutin->code == code) mine = &s;
  }
  if (mine == nullptr) {
    return Message(c, "not_found_title", {Text(c.lang, "not_found")}, 404, "/scrutins",
                   "back_to_scrutins");
  }
  if (mine->voted) {
    return Message(c, "already_voted_title", {Text(c.lang, "already_voted")}, 409, "/scrutins",
                   "back_to_scrutins");
  }
  auto phase = portal::CurrentPhase(site(), c.stores(), Now(), c.session->created);
  if (!phase) return InternalError(c, phase.error());
  if (!portal::CanCast(*phase)) return PhasePage(c, *phase);
  if (!site().key) {
    return Message(c, "phase_no_key_title", {Text(c.lang, "phase_no_key")}, 403, "/scrutins",
                   "back_to_scrutins");
  }
  const election::Scrutin& s = *mine->scrutin;
  nlohmann::json choices = nlohmann::json::array();
  size_t i = 0;
  for (const auto& ch : portal::ScrutinChoices(s)) {
    nlohmann::json item = {{"index", std::to_string(i)},
                           {"label", ch.blank ? Text(c.lang, "blank_vote") : ch.label}};
    if (!ch.blank) {
      for (const auto& l : s.listes) {
        if (l.id == ch.liste_id && !l.profession_de_foi.empty() && !options_.documents.empty()) {
          item["has_pdf"] = true;
          item["pdf"] = "/professions-de-foi/" + PercentEncode(l.profession_de_foi);
        }
      }
    }
    choices.push_back(item);
    ++i;
  }
  // Raw JSON inside <script type="application/json">: '<' escaped so that
  // nothing in it can close the element.
  std::string params = BallotParams(s).dump();
  std::string safe;
  for (char ch : params) safe += ch == '<' ? std::string("\\u003c") : std::string(1, ch);
  return Page(c, s.title, "vote",
              {{"scrutin_title", s.title},
               {"code", s.code},
               {"choices", choices},
               {"ballot_params", safe}});
}

HttpResponse PortalApp::PostVote(Ctx& c, const std::string& code) {
  if (!Resume(c)) return SessionExpired(c);
  std::map<std::string, std::string> f;
  if (!ParseFormEncoded(c.req.body, f) || !CsrfOk(c, f["csrf"])) {
    return Message(c, "refused_title", {Text(c.lang, "err_csrf"), Text(c.lang, "refused")}, 400,
                   "/scrutins", "back_to_scrutins");
  }
  auto receipt = portal::CastBallot(site(), c.stores(), *c.session, code, f["bulletin"], Now());
  if (!receipt) {
    const std::string& e = receipt.error().code;
    if (e == "cast.already_voted") {
      return Message(c, "already_voted_title", {Text(c.lang, "already_voted")}, 409, "/scrutins",
                     "back_to_scrutins");
    }
    if (e == "vote.not_open" || e == "vote.suspended" || e == "vote.closed") {
      auto phase = portal::CurrentPhase(site(), c.stores(), Now(), c.session->created);
      return PhasePage(c, phase ? *phase : portal::Phase::kClosed);
    }
    if (e == "scrutin.unknown") {
      return Message(c, "not_found_title", {Text(c.lang, "not_found")}, 404, "/scrutins",
                     "back_to_scrutins");
    }
    if (e.starts_with("cast.") || e == "vote.no_key" || e == "vote.unsealed") {
      return Message(c, "refused_title", {Text(c.lang, "refused")}, 400, "/scrutins",
                     "back_to_scrutins");
    }
    return InternalError(c, receipt.error());
  }
  const std::string download =
      "/recu?scrutin=" + PercentEncode(receipt->scrutin) + "&suivi=" + receipt->tracker +
      "&heure=" + std::to_string(receipt->time) + "&lang=" + std::string(LangCode(c.lang));
  return Page(c, Text(c.lang, "receipt_title"), "receipt",
              {{"election_title", site().election.title},
               {"scrutin_title", receipt->scrutin_title},
               {"time", HumanTime(c.lang, receipt->time)},
               {"tracker", receipt->tracker},
               {"download_href", download}},
              200,
              " data-forget-scrutin=\"" + EscapeAttribute(receipt->scrutin) +
                  "\" data-election=\"" + EscapeAttribute(site().election.id) + "\"");
}

HttpResponse PortalApp::TrackerPage(Ctx& c) {
  const std::string tracker = c.req.Query("suivi");
  std::map<std::string, std::string> field_errors;
  std::vector<std::pair<std::string, std::string>> summary;
  nlohmann::json data;
  if (c.req.query.count("suivi")) {
    auto found = portal::FindTracker(site(), c.stores(), tracker);
    if (!found) {
      if (!found.error().code.starts_with("field.")) return InternalError(c, found.error());
      auto [field, message] = FieldProblem(c.lang, found.error());
      field_errors[field] = message;
      summary.emplace_back(field, message);
    } else {
      data["checked"] = true;
      data["found"] = found->has_value();
      if (found->has_value()) {
        data["found_scrutin"] = site().FindScrutin(**found)->title;
      }
    }
  }
  nlohmann::json fields = nlohmann::json::array();
  fields.push_back(MakeField(c.lang, "suivi", "suivi", "text", tracker, field_errors));
  fields.back()["autocomplete"] = "off";
  data["fields"] = fields;
  data["errors"] = ErrorList(summary);
  return Page(c, Text(c.lang, "tracker_title"), "tracker", data, summary.empty() ? 200 : 400);
}

HttpResponse PortalApp::ReceiptDownload(Ctx& c) {
  const election::Scrutin* s = site().FindScrutin(c.req.Query("scrutin"));
  const std::string tracker = c.req.Query("suivi");
  const std::string heure = c.req.Query("heure");
  auto bytes = Base64UrlDecode(tracker);
  int64_t time = 0;
  bool time_ok = !heure.empty() && heure.size() < 12;
  for (char ch : heure) time_ok &= ch >= '0' && ch <= '9';
  if (time_ok) time = std::stoll(heure);
  if (s == nullptr || !bytes || bytes->size() != 32 || !time_ok) {
    return Message(c, "not_found_title", {Text(c.lang, "not_found")}, 404, "/", "back_to_login");
  }
  HttpResponse r;
  r.content_type = "text/plain; charset=utf-8";
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"accuse-reception-" + s->code + ".txt\"");
  r.body = Text(c.lang, "receipt_title") + "\n\n" + Text(c.lang, "receipt_election") + " : " +
           site().election.title + "\n" + Text(c.lang, "receipt_scrutin") + " : " + s->title +
           " (" + s->code + ")\n" + Text(c.lang, "receipt_time") + " : " + HumanTime(c.lang, time) +
           "\n" + Text(c.lang, "receipt_tracker") + " : " + tracker + "\n\n" +
           Text(c.lang, "receipt_explain") + "\n" + site().election.portal_url +
           "/suivi?suivi=" + tracker + "\n";
  return r;
}

HttpResponse PortalApp::PostLogout(Ctx& c) {
  std::map<std::string, std::string> f;
  if (ParseFormEncoded(c.req.body, f) && CsrfOk(c, f["csrf"])) {
    if (Status st = portal::Logout(c.stores(), c.session_cookie); !st) {
      return InternalError(c, st.error());
    }
  }
  c.set_cookies.push_back(SetCookieValue(kSessionCookie, "", {options_.tls, 0}));
  c.session.reset();
  return Page(c, Text(c.lang, "logged_out_title"), "message",
              {{"heading", Text(c.lang, "logged_out_title")},
               {"paragraphs", {Text(c.lang, "logged_out")}},
               {"link_href", "/"},
               {"link_text", Text(c.lang, "back_to_login")}},
              200, " data-forget-all=\"" + EscapeAttribute(site().election.id) + "\"");
}

HttpResponse PortalApp::Document(Ctx& c, const std::string& name) {
  // Only the files the election file names, from the documents folder.
  for (const auto& s : site().election.scrutins) {
    for (const auto& l : s.listes) {
      if (l.profession_de_foi.empty() || l.profession_de_foi != name ||
          options_.documents.empty()) {
        continue;
      }
      bool ok = false;
      std::string content = ReadFile(options_.documents / name, ok);
      if (!ok) break;
      HttpResponse r;
      r.content_type = "application/pdf";
      r.body = std::move(content);
      return r;
    }
  }
  return Message(c, "not_found_title", {Text(c.lang, "not_found")}, 404, "/", "back_to_login");
}

HttpResponse PortalApp::Static(Ctx& c, const std::string& name) {
  HttpResponse r;
  if (name == "portal.css") {
    r.content_type = "text/css; charset=utf-8";
    r.body = *EmbeddedFile("portal.css");
    return r;
  }
  auto it = assets_.find(name);
  if (it == assets_.end()) {
    r.status = 404;
    r.content_type = "text/plain; charset=utf-8";
    r.body = Text(c.lang, "not_found") + "\n";
    return r;
  }
  r.content_type = name.ends_with(".map") ? "application/json" : "text/javascript; charset=utf-8";
  r.body = it->second;
  return r;
}

}  // namespace isoloir::web
