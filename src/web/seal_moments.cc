// The seal checks the portal runs by itself at the sealed times
// (docs/seal.md "When the seal is checked"): at the opening time, if the
// portal was started before it, and at the closing time; once each.
#include <spdlog/spdlog.h>

#include <mutex>

#include "pv/count_desk.h"
#include "seal/seal_service.h"
#include "web/pages.h"

namespace isoloir::web {

namespace {

// One check at a time: a request waits for the check in progress, so that
// no ballot is taken and no count prepared before its outcome is known.
std::mutex moment_mu;

}  // namespace

void PortalApp::CheckSealOnTime() {
  if (!site().key) return;
  const bool opening_due = !opening_checked_.load();
  const bool closing_due = !closing_checked_.load();
  if (!opening_due && !closing_due) return;
  const int64_t now = Now();
  const auto& window = site().election.window;
  if ((!opening_due || now < window.opening.utc) && (!closing_due || now < window.closing.utc)) {
    return;
  }
  std::lock_guard lock(moment_mu);
  auto lease = pool_.Acquire();
  auto& st = lease.stores();
  counting::CountStores view{st.roll, st.urne, st.emargement, st.portal, st.audit};
  if (!opening_checked_.load() && now >= window.opening.utc) {
    // The portal was started before the opening: the seal is checked again
    // now, and ballots are refused unless it holds.
    auto check = seal::CheckSeal(view, site().election.id, PortalSealSources(), "opening",
                                 {"portal", now});
    if (!check) {
      spdlog::error("portal: the seal check at opening failed: {}", check.error().ToString());
      site().seal_gate->Set("the seal check at opening failed");
    } else {
      site().seal_gate->Set(check->ok() ? "" : check->Problem());
      if (check->ok()) {
        spdlog::info("portal: the vote is open: seal checked (moment \"opening\")");
      } else {
        spdlog::error("portal: the vote is open but ballots are refused: {}", check->Problem());
      }
    }
    opening_checked_.store(true);
  }
  if (!closing_checked_.load() && now >= window.closing.utc) {
    auto ran = pv::ClosingSealCheckOnce(view, site().election.id, PortalSealSources(),
                                        {"portal", now});
    if (!ran) {
      // Not retried on every request (it hashes the executable); the count's
      // own check (moment "count") still runs before any tally.
      spdlog::error("portal: the seal check at closing failed: {}", ran.error().ToString());
    } else if (*ran) {
      spdlog::info("portal: the vote is closed: seal checked (moment \"closing\")");
    }
    closing_checked_.store(true);
  }
}

}  // namespace isoloir::web
