// The president's desk (issue 5 §4, the seed's last resort): a voter who lost
// a credential comes in person; the président checks an identity document,
// then hands over a new password or a new security key, printed once.
// Never while the voter has voted every scrutin, never shows a vote; every
// action is audited as "desk.*" (the PV counts them). docs/bve.md.
//
// Errors: field.document.<missing|format>, field.fin_numero.<missing|format>,
// desk.unknown_voter, desk.no_credentials, desk.already_voted (every scrutin),
// desk.closed (the vote is over).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "portal/helpdesk.h"

namespace isoloir::portal {

// What the président saw: the kind of document and the last characters of
// its number (3 to 6 letters or digits, never the whole number).
struct IdentityCheck {
  std::string document;    // "piece_identite" or "carte_professionnelle"
  std::string fin_numero;  // e.g. "4821"
};

// The desk's view of a voter: the helpdesk's status, and the scrutins still
// open to them (not voted yet).
struct DeskView {
  VoterStatus status;
  std::vector<std::string> open_scrutins;
};

Result<DeskView> DeskLookup(const ElectionSite& site, PortalStores& stores,
                            const std::string& matricule, const std::string& actor, int64_t now);

// What the président hands over, once (printed, then wiped).
struct DeskHandOver {
  election::Voter voter;
  std::string secret;                 // the password, or the formatted security key
  std::vector<std::string> scrutins;  // those the voter can still vote
  uint32_t generation = 0;            // of the voter's credentials after the action
};

// A new password: the old one stops working (and an older one still waiting
// in the outbox is destroyed); the voter's sessions end.
Result<DeskHandOver> DeskNewPassword(const ElectionSite& site, PortalStores& stores,
                                     const std::string& matricule, const IdentityCheck& check,
                                     const std::string& actor, int64_t now);

// A new security key: new public credentials are listed for the scrutins not
// yet voted, the login verifier is replaced (the old key no longer logs in),
// the voter's sessions end. The old public credentials cannot be found (the
// link voter -> credential is never stored) and stay listed: docs/bve.md.
Result<DeskHandOver> DeskNewKey(const ElectionSite& site, PortalStores& stores,
                                const std::string& matricule, const IdentityCheck& check,
                                const std::string& actor, int64_t now);

}  // namespace isoloir::portal
