// The /bve pages: routing with the right each route needs, the staff login,
// the desk, the helpdesk's view, supervision and the accounts list.
#include "web/staff_pages.h"

#include <sodium.h>

#include <cstdio>
#include <functional>

#include "election/paris_time.h"
#include "portal/supervision.h"
#include "web/forms.h"
#include "web/turnout_chart.h"

namespace isoloir::web {

namespace {

using portal::StaffRight;

struct Link {
  const char* href;
  const char* label_key;
  std::optional<StaffRight> right;  // none: every role
};

const Link kLinks[] = {
    {"/bve/accueil", "bve_home_title", std::nullopt},
    {"/bve/guichet", "bve_desk_title", StaffRight::kDesk},
    {"/bve/assistance", "bve_helpdesk_title", StaffRight::kHelpdesk},
    {"/bve/supervision", "bve_supervision_title", StaffRight::kSupervision},
    {"/bve/emargement", "bve_emargement_title", StaffRight::kSupervision},
    {"/bve/comptes", "bve_accounts_title", StaffRight::kAccounts},
    {"/bve/depouillement", "count_title", StaffRight::kCountView},
    {"/bve/ceremonie", "ceremony_nav", StaffRight::kCeremony},
    {"/bve/dechiffrement", "count_decrypt_nav", StaffRight::kDecrypt},
    {"/bve/scellement", "sign_seal_title", StaffRight::kSealView},
    {"/bve/signatures", "sign_sign_title", StaffRight::kSign},
};

std::string Percent(uint64_t part, uint64_t whole) {
  if (whole == 0) return "–";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f %%",
                100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buf;
}

std::string Clock(int64_t utc) {
  const std::string local = election::FormatParisLocal(utc);  // "2026-12-01T09:00..."
  const size_t t = local.find('T');
  return t == std::string::npos ? local : local.substr(t + 1, 5);
}

}  // namespace

HttpResponse StaffPages::Route() {
  const std::string& m = c_.req.method;
  const std::string& p = c_.req.path;
  const bool get = m == "GET" || m == "HEAD";
  const bool post = m == "POST";
  if (post && p == "/bve/connexion") return PostLogin();
  auto resumed = portal::ResumeStaffSession(
      app_.site(), c_.stores(), c_.req.Cookie(CookieName(kStaffCookie, app_.options_.tls)),
      app_.Now());
  if (resumed) {
    staff_ = std::move(*resumed);
  } else if (resumed.error().code != "session.none") {
    return app_.InternalError(c_, resumed.error());
  }
  if (get && (p == "/bve" || p == "/bve/")) {
    return staff_ ? app_.Redirect(c_, "/bve/accueil") : LoginPage("", nullptr, 200);
  }
  if (post && p == "/bve/deconnexion") return PostLogout();
  // A key holder without an account decrypts a tally file in the tab and
  // hands over the file (the offline way); logged in, the page posts it.
  if (get && p == "/bve/dechiffrement" &&
      (!staff_ || !portal::Allowed(staff_->role, StaffRight::kDecrypt))) {
    return app_.DecryptionPage(c_);
  }
  // The key ceremony: by invitation code without a session; logged in, a
  // member runs it for their own fragments.
  if (get && p == "/bve/ceremonie") return staff_ ? KeyHolderCeremony() : app_.CeremonyPage(c_);

  struct RouteEntry {
    bool post;
    const char* path;
    std::optional<StaffRight> right;
    std::function<HttpResponse()> run;
  };
  const RouteEntry routes[] = {
      {false, "/bve/accueil", std::nullopt, [this] { return Home(); }},
      {false, "/bve/guichet", StaffRight::kDesk,
       [this] { return DeskPage(c_.req.Query("matricule"), nullptr, 200); }},
      {true, "/bve/guichet", StaffRight::kDesk, [this] { return PostDesk(); }},
      {false, "/bve/assistance", StaffRight::kHelpdesk,
       [this] { return HelpdeskPage(c_.req.Query("matricule"), ""); }},
      {true, "/bve/assistance/deverrouiller", StaffRight::kHelpdesk,
       [this] { return PostUnlock(); }},
      {false, "/bve/supervision", StaffRight::kSupervision, [this] { return SupervisionPage(); }},
      {false, "/bve/emargement", StaffRight::kSupervision,
       [this] { return EmargementPage(false); }},
      {false, "/bve/emargement.csv", StaffRight::kSupervision,
       [this] { return EmargementPage(true); }},
      {false, "/bve/comptes", StaffRight::kAccounts, [this] { return AccountsPage(); }},
      {false, "/bve/depouillement", StaffRight::kCountView,
       [this] { return CountPage(nullptr, "", 200); }},
      {false, "/bve/depouillement/tally.json", StaffRight::kCountView,
       [this] { return CountTally(); }},
      {true, "/bve/depouillement/preparer", StaffRight::kCount,
       [this] { return PostCount("preparer"); }},
      {true, "/bve/depouillement/combiner", StaffRight::kCount,
       [this] { return PostCount("combiner"); }},
      {true, "/bve/depouillement/pv", StaffRight::kCount, [this] { return PostCount("pv"); }},
      {true, "/bve/depouillement/publier", StaffRight::kCount,
       [this] { return PostCount("publier"); }},
      {false, "/bve/dechiffrement", StaffRight::kDecrypt,
       [this] { return KeyHolderDecryption(); }},
      {true, "/bve/dechiffrement", StaffRight::kDecrypt, [this] { return PostPartial(); }},
      {false, "/bve/scellement", StaffRight::kSealView,
       [this] { return SealPage(nullptr, "", nullptr, 200); }},
      {true, "/bve/scellement/preparer", StaffRight::kSealPrepare,
       [this] { return PostSealPrepare(); }},
      {true, "/bve/scellement/verifier", StaffRight::kSealView, [this] { return PostSealCheck(); }},
      {false, "/bve/signatures", StaffRight::kSign,
       [this] { return SigningPage(nullptr, "", 200); }},
      {true, "/bve/signatures", StaffRight::kSign, [this] { return PostSignature(); }},
      {false, "/bve/pv", StaffRight::kSealView, [this] { return PvDownload(c_.req.Query("fichier")); }},
  };
  for (const auto& r : routes) {
    if (p != r.path || (r.post ? !post : !get)) continue;
    if (!staff_) return Expired();
    // The role's rights, checked here whatever links the pages show.
    if (r.right && !portal::Allowed(staff_->role, *r.right)) return Forbidden();
    return r.run();
  }
  return app_.Message(c_, "not_found_title", {Text(c_.lang, "not_found")}, 404, "/bve",
                      "bve_back_home");
}

HttpResponse StaffPages::StaffPage(const std::string& title, std::string_view tmpl,
                                   nlohmann::json data, const std::string& current, int status) {
  nlohmann::json links = nlohmann::json::array();
  for (const auto& l : kLinks) {
    if (l.right && !portal::Allowed(staff_->role, *l.right)) continue;
    nlohmann::json link = {{"href", l.href}, {"label", Text(c_.lang, l.label_key)}};
    if (current == l.href) link["current"] = true;
    links.push_back(link);
  }
  data["staff_links"] = links;
  data["staff_id"] = staff_->record.staff_id;
  data["staff_role"] = Text(c_.lang, "bve_role_" + std::string(portal::RoleName(staff_->role)));
  if (!data.contains("errors")) data["errors"] = nlohmann::json::array();
  return app_.Page(c_, title, tmpl, std::move(data), status);
}

HttpResponse StaffPages::Forbidden() {
  return StaffPage(Text(c_.lang, "bve_forbidden_title"), "message",
                   {{"heading", Text(c_.lang, "bve_forbidden_title")},
                    {"paragraphs", {Text(c_.lang, "bve_forbidden")}},
                    {"link_href", "/bve/accueil"},
                    {"link_text", Text(c_.lang, "bve_back_home")}},
                   "", 403);
}

HttpResponse StaffPages::Expired() {
  c_.set_cookies.push_back(SetCookieValue(kStaffCookie, "", {app_.options_.tls, 0}));
  return app_.Message(c_, "session_expired_title", {Text(c_.lang, "bve_session_expired")}, 401,
                      "/bve", "bve_back_login");
}

bool StaffPages::PostedForm(std::map<std::string, std::string>& form) {
  return ParseFormEncoded(c_.req.body, form) && app_.CsrfOk(c_, form["csrf"]);
}

HttpResponse StaffPages::LoginPage(const std::string& identifiant, const Error* error, int status) {
  std::map<std::string, std::string> field_errors;
  std::vector<std::pair<std::string, std::string>> summary;
  FormProblems(c_.lang, error,
               {{"staff.refused", "bve_err_refused"},
                {"staff.throttled", "bve_err_throttled"},
                {"csrf", "err_csrf"}},
               "bve_err_refused", field_errors, summary);
  nlohmann::json fields = nlohmann::json::array();
  fields.push_back(
      MakeField(c_.lang, "bve_identifiant", "identifiant", "text", identifiant, field_errors));
  fields.back()["autocomplete"] = "username";
  fields.push_back(
      MakeField(c_.lang, "bve_mot_de_passe", "mot_de_passe", "password", "", field_errors));
  fields.back()["autocomplete"] = "current-password";
  fields.push_back(MakeField(c_.lang, "bve_code", "code", "text", "", field_errors));
  fields.back()["autocomplete"] = "one-time-code";
  fields.back()["inputmode"] = "numeric";
  return app_.Page(c_, Text(c_.lang, "bve_login_title"), "bve_login",
                   {{"fields", fields}, {"errors", ErrorList(summary)}}, status);
}

HttpResponse StaffPages::PostLogin() {
  std::map<std::string, std::string> f;
  if (!PostedForm(f)) {
    Error e{"csrf", "bad CSRF token"};
    return LoginPage(f["identifiant"], &e, 400);
  }
  portal::StaffLoginForm form{f["identifiant"], f["mot_de_passe"], f["code"],
                              c_.req.client_address};
  auto s = portal::StaffLogin(app_.site(), c_.stores(), form, app_.Now());
  sodium_memzero(form.mot_de_passe.data(), form.mot_de_passe.size());
  if (!s) {
    const std::string& code = s.error().code;
    if (code.starts_with("field.") || code.starts_with("staff.")) {
      return LoginPage(form.identifiant, &s.error(), code == "staff.throttled" ? 429 : 400);
    }
    return app_.InternalError(c_, s.error());
  }
  c_.set_cookies.push_back(SetCookieValue(kStaffCookie, s->cookie, {app_.options_.tls, -1}));
  return app_.Redirect(c_, "/bve/accueil");
}

HttpResponse StaffPages::PostLogout() {
  std::map<std::string, std::string> f;
  if (PostedForm(f)) {
    if (Status st = portal::StaffLogout(app_.site(), c_.stores(),
                                        c_.req.Cookie(CookieName(kStaffCookie, app_.options_.tls)),
                                        app_.Now());
        !st) {
      return app_.InternalError(c_, st.error());
    }
  }
  c_.set_cookies.push_back(SetCookieValue(kStaffCookie, "", {app_.options_.tls, 0}));
  return app_.Message(c_, "logged_out_title", {Text(c_.lang, "bve_logged_out")}, 200, "/bve",
                      "bve_back_login");
}

HttpResponse StaffPages::Home() {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& l : kLinks) {
    if (!l.right || !portal::Allowed(staff_->role, *l.right)) continue;
    items.push_back({{"href", l.href},
                     {"label", Text(c_.lang, l.label_key)},
                     {"help", Text(c_.lang, std::string(l.label_key) + "_help")}});
  }
  return StaffPage(Text(c_.lang, "bve_home_title"), "bve_home", {{"items", items}}, "/bve/accueil");
}

