// The voter portal's working state, shared by every server process: sessions,
// failed-attempt counters (throttling and lock-out), the election's public key
// and whether the board has suspended the vote. Nothing here names a ballot.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <vector>

#include "common/result.h"
#include "store/staff_records.h"

namespace isoloir::store {

// A logged-in voter's session. The cookie holds a random identifier; the
// store keeps only its SHA-256 (`id_hash`), so a copy of the table cannot be
// replayed as cookies.
struct SessionRecord {
  std::string id_hash;  // 64 lowercase hex
  std::string election_id;
  std::string matricule;
  int64_t created = 0;    // Unix seconds, UTC
  int64_t last_seen = 0;  // Unix seconds, UTC
  bool operator==(const SessionRecord&) const = default;
};

// Failed attempts of one kind ("login", "regeneration") for one subject (a
// matricule, or "ip:" + a client address) in the current window.
struct AttemptCount {
  int64_t failures = 0;      // in the window that starts at window_start
  int64_t window_start = 0;  // Unix seconds of the window's first failure
  bool locked = false;       // set by Lock, cleared by Unlock (never by time)
};

// The election's public key, as the key ceremony published it.
struct ElectionKeyRecord {
  std::string election_id;
  std::string public_key;  // base64url of the compressed point (docs/protocol.md §12)
  std::string ceremony;    // the ceremony's public transcript (JSON text)
  int64_t created = 0;
  bool operator==(const ElectionKeyRecord&) const = default;
};

struct VoteState {
  bool suspended = false;
  std::string reason;  // written by the board when suspending
  int64_t since = 0;   // Unix seconds of the last change; 0 if never changed
};

// One message of the key ceremony's relay (docs/counting.md §2): an
// invitation (body: SHA-256 of the code), an announcement, a dealing (shares
// encrypted to each holder's transport key) or a holder's complaints. Never a
// share in the clear. At most one per (election, kind, holder).
struct CeremonyMessage {
  std::string election_id;
  std::string kind;  // "invitation", "announcement", "dealing", "complaints"
  uint32_t holder = 0;
  std::string body;  // JSON text
  int64_t created = 0;
  bool operator==(const CeremonyMessage&) const = default;
};

class PortalStore {
 public:
  virtual ~PortalStore() = default;

  // --- Sessions
  virtual Status CreateSession(const SessionRecord& session) = 0;
  virtual Result<std::optional<SessionRecord>> GetSession(const std::string& id_hash) = 0;
  virtual Status TouchSession(const std::string& id_hash, int64_t time) = 0;
  virtual Status DeleteSession(const std::string& id_hash) = 0;
  // Every session of a voter (after a new password or key).
  virtual Status DeleteSessionsOf(const std::string& election_id, const std::string& matricule) = 0;
  // Sessions idle since before `idle_before`; returns how many went.
  virtual Result<uint64_t> PurgeSessions(int64_t idle_before) = 0;

  // --- Failed attempts. AddFailure counts one more failure in the window of
  // `window_seconds` (a failure after the window starts a new one at 1) and
  // returns the count, atomically: two servers never lose a failure.
  virtual Result<AttemptCount> AddFailure(const std::string& kind, const std::string& subject,
                                          int64_t time, int64_t window_seconds) = 0;
  // The count as of `time` (0 failures when the window has passed).
  virtual Result<AttemptCount> GetAttempts(const std::string& kind, const std::string& subject,
                                           int64_t time, int64_t window_seconds) = 0;
  // Forgets the failures (after a success); a lock stays.
  virtual Status ClearFailures(const std::string& kind, const std::string& subject) = 0;
  virtual Status Lock(const std::string& kind, const std::string& subject, int64_t time) = 0;
  // Clears the lock and the failures (helpdesk or president).
  virtual Status Unlock(const std::string& kind, const std::string& subject) = 0;

  // --- The election's public key: written once ("portal.key_exists" after).
  virtual Status PutElectionKey(const ElectionKeyRecord& key) = 0;
  virtual Result<std::optional<ElectionKeyRecord>> GetElectionKey(
      const std::string& election_id) = 0;

  // --- The key ceremony's relay: each message written once
  // ("portal.ceremony_exists" after); listed by holder.
  virtual Status PutCeremonyMessage(const CeremonyMessage& m) = 0;
  virtual Result<std::vector<CeremonyMessage>> ListCeremonyMessages(
      const std::string& election_id, const std::string& kind) = 0;

  // --- Suspension by the board.
  virtual Status SetVoteState(const std::string& election_id, const VoteState& state) = 0;
  virtual Result<VoteState> GetVoteState(const std::string& election_id) = 0;

  // --- Staff accounts (docs/bve.md), in staff_store.cc.
  // "staff.exists" if the id is taken in this election.
  virtual Status CreateStaff(const StaffAccount& account) = 0;
  virtual Result<std::optional<StaffAccount>> GetStaff(const std::string& election_id,
                                                       const std::string& id) = 0;
  virtual Result<std::vector<StaffAccount>> ListStaff(const std::string& election_id) = 0;  // by id
  virtual Status SetStaffDisabled(const std::string& election_id, const std::string& id,
                                  bool disabled) = 0;
  // Records `step` as the account's last accepted TOTP step if it is later
  // than the one recorded, atomically; false if it is not (a replayed code).
  virtual Result<bool> UseTotpStep(const std::string& election_id, const std::string& id,
                                   int64_t step) = 0;
  virtual Status CreateStaffSession(const StaffSessionRecord& session) = 0;
  virtual Result<std::optional<StaffSessionRecord>> GetStaffSession(
      const std::string& id_hash) = 0;
  virtual Status TouchStaffSession(const std::string& id_hash, int64_t time) = 0;
  virtual Status DeleteStaffSession(const std::string& id_hash) = 0;
  virtual Status DeleteStaffSessionsOf(const std::string& election_id,
                                       const std::string& staff_id) = 0;
};

}  // namespace isoloir::store
