// The key holder's pages: the key ceremony, /bve/ceremonie (docs/counting.md
// §3.1, against the relay of ceremony_api.cc), and the partial decryption,
// /bve/dechiffrement (§5). Forms only: the work runs in the browser
// (/static/ceremony.js); the pages hold no secret.
#include "common/bytes.h"
#include "web/pages.h"

namespace isoloir::web {

HttpResponse PortalApp::CeremonyPage(Ctx& c) {
  return Page(c, Text(c.lang, "ceremony_title"), "ceremonie",
              {{"fingerprint", HexEncode(site_->fingerprint)}});
}

HttpResponse PortalApp::DecryptionPage(Ctx& c) {
  return Page(c, Text(c.lang, "decrypt_title"), "dechiffrement", nlohmann::json::object());
}

}  // namespace isoloir::web