nlohmann::json StaffPages::VoterCard(const portal::VoterStatus& st) {
  nlohmann::json scrutins = nlohmann::json::array();
  for (const auto& [code, voted] : st.voted) {
    const election::Scrutin* s = app_.site().FindScrutin(code);
    scrutins.push_back({{"code", code},
                        {"title", s ? s->title : code},
                        {"state", Text(c_.lang, voted ? "state_voted" : "state_to_vote")},
                        {"state_class", voted ? "a-vote" : "a-voter"}});
  }
  nlohmann::json card = {
      {"name", st.voter.prenom + " " + st.voter.nom},
      {"matricule", st.voter.matricule},
      {"section", st.voter.section},
      {"credentials", st.credentials_issued ? Text(c_.lang, "bve_credentials_issued") + " " +
                                                  app_.HumanTime(c_.lang, *st.credentials_issued) +
                                                  " (" + Text(c_.lang, "bve_generation") + " " +
                                                  std::to_string(st.generation) + ")"
                                            : Text(c_.lang, "bve_credentials_none")},
      {"regeneration",
       Text(c_.lang, st.regeneration_locked ? "bve_regen_locked" : "bve_regen_possible")},
      {"failed_logins", std::to_string(st.failed_logins)},
      {"scrutins", scrutins}};
  nlohmann::json deliveries = nlohmann::json::array();
  for (const auto& d : st.deliveries) {
    const char* state = d.status == store::DeliveryStatus::kSent      ? "bve_delivery_sent"
                        : d.status == store::DeliveryStatus::kPending ? "bve_delivery_pending"
                                                                      : "bve_delivery_failed";
    deliveries.push_back({{"channel", Text(c_.lang, d.channel == store::DeliveryChannel::kEmail
                                                        ? "bve_channel_email"
                                                        : "bve_channel_letter")},
                          {"state", Text(c_.lang, state)},
                          {"time", app_.HumanTime(c_.lang, d.time)}});
  }
  if (!deliveries.empty()) card["has_deliveries"] = true;
  card["deliveries"] = deliveries;
  return card;
}

