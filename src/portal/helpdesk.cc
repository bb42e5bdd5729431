#include "portal/helpdesk.h"

#include <nlohmann/json.hpp>

namespace isoloir::portal {

namespace {

Status Audit(PortalStores& stores, const ElectionSite& site, int64_t now, const std::string& actor,
             const std::string& action, const nlohmann::json& details) {
  auto r = stores.audit.Append(site.election.id, now, actor, action, details.dump());
  return r ? Status::Ok() : Status(r.error());
}

bool Blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

}  // namespace

Result<VoterStatus> GetVoterStatus(const ElectionSite& site, PortalStores& stores,
                                   const std::string& matricule, const std::string& actor,
                                   int64_t now) {
  const std::string& eid = site.election.id;
  auto voter = stores.roll.GetVoter(eid, matricule);
  if (!voter) return voter.error();
  if (!voter->has_value()) {
    return MakeError("helpdesk.unknown_voter", "no voter " + matricule + " on the roll");
  }
  VoterStatus out;
  out.voter = **voter;
  auto cred = stores.roll.GetCredential(eid, matricule);
  if (!cred) return cred.error();
  if (cred->has_value()) {
    out.credentials_issued = (*cred)->issued_at;
    out.generation = (*cred)->generation;
  }
  store::DeliveryFilter mine;
  mine.matricule = matricule;
  auto deliveries = stores.roll.ListDeliveries(eid, mine);
  if (!deliveries) return deliveries.error();
  out.deliveries = std::move(*deliveries);
  auto regen =
      stores.portal.GetAttempts("regeneration", matricule, now, site.policy.attempt_window_seconds);
  if (!regen) return regen.error();
  out.regeneration_locked = regen->locked;
  auto logins =
      stores.portal.GetAttempts("login", matricule, now, site.policy.attempt_window_seconds);
  if (!logins) return logins.error();
  out.failed_logins = logins->failures;
  for (const auto& code : out.voter.scrutins) {
    auto voted = stores.emargement.HasVoted(eid, code, matricule);
    if (!voted) return voted.error();
    out.voted.emplace_back(code, *voted);
  }
  if (Status st = Audit(stores, site, now, actor, "helpdesk.status", {{"matricule", matricule}});
      !st) {
    return st.error();
  }
  return out;
}

Status UnlockRegeneration(const ElectionSite& site, PortalStores& stores,
                          const std::string& matricule, const std::string& actor, int64_t now) {
  auto voter = stores.roll.GetVoter(site.election.id, matricule);
  if (!voter) return voter.error();
  if (!voter->has_value()) {
    return MakeError("helpdesk.unknown_voter", "no voter " + matricule + " on the roll");
  }
  if (Status st = stores.portal.Unlock("regeneration", matricule); !st) return st;
  return Audit(stores, site, now, actor, "helpdesk.unlock_regeneration",
               {{"matricule", matricule}});
}

Status SuspendVote(const ElectionSite& site, PortalStores& stores, const std::string& reason,
                   const std::string& actor, int64_t now) {
  if (Blank(reason)) {
    return MakeError("vote.reason_required", "a suspension needs a written reason");
  }
  auto state = stores.portal.GetVoteState(site.election.id);
  if (!state) return state.error();
  if (state->suspended) {
    return MakeError("vote.already_suspended",
                     "the vote is already suspended (" + state->reason + ")");
  }
  if (Status st = stores.portal.SetVoteState(site.election.id, {true, reason, now}); !st) {
    return st;
  }
  return Audit(stores, site, now, actor, "vote.suspend", {{"reason", reason}});
}

Status ResumeVote(const ElectionSite& site, PortalStores& stores, const std::string& reason,
                  const std::string& actor, int64_t now) {
  if (Blank(reason))
    return MakeError("vote.reason_required", "a resumption needs a written reason");
  auto state = stores.portal.GetVoteState(site.election.id);
  if (!state) return state.error();
  if (!state->suspended) return MakeError("vote.not_suspended", "the vote is not suspended");
  if (Status st = stores.portal.SetVoteState(site.election.id, {false, "", now}); !st) return st;
  return Audit(stores, site, now, actor, "vote.resume", {{"reason", reason}});
}

}  // namespace isoloir::portal
