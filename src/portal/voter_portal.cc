#include "portal/voter_portal.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "common/bytes.h"
#include "crypto/codec.h"
#include "crypto/credential.h"
#include "election/election_file.h"
#include "election/paris_time.h"
#include "election/roll.h"
#include "portal/session_token.h"
#include "services/election_service.h"
#include "services/password.h"

namespace isoloir::portal {

namespace {

constexpr const char* kLogin = "login";
constexpr const char* kRegeneration = "regeneration";
constexpr size_t kMaxBallotBytes = 64 * 1024;  // a 100-choice ballot is about 40 KiB

std::string AddressSubject(const std::string& address) { return "ip:" + address; }

Error FieldError(const std::string& field, const std::string& reason, const std::string& why) {
  return MakeError("field." + field + "." + reason, field + ": " + why);
}

// The checks every form does before touching a secret: nothing is counted
// as a failure for an empty or malformed field.
Status CheckMatricule(const std::string& m) {
  if (m.empty()) return FieldError("matricule", "missing", "the matricule is required");
  if (m.size() > 64) return FieldError("matricule", "format", "the matricule is too long");
  return Status::Ok();
}

Result<election::Date> CheckBirthDate(const std::string& text) {
  if (text.empty()) return FieldError("naissance", "missing", "the birth date is required");
  auto d = election::ParseBirthDate(text);
  if (!d) return FieldError("naissance", "format", "expected JJ/MM/AAAA");
  return *d;
}

Status Audit(PortalStores& stores, const ElectionSite& site, int64_t now, const std::string& actor,
             const std::string& action, nlohmann::json details) {
  auto r = stores.audit.Append(site.election.id, now, actor, action, details.dump());
  if (!r) return r.error();
  return Status::Ok();
}

// Is this subject over its limit? (A locked subject always is.)
Result<bool> OverLimit(PortalStores& stores, const ElectionSite& site, const char* kind,
                       const std::string& subject, int64_t limit, int64_t now) {
  auto a = stores.portal.GetAttempts(kind, subject, now, site.policy.attempt_window_seconds);
  if (!a) return a.error();
  return a->locked || a->failures >= limit;
}

Status CountFailure(PortalStores& stores, const ElectionSite& site, const char* kind,
                    const std::string& subject, int64_t now) {
  auto a = stores.portal.AddFailure(kind, subject, now, site.policy.attempt_window_seconds);
  if (!a) return a.error();
  return Status::Ok();
}

bool SameDate(const election::Date& a, const election::Date& b) { return a == b; }

bool IsLowerHexToken(const std::string& t) {
  if (t.size() != 64) return false;
  for (char c : t) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

const election::Scrutin* ElectionSite::FindScrutin(const std::string& code) const {
  for (const auto& s : election.scrutins) {
    if (s.code == code) return &s;
  }
  return nullptr;
}

Result<std::shared_ptr<const ElectionSite>> LoadElectionSite(store::RollStore& roll,
                                                             store::PortalStore& portal,
                                                             const std::string& election_id,
                                                             const services::ServerKey& key,
                                                             const PortalPolicy& policy) {
  auto e = services::LoadElection(roll, election_id);
  if (!e) return e.error();
  auto site = std::make_shared<ElectionSite>(
      ElectionSite{*e, election::ElectionFingerprint(*e), std::nullopt, "", key, policy, {}, {}});
  if (auto read = ReadElectionKey(portal, *site); !read) return read.error();
  return std::shared_ptr<const ElectionSite>(std::move(site));
}

Result<bool> ReadElectionKey(store::PortalStore& portal, ElectionSite& site) {
  const std::string& election_id = site.election.id;
  auto k = portal.GetElectionKey(election_id);
  if (!k) return k.error();
  if (!k->has_value()) return false;
  auto point = crypto::codec::DecodePoint(crypto::codec::Json((*k)->public_key));
  if (!point) {
    return MakeError("portal.bad_key",
                     "the stored public key of election " + election_id + " does not decode");
  }
  site.key.emplace(*point);
  site.public_key_b64 = (*k)->public_key;
  return true;
}

Result<OpenedSession> Login(const ElectionSite& site, PortalStores& stores, const LoginForm& form,
                            int64_t now) {
  if (Status st = CheckMatricule(form.matricule); !st) return st.error();
  auto birth = CheckBirthDate(form.naissance);
  if (!birth) return birth.error();
  if (!IsLowerHexToken(form.jeton)) {
    return FieldError("cle", "format", "the security key was not turned into a login token");
  }
  if (form.mot_de_passe.empty()) {
    return FieldError("mot_de_passe", "missing", "the password is required");
  }
  auto password = services::NormalizePassword(form.mot_de_passe);
  const std::string ip = AddressSubject(form.address);
  for (const auto& [subject, limit] :
       {std::pair{form.matricule, site.policy.login_failures_per_matricule},
        std::pair{ip, site.policy.login_failures_per_address}}) {
    auto over = OverLimit(stores, site, kLogin, subject, limit, now);
    if (!over) return over.error();
    if (*over) {
      if (Status st = Audit(stores, site, now, "voter", "portal.login_throttled",
                            {{"matricule", form.matricule}, {"address", form.address}});
          !st) {
        return st.error();
      }
      return MakeError("login.throttled", "too many failed logins: try again later");
    }
  }

  const std::string& eid = site.election.id;
  auto voter = stores.roll.GetVoter(eid, form.matricule);
  if (!voter) return voter.error();
  auto cred = stores.roll.GetCredential(eid, form.matricule);
  if (!cred) return cred.error();
  // Every check runs whatever the outcome of the others, so that timing says
  // nothing about which field was wrong or whether the matricule exists.
  const std::string stored_login =
      cred->has_value() ? (*cred)->login_verifier : std::string(64, '0');
  const std::string stored_password = cred->has_value() ? (*cred)->password_verifier : "v1:";
  auto token = HexDecode(form.jeton);
  bool ok = voter->has_value() && cred->has_value();
  ok &= voter->has_value() && SameDate((*voter)->naissance, *birth);
  const std::string login_verifier =
      token && token->size() == 32 ? HexEncode(crypto::LoginVerifier(
                                         *reinterpret_cast<const crypto::Digest*>(token->data())))
                                   : std::string(64, 'x');
  ok &= sodium_memcmp(login_verifier.data(), stored_login.data(),
                      std::min(login_verifier.size(), stored_login.size())) == 0 &&
        login_verifier.size() == stored_login.size();
  const bool password_ok = password.ok() && site.server_key.Check("password", eid, form.matricule,
                                                                  *password, stored_password);
  ok &= password_ok;
  if (password.ok()) sodium_memzero(password->data(), password->size());

  if (!ok) {
    if (Status st = CountFailure(stores, site, kLogin, form.matricule, now); !st) return st.error();
    if (Status st = CountFailure(stores, site, kLogin, ip, now); !st) return st.error();
    if (Status st = Audit(stores, site, now, "voter", "portal.login_failed",
                          {{"matricule", form.matricule}, {"address", form.address}});
        !st) {
      return st.error();
    }
    return MakeError("login.refused", "the login details do not match");
  }
  if (Status st = stores.portal.ClearFailures(kLogin, form.matricule); !st) return st.error();
  OpenedSession s;
  s.cookie = NewCookieValue();
  s.record = store::SessionRecord{CookieHash(s.cookie), eid, form.matricule, now, now};
  if (Status st = stores.portal.CreateSession(s.record); !st) return st.error();
  if (Status st = Audit(stores, site, now, "voter", "portal.login",
                        {{"matricule", form.matricule}, {"address", form.address}});
      !st) {
    return st.error();
  }
  return s;
}

Result<store::SessionRecord> ResumeSession(const ElectionSite& site, PortalStores& stores,
                                           const std::string& cookie, int64_t now) {
  if (cookie.empty()) return MakeError("session.none", "no session");
  const std::string hash = CookieHash(cookie);
  auto s = stores.portal.GetSession(hash);
  if (!s) return s.error();
  if (!s->has_value() || (*s)->election_id != site.election.id) {
    return MakeError("session.none", "no session");
  }
  const store::SessionRecord& r = **s;
  if (now - r.last_seen >= site.policy.session_idle_seconds ||
      now - r.created >= site.policy.session_max_seconds) {
    (void)stores.portal.DeleteSession(hash);
    return MakeError("session.none", "the session has expired");
  }
  if (Status st = stores.portal.TouchSession(hash, now); !st) return st.error();
  return r;
}

Status Logout(PortalStores& stores, const std::string& cookie) {
  if (cookie.empty()) return Status::Ok();
  return stores.portal.DeleteSession(CookieHash(cookie));
}

Result<Regenerated> RegeneratePassword(const ElectionSite& site, PortalStores& stores,
                                       const RegenerationForm& form, int64_t now) {
  if (Status st = CheckMatricule(form.matricule); !st) return st.error();
  auto birth = CheckBirthDate(form.naissance);
  if (!birth) return birth.error();
  if (form.reassort.empty()) {
    return FieldError("reassort", "missing", "the réassort secret is required");
  }
  auto secret = election::NormaliseReassort(form.reassort);
  if (!secret) return FieldError("reassort", "format", "expected 12 letters or digits");

  const std::string& eid = site.election.id;
  const std::string ip = AddressSubject(form.address);
  auto locked = stores.portal.GetAttempts(kRegeneration, form.matricule, now,
                                          site.policy.attempt_window_seconds);
  if (!locked) return locked.error();
  if (locked->locked) {
    if (Status st = Audit(stores, site, now, "voter", "portal.regeneration_locked",
                          {{"matricule", form.matricule}, {"address", form.address}});
        !st) {
      return st.error();
    }
    return MakeError("regeneration.locked", "regeneration is locked for this account");
  }
  auto over = OverLimit(stores, site, kRegeneration, ip,
                        site.policy.regeneration_failures_per_address, now);
  if (!over) return over.error();
  if (*over) {
    if (Status st = Audit(stores, site, now, "voter", "portal.regeneration_throttled",
                          {{"matricule", form.matricule}, {"address", form.address}});
        !st) {
      return st.error();
    }
    return MakeError("regeneration.throttled", "too many failed requests: try again later");
  }

  auto voter = stores.roll.GetVoter(eid, form.matricule);
  if (!voter) return voter.error();
  auto stored = stores.roll.GetReassortVerifier(eid, form.matricule);
  if (!stored) return stored.error();
  auto cred = stores.roll.GetCredential(eid, form.matricule);
  if (!cred) return cred.error();
  bool ok = voter->has_value() && stored->has_value() && cred->has_value();
  ok &= voter->has_value() && (*voter)->naissance == *birth;
  ok &= site.server_key.Check("reassort", eid, form.matricule, secret->view(),
                              stored->has_value() ? **stored : std::string("v1:"));
  if (!ok) {
    auto a = stores.portal.AddFailure(kRegeneration, form.matricule, now,
                                      site.policy.attempt_window_seconds);
    if (!a) return a.error();
    if (Status st = CountFailure(stores, site, kRegeneration, ip, now); !st) return st.error();
    const bool lock = a->failures >= site.policy.regeneration_failures_before_lock;
    if (lock) {
      if (Status st = stores.portal.Lock(kRegeneration, form.matricule, now); !st) {
        return st.error();
      }
    }
    if (Status st = Audit(stores, site, now, "voter",
                          lock ? "portal.regeneration_locked" : "portal.regeneration_failed",
                          {{"matricule", form.matricule}, {"address", form.address}});
        !st) {
      return st.error();
    }
    if (lock) return MakeError("regeneration.locked", "regeneration is locked for this account");
    return MakeError("regeneration.refused", "the details do not match");
  }

  const PasswordDelivery how = site.policy.regeneration_delivery;
  const bool email = how != PasswordDelivery::kScreen && !(*voter)->courriel.empty();
  Regenerated out;
  services::IssueRequest request;
  request.election_id = eid;
  services::ReissueDelivery delivery;
  delivery.email = email;
  if (how != PasswordDelivery::kEmail || !email) delivery.shown = &out.password;
  if (Status st = services::ReissuePassword(
          stores.roll, stores.audit, site.server_key, site.folders, request, form.matricule,
          services::Actor{"voter (online regeneration)", now}, delivery);
      !st) {
    return st.error();
  }
  out.emailed = email;
  if (Status st = stores.portal.ClearFailures(kRegeneration, form.matricule); !st) {
    return st.error();
  }
  // The old password is dead: so are the sessions it opened.
  if (Status st = stores.portal.DeleteSessionsOf(eid, form.matricule); !st) return st.error();
  if (email && site.mailer) {
    auto mailer = site.mailer();
    auto sent = services::SendPendingEmails(stores.roll, stores.audit, *mailer, site.folders, eid,
                                            form.matricule, services::Actor{"portal", now});
    if (!sent) return sent.error();
  }
  return out;
}

Result<std::vector<ScrutinStatus>> VoterScrutins(const ElectionSite& site, PortalStores& stores,
                                                 const store::SessionRecord& session) {
  auto voter = stores.roll.GetVoter(site.election.id, session.matricule);
  if (!voter) return voter.error();
  if (!voter->has_value()) return MakeError("session.none", "the voter is no longer on the roll");
  std::vector<ScrutinStatus> out;
  for (const auto& s : site.election.scrutins) {
    const auto& mine = (*voter)->scrutins;
    if (std::find(mine.begin(), mine.end(), s.code) == mine.end()) continue;
    auto voted = stores.emargement.HasVoted(site.election.id, s.code, session.matricule);
    if (!voted) return voted.error();
    out.push_back({&s, *voted});
  }
  return out;
}

Result<Phase> CurrentPhase(const ElectionSite& site, PortalStores& stores, int64_t now,
                           int64_t session_created) {
  auto state = stores.portal.GetVoteState(site.election.id);
  if (!state) return state.error();
  return VotePhase(site.election.window, *state, now, session_created);
}

Result<Receipt> CastBallot(const ElectionSite& site, PortalStores& stores,
                           const store::SessionRecord& session, const std::string& scrutin,
                           const std::string& ballot_json, int64_t now) {
  const election::Scrutin* s = site.FindScrutin(scrutin);
  auto mine = VoterScrutins(site, stores, session);
  if (!mine) return mine.error();
  const ScrutinStatus* status = nullptr;
  for (const auto& m : *mine) {
    if (m.scrutin == s) status = &m;
  }
  if (s == nullptr || status == nullptr) {
    return MakeError("scrutin.unknown", "no scrutin " + scrutin + " for this voter");
  }
  auto phase = CurrentPhase(site, stores, now, session.created);
  if (!phase) return phase.error();
  if (!CanCast(*phase)) {
    return MakeError(std::string("vote.") + PhaseName(*phase), "the vote is not open");
  }
  if (!site.key) return MakeError("vote.no_key", "the election has no public key yet");
  if (std::string why = site.seal_gate->Refusal(); !why.empty()) {
    return MakeError("vote.unsealed", why);
  }
  if (status->voted) {
    return MakeError("cast.already_voted", "already voted in scrutin " + scrutin);
  }
  if (ballot_json.size() > kMaxBallotBytes) {
    return MakeError("cast.invalid", "the ballot is too large");
  }
  auto json = crypto::codec::ParseJson(ballot_json);
  if (!json) return MakeError("cast.invalid", "the ballot is not JSON: " + json.error().message);
  auto ballot = crypto::codec::DecodeBallot(*json);
  if (!ballot)
    return MakeError("cast.invalid", "the ballot does not decode: " + ballot.error().message);
  const crypto::BallotContext bc = ScrutinBallotContext(site.fingerprint, *s);
  if (Status st = crypto::VerifyBallot(bc, *site.key, *ballot); !st) {
    (void)Audit(stores, site, now, "voter", "portal.ballot_refused",
                {{"scrutin", scrutin}, {"reason", st.error().code}});
    return MakeError("cast.invalid", "the ballot was refused: " + st.error().message);
  }
  const std::string tracker = Base64UrlEncode(crypto::BallotTracker(bc, *site.key, *ballot));
  store::BallotRecord record{site.election.id, scrutin, tracker,
                             crypto::codec::Encode(ballot->credential).get<std::string>(),
                             crypto::codec::Canonical(crypto::codec::Encode(*ballot))};
  store::EmargementRecord emargement{site.election.id, scrutin, session.matricule, now};
  if (Status st = stores.cast.RecordVote(emargement, record); !st) {
    const std::string& code = st.error().code;
    if (code == "emargement.already_voted") {
      return MakeError("cast.already_voted", "already voted in scrutin " + scrutin);
    }
    if (code == "urne.credential_used" || code == "urne.duplicate_tracker") {
      (void)Audit(stores, site, now, "voter", "portal.ballot_refused",
                  {{"scrutin", scrutin}, {"reason", code}});
      return MakeError("cast.replayed", "this ballot or its credential is already in the urne");
    }
    if (code == "urne.credential_unknown" || code == "urne.credential_revoked") {
      (void)Audit(stores, site, now, "voter", "portal.ballot_refused",
                  {{"scrutin", scrutin}, {"reason", code}});
      return MakeError("cast.credential_refused", "the ballot's credential is not accepted");
    }
    return st.error();
  }
  Receipt receipt{site.election.id, scrutin, s->title, tracker, now, false};
  if (site.receipt_email && site.mailer) {
    // The vote is recorded: a mail failure is logged, never undoes it.
    auto voter = stores.roll.GetVoter(site.election.id, session.matricule);
    if (voter && voter->has_value() && !(*voter)->courriel.empty()) {
      auto mailer = site.mailer();
      Status sent = mailer ? mailer->Send(ReceiptMail(site, **voter, receipt))
                           : Status(MakeError("mail.unavailable", "no mailer"));
      receipt.emailed = sent.ok();
      (void)Audit(stores, site, now, "portal",
                  sent ? "portal.receipt_emailed" : "portal.receipt_email_failed",
                  {{"matricule", session.matricule}, {"scrutin", scrutin}});
    }
  }
  return receipt;
}

delivery::Mail ReceiptMail(const ElectionSite& site, const election::Voter& voter,
                           const Receipt& r) {
  const std::string when = election::FormatParisLocal(r.time);
  delivery::Mail m;
  m.from = site.mail_from;
  m.from_name = site.mail_from_name;
  m.to = voter.courriel;
  m.subject = "Accusé de réception de votre vote / Receipt of your vote";
  m.text = "Bonjour " + voter.prenom + " " + voter.nom + ",\n\n" +
           "Votre vote a été enregistré.\n\nÉlection : " + site.election.title +
           "\nScrutin : " + r.scrutin_title + " (" + r.scrutin +
           ")\nDate et heure (Paris) : " + when + "\nNuméro de suivi : " + r.tracker +
           "\n\nLe numéro de suivi est l'empreinte de votre bulletin chiffré : il ne révèle pas "
           "votre vote. Vérifiez qu'il est dans l'urne : " +
           site.election.portal_url + "/suivi?suivi=" + r.tracker +
           "\n\n--\n\nYour vote has been recorded. Ballot: " + r.scrutin_title +
           ", time (Paris): " + when + ", tracking number: " + r.tracker +
           ". It does not reveal your vote.\n";
  return m;
}

Result<std::optional<std::string>> FindTracker(const ElectionSite& site, PortalStores& stores,
                                               const std::string& tracker) {
  auto bytes = Base64UrlDecode(tracker);
  if (!bytes || bytes->size() != 32) {
    return FieldError("suivi", "format", "a tracker is 43 base64url characters");
  }
  for (const auto& s : site.election.scrutins) {
    auto found = stores.urne.Find(site.election.id, s.code, tracker);
    if (!found) return found.error();
    if (found->has_value()) return std::optional<std::string>(s.code);
  }
  return std::optional<std::string>();
}

}  // namespace isoloir::portal
