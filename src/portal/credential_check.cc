#include "portal/credential_check.h"

#include <algorithm>

#include "common/bytes.h"
#include "crypto/group.h"
#include "crypto/transcript.h"

namespace isoloir::portal {

std::string CredentialDigest(std::string_view credential_b64) {
  auto bytes = Base64UrlDecode(std::string(credential_b64));
  if (!bytes || !crypto::Point::Decode(*bytes).ok()) return "";
  return HexEncode(crypto::Sha256(*bytes));
}

UsedCredentials::UsedCredentials(const std::vector<std::string>& credentials) {
  digests_.reserve(credentials.size());
  for (const auto& c : credentials) {
    std::string d = CredentialDigest(c);
    if (!d.empty()) digests_.push_back(std::move(d));
  }
  std::sort(digests_.begin(), digests_.end());
}

std::vector<std::string> UsedCredentials::WithPrefix(std::string_view prefix) const {
  std::vector<std::string> out;
  for (auto it = std::lower_bound(digests_.begin(), digests_.end(), prefix);
       it != digests_.end() && std::string_view(*it).substr(0, prefix.size()) == prefix; ++it) {
    out.push_back(*it);
  }
  return out;
}

Result<UsedCredentials> LoadUsedCredentials(const ElectionSite& site, PortalStores& stores,
                                            const std::string& scrutin, int64_t now) {
  if (site.FindScrutin(scrutin) == nullptr) {
    return MakeError("scrutin.unknown", "the election has no scrutin \"" + scrutin + "\"");
  }
  const int64_t final_at = site.election.window.closing.utc + kClosingGraceSeconds;
  if (now < final_at) {
    return MakeError("credential_check.not_closed",
                     "the check opens once no ballot can be added: 30 minutes after the closing");
  }
  auto used = stores.urne.ListUsedCredentials(site.election.id, scrutin);
  if (!used) return used.error();
  return UsedCredentials(*used);
}

Status CheckCredentialPrefix(std::string_view prefix) {
  const bool ok = prefix.size() == kCredentialPrefixDigits &&
                  std::all_of(prefix.begin(), prefix.end(), [](char ch) {
                    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
                  });
  if (ok) return Status::Ok();
  return MakeError("credential_check.prefix", "prefixe: expected 4 lowercase hex digits");
}

}  // namespace isoloir::portal
