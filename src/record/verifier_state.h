// Inside the verifier: what it knows after each entry, shared by the files
// that check the entries in order (verifier.cc), the ballots in parallel
// (verify_ballots.cc) and the count at the end (verify_count.cc).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "crypto/ballot.h"
#include "crypto/dkg.h"
#include "election/model.h"
#include "record/bodies.h"
#include "record/entry.h"
#include "record/report.h"
#include "record/verifier.h"
#include "seal/member_signature.h"

namespace isoloir::record::internal {

struct ScrutinState {
  const election::Scrutin* scrutin = nullptr;
  crypto::BallotContext context;
  // Public credentials: listed (revoked ones too), revoked, used by a ballot.
  std::unordered_set<std::string> listed, revoked;
  std::unordered_map<std::string, uint64_t> used;  // credential -> entry of its ballot
  std::string last_listed, last_revoked, last_tracker;
  uint64_t ballots = 0;
  std::vector<crypto::Ciphertext> sums;  // of the ballots that decode
  // After the closing.
  std::optional<ScrutinClosing> closing;
  uint64_t closing_entry = 0;
  std::optional<TallyBody> tally;
  uint64_t tally_entry = 0;
  std::vector<std::pair<uint64_t, crypto::PartialDecryption>> partials;  // (entry, partial)
  std::optional<ResultBody> result;
  uint64_t result_entry = 0;
};

// A ballot waiting for its proofs to be checked (the costly part).
struct BallotJob {
  uint64_t entry = 0;
  size_t scrutin = 0;
  std::string tracker;
  Json ballot;
};

// Where an entry may stand: entries come in non-decreasing order of
// (section, scrutin, part); see docs/record.md.
struct OrderKey {
  int section = 0;
  size_t scrutin = 0;
  int part = 0;
  auto operator<=>(const OrderKey&) const = default;
};

struct VerifierState {
  VerifyOptions options;
  Report report = EmptyReport();
  bool stopped = false;  // an entry could not be read: nothing after it is
  uint64_t next_seq = 1;
  crypto::Digest prev_hash = kGenesis;  // as recorded in the previous entry
  std::optional<OrderKey> last_key;
  EntryType last_type = EntryType::kElection;
  bool end_seen = false;
  // The election.
  std::optional<election::Election> election;
  crypto::Digest fingerprint{};
  std::vector<ScrutinState> scrutins;
  // The key ceremony.
  std::optional<crypto::ElectionKey> key;
  std::vector<crypto::Point> verification_keys;  // h_j, holder j at j-1
  uint32_t holders = 0, threshold = 0;
  // The seal (verify_seal.cc); expected in a v2 record before the first ballot.
  std::string record_format;
  uint64_t seal_entry = 0;
  crypto::Digest seal_digest{};
  bool unsealed_ballot_reported = false;
  bool closing_seen = false;
  uint64_t closing_entry = 0;
  std::vector<BallotJob> jobs;  // of the current batch

  std::optional<size_t> FindScrutin(const std::string& code) const;
};

// Checks one entry in record order (verifier.cc).
void HandleEntry(VerifierState& s, ReadEntry&& read);
// Checks the batch's ballots on the option's threads and adds them to the tallies.
void VerifyBallotJobs(VerifierState& s);
// The closing, tally, decryption, count, result and seat checks (verify_count.cc).
void FinishCount(VerifierState& s);
// The "seal" and "seal_check" entries, a ballot's place after the seal, and
// what is said at the end (verify_seal.cc).
void CheckSealEntry(VerifierState& s, uint64_t entry, const Json& body);
// BVE members' signatures of `digest` (protocol §13) under check `id`: each
// verified against h_j, each fragment once; the président and a délégué
// must be among them. Failures read "<field>[i] (fragment j, member): why"
// and "missing <noun>: the président has not <verb> <subject>".
struct SignatureRule {
  std::string purpose;  // "seal", "pv"
  std::string field;    // "body.approvals"
  std::string noun, verb, subject;
};
void CheckMemberSignatures(VerifierState& s, CheckId id, uint64_t entry, const SignatureRule& rule,
                           const std::vector<seal::MemberSignature>& signatures,
                           const crypto::Digest& digest);
void CheckSealCheckEntry(VerifierState& s, uint64_t entry, const Json& body);
void CheckBallotSealed(VerifierState& s, uint64_t entry);
void FinishSeal(VerifierState& s);
// A "pv" entry: its signatures, and its figures against the results (verify_pv.cc).
void CheckPvEntry(VerifierState& s, uint64_t entry, const Json& body);

// Runs f(i, worker) for i in [0, n) on `threads` threads (worker in [0, threads)).
void ParallelFor(size_t n, unsigned threads, const std::function<void(size_t, unsigned)>& f);

}  // namespace isoloir::record::internal
