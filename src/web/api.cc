// The JSON API: the same actions as the pages, for scripts, the load
// generator and other front ends. Documented in docs/portal.md.
#include <sodium.h>
#include <spdlog/spdlog.h>

#include "common/bytes.h"
#include "portal/session_token.h"
#include "web/ceremony_api.h"
#include "web/pages.h"
#include "web/staff_pages.h"

namespace isoloir::web {

namespace {



HttpResponse ApiError(int status, const std::string& code, const std::string& message) {
  return JsonResponse(status, {{"error", {{"code", code}, {"message", message}}}});
}

int StatusFor(const std::string& code) {
  if (code.starts_with("field.") || code == "cast.invalid") return 400;
  if (code == "login.refused" || code == "regeneration.refused" || code == "session.none") {
    return 401;
  }
  if (code == "login.throttled" || code == "regeneration.throttled") return 429;
  if (code == "regeneration.locked" || code.starts_with("vote.")) return 403;
  if (code == "scrutin.unknown") return 404;
  if (code == "cast.already_voted" || code == "cast.replayed") return 409;
  if (code == "credential_check.not_closed") return 409;
  if (code == "credential_check.prefix") return 400;
  if (code == "cast.credential_refused") return 403;
  return 500;
}

// Errors of the use cases are safe to show (no secret, no internals) except
// unexpected ones, which get a generic message.
HttpResponse FromError(const Error& e) {
  const int status = StatusFor(e.code);
  if (status == 500) {
    spdlog::error("portal api: {}", e.ToString());
    return ApiError(500, "internal", "the service is unavailable; try again later");
  }
  return ApiError(status, e.code, e.message);
}

bool JsonBody(const HttpRequest& req, nlohmann::json& out) {
  const std::string type = req.Header("content-type");
  if (!type.starts_with("application/json")) return false;
  try {
    out = nlohmann::json::parse(req.body);
  } catch (const nlohmann::json::exception&) {
    return false;
  }
  return out.is_object();
}

std::string Str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

HttpResponse PortalApp::Api(Ctx& c) {
  const std::string& m = c.req.method;
  const std::string p = c.req.path.substr(4);  // after "/api"
  const int64_t now = Now();
  // Session-bound calls prove they come from the portal's own client with a
  // header a cross-site form cannot send.
  auto session_csrf = [&]() {
    return portal::CsrfToken(site().server_key, site().election.id, c.session_cookie);
  };
  auto csrf_ok = [&]() {
    return portal::CheckCsrf(site().server_key, site().election.id, c.session_cookie,
                             c.req.Header("x-csrf-token"));
  };

  if (p == "/v1/ceremonie" || p.starts_with("/v1/ceremonie/")) {
    return CeremonyApi(site(), c.stores(), c.req, p, now,
                       {c.req.Cookie(CookieName(kStaffCookie, options_.tls)), c.visit});
  }
  if (m == "GET" && p == "/v1/election") {
    nlohmann::json scrutins = nlohmann::json::array();
    for (const auto& s : site().election.scrutins) {
      nlohmann::json choices = nlohmann::json::array();
      for (const auto& ch : portal::ScrutinChoices(s)) {
        choices.push_back({{"label", ch.blank ? "blanc" : ch.label}, {"blank", ch.blank}});
      }
      scrutins.push_back({{"code", s.code},
                          {"title", s.title},
                          {"choices", choices},
                          {"params", BallotParams(s)}});
    }
    auto phase = portal::CurrentPhase(site(), c.stores(), now);
    if (!phase) return FromError(phase.error());
    return JsonResponse(200, nlohmann::json{{"election_id", site().election.id},
                                    {"title", site().election.title},
                                    {"fingerprint", HexEncode(site().fingerprint)},
                                    {"public_key", site().public_key_b64},
                                    {"opening", site().election.window.opening.local},
                                    {"closing", site().election.window.closing.local},
                                    {"phase", portal::PhaseName(*phase)},
                                    {"scrutins", scrutins}});
  }
  if (m == "POST" && p == "/v1/connexion") {
    nlohmann::json body;
    if (!JsonBody(c.req, body)) return ApiError(400, "request.json", "expected a JSON object");
    portal::LoginForm form{Str(body, "matricule"), Str(body, "naissance"), Str(body, "jeton"),
                           Str(body, "mot_de_passe"), c.req.client_address};
    auto s = portal::Login(site(), c.stores(), form, now);
    sodium_memzero(form.mot_de_passe.data(), form.mot_de_passe.size());
    if (!s) return FromError(s.error());
    c.set_cookies.push_back(SetCookieValue("isoloir_session", s->cookie, {options_.tls, -1}));
    c.session_cookie = s->cookie;
    return JsonResponse(200, {{"csrf", session_csrf()}});
  }
  if (m == "POST" && p == "/v1/regeneration") {
    nlohmann::json body;
    if (!JsonBody(c.req, body)) return ApiError(400, "request.json", "expected a JSON object");
    portal::RegenerationForm form{Str(body, "matricule"), Str(body, "naissance"),
                                  Str(body, "reassort"), c.req.client_address};
    auto r = portal::RegeneratePassword(site(), c.stores(), form, now);
    sodium_memzero(form.reassort.data(), form.reassort.size());
    if (!r) return FromError(r.error());
    HttpResponse out = JsonResponse(200, {{"mot_de_passe", r->password}, {"emailed", r->emailed}});
    sodium_memzero(r->password.data(), r->password.size());
    return out;
  }
  if (m == "GET" && p.starts_with("/v1/suivi/")) {
    auto found = portal::FindTracker(site(), c.stores(), p.substr(10));
    if (!found) return FromError(found.error());
    nlohmann::json out = {{"found", found->has_value()}};
    if (found->has_value()) out["scrutin"] = **found;
    return JsonResponse(200, out);
  }

  // Public, after the closing: used credentials' digests under a prefix
  // (docs/verification.md §3). No session: the voter may not have voted.
  if (m == "GET" && p == "/v1/identifiants-utilises") {
    const std::string scrutin = c.req.Query("scrutin"), prefix = c.req.Query("prefixe");
    if (Status st = portal::CheckCredentialPrefix(prefix); !st) return FromError(st.error());
    auto used = UsedCredentialsOf(c, scrutin);
    if (!used) return FromError(used.error());
    return JsonResponse(200, {{"scrutin", scrutin},
                      {"prefixe", prefix},
                      {"empreintes", (*used)->WithPrefix(prefix)}});
  }

  // Everything below needs a session.
  if (!Resume(c)) return ApiError(401, "session.none", "log in first");
  if (m == "GET" && p == "/v1/scrutins") {
    auto list = portal::VoterScrutins(site(), c.stores(), *c.session);
    if (!list) return FromError(list.error());
    nlohmann::json out = nlohmann::json::array();
    for (const auto& s : *list) {
      out.push_back({{"code", s.scrutin->code}, {"title", s.scrutin->title}, {"voted", s.voted}});
    }
    return JsonResponse(200, {{"scrutins", out}, {"csrf", session_csrf()}});
  }
  if (m == "POST" && p.starts_with("/v1/scrutins/") && p.ends_with("/bulletin")) {
    if (!csrf_ok()) return ApiError(403, "csrf", "missing or wrong X-CSRF-Token header");
    const std::string code = p.substr(13, p.size() - 13 - 9);
    auto receipt = portal::CastBallot(site(), c.stores(), *c.session, code, c.req.body, now);
    if (!receipt) return FromError(receipt.error());
    return JsonResponse(
        201,
        {{"scrutin", receipt->scrutin}, {"tracker", receipt->tracker}, {"time", receipt->time}});
  }
  if (m == "POST" && p == "/v1/deconnexion") {
    if (!csrf_ok()) return ApiError(403, "csrf", "missing or wrong X-CSRF-Token header");
    if (Status st = portal::Logout(c.stores(), c.session_cookie); !st) return FromError(st.error());
    c.set_cookies.push_back(SetCookieValue("isoloir_session", "", {options_.tls, 0}));
    return JsonResponse(200, {{"logged_out", true}});
  }
  return ApiError(404, "not_found", "no such API call");
}

}  // namespace isoloir::web
