// The homomorphic tally of one scrutin: every ballot of the urne verified
// again (proofs, tracker, credential listed, not revoked, used once) and its
// ciphertexts summed per choice. Pure; ballots arrive in pages.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "crypto/ballot.h"

namespace isoloir::counting {

// A ballot as the urne stores it (store::BallotRecord without the election
// and scrutin, which the aggregator already knows).
struct UrneBallot {
  std::string tracker;     // base64url, 43 characters
  std::string credential;  // base64url of the credential point
  std::string ballot;      // the ballot's JSON text (protocol §12)
};

// A scrutin's public credential list and its revocations, as hashed sets
// (32 bytes per credential: a million credentials fit in 32 MB).
class CredentialIndex {
 public:
  CredentialIndex(std::span<const std::string> listed, std::span<const std::string> revoked);
  bool Listed(const std::string& credential) const;
  bool Revoked(const std::string& credential) const;
  size_t listed() const { return listed_.size(); }

 private:
  std::vector<crypto::Digest> listed_, revoked_;  // sorted SHA-256 of the texts
};

class ScrutinAggregator {
 public:
  // `threads` verify each page in parallel (1 or more).
  ScrutinAggregator(crypto::BallotContext context, crypto::ElectionKey key,
                    std::shared_ptr<const CredentialIndex> credentials, unsigned threads);
  ~ScrutinAggregator();

  // Verifies then adds a page of ballots, given in the urne's order (trackers
  // strictly increasing, bytewise, across pages). The first ballot at fault
  // stops the count: the error names its tracker and why. Nothing of a page
  // with a bad ballot is added.
  Status Add(std::span<const UrneBallot> page);

  // After the last page: refuses a credential used twice (naming both
  // trackers), then gives the result. Call once.
  struct Outcome {
    uint64_t ballots = 0;
    std::vector<crypto::Ciphertext> sums;  // one per choice
    crypto::Digest trackers_digest{};      // docs/counting.md §4
  };
  Result<Outcome> Finish();

  uint64_t ballots() const { return count_; }

 private:
  crypto::BallotContext context_;
  crypto::ElectionKey key_;
  std::shared_ptr<const CredentialIndex> credentials_;
  unsigned threads_;
  std::vector<crypto::Ciphertext> sums_;
  uint64_t count_ = 0;
  std::string last_tracker_;
  std::unique_ptr<crypto::Transcript> trackers_;
  // (SHA-256 of the credential text, tracker bytes) of every ballot.
  std::vector<std::pair<crypto::Digest, crypto::Digest>> used_;
};

// The trackers digest of an empty urne and the label of every digest:
// T("isoloir/count/trackers/v1", tracker_1, ..., tracker_n), 32-byte items.
inline constexpr std::string_view kTrackersLabel = "isoloir/count/trackers/v1";

}  // namespace isoloir::counting