HttpResponse StaffPages::DeskPage(const std::string& matricule, const Error* error, int status) {
  std::map<std::string, std::string> field_errors;
  std::vector<std::pair<std::string, std::string>> summary;
  FormProblems(c_.lang, error,
               {{"desk.unknown_voter", "bve_err_unknown_voter"},
                {"desk.no_credentials", "bve_err_no_credentials"},
                {"desk.already_voted", "bve_err_already_voted"},
                {"desk.closed", "bve_err_closed"},
                {"csrf", "err_csrf"}},
               "err_internal", field_errors, summary);
  nlohmann::json search = nlohmann::json::array();
  search.push_back(
      MakeField(c_.lang, "bve_matricule", "matricule", "text", matricule, field_errors));
  search.back()["autocomplete"] = "off";
  nlohmann::json data = {{"search_fields", search}};
  if (!matricule.empty()) {
    auto view =
        portal::DeskLookup(app_.site(), c_.stores(), matricule, staff_->Actor(), app_.Now());
    if (!view) {
      if (view.error().code != "desk.unknown_voter") return app_.InternalError(c_, view.error());
      if (summary.empty()) summary.emplace_back("", Text(c_.lang, "bve_err_unknown_voter"));
      status = 404;
    } else {
      data["voter"] = VoterCard(view->status);
      data["matricule"] = matricule;
      const bool closed = app_.Now() >= app_.site().election.window.closing.utc;
      if (!view->status.credentials_issued) {
        data["cannot_act"] = Text(c_.lang, "bve_err_no_credentials");
      } else if (view->open_scrutins.empty()) {
        data["cannot_act"] = Text(c_.lang, "bve_err_already_voted");
      } else if (closed) {
        data["cannot_act"] = Text(c_.lang, "bve_err_closed");
      } else {
        nlohmann::json fin = nlohmann::json::array();
        fin.push_back(MakeField(c_.lang, "fin_numero", "fin_numero", "text", "", field_errors));
        fin.back()["autocomplete"] = "off";
        data["can_act"] = true;
        data["fin_fields"] = fin;
        if (auto it = field_errors.find("document"); it != field_errors.end()) {
          data["document_error"] = it->second;
        }
        data["checked_by"] = staff_->record.staff_id;
      }
    }
  }
  data["errors"] = ErrorList(summary);
  return StaffPage(Text(c_.lang, "bve_desk_title"), "bve_desk", data, "/bve/guichet", status);
}

