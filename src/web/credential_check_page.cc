// /verification/identifiant and its API (docs/verification.md §3): the voter's
// browser checks that nobody voted with its credential, asking the portal
// only for a 16-bit prefix of the credential's digest.
#include "portal/credential_check.h"
#include "web/pages.h"

namespace isoloir::web {

HttpResponse PortalApp::CredentialCheckPage(Ctx& c) {
  nlohmann::json scrutins = nlohmann::json::array();
  for (const auto& s : site().election.scrutins) {
    scrutins.push_back({{"code", s.code}, {"title", s.title}});
  }
  const int64_t available_at = site().election.window.closing.utc + portal::kClosingGraceSeconds;
  nlohmann::json data{{"election_id", site().election.id},
                      {"scrutins_json", scrutins.dump()},
                      {"available", Now() >= available_at},
                      {"available_at", HumanTime(c.lang, available_at)},
                      {"extra_script", "verify.js"}};
  return Page(c, Text(c.lang, "credcheck_title"), "credential_check", std::move(data));
}

// Loaded once per scrutin: after the closing's grace period the urne no
// longer changes.
Result<std::shared_ptr<const portal::UsedCredentials>> PortalApp::UsedCredentialsOf(
    Ctx& c, const std::string& scrutin) {
  {
    std::lock_guard lock(used_mu_);
    if (auto it = used_.find(scrutin); it != used_.end()) return it->second;
  }
  auto used = portal::LoadUsedCredentials(site(), c.stores(), scrutin, Now());
  if (!used) return used.error();
  auto shared = std::make_shared<const portal::UsedCredentials>(std::move(used).value());
  std::lock_guard lock(used_mu_);
  return used_.emplace(scrutin, std::move(shared)).first->second;
}

}  // namespace isoloir::web
