// What the helpdesk and the board may do about one voter or the vote, written
// once for the CLI and the board's pages: a voter's status, unlocking online
// regeneration, suspending and resuming the vote. Every action is audited.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "portal/voter_portal.h"

namespace isoloir::portal {

struct VoterStatus {
  election::Voter voter;                      // no secret: the roll's fields
  std::optional<int64_t> credentials_issued;  // when the current credentials were made
  uint32_t generation = 0;                    // 0: none issued yet
  std::vector<store::Delivery> deliveries;    // e-mails and letters, with their state
  bool regeneration_locked = false;
  int64_t failed_logins = 0;                        // in the current window
  std::vector<std::pair<std::string, bool>> voted;  // scrutin code -> has voted
};

// The helpdesk's view of one voter. Never shows a vote. "helpdesk.unknown_voter".
Result<VoterStatus> GetVoterStatus(const ElectionSite& site, PortalStores& stores,
                                   const std::string& matricule, const std::string& actor,
                                   int64_t now);

// Lets the voter try online regeneration again (failures forgotten).
Status UnlockRegeneration(const ElectionSite& site, PortalStores& stores,
                          const std::string& matricule, const std::string& actor, int64_t now);

// The board suspends the vote with a written reason, or resumes it.
// "vote.reason_required", "vote.already_suspended", "vote.not_suspended".
Status SuspendVote(const ElectionSite& site, PortalStores& stores, const std::string& reason,
                   const std::string& actor, int64_t now);
Status ResumeVote(const ElectionSite& site, PortalStores& stores, const std::string& reason,
                  const std::string& actor, int64_t now);

}  // namespace isoloir::portal
