// See ceremony_api.h. Holders send "Authorization: Invitation CODE"; no
// cookie is involved, so a cross-site form cannot post for them.
#include "web/ceremony_api.h"

#include <spdlog/spdlog.h>

#include "portal/ceremony_relay.h"

namespace isoloir::web {

namespace {


HttpResponse Refused(const Error& e) {
  int status = 500;
  if (e.code == "ceremony.message" || e.code == "request.json") status = 400;
  if (e.code == "ceremony.invitation") status = 401;
  if (e.code == "ceremony.invitation_used") status = 403;
  if (e.code == "ceremony.closed" || e.code == "ceremony.phase" ||
      e.code == "portal.ceremony_exists") {
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

}  // namespace

HttpResponse CeremonyApi(const portal::ElectionSite& site, portal::PortalStores& stores,
                         const HttpRequest& req, const std::string& path, int64_t now) {
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
    auto holder = portal::AuthenticateHolder(stores.portal, setup, req.Header("authorization"));
    if (!holder) return Refused(holder.error());
    return JsonResponse(200, {{"holder", *holder}, {"member", setup.members[*holder - 1]}});
  }
  if (req.method != "POST" || submit == nullptr) {
    return JsonResponse(404, {{"error", {{"code", "not_found"}, {"message", "no such API call"}}}});
  }
  auto holder = portal::AuthenticateHolder(stores.portal, setup, req.Header("authorization"));
  if (!holder) return Refused(holder.error());
  nlohmann::json body;
  try {
    if (req.Header("content-type").rfind("application/json", 0) != 0) throw std::exception();
    body = nlohmann::json::parse(req.body);
  } catch (const std::exception&) {
    return Refused(MakeError("request.json", "expected a JSON body (application/json)"));
  }
  if (Status st = submit(stores.portal, setup, *holder, body, now); !st) return Refused(st.error());
  nlohmann::json details = {{"holder", *holder}};
  if (action == "ceremony.complaints") details["complaints"] = body["complaints"].size();
  auto logged = stores.audit.Append(site.election.id, now, "fragment " + std::to_string(*holder),
                                    action, details.dump());
  if (!logged) return Refused(logged.error());
  return JsonResponse(201, {{"holder", *holder}, {"stored", action}});
}

}  // namespace isoloir::web
