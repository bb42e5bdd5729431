// The key holder's page of the key ceremony, /bve/ceremonie (docs/counting.md
// §3.1): a form; everything else runs in the browser (/static/ceremony.js)
// against the relay of ceremony_api.cc. The page holds no secret.
#include "common/bytes.h"
#include "web/pages.h"

namespace isoloir::web {

HttpResponse PortalApp::CeremonyPage(Ctx& c) {
  return Page(c, Text(c.lang, "ceremony_title"), "ceremonie",
              {{"fingerprint", HexEncode(site_->fingerprint)}});
}

}  // namespace isoloir::web
