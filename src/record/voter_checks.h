// The checks a voter runs against the published record (issue 6 §3): open an
// audited ballot (protocol §7.6) and see whether anybody voted with one's
// credential. Pure: the caller feeds the record's lines in order.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "crypto/ballot_audit.h"
#include "crypto/elgamal.h"
#include "election/model.h"
#include "record/entry.h"

namespace isoloir::record {

// Reads record.jsonl in order and checks the hash chain as it goes (each
// line's hash is its content's and links to the previous one); keeps the
// election and its key from the first two entries. The full checks are
// `isoloir verify`'s.
class RecordReader {
 public:
  // The next line; errors name the line ("entry 12: ...").
  Result<Entry> Next(std::string_view line);
  // election() is readable once the first entry is read; key() after the
  // second (the ceremony).
  bool has_election() const { return key_.has_value(); }
  const election::Election& election() const { return *election_; }
  const crypto::Digest& fingerprint() const { return fingerprint_; }
  const crypto::ElectionKey& key() const { return *key_; }
  uint64_t entries() const { return seq_; }

 private:
  Status Election(const Json& body, uint64_t seq);
  Status Ceremony(const Json& body, uint64_t seq);

  uint64_t seq_ = 0;
  crypto::Digest head_ = kGenesis;
  std::optional<election::Election> election_;
  crypto::Digest fingerprint_{};
  std::optional<crypto::ElectionKey> key_;
};

// §7.6 with E, y and the scrutin's shape from the reader's election.
struct OpenedAudit {
  std::string scrutin;
  std::string tracker;
  std::vector<uint64_t> selection;   // m_1..m_L
  std::vector<std::string> chosen;   // labels of the choices with m_i = 1 ("" = blank vote)
};
Result<OpenedAudit> OpenAudit(const RecordReader& record, const crypto::BallotAudit& audit);

// Where a voter's public credential of one scrutin appears in the record.
struct CredentialUse {
  std::string scrutin;
  std::string credential;             // base64url, as the record writes it
  bool listed = false;                // in the scrutin's credential list
  bool revoked = false;               // in its revocations
  std::vector<std::string> trackers;  // ballots cast with it
};

// Scans the record for the given credentials (scrutin -> base64url).
class CredentialSearch {
 public:
  explicit CredentialSearch(std::map<std::string, std::string> credentials);
  // Feed every entry that RecordReader::Next returned, in order.
  Status Add(const Entry& entry);
  bool closed() const { return closed_; }  // the record holds the closing state
  std::vector<CredentialUse> uses() const;

 private:
  std::map<std::string, CredentialUse> by_scrutin_;
  bool closed_ = false;
};

}  // namespace isoloir::record
