// Staff accounts and their login: argon2id (libsodium) for the password, a
// TOTP secret sealed under a key derived from the server key, one use per step.
#include "portal/staff.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "common/bytes.h"
#include "crypto/random.h"
#include "portal/session_token.h"
#include "portal/totp.h"
#include "services/password.h"

namespace isoloir::portal {

namespace {

constexpr const char* kStaffLogin = "staff_login";
constexpr size_t kTotpSecretBytes = 20;  // RFC 4226's recommended 160 bits

Status Audit(PortalStores& stores, const ElectionSite& site, int64_t now, const std::string& actor,
             const std::string& action, const nlohmann::json& details) {
  auto r = stores.audit.Append(site.election.id, now, actor, action, details.dump());
  return r ? Status::Ok() : Status(r.error());
}

Error FieldError(const std::string& field, const std::string& reason, const std::string& why) {
  return MakeError("field." + field + "." + reason, why);
}

// The account's sealing key: an HMAC under the server key, so that a copy of
// the portal store alone does not give the TOTP secrets.
std::array<uint8_t, crypto_secretbox_KEYBYTES> SealKey(const ElectionSite& site,
                                                       const std::string& id) {
  const std::string v = site.server_key.Verifier("totp-seal", site.election.id, id, "");
  auto bytes = HexDecode(std::string_view(v).substr(3));  // "v1:" + 64 hex
  std::array<uint8_t, crypto_secretbox_KEYBYTES> key{};
  std::copy_n(bytes->begin(), key.size(), key.begin());
  return key;
}

std::string Seal(const ElectionSite& site, const std::string& id,
                 const std::vector<uint8_t>& secret) {
  auto key = SealKey(site, id);
  std::vector<uint8_t> out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + secret.size());
  randombytes_buf(out.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out.data() + crypto_secretbox_NONCEBYTES, secret.data(), secret.size(),
                        out.data(), key.data());
  sodium_memzero(key.data(), key.size());
  return Base64UrlEncode(out);
}

bool ValidId(const std::string& id) {
  if (id.size() < 2 || id.size() > 40) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
      return false;
    }
  }
  return true;
}

// A password hash to check against when the account does not exist, so that
// timing does not tell which ids exist.
const std::string& DummyHash() {
  static const std::string hash = [] {
    char out[crypto_pwhash_STRBYTES];
    const std::string p = "isoloir-no-such-account";
    if (crypto_pwhash_str(out, p.data(), p.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
      return std::string("$argon2id$unusable");  // out of memory: verifies nothing
    }
    return std::string(out);
  }();
  return hash;
}

}  // namespace

std::string_view RoleName(StaffRole role) {
  switch (role) {
    case StaffRole::kOrganisateur:
      return "organisateur";
    case StaffRole::kPresident:
      return "president";
    case StaffRole::kSecretaire:
      return "secretaire";
    case StaffRole::kDelegue:
      return "delegue";
    case StaffRole::kAssistance:
      return "assistance";
  }
  return "";
}