HttpResponse StaffPages::PostDesk() {
  std::map<std::string, std::string> f;
  if (!PostedForm(f)) {
    Error e{"csrf", "bad CSRF token"};
    return DeskPage(f["matricule"], &e, 400);
  }
  const std::string matricule = f["matricule"];
  const portal::IdentityCheck check{f["document"], f["fin_numero"]};
  const bool key = f["action"] == "cle";
  auto done = key ? portal::DeskNewKey(app_.site(), c_.stores(), matricule, check, staff_->Actor(),
                                       app_.Now())
                  : portal::DeskNewPassword(app_.site(), c_.stores(), matricule, check,
                                            staff_->Actor(), app_.Now());
  if (!done) {
    const std::string& code = done.error().code;
    if (code.starts_with("field.") || code.starts_with("desk.")) {
      return DeskPage(matricule, &done.error(), 400);
    }
    return app_.InternalError(c_, done.error());
  }
  std::string scrutins;
  for (const auto& code : done->scrutins) {
    const election::Scrutin* s = app_.site().FindScrutin(code);
    scrutins += (scrutins.empty() ? "" : ", ") + (s ? s->title : code);
  }
  HttpResponse page = StaffPage(
      Text(c_.lang, key ? "bve_key_done_title" : "bve_password_done_title"), "bve_desk_done",
      {{"heading", Text(c_.lang, key ? "bve_key_done_title" : "bve_password_done_title")},
       {"voter_name", done->voter.prenom + " " + done->voter.nom},
       {"matricule", done->voter.matricule},
       {"secret_label", Text(c_.lang, key ? "bve_security_key" : "password")},
       {"secret", done->secret},
       {"next_step", Text(c_.lang, key ? "bve_key_done_next" : "bve_password_done_next")},
       {"scrutins", scrutins},
       {"portal_url", app_.site().election.portal_url}},
      "/bve/guichet");
  sodium_memzero(done->secret.data(), done->secret.size());
  return page;
}

