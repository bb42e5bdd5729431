// See ceremony_api.h. A holder sends "Authorization: Invitation CODE" (no
// cookie: a cross-site form cannot post for them), or, logged in on /bve,
// the session cookie, "X-Ceremony-Fragment: j" and on a POST the page's
// CSRF token in "X-CSRF-Token" (a cross-site form cannot send headers).
#include "web/ceremony_api.h"

#include <spdlog/spdlog.h>

#include "portal/ceremony_relay.h"
#include "portal/session_token.h"
#include "portal/staff.h"

namespace isoloir::web {

namespace {

HttpResponse Refused(const Error& e) {
  int status = 500;
  if (e.code == "ceremony.message" || e.code == "request.json" || e.code == "ceremony.fragment") {
    status = 400;
  }
  if (e.code == "ceremony.invitation" || e.code == "ceremony.session") status = 401;
  if (e.code == "ceremony.invitation_used" || e.code == "ceremony.not_holder" || e.code == "csrf") {
    status = 403;
  }
  if (e.code == "ceremony.closed" || e.code == "ceremony.phase" ||
      e.code == "ceremony.not_open" || e.code == "portal.ceremony_exists") {
    status = 409;
  }
  if (status == 500) {
    spdlog::error("ceremony api: {}", e.ToString());
    return JsonResponse(500, {{"error",
                             {{"code", "internal"},
                              {"message", "the service is unavailable; try again later"}}}});
  }
  return JsonResponse(status, {{"error", {{"code", e.code}, {"message", e.message}}}});
}

struct Holder {
  uint32_t number = 0;
  std::string actor;  // for the audit log: "fragment 3", "president (fragment 1)"
};

// An invitation code when one is given (or no /bve session); otherwise the
// /bve session of a member holding fragment j (X-Ceremony-Fragment), with
// the CSRF token on a POST, checked before anything else.
Result<Holder> Authenticate(const portal::ElectionSite& site, portal::PortalStores& stores,
                            const portal::CeremonySetup& setup, const HttpRequest& req,
                            int64_t now, const CeremonyCaller& caller) {
  const std::string authorization = req.Header("authorization");
  if (!authorization.empty() || caller.staff_cookie.empty()) {
    auto j = portal::AuthenticateHolder(stores.portal, setup, authorization);
    if (!j) return j.error();
    return Holder{*j, "fragment " + std::to_string(*j)};
  }
  auto staff = portal::ResumeStaffSession(site, stores, caller.staff_cookie, now);
  if (!staff) {
    if (staff.error().code != "session.none") return staff.error();
    return MakeError("ceremony.session",
                     "your /bve session has ended: log in again, or use your invitation code");
  }
  if (req.method == "POST" && !portal::CheckCsrf(site.server_key, site.election.id, caller.visit,
                                                 req.Header("x-csrf-token"))) {
    return MakeError("csrf", "missing or wrong CSRF token (X-CSRF-Token): reload /bve/ceremonie");
  }
  const std::string& me = staff->record.staff_id;
  if (!portal::Allowed(staff->role, portal::StaffRight::kCeremony)) {
    return MakeError("ceremony.not_holder",
                     "the account " + me + " (" + std::string(portal::RoleName(staff->role)) +
                         ") holds no fragment: only the BVE's key holders take part");
  }
  const std::string asked = req.Header("x-ceremony-fragment");
  uint32_t j = 0;
  if (asked.empty() || asked.size() > 3 ||
      asked.find_first_not_of("0123456789") != std::string::npos || (j = std::stoul(asked)) == 0) {
    return MakeError("ceremony.fragment",
                     "say which of your fragments this is for (header X-Ceremony-Fragment: j)");
  }
  auto ok = portal::AuthenticateMember(stores.portal, setup, me, j);
  if (!ok) return ok.error();
  return Holder{j, me + " (fragment " + std::to_string(j) + ")"};
}

}  // namespace

HttpResponse CeremonyApi(const portal::ElectionSite& site, portal::PortalStores& stores,
                         const HttpRequest& req, const std::string& path, int64_t now,
                         const CeremonyCaller& caller) {
  const portal::CeremonySetup setup = portal::CeremonySetupFor(site.election, site.fingerprint);
  if (req.method == "GET" && path == "/v1/ceremonie") {
    auto state = portal::CeremonyState(stores.portal, setup);
    if (!state) return Refused(state.error());
    return JsonResponse(200, *state);
  }
  using Submit = Status (*)(store::PortalStore&, const portal::CeremonySetup&, uint32_t,
                            const nlohmann::json&, int64_t);
  Submit submit = nullptr;
  std::string action;
  if (path == "/v1/ceremonie/annonce") {
    submit = portal::SubmitAnnouncement;
    action = "ceremony.announcement";
  } else if (path == "/v1/ceremonie/distribution") {
    submit = portal::SubmitDealing;
    action = "ceremony.dealing";
  } else if (path == "/v1/ceremonie/reclamations") {
    submit = portal::SubmitComplaints;
    action = "ceremony.complaints";
  }
  if (req.method == "GET" && path == "/v1/ceremonie/invitation") {
    auto holder = Authenticate(site, stores, setup, req, now, caller);
    if (!holder) return Refused(holder.error());
    return JsonResponse(200, {{"holder", holder->number},
                              {"member", setup.members[holder->number - 1]}});
  }
  if (req.method != "POST" || submit == nullptr) {
    return JsonResponse(404, {{"error", {{"code", "not_found"}, {"message", "no such API call"}}}});
  }
  auto holder = Authenticate(site, stores, setup, req, now, caller);
  if (!holder) return Refused(holder.error());
  nlohmann::json body;
  try {
    if (req.Header("content-type").rfind("application/json", 0) != 0) throw std::exception();
    body = nlohmann::json::parse(req.body);
  } catch (const std::exception&) {
    return Refused(MakeError("request.json", "expected a JSON body (application/json)"));
  }
  const uint32_t j = holder->number;
  if (Status st = submit(stores.portal, setup, j, body, now); !st) return Refused(st.error());
  nlohmann::json details = {{"holder", j}};
  if (action == "ceremony.complaints") details["complaints"] = body["complaints"].size();
  auto logged = stores.audit.Append(site.election.id, now, holder->actor, action, details.dump());
  if (!logged) return Refused(logged.error());
  return JsonResponse(201, {{"holder", j}, {"stored", action}});
}

}  // namespace isoloir::web