std::optional<StaffRole> ParseRole(std::string_view name) {
  for (StaffRole r : {StaffRole::kOrganisateur, StaffRole::kPresident, StaffRole::kSecretaire,
                      StaffRole::kDelegue, StaffRole::kAssistance}) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

bool Allowed(StaffRole role, StaffRight right) {
  switch (right) {
    case StaffRight::kDesk:
      return role == StaffRole::kPresident;
    case StaffRight::kHelpdesk:
      return role == StaffRole::kPresident || role == StaffRole::kAssistance;
    case StaffRight::kSupervision:
      return role == StaffRole::kPresident || role == StaffRole::kSecretaire ||
             role == StaffRole::kDelegue;
    case StaffRight::kAccounts:
    case StaffRight::kSealPrepare:
      return role == StaffRole::kOrganisateur;
    case StaffRight::kCountView:
    case StaffRight::kSealView:
      return role != StaffRole::kAssistance;
    case StaffRight::kCount:
      return role == StaffRole::kPresident || role == StaffRole::kOrganisateur;
    case StaffRight::kDecrypt:
    case StaffRight::kSign:
    case StaffRight::kCeremony:
      return role == StaffRole::kPresident || role == StaffRole::kSecretaire ||
             role == StaffRole::kDelegue;
  }
  return false;
}

Result<NewStaffAccount> AddStaff(const ElectionSite& site, PortalStores& stores, StaffRole role,
                                 const std::string& id, const std::string& actor, int64_t now) {
  const bool board = role == StaffRole::kPresident || role == StaffRole::kSecretaire ||
                     role == StaffRole::kDelegue;
  if (board) {
    bool member = false;
    for (const auto& m : site.election.bve.members) {
      const std::string_view r = m.role == election::BveRole::kPresident    ? "president"
                                 : m.role == election::BveRole::kSecretaire ? "secretaire"
                                                                            : "delegue";
      member |= m.id == id && r == RoleName(role);
    }
    if (!member) {
      return MakeError("staff.not_bve_member", "the election file names no BVE member " + id +
                                                   " with the role " + std::string(RoleName(role)));
    }
  } else if (!ValidId(id)) {
    return MakeError("staff.bad_id", "an account id is 2 to 40 characters among a-z 0-9 . _ -");
  }
  NewStaffAccount out;
  crypto::Rng& rng = crypto::SystemRandom();
  out.password = services::GeneratePassword(rng) + "-" + services::GeneratePassword(rng);
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, out.password.data(), out.password.size(),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return MakeError("staff.hash", "not enough memory to hash the password");
  }
  out.totp_secret.resize(kTotpSecretBytes);
  randombytes_buf(out.totp_secret.data(), out.totp_secret.size());
  out.totp_base32 = Base32Encode(out.totp_secret);
  out.otpauth_uri = OtpauthUri("Isoloir " + site.election.id, id, out.totp_secret);
  out.account = store::StaffAccount{site.election.id,
                                    id,
                                    std::string(RoleName(role)),
                                    hash,
                                    Seal(site, id, out.totp_secret),
                                    0,
                                    false,
                                    now};
  if (Status st = stores.portal.CreateStaff(out.account); !st) return st.error();
  if (Status st = Audit(stores, site, now, actor, "staff.add",
                        {{"id", id}, {"role", std::string(RoleName(role))}});
      !st) {
    return st.error();
  }
  return out;
}

Status DisableStaff(const ElectionSite& site, PortalStores& stores, const std::string& id,
                    const std::string& actor, int64_t now) {
  auto a = stores.portal.GetStaff(site.election.id, id);
  if (!a) return a.error();
  if (!a->has_value()) return MakeError("staff.unknown", "no staff account " + id);
  if (Status st = stores.portal.SetStaffDisabled(site.election.id, id, true); !st) return st;
  if (Status st = stores.portal.DeleteStaffSessionsOf(site.election.id, id); !st) return st;
  return Audit(stores, site, now, actor, "staff.disable", {{"id", id}});
}

Result<std::vector<uint8_t>> UnsealTotpSecret(const ElectionSite& site,
                                              const store::StaffAccount& account) {
  auto sealed = Base64UrlDecode(account.totp_sealed);
  if (!sealed || sealed->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return MakeError("staff.totp_sealed", "the account's TOTP secret is damaged");
  }
  std::vector<uint8_t> secret(sealed->size() - crypto_secretbox_NONCEBYTES -
                              crypto_secretbox_MACBYTES);
  auto key = SealKey(site, account.id);
  const int rc = crypto_secretbox_open_easy(
      secret.data(), sealed->data() + crypto_secretbox_NONCEBYTES,
      sealed->size() - crypto_secretbox_NONCEBYTES, sealed->data(), key.data());
  sodium_memzero(key.data(), key.size());
  if (rc != 0) {
    return MakeError("staff.totp_sealed",
                     "the account's TOTP secret does not open with this server key");
  }
  return secret;
}

