// The key holder's pages: the key ceremony, /bve/ceremonie (docs/counting.md
// §3.1, against the relay of ceremony_api.cc: by invitation code, or logged
// in on /bve for one's own fragments), and the partial decryption,
// /bve/dechiffrement (§5). Forms only: the work runs in the browser
// (/static/ceremony.js); the pages hold no secret.
#include <algorithm>

#include "common/bytes.h"
#include "portal/ceremony_relay.h"
#include "web/pages.h"
#include "web/staff_pages.h"

namespace isoloir::web {

HttpResponse PortalApp::CeremonyPage(Ctx& c) {
  return Page(c, Text(c.lang, "ceremony_title"), "ceremonie",
              {{"fingerprint", HexEncode(site().fingerprint)}, {"run", true}});
}

HttpResponse PortalApp::DecryptionPage(Ctx& c) {
  return Page(c, Text(c.lang, "decrypt_title"), "dechiffrement", nlohmann::json::object());
}

// A member holding fragments runs the ceremony without a code, one run per
// fragment (they choose when they hold two); any other account sees the
// invitation form, with a word on why its session is no use here.
HttpResponse StaffPages::KeyHolderCeremony() {
  const portal::ElectionSite& site = app_.site();
  const portal::CeremonySetup setup = portal::CeremonySetupFor(site.election, site.fingerprint);
  std::vector<uint32_t> mine;
  if (portal::Allowed(staff_->role, portal::StaffRight::kCeremony)) {
    mine = portal::FragmentsOf(setup, staff_->record.staff_id);
  }
  nlohmann::json data = {{"staff", true}, {"fingerprint", HexEncode(site.fingerprint)}};
  const std::string title = Text(c_.lang, "ceremony_title");
  if (mine.empty()) {
    data["run"] = true;
    data["notice"] = Text(c_.lang, "ceremony_no_fragment");
    return StaffPage(title, "ceremonie", data, "/bve/ceremonie");
  }
  auto state = portal::CeremonyState(c_.stores().portal, setup);
  if (!state) return app_.InternalError(c_, state.error());
  const nlohmann::json& finished = (*state)["finished"];
  nlohmann::json fragments = nlohmann::json::array();
  std::string list;
  size_t open = 0;
  for (uint32_t j : mine) {
    const bool done = std::find(finished.begin(), finished.end(), j) != finished.end();
    open += !done;
    list += (list.empty() ? "" : ", ") + std::to_string(j);
    fragments.push_back({{"number", j},
                         {"finished", done},
                         {"label", Text(c_.lang, "ceremony_fragment") + " " + std::to_string(j) +
                                       (done ? " " + Text(c_.lang, "ceremony_fragment_done") : "")}});
  }
  data["member"] = true;
  data["fragment_list"] = list;
  data["fragments"] = fragments;
  data["choose"] = mine.size() > 1;
  data["single"] = mine.front();
  data["run"] = open > 0 && !(*state)["closed"].get<bool>();
  if ((*state)["closed"].get<bool>()) {
    data["notice"] = Text(c_.lang, "ceremony_closed_notice");
  } else if (open == 0) {
    data["notice"] = Text(c_.lang, "ceremony_all_done");
  }
  return StaffPage(title, "ceremonie", data, "/bve/ceremonie");
}

}  // namespace isoloir::web