HttpResponse StaffPages::HelpdeskPage(const std::string& matricule, const std::string& notice) {
  nlohmann::json search = nlohmann::json::array();
  search.push_back(MakeField(c_.lang, "bve_matricule", "matricule", "text", matricule, {}));
  search.back()["autocomplete"] = "off";
  nlohmann::json data = {{"search_fields", search}};
  std::vector<std::pair<std::string, std::string>> summary;
  int status = 200;
  if (!notice.empty()) data["notice"] = notice;
  if (!matricule.empty()) {
    auto st =
        portal::GetVoterStatus(app_.site(), c_.stores(), matricule, staff_->Actor(), app_.Now());
    if (!st) {
      if (st.error().code != "helpdesk.unknown_voter") return app_.InternalError(c_, st.error());
      summary.emplace_back("", Text(c_.lang, "bve_err_unknown_voter"));
      status = 404;
    } else {
      data["voter"] = VoterCard(*st);
      data["matricule"] = matricule;
      if (st->regeneration_locked) data["locked"] = true;
    }
  }
  data["errors"] = ErrorList(summary);
  return StaffPage(Text(c_.lang, "bve_helpdesk_title"), "bve_helpdesk", data, "/bve/assistance",
                   status);
}

HttpResponse StaffPages::PostUnlock() {
  std::map<std::string, std::string> f;
  if (!PostedForm(f)) {
    return app_.Message(c_, "refused_title", {Text(c_.lang, "err_csrf")}, 400, "/bve/assistance",
                        "bve_helpdesk_title");
  }
  Status st = portal::UnlockRegeneration(app_.site(), c_.stores(), f["matricule"], staff_->Actor(),
                                         app_.Now());
  if (!st) {
    if (st.error().code == "helpdesk.unknown_voter") return HelpdeskPage(f["matricule"], "");
    return app_.InternalError(c_, st.error());
  }
  return HelpdeskPage(f["matricule"], Text(c_.lang, "bve_unlocked"));
}