Result<StaffSession> StaffLogin(const ElectionSite& site, PortalStores& stores,
                                const StaffLoginForm& form, int64_t now) {
  if (form.identifiant.empty()) {
    return FieldError("bve_identifiant", "missing", "the account id is required");
  }
  if (form.mot_de_passe.empty()) {
    return FieldError("bve_mot_de_passe", "missing", "the password is required");
  }
  if (form.code.empty()) return FieldError("bve_code", "missing", "the one-time code is required");
  const std::string ip = "ip:" + form.address;
  for (const auto& [subject, limit] :
       {std::pair{form.identifiant, site.policy.login_failures_per_matricule},
        std::pair{ip, site.policy.login_failures_per_address}}) {
    auto a =
        stores.portal.GetAttempts(kStaffLogin, subject, now, site.policy.attempt_window_seconds);
    if (!a) return a.error();
    if (a->locked || a->failures >= limit) {
      if (Status st = Audit(stores, site, now, "staff:" + form.identifiant, "staff.login_throttled",
                            {{"address", form.address}});
          !st) {
        return st.error();
      }
      return MakeError("staff.throttled", "too many failed logins: try again later");
    }
  }
  auto account = stores.portal.GetStaff(site.election.id, form.identifiant);
  if (!account) return account.error();
  const bool exists = account->has_value() && !(*account)->disabled;
  const std::string& hash = exists ? (*account)->password_hash : DummyHash();
  bool ok = crypto_pwhash_str_verify(hash.c_str(), form.mot_de_passe.data(),
                                     form.mot_de_passe.size()) == 0 &&
            exists;
  std::optional<int64_t> step;
  if (exists) {
    auto secret = UnsealTotpSecret(site, **account);
    if (!secret) return secret.error();
    step = MatchTotp(*secret, form.code, now);
    sodium_memzero(secret->data(), secret->size());
  }
  ok &= step.has_value();
  if (ok) {
    // A code is accepted once: a step already used (or older) is refused.
    auto fresh = stores.portal.UseTotpStep(site.election.id, form.identifiant, *step);
    if (!fresh) return fresh.error();
    ok = *fresh;
  }
  if (!ok) {
    for (const auto& subject : {form.identifiant, ip}) {
      auto a =
          stores.portal.AddFailure(kStaffLogin, subject, now, site.policy.attempt_window_seconds);
      if (!a) return a.error();
    }
    if (Status st = Audit(stores, site, now, "staff:" + form.identifiant, "staff.login_failed",
                          {{"address", form.address}});
        !st) {
      return st.error();
    }
    return MakeError("staff.refused", "the login details do not match");
  }
  if (Status st = stores.portal.ClearFailures(kStaffLogin, form.identifiant); !st) {
    return st.error();
  }
  StaffSession s;
  s.cookie = NewCookieValue();
  s.record =
      store::StaffSessionRecord{CookieHash(s.cookie), site.election.id, form.identifiant, now, now};
  s.role = ParseRole((*account)->role).value_or(StaffRole::kAssistance);
  if (Status st = stores.portal.CreateStaffSession(s.record); !st) return st.error();
  if (Status st = Audit(stores, site, now, s.Actor(), "staff.login",
                        {{"address", form.address}, {"role", (*account)->role}});
      !st) {
    return st.error();
  }
  return s;
}

Result<StaffSession> ResumeStaffSession(const ElectionSite& site, PortalStores& stores,
                                        const std::string& cookie, int64_t now) {
  if (cookie.empty()) return MakeError("session.none", "no session");
  const std::string hash = CookieHash(cookie);
  auto s = stores.portal.GetStaffSession(hash);
  if (!s) return s.error();
  if (!s->has_value() || (*s)->election_id != site.election.id) {
    return MakeError("session.none", "no session");
  }
  const store::StaffSessionRecord& r = **s;
  if (now - r.last_seen >= site.policy.session_idle_seconds ||
      now - r.created >= kStaffSessionMaxSeconds) {
    (void)stores.portal.DeleteStaffSession(hash);
    return MakeError("session.none", "the session has expired");
  }
  auto account = stores.portal.GetStaff(r.election_id, r.staff_id);
  if (!account) return account.error();
  auto role = account->has_value() ? ParseRole((*account)->role) : std::nullopt;
  if (!account->has_value() || (*account)->disabled || !role) {
    (void)stores.portal.DeleteStaffSession(hash);
    return MakeError("session.none", "the account is disabled");
  }
  if (Status st = stores.portal.TouchStaffSession(hash, now); !st) return st.error();
  StaffSession out;
  out.record = r;
  out.role = *role;
  return out;
}

Status StaffLogout(const ElectionSite& site, PortalStores& stores, const std::string& cookie,
                   int64_t now) {
  if (cookie.empty()) return Status::Ok();
  const std::string hash = CookieHash(cookie);
  auto s = stores.portal.GetStaffSession(hash);
  if (!s) return s.error();
  if (!s->has_value()) return Status::Ok();
  if (Status st = stores.portal.DeleteStaffSession(hash); !st) return st;
  return Audit(stores, site, now, "staff:" + (*s)->staff_id, "staff.logout",
               nlohmann::json::object());
}

}  // namespace isoloir::portal
