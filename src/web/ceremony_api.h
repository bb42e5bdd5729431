// The key ceremony's relay in the JSON API (/api/v1/ceremonie...): the public
// state for everyone, and the holders' messages, authenticated by their
// invitation code. docs/portal.md and docs/counting.md §2.
#pragma once

#include <string>

#include "portal/voter_portal.h"
#include "web/http.h"

namespace isoloir::web {

// `path` is after "/api" ("/v1/ceremonie/annonce"). Never answers with a secret.
HttpResponse CeremonyApi(const portal::ElectionSite& site, portal::PortalStores& stores,
                         const HttpRequest& req, const std::string& path, int64_t now);

}  // namespace isoloir::web