HttpResponse StaffPages::SupervisionPage() {
  const int64_t now = app_.Now();
  auto turnout = portal::Turnout(app_.site(), c_.stores(), now);
  if (!turnout) return app_.InternalError(c_, turnout.error());
  nlohmann::json scrutins = nlohmann::json::array();
  for (const auto& t : *turnout) {
    const std::string summary = std::to_string(t.votants) + " " + Text(c_.lang, "bve_votants_of") +
                                " " + std::to_string(t.inscrits) + " " +
                                Text(c_.lang, "bve_inscrits_lower") + " (" +
                                Percent(t.votants, t.inscrits) + ")";
    nlohmann::json sections = nlohmann::json::array();
    for (const auto& s : t.sections) {
      sections.push_back({{"section", s.section},
                          {"inscrits", std::to_string(s.inscrits)},
                          {"votants", std::to_string(s.votants)},
                          {"rate", Percent(s.votants, s.inscrits)}});
    }
    ChartText text{Text(c_.lang, "bve_chart_title") + " " + t.title, summary};
    scrutins.push_back({{"code", t.code},
                        {"title", t.title},
                        {"summary", summary},
                        {"sections", sections},
                        {"chart", TurnoutSvg(t, text, Clock, "courbe-" + t.code)}});
  }
  return StaffPage(Text(c_.lang, "bve_supervision_title"), "bve_supervision",
                   {{"scrutins", scrutins}, {"as_of", app_.HumanTime(c_.lang, now)}},
                   "/bve/supervision");
}

HttpResponse StaffPages::EmargementPage(bool csv) {
  const std::string scrutin = c_.req.Query("scrutin");
  auto lines = portal::EmargementList(app_.site(), c_.stores(), scrutin);
  if (!lines) {
    if (lines.error().code == "scrutin.unknown") {
      return app_.Message(c_, "not_found_title", {Text(c_.lang, "not_found")}, 404,
                          "/bve/emargement", "bve_emargement_title");
    }
    return app_.InternalError(c_, lines.error());
  }
  if (csv) {
    auto logged = c_.stores().audit.Append(app_.site().election.id, app_.Now(), staff_->Actor(),
                                           "supervision.emargement_export",
                                           nlohmann::json{{"scrutin", scrutin}}.dump());
    if (!logged) return app_.InternalError(c_, logged.error());
    HttpResponse r;
    r.content_type = "text/csv; charset=utf-8";
    r.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"emargement" +
                               (scrutin.empty() ? std::string() : "-" + scrutin) + ".csv\"");
    r.body = portal::EmargementCsv(*lines);
    return r;
  }
  nlohmann::json links = nlohmann::json::array();
  links.push_back({{"href", "/bve/emargement"}, {"label", Text(c_.lang, "bve_all_scrutins")}});
  if (scrutin.empty()) links.back()["current"] = true;
  for (const auto& s : app_.site().election.scrutins) {
    links.push_back(
        {{"href", "/bve/emargement?scrutin=" + PercentEncode(s.code)}, {"label", s.title}});
    if (s.code == scrutin) links.back()["current"] = true;
  }
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& l : *lines) {
    rows.push_back({{"scrutin", l.scrutin},
                    {"matricule", l.matricule},
                    {"nom", l.nom},
                    {"prenom", l.prenom},
                    {"section", l.section},
                    {"time", app_.HumanTime(c_.lang, l.time)}});
  }
  nlohmann::json data = {
      {"scrutin_links", links},
      {"csv_href", "/bve/emargement.csv" +
                       (scrutin.empty() ? std::string() : "?scrutin=" + PercentEncode(scrutin))},
      {"count", std::to_string(rows.size())}};
  if (!rows.empty()) data["has_lines"] = true;
  data["lines"] = rows;
  return StaffPage(Text(c_.lang, "bve_emargement_title"), "bve_emargement", data,
                   "/bve/emargement");
}

HttpResponse StaffPages::AccountsPage() {
  auto list = c_.stores().portal.ListStaff(app_.site().election.id);
  if (!list) return app_.InternalError(c_, list.error());
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& a : *list) {
    rows.push_back({{"id", a.id},
                    {"role", Text(c_.lang, "bve_role_" + a.role)},
                    {"state", Text(c_.lang, a.disabled ? "bve_disabled" : "bve_enabled")},
                    {"created", app_.HumanTime(c_.lang, a.created)}});
  }
  return StaffPage(Text(c_.lang, "bve_accounts_title"), "bve_accounts", {{"accounts", rows}},
                   "/bve/comptes");
}

}  // namespace isoloir::web
