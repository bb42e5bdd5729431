// The president's desk: identity check, then a new password (through the
// credential service) or a new security key (new public credentials listed).
#include "portal/desk.h"

#include <sodium.h>

#include <algorithm>
#include <mutex>
#include <nlohmann/json.hpp>

#include "common/bytes.h"
#include "crypto/credential.h"
#include "crypto/random.h"
#include "seal/components.h"

namespace isoloir::portal {

namespace {

Status CheckIdentity(const IdentityCheck& c) {
  if (c.document.empty()) {
    return MakeError("field.document.missing", "the kind of identity document is required");
  }
  if (c.document != "piece_identite" && c.document != "carte_professionnelle") {
    return MakeError("field.document.format",
                     "the document is a pièce d'identité or a carte professionnelle");
  }
  if (c.fin_numero.empty()) {
    return MakeError("field.fin_numero.missing",
                     "the last characters of the document's number are required");
  }
  bool ok = c.fin_numero.size() >= 3 && c.fin_numero.size() <= 6;
  for (char ch : c.fin_numero) {
    ok &= (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
  }
  if (!ok) {
    return MakeError("field.fin_numero.format",
                     "3 to 6 letters or digits: the end of the document's number");
  }
  return Status::Ok();
}

// The checks every action shares; the scrutins still open to the voter.
Result<DeskView> Prepare(const ElectionSite& site, PortalStores& stores,
                         const std::string& matricule, const IdentityCheck& check,
                         const std::string& actor, int64_t now) {
  if (Status st = CheckIdentity(check); !st) return st.error();
  if (now >= site.election.window.closing.utc) {
    return MakeError("desk.closed", "the vote is closed: the desk hands nothing over");
  }
  auto view = DeskLookup(site, stores, matricule, actor, now);
  if (!view) return view.error();
  if (!view->status.credentials_issued) {
    return MakeError("desk.no_credentials",
                     "voter " + matricule + " has no credentials yet (credentials generate)");
  }
  if (view->open_scrutins.empty()) {
    return MakeError("desk.already_voted", "voter " + matricule + " has voted in every scrutin");
  }
  return view;
}

nlohmann::json Details(const std::string& matricule, const IdentityCheck& check,
                       const std::string& actor, int64_t now, const DeskHandOver& h) {
  return {{"matricule", matricule},
          {"identity",
           {{"document", check.document},
            {"fin_numero", check.fin_numero},
            {"checked_by", actor},
            {"checked_at", now}}},
          {"scrutins", h.scrutins},
          {"generation", h.generation}};
}

Status Audit(PortalStores& stores, const ElectionSite& site, int64_t now, const std::string& actor,
             const std::string& action, const nlohmann::json& details) {
  auto r = stores.audit.Append(site.election.id, now, actor, action, details.dump());
  return r ? Status::Ok() : Status(r.error());
}

}  // namespace

Result<DeskView> DeskLookup(const ElectionSite& site, PortalStores& stores,
                            const std::string& matricule, const std::string& actor, int64_t now) {
  auto status = GetVoterStatus(site, stores, matricule, actor, now);
  if (!status) {
    if (status.error().code == "helpdesk.unknown_voter") {
      return MakeError("desk.unknown_voter", status.error().message);
    }
    return status.error();
  }
  DeskView out{std::move(*status), {}};
  for (const auto& [code, voted] : out.status.voted) {
    if (!voted) out.open_scrutins.push_back(code);
  }
  return out;
}

Result<DeskHandOver> DeskNewPassword(const ElectionSite& site, PortalStores& stores,
                                     const std::string& matricule, const IdentityCheck& check,
                                     const std::string& actor, int64_t now) {
  auto view = Prepare(site, stores, matricule, check, actor, now);
  if (!view) return view.error();
  DeskHandOver h;
  h.voter = view->status.voter;
  h.scrutins = view->open_scrutins;
  services::IssueRequest request;
  request.election_id = site.election.id;
  services::ReissueDelivery delivery;
  delivery.email = false;
  delivery.shown = &h.secret;
  if (Status st =
          services::ReissuePassword(stores.roll, stores.audit, site.server_key, site.folders,
                                    request, matricule, {actor, now}, delivery);
      !st) {
    return st.error();
  }
  auto cred = stores.roll.GetCredential(site.election.id, matricule);
  if (!cred) return cred.error();
  h.generation = cred->has_value() ? (*cred)->generation : 0;
  if (Status st = stores.portal.DeleteSessionsOf(site.election.id, matricule); !st) {
    return st.error();
  }
  if (Status st = Audit(stores, site, now, actor, "desk.password",
                        Details(matricule, check, actor, now, h));
      !st) {
    return st.error();
  }
  return h;
}

Result<DeskHandOver> DeskNewKey(const ElectionSite& site, PortalStores& stores,
                                const std::string& matricule, const IdentityCheck& check,
                                const std::string& actor, int64_t now) {
  auto view = Prepare(site, stores, matricule, check, actor, now);
  if (!view) return view.error();
  const std::string& eid = site.election.id;
  auto current = stores.roll.GetCredential(eid, matricule);
  if (!current) return current.error();
  if (!current->has_value()) return MakeError("desk.no_credentials", "no credentials");
  std::string key = crypto::GenerateSecurityKey(crypto::SystemRandom());
  // The new public credentials first, then the verifier (the commit point).
  // If the verifier cannot be written, the new credentials are revoked: the
  // key is never shown, so nobody holds them.
  std::vector<std::pair<std::string, std::string>> added;  // scrutin, credential
  nlohmann::json steps = nlohmann::json::array();
  auto undo = [&](const Error& e) -> Error {
    for (const auto& [code, cred] : added) {
      (void)stores.urne.RevokePublicCredential(eid, code, cred, now);
    }
    if (!added.empty()) {  // listed (and revoked): the seal check follows these steps too
      (void)Audit(stores, site, now, actor, "desk.security_key_undone",
                  {{"matricule", matricule}, {"credentials", steps}});
    }
    sodium_memzero(key.data(), key.size());
    return e;
  };
  // Each list's seal component before and after the addition (docs/seal.md,
  // "The desk's new keys"): the seal check follows these steps from the
  // sealed list to the current one. One hand-over at a time in this process,
  // so that the steps follow each other.
  static std::mutex one_at_a_time;
  std::lock_guard<std::mutex> lock(one_at_a_time);
  for (const auto& code : view->open_scrutins) {
    const std::string cred = Base64UrlEncode(
        crypto::CredentialPublic(crypto::CredentialSecret(eid, code, key)).Encode());
    auto listed = stores.urne.ListPublicCredentials(eid, code);
    if (!listed) return undo(listed.error());
    const crypto::Digest before = seal::CredentialsComponent(code, *listed).sha256;
    if (Status st = stores.urne.AddPublicCredentials(eid, code, std::vector<std::string>{cred});
        !st) {
      return undo(st.error());
    }
    added.emplace_back(code, cred);
    listed->insert(std::lower_bound(listed->begin(), listed->end(), cred), cred);
    steps.push_back({{"scrutin", code},
                     {"before", HexEncode(before)},
                     {"after", HexEncode(seal::CredentialsComponent(code, *listed).sha256)}});
  }
  store::CredentialRecord record = **current;
  record.generation += 1;
  record.issued_at = now;
  record.login_verifier = HexEncode(crypto::LoginVerifier(crypto::LoginToken(eid, key)));
  if (Status st = stores.roll.PutCredentials(eid, std::vector<store::CredentialRecord>{record});
      !st) {
    return undo(st.error());
  }
  DeskHandOver h;
  h.voter = view->status.voter;
  h.scrutins = view->open_scrutins;
  h.generation = record.generation;
  h.secret = crypto::FormatSecurityKey(key);
  sodium_memzero(key.data(), key.size());
  if (Status st = stores.portal.DeleteSessionsOf(eid, matricule); !st) return st.error();
  nlohmann::json details = Details(matricule, check, actor, now, h);
  details["credentials"] = std::move(steps);
  if (Status st = Audit(stores, site, now, actor, "desk.security_key", details); !st) {
    return st.error();
  }
  return h;
}

}  // namespace isoloir::portal
