// A running portal takes the election key once the key ceremony is closed
// (docs/bve.md "The whole election in the browser"): no restart is needed,
// and ballots still wait for the seal.
#include <spdlog/spdlog.h>

#include "seal/seal_service.h"
#include "web/pages.h"

namespace isoloir::web {

void PortalApp::TakeElectionKey() {
  if (site().key) return;
  const int64_t now = Now();
  if (key_looked_at_.load() == now) return;  // at most once a second
  std::lock_guard lock(key_mu_);
  if (site().key || key_looked_at_.load() == now) return;
  key_looked_at_.store(now);
  auto lease = pool_.Acquire();
  auto& st = lease.stores();
  auto next = std::make_shared<portal::ElectionSite>(site());
  auto read = portal::ReadElectionKey(st.portal, *next);
  if (!read) {
    spdlog::error("portal: the election key could not be read: {}", read.error().ToString());
    return;
  }
  if (!*read) return;
  // The seal covers the key: checked now (it is usually not prepared yet,
  // and ballots are refused until it is approved on /bve/signatures).
  counting::CountStores view{st.roll, st.urne, st.emargement, st.portal, st.audit};
  auto check = seal::CheckSeal(view, next->election.id, PortalSealSources(), "opening",
                               {"portal", now});
  next->seal_gate->Set(!check ? "the seal could not be checked"
                              : (check->ok() ? "" : check->Problem()));
  if (now >= next->election.window.opening.utc) opening_checked_.store(true);
  retired_.push_back(site_.load());
  site_.store(std::move(next));
  spdlog::warn("portal: the key ceremony is closed: election key taken; ballots {}",
               site().seal_gate->Refusal().empty() ? "accepted (sealed)"
                                                   : "wait for the seal");
}

}  // namespace isoloir::web
