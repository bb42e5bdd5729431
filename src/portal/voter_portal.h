// The voter portal's use cases (issue 4, the seed's screens): log in with the
// four fields, regenerate a password with the réassort secret, list one's
// scrutins, cast a ballot, look a tracker up. No HTTP here: src/web calls these.
//
// Errors are values. Codes the web layer turns into messages:
//   field.<name>.<reason>  a form field is empty or malformed (nothing checked yet)
//   login.refused          wrong matricule, birth date, key or password (never says which)
//   login.throttled        too many failures for this matricule or address: wait
//   regeneration.refused   wrong matricule, birth date or réassort secret
//   regeneration.locked    too many failures: only the BVE president can help
//   regeneration.throttled too many failures from this address: wait
//   session.none           no valid session (expired, logged out, unknown)
//   scrutin.unknown        the voter has no such scrutin
//   vote.<phase>           not_open, suspended, closed: the vote is not open
//   vote.no_key            the election has no public key yet (no key ceremony)
//   vote.unsealed          the portal found the election not sealed, or not as sealed
//   cast.already_voted     this voter already voted in this scrutin
//   cast.invalid           the ballot does not decode or a proof fails
//   cast.replayed          the ballot, or its credential, is already in the urne
//   cast.credential_refused the credential is not listed, or revoked
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "crypto/elgamal.h"
#include "delivery/mail.h"
#include "election/model.h"
#include "portal/ballot_shape.h"
#include "portal/phase.h"
#include "portal/policy.h"
#include "services/credential_service.h"
#include "services/server_key.h"
#include "store/store.h"

namespace isoloir::portal {

// The connections one request uses (one set per server thread).
struct PortalStores {
  store::RollStore& roll;
  store::PortalStore& portal;
  store::UrneStore& urne;
  store::EmargementStore& emargement;
  store::CastStore& cast;
  store::AuditLog& audit;
};

// What every request shares, read once at start: the election, its
// fingerprint and public key, the server key and the rules.
// The seal's verdict for the portal: "" = ballots accepted, else why not.
// Shared by the portal's threads: a later seal can lift it.
class SealGate {
 public:
  std::string Refusal() const {
    std::lock_guard<std::mutex> lock(mu_);
    return refusal_;
  }
  void Set(std::string refusal) {
    std::lock_guard<std::mutex> lock(mu_);
    refusal_ = std::move(refusal);
  }

 private:
  mutable std::mutex mu_;
  std::string refusal_;
};

struct ElectionSite {
  election::Election election;
  crypto::Digest fingerprint{};
  std::optional<crypto::ElectionKey> key;  // none before the key ceremony
  std::string public_key_b64;              // as published (base64url)
  services::ServerKey server_key;
  PortalPolicy policy;
  // Where regenerated passwords go when they are e-mailed (kEmail policies).
  services::CredentialFolders folders;
  std::function<std::unique_ptr<delivery::Mailer>()> mailer;  // may be empty
  // E-mail each voter the receipt of their vote (off by default: the mail
  // system then sees a voter next to a tracker; the tracker reveals no vote).
  bool receipt_email = false;
  std::string mail_from = "elections@isoloir.invalid";
  std::string mail_from_name = "Élections professionnelles";
  // Why ballots are refused: not sealed, or the seal differs from what runs
  // (set by `isoloir serve` from its seal check at opening, lifted when the
  // BVE completes the seal on /bve/signatures; docs/seal.md).
  std::shared_ptr<SealGate> seal_gate = std::make_shared<SealGate>();

  const election::Scrutin* FindScrutin(const std::string& code) const;
};

// The election key, once the key ceremony is closed: sets site.key and
// site.public_key_b64 from the store; false while there is none yet.
Result<bool> ReadElectionKey(store::PortalStore& portal, ElectionSite& site);

Result<std::shared_ptr<const ElectionSite>> LoadElectionSite(store::RollStore& roll,
                                                             store::PortalStore& portal,
                                                             const std::string& election_id,
                                                             const services::ServerKey& key,
                                                             const PortalPolicy& policy);

struct LoginForm {
  std::string matricule;
  std::string naissance;     // JJ/MM/AAAA as typed
  std::string jeton;         // the login token (64 hex), derived from the key in the browser
  std::string mot_de_passe;  // as typed
  std::string address;       // the client's IP address
};

struct OpenedSession {
  std::string cookie;  // to set in the browser (only its hash is stored)
  store::SessionRecord record;
};

Result<OpenedSession> Login(const ElectionSite& site, PortalStores& stores, const LoginForm& form,
                            int64_t now);

// The session of a cookie if it is still valid (then marked as used now).
Result<store::SessionRecord> ResumeSession(const ElectionSite& site, PortalStores& stores,
                                           const std::string& cookie, int64_t now);
Status Logout(PortalStores& stores, const std::string& cookie);

struct RegenerationForm {
  std::string matricule;
  std::string naissance;
  std::string reassort;  // the 6 first characters of the card + the 6 last of the IBAN
  std::string address;
};

struct Regenerated {
  std::string password;  // to show once, if the policy says so ("" otherwise); wipe after use
  bool emailed = false;
};

Result<Regenerated> RegeneratePassword(const ElectionSite& site, PortalStores& stores,
                                       const RegenerationForm& form, int64_t now);

struct ScrutinStatus {
  const election::Scrutin* scrutin = nullptr;
  bool voted = false;
};

Result<std::vector<ScrutinStatus>> VoterScrutins(const ElectionSite& site, PortalStores& stores,
                                                 const store::SessionRecord& session);

struct Receipt {
  std::string election_id;
  std::string scrutin;
  std::string scrutin_title;
  std::string tracker;   // base64url, 43 characters
  int64_t time = 0;      // the émargement's time
  bool emailed = false;  // a copy went to the voter's address (receipt_email)
};

// The receipt as an e-mail to the voter (French, then English).
delivery::Mail ReceiptMail(const ElectionSite& site, const election::Voter& voter,
                           const Receipt& receipt);

Result<Receipt> CastBallot(const ElectionSite& site, PortalStores& stores,
                           const store::SessionRecord& session, const std::string& scrutin,
                           const std::string& ballot_json, int64_t now);

// The phase for this session (or a visitor: session_created = 0).
Result<Phase> CurrentPhase(const ElectionSite& site, PortalStores& stores, int64_t now,
                           int64_t session_created = 0);

// Is this tracker in the urne of some scrutin? Returns the scrutin's code.
Result<std::optional<std::string>> FindTracker(const ElectionSite& site, PortalStores& stores,
                                               const std::string& tracker);

}  // namespace isoloir::portal
