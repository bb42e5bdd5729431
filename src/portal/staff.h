// The board's and helpdesk's accounts (issue 5 §1, docs/bve.md): roles and
// what each may do, creating and disabling accounts, the strong login
// (password + TOTP, throttled like the voters'), sessions. No HTTP here.
//
// Error codes: field.<bve_identifiant|bve_mot_de_passe|bve_code>.missing, staff.refused
// (never says which factor was wrong), staff.throttled, staff.exists,
// staff.unknown, staff.bad_role, staff.not_bve_member, staff.bad_id,
// session.none.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "portal/voter_portal.h"

namespace isoloir::portal {

enum class StaffRole { kOrganisateur, kPresident, kSecretaire, kDelegue, kAssistance };
std::string_view RoleName(StaffRole role);  // "organisateur", "president", ...
std::optional<StaffRole> ParseRole(std::string_view name);

// What the server lets each role do; the pages check these before anything else.
enum class StaffRight {
  kDesk,         // the president's desk: identity check, new password, new key
  kHelpdesk,     // a voter's status, unlocking online regeneration
  kSupervision,  // turnout and the émargement list
  kAccounts,     // the list of staff accounts
  kCountView,    // the count's page, read only (BVE members and organisers)
  kCount,        // preparing, combining, the PVs, publishing (président, organisateur)
  kDecrypt,      // posting one's partial decryption (members holding fragments)
  kSealView,     // the seal's state, an on-demand check, the PVs (docs/seal.md)
  kSealPrepare,  // preparing the seal
  kSign,         // approving the seal and signing the PVs with one's fragment
  kCeremony,     // the key ceremony for one's own fragments, without an invitation code
};
bool Allowed(StaffRole role, StaffRight right);

struct NewStaffAccount {
  store::StaffAccount account;       // as stored (no secret in clear)
  std::string password;              // shown once; wipe after use
  std::vector<uint8_t> totp_secret;  // 20 bytes; wipe after use
  std::string totp_base32;
  std::string otpauth_uri;
};

// A BVE role needs the id of a member of that role in the election file;
// organisers and helpdesk agents take any id of 2-40 characters [a-z0-9._-].
Result<NewStaffAccount> AddStaff(const ElectionSite& site, PortalStores& stores, StaffRole role,
                                 const std::string& id, const std::string& actor, int64_t now);
Status DisableStaff(const ElectionSite& site, PortalStores& stores, const std::string& id,
                    const std::string& actor, int64_t now);

struct StaffLoginForm {
  std::string identifiant;
  std::string mot_de_passe;
  std::string code;     // the 6 digits of the authenticator app
  std::string address;  // client IP address
};

struct StaffSession {
  std::string cookie;  // only when just opened: to set in the browser
  store::StaffSessionRecord record;
  StaffRole role = StaffRole::kAssistance;
  std::string Actor() const { return "staff:" + record.staff_id; }
};

// Staff sessions end after the voters' idle time and at most this long.
inline constexpr int64_t kStaffSessionMaxSeconds = 10 * 60 * 60;

Result<StaffSession> StaffLogin(const ElectionSite& site, PortalStores& stores,
                                const StaffLoginForm& form, int64_t now);
// The session of a cookie if still valid and its account still enabled.
Result<StaffSession> ResumeStaffSession(const ElectionSite& site, PortalStores& stores,
                                        const std::string& cookie, int64_t now);
Status StaffLogout(const ElectionSite& site, PortalStores& stores, const std::string& cookie,
                   int64_t now);

// The TOTP secret of an account (server side, to check a code). Tests use it
// to compute codes.
Result<std::vector<uint8_t>> UnsealTotpSecret(const ElectionSite& site,
                                              const store::StaffAccount& account);

}  // namespace isoloir::portal
