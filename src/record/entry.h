// One entry of the election record (docs/record.md): a typed JSON body in a
// hash chain. An entry's hash covers its number, type, the previous hash and
// the canonical text of its body, so no entry can change, go or come unseen.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/codec.h"
#include "crypto/transcript.h"

namespace isoloir::record {

using Json = crypto::codec::Json;

inline constexpr std::string_view kRecordFormat = "isoloir/record/v2";
// v1 records (before the seal entries) are still read.
inline constexpr std::string_view kRecordFormatV1 = "isoloir/record/v1";
inline constexpr std::string_view kEntryHashLabel = "isoloir/record/entry/v1";
// The previous hash of entry 1.
inline constexpr crypto::Digest kGenesis{};

// In the order the record holds them (docs/record.md, "Order of the entries").
enum class EntryType {
  kElection,
  kCeremony,
  kCredentials,
  kRevocation,
  kSeal,
  kBallot,
  kClosing,
  kSealCheck,
  kTally,
  kPartialDecryption,
  kResult,
  kPv,
  kEnd,
};
std::string_view EntryTypeName(EntryType type);  // "election", "partial_decryption"...
std::optional<EntryType> ParseEntryType(std::string_view name);

struct Entry {
  uint64_t seq = 0;  // 1, 2, 3... = the line number in record.jsonl
  EntryType type = EntryType::kElection;
  crypto::Digest prev{};  // hash of entry seq - 1 (kGenesis for entry 1)
  crypto::Digest hash{};  // EntryHash of this entry, as written
  Json body;
};

// T("isoloir/record/entry/v1", u64(seq), type, prev, canonical body).
crypto::Digest EntryHash(uint64_t seq, EntryType type, const crypto::Digest& prev,
                         std::string_view canonical_body);

// The entry's line: canonical JSON {"body","hash","prev","seq","type"}, no newline.
std::string EntryLine(const Entry& entry);

// A line read back: the entry as written and the hash its content gives.
struct ReadEntry {
  Entry entry;
  crypto::Digest computed{};  // EntryHash of the fields as read
};
// Strict: one JSON object with exactly the five keys, a known type, 64-hex
// hashes, a body object holding no fraction or negative number. Errors name
// the field ("entry 12: body.ballot: ...").
Result<ReadEntry> ReadEntryLine(std::string_view line, uint64_t line_number);

// Appends entries with the right numbers and links.
class Chain {
 public:
  Entry Append(EntryType type, Json body);
  uint64_t entries() const { return seq_; }
  const crypto::Digest& head() const { return head_; }

 private:
  uint64_t seq_ = 0;
  crypto::Digest head_ = kGenesis;
};

}  // namespace isoloir::record
