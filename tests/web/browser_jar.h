// A browser as the web tests see one: a request to the portal with the
// cookies it holds, keeping (or dropping) those the answer sets; and the
// portal they browse.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "portal/session_token.h"
#include "portal/staff.h"
#include "portal/totp.h"
#include "web/pages.h"

namespace isoloir::web::testing {

using CookieJar = std::map<std::string, std::string>;

// The portal on `config`'s stores with `options` (a stand-in booth.js is
// written in options.assets); `pool` receives the stores, to outlive the app.
inline Result<std::unique_ptr<PortalApp>> OpenPortal(std::shared_ptr<const portal::ElectionSite> site,
                                                     const store::StoreConfig& config,
                                                     PortalOptions options,
                                                     std::unique_ptr<StorePool>& pool) {
  std::filesystem::create_directories(options.assets);
  std::ofstream(options.assets / "booth.js") << "/* booth */";
  auto opened = StorePool::Open(config, 2);
  if (!opened) return opened.error();
  pool = std::move(*opened);
  return PortalApp::Create(std::move(site), *pool, std::move(options));
}

inline HttpResponse Browse(PortalApp& app, CookieJar& jar, const std::string& method,
                           const std::string& path, const std::string& body,
                           const std::string& address,
                           const std::map<std::string, std::string>& headers = {}) {
  HttpRequest r;
  r.method = method;
  const size_t q = path.find('?');
  r.path = path.substr(0, q);
  if (q != std::string::npos) ParseFormEncoded(path.substr(q + 1), r.query);
  r.cookies = jar;
  r.body = body;
  r.client_address = address;
  for (const auto& [k, v] : headers) r.headers[k] = v;
  HttpResponse resp = app.Handle(r);
  for (const auto& c : resp.set_cookies) {
    const size_t eq = c.find('='), semi = c.find(';');
    if (c.find("Max-Age=0") != std::string::npos) {
      jar.erase(c.substr(0, eq));
    } else {
      jar[c.substr(0, eq)] = c.substr(eq + 1, semi - eq - 1);
    }
  }
  return resp;
}

// `fields` and the CSRF token, form-encoded (a first GET /bve gets the visitor cookie).
inline std::string FormWithCsrf(PortalApp& app, CookieJar& jar,
                                std::vector<std::pair<std::string, std::string>> fields,
                                const std::string& address) {
  if (!jar.count("isoloir_visite")) Browse(app, jar, "GET", "/bve", "", address);
  fields.emplace_back("csrf", portal::CsrfToken(app.site().server_key, app.site().election.id,
                                                jar["isoloir_visite"]));
  std::string out;
  for (const auto& [k, v] : fields) out += (out.empty() ? "" : "&") + k + "=" + PercentEncode(v);
  return out;
}

// Logs `a` in on /bve with its password and its TOTP code at `seconds` (a
// step not used before: a code is accepted once); 303 when accepted.
inline HttpResponse StaffLogIn(PortalApp& app, CookieJar& jar, const portal::NewStaffAccount& a,
                               int64_t seconds, const std::string& address) {
  const std::string form = FormWithCsrf(app, jar,
                                        {{"identifiant", a.account.id},
                                         {"mot_de_passe", a.password},
                                         {"code", portal::Totp(a.totp_secret, seconds)}},
                                        address);
  return Browse(app, jar, "POST", "/bve/connexion", form, address);
}

}  // namespace isoloir::web::testing
