// The roll store: elections, their voters, the voters' credential verifiers,
// their reassort verifiers and the log of credential deliveries. Knows nothing of ballots or
// émargements (those live in other stores, other files, other roles).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "election/model.h"

namespace isoloir::store {

struct ElectionRecord {
  std::string id;
  std::string definition;    // canonical JSON text of the election, as given
  std::string fingerprint;   // lowercase hex SHA-256 fingerprint (64 characters)
  int64_t created = 0;       // Unix seconds, UTC
  bool roll_frozen = false;  // set by FreezeRoll, never cleared
  int64_t frozen_at = 0;     // Unix seconds, UTC; 0 while not frozen
};

// A voter's credential verifiers (never the password or the security key).
struct CredentialRecord {
  std::string matricule;
  uint32_t generation = 1;        // 1 for the first issue, +1 on each regeneration
  std::string login_verifier;     // hex
  std::string password_verifier;  // opaque text (e.g. an encoded password hash)
  std::string reassort_verifier;  // opaque text; empty if the voter has no réassort secret
  int64_t issued_at = 0;          // Unix seconds, UTC
  bool operator==(const CredentialRecord&) const = default;
};

// The keyed verifier of a voter's "donnée secrète de réassort" (what a voter
// who lost the password types to regenerate it), made at roll import; never
// the secret itself.
struct ReassortRecord {
  std::string matricule;
  std::string verifier;  // opaque text (e.g. "v1:" + hex HMAC)
  bool operator==(const ReassortRecord&) const = default;
};

enum class DeliveryChannel { kEmail, kLetter };          // "email", "letter"
enum class DeliveryStatus { kPending, kSent, kFailed };  // "pending", "sent", "failed"

// One credential sent (or to send) to one voter by one channel.
struct Delivery {
  std::string matricule;
  DeliveryChannel channel = DeliveryChannel::kEmail;
  uint32_t generation = 1;  // the credential generation being delivered
  DeliveryStatus status = DeliveryStatus::kPending;
  int64_t time = 0;    // Unix seconds, UTC, of the last status change
  std::string batch;   // the send batch this delivery belongs to
  std::string detail;  // why it failed, for people; empty otherwise; never a secret
  bool operator==(const Delivery&) const = default;
};

struct DeliveryFilter {
  std::optional<DeliveryChannel> channel;
  std::optional<DeliveryStatus> status;
  std::optional<std::string> batch;
  std::optional<std::string> matricule;  // one voter (the helpdesk's view)
};

class RollStore {
 public:
  virtual ~RollStore() = default;

  // --- Elections
  // Creates the election, or replaces its definition and fingerprint while
  // its roll is not frozen ("roll.frozen" afterwards). `created` and the
  // frozen fields of `election` are ignored on replacement.
  virtual Status PutElection(const ElectionRecord& election) = 0;
  virtual Result<std::optional<ElectionRecord>> GetElection(const std::string& election_id) = 0;
  virtual Result<std::vector<ElectionRecord>> ListElections() = 0;  // by id

  // --- Roll. Every change happens in one transaction, or not at all, and is
  // refused once the roll is frozen ("roll.frozen"). A batch with an empty or
  // repeated matricule, or text that is not UTF-8, is refused whole and the
  // error names the voter's position in the batch (1-based).
  //
  // The roll becomes exactly `voters`: absent voters are removed (with their
  // credentials and reassort verifiers), present ones are updated, new ones
  // added.
  virtual Status ReplaceRoll(const std::string& election_id,
                             std::span<const election::Voter> voters) = 0;
  // Adds or updates `voters`; the others are kept.
  virtual Status UpsertVoters(const std::string& election_id,
                              std::span<const election::Voter> voters) = 0;
  virtual Result<std::optional<election::Voter>> GetVoter(const std::string& election_id,
                                                          const std::string& matricule) = 0;
  // Voters by matricule (bytewise order), starting after `after_matricule`
  // ("" = from the start), at most `limit` of them (0 = all).
  virtual Result<std::vector<election::Voter>> ListVoters(const std::string& election_id,
                                                          const std::string& after_matricule = "",
                                                          size_t limit = 0) = 0;
  virtual Result<uint64_t> CountVoters(const std::string& election_id) = 0;
  // Freezes the roll and the election definition for good (sealing).
  // Freezing a frozen roll is an error ("roll.frozen").
  virtual Status FreezeRoll(const std::string& election_id, int64_t time) = 0;

  // --- Credential verifiers. Allowed on a frozen roll (regeneration).
  // Writes all records in one transaction, or none. Each voter must be on
  // the roll ("roll.unknown_voter"); a record replaces the stored one only
  // with a greater generation ("credential.stale_generation").
  virtual Status PutCredentials(const std::string& election_id,
                                std::span<const CredentialRecord> credentials) = 0;
  virtual Result<std::optional<CredentialRecord>> GetCredential(const std::string& election_id,
                                                                const std::string& matricule) = 0;
  // Every credential record of the election, by matricule (bytewise); read
  // in pages, so a million records is fine.
  virtual Result<std::vector<CredentialRecord>> ListCredentials(const std::string& election_id) = 0;

  // --- Reassort verifiers, written at roll import: refused once the roll is
  // frozen ("roll.frozen"). Adds or replaces all `verifiers` in one
  // transaction, or none. Each voter must be on the roll
  // ("roll.unknown_voter"); a matricule given twice, or an empty field, is
  // "store.invalid" (with the record's position, 1-based).
  virtual Status PutReassortVerifiers(const std::string& election_id,
                                      std::span<const ReassortRecord> verifiers) = 0;
  // The voter's verifier; nullopt if none was stored.
  virtual Result<std::optional<std::string>> GetReassortVerifier(const std::string& election_id,
                                                                 const std::string& matricule) = 0;

  // --- Delivery log: how a send batch resumes after an interruption.
  // 1. PlanDeliveries before sending: records each as pending (an entry with
  //    the same voter, channel and generation already planned is kept as it
  //    is, so planning again after a crash changes nothing);
  // 2. MarkDelivery after each attempt (sent or failed);
  // 3. on restart, ListDeliveries({.status = kPending, .batch = ...}) gives
  //    what is left to send.
  virtual Status PlanDeliveries(const std::string& election_id,
                                std::span<const Delivery> deliveries) = 0;
  // Sets status, time and detail of a planned delivery ("delivery.unknown" if
  // it was not planned).
  virtual Status MarkDelivery(const std::string& election_id, const Delivery& delivery) = 0;
  // MarkDelivery for many deliveries in one transaction (all planned, else
  // nothing is recorded: "delivery.unknown").
  virtual Status MarkDeliveries(const std::string& election_id,
                                std::span<const Delivery> deliveries) = 0;
  // By matricule, channel, generation.
  virtual Result<std::vector<Delivery>> ListDeliveries(const std::string& election_id,
                                                       const DeliveryFilter& filter = {}) = 0;
};

std::string_view DeliveryChannelName(DeliveryChannel channel);
std::string_view DeliveryStatusName(DeliveryStatus status);

}  // namespace isoloir::store
