// The key ceremony with one machine per holder (docs/counting.md §2): the
// server only relays announcements, dealings (shares encrypted to each
// holder's transport key) and complaints; holders authenticate with an
// invitation code or as a logged-in member; the organiser opens and closes. No share in the clear here.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"
#include "crypto/dkg.h"
#include "election/model.h"
#include "store/audit_log.h"
#include "store/portal_store.h"

namespace isoloir::portal {

struct CeremonySetup {
  std::string election_id;
  crypto::DkgParams params;          // fingerprint, holders N, threshold t
  std::vector<std::string> members;  // BVE member holding fragment j, at j-1
};
CeremonySetup CeremonySetupFor(const election::Election& e, const crypto::Digest& fingerprint);

// Organiser: one random invitation code per fragment (codes[j-1]), to show
// once; only their SHA-256 is stored. Refused if the ceremony was opened.
Result<std::vector<std::string>> OpenCeremony(store::PortalStore& portal, store::AuditLog& audit,
                                              const CeremonySetup& s, const std::string& actor,
                                              int64_t now);

// Who may post a ceremony message, first way: a holder's invitation code
// ("Authorization: Invitation CODE"; the CLI, and the page without a /bve
// session). The holder's number, or "ceremony.invitation" (unknown code),
// "ceremony.invitation_used" (the holder finished), "ceremony.closed".
Result<uint32_t> AuthenticateHolder(store::PortalStore& portal, const CeremonySetup& s,
                                    const std::string& authorization);

// Second way: BVE member `member`, logged in on /bve (the web layer checked
// the session, its role and the CSRF token), for their fragment `fragment`.
// `fragment`, or "ceremony.not_holder" (fragment j is not theirs),
// "ceremony.not_open" (no invitation issued yet), then as above
// ("ceremony.closed", "ceremony.invitation_used").
Result<uint32_t> AuthenticateMember(store::PortalStore& portal, const CeremonySetup& s,
                                    const std::string& member, uint32_t fragment);
// The fragments (1..N) `member` holds: none, one or two.
std::vector<uint32_t> FragmentsOf(const CeremonySetup& s, const std::string& member);

// Holder j's messages; each checked (proofs, sizes, order of the phases)
// and stored once. "ceremony.phase" when it is too early, field errors
// ("ceremony.message") for a malformed body.
Status SubmitAnnouncement(store::PortalStore& portal, const CeremonySetup& s, uint32_t holder,
                          const nlohmann::json& body, int64_t now);
Status SubmitDealing(store::PortalStore& portal, const CeremonySetup& s, uint32_t holder,
                     const nlohmann::json& body, int64_t now);
// body: {"complaints": [...]} (may be empty): the holder's last step.
Status SubmitComplaints(store::PortalStore& portal, const CeremonySetup& s, uint32_t holder,
                        const nlohmann::json& body, int64_t now);

// Everything public: {"election", "fingerprint", "holders", "threshold",
// "members", "announcements", "dealings", "complaints", "finished",
// "closed", and "transcript" + "public_key" once closed}.
Result<nlohmann::json> CeremonyState(store::PortalStore& portal, const CeremonySetup& s);

// Organiser: every holder announced, dealt and finished; judges the
// complaints (an upheld one disqualifies its dealer), needs at least t
// qualified dealers, stores y and the public transcript (the count, the
// record and the verifier read it as they read `ceremony local`'s).
struct CeremonyOutcome {
  crypto::Point public_key;
  std::vector<uint32_t> qualified;
  std::vector<uint32_t> disqualified;
  std::vector<std::string> notes;  // complaints that failed, for the organiser
};
Result<CeremonyOutcome> CloseCeremony(store::PortalStore& portal, store::AuditLog& audit,
                                      const CeremonySetup& s, const std::string& actor,
                                      int64_t now);

}  // namespace isoloir::portal
