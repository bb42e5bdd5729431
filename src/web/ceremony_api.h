// The key ceremony's relay in the JSON API (/api/v1/ceremonie...): the public
// state for everyone, and the holders' messages, authenticated by their
// invitation code or by a BVE member's /bve session. docs/portal.md and
// docs/counting.md §3.1.
#pragma once

#include <string>

#include "portal/voter_portal.h"
#include "web/http.h"

namespace isoloir::web {

// What the portal knows of the caller besides the request: the /bve session
// cookie (may be empty) and the visitor cookie its pages' CSRF tokens are
// bound to.
struct CeremonyCaller {
  std::string staff_cookie;
  std::string visit;
};

// `path` is after "/api" ("/v1/ceremonie/annonce"). Never answers with a secret.
HttpResponse CeremonyApi(const portal::ElectionSite& site, portal::PortalStores& stores,
                         const HttpRequest& req, const std::string& path, int64_t now,
                         const CeremonyCaller& caller);

}  // namespace isoloir::web
