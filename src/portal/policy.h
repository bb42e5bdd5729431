// The portal's rules that a deployment may tune: session lifetimes, how many
// failures are tolerated before throttling or lock-out, and how a
// regenerated password reaches the voter. Defaults are those of docs/portal.md.
#pragma once

#include <cstdint>

namespace isoloir::portal {

enum class PasswordDelivery { kScreen, kEmail, kScreenAndEmail };

struct PortalPolicy {
  int64_t session_idle_seconds = 15 * 60;         // a session unused this long ends
  int64_t session_max_seconds = 2 * 60 * 60;      // and none lives longer than this
  int64_t attempt_window_seconds = 15 * 60;       // failures are counted over this window
  int64_t login_failures_per_matricule = 5;       // then wait for the window to pass
  int64_t login_failures_per_address = 100;       // a shared NAT holds many voters
  int64_t regeneration_failures_before_lock = 5;  // then only the BVE president can help
  int64_t regeneration_failures_per_address = 30;
  PasswordDelivery regeneration_delivery = PasswordDelivery::kScreen;
};

}  // namespace isoloir::portal
