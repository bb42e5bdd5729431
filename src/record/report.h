// What `isoloir verify` found: one line per check (what was checked, how
// many, what failed and where), for people in French or English and for
// machines in JSON. Pure: the caller prints.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/codec.h"

namespace isoloir::record {

// Every check of docs/record.md ("Ce que prouve chaque vérification"), in
// the order they are reported.
enum class CheckId {
  kFormat,             // every entry reads strictly, in the documented order
  kChain,              // numbers, links and hashes of the chain
  kElection,           // the election file and its fingerprint
  kCeremony,           // the key ceremony's proofs and the public key
  kCredentials,        // the public credential lists and their revocations
  kSeal,               // the seal: components, approvals, before the ballots, checks
  kBallotProofs,       // every ballot decodes, its proofs and signature verify
  kTrackers,           // every tracker is its ballot's, in order, once
  kBallotCredentials,  // every credential listed, not revoked, used once
  kClosing,            // ballots and émargements at the closing
  kTally,              // the encrypted tally is the sum of the ballots
  kDecryptions,        // every partial decryption's proofs
  kCounts,             // the partial decryptions combine into the counts
  kResults,            // votants, blancs, exprimés and lists' votes agree
  kSeats,              // the seats follow from the counts
  kPv,                 // the procès-verbaux: signatures and figures against the results
  kEnd,                // the end entry and the head hash
};
inline constexpr size_t kCheckCount = 17;

std::string_view CheckName(CheckId id);  // "format", "ballot_proofs"...

enum class Language { kFrench, kEnglish };

struct Failure {
  uint64_t entry = 0;  // entry number (line of record.jsonl); 0 = the record as a whole
  std::string message;
};

// A remark for people, in both languages of the report.
struct Note {
  std::string fr, en;
};

struct CheckResult {
  CheckId id = CheckId::kFormat;
  uint64_t checked = 0;  // items checked (entries, proofs, ballots... see CheckUnit)
  uint64_t failed = 0;   // failures found (only the first kKeptFailures are kept)
  std::vector<Failure> failures;
  std::vector<Note> notes;  // what was not checked, and why
  bool ok() const { return failed == 0; }
};

struct Report {
  std::vector<CheckResult> checks;  // one per CheckId, in order
  std::string election_id;
  std::string fingerprint;  // hex, as recorded
  uint64_t entries = 0;     // entries read
  std::string head;         // hex hash of the last entry read
  bool ok() const;
  const CheckResult& check(CheckId id) const { return checks[static_cast<size_t>(id)]; }
  CheckResult& check(CheckId id) { return checks[static_cast<size_t>(id)]; }
};

inline constexpr size_t kKeptFailures = 100;

Report EmptyReport();
// Records a failure (keeps the first kKeptFailures of each check).
void Fail(Report& report, CheckId id, uint64_t entry, std::string message);

std::string ReportText(const Report& report, Language language);
crypto::codec::Json ReportJson(const Report& report);

// A report kept for the portal's /verification page (`isoloir verify
// --save-report`): {"format", "verified_at" (Unix seconds), "source" (the
// file or URL verified), "report" (ReportJson)}.
inline constexpr std::string_view kSavedReportFormat = "isoloir/verification/v1";
crypto::codec::Json SavedReportJson(const Report& report, int64_t verified_at,
                                    const std::string& source);

}  // namespace isoloir::record
