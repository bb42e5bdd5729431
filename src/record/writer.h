// Writes an election record (docs/record.md) one entry at a time, in the
// documented order, to a sink that receives each line: the hash chain, the
// chunks of credential lists and the split of a count document are done here.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "election/model.h"
#include "record/bodies.h"
#include "record/ceremony_transcript.h"
#include "record/count_document.h"
#include "record/entry.h"

namespace isoloir::record {

class RecordWriter {
 public:
  // Receives each entry's line, without its line break.
  using Sink = std::function<Status(std::string_view line)>;
  explicit RecordWriter(Sink sink) : sink_(std::move(sink)) {}

  // Entry 1: the election file in canonical form and its fingerprint.
  Status Election(const election::Election& election);
  Status Ceremony(const CeremonyTranscript& transcript);
  // One scrutin's list (bytewise sorted, no repeats), in chunks of kCredentialChunk.
  Status Credentials(const std::string& scrutin, std::span<const std::string> sorted);
  Status Revocations(const std::string& scrutin, std::span<const std::string> sorted);
  // A ballot as the urne holds it: its tracker and its JSON (protocol §12).
  Status Ballot(const std::string& scrutin, const std::string& tracker, const Json& ballot);
  Status Closing(const std::vector<ScrutinClosing>& scrutins);
  // A scrutin's count: its tally, partial decryptions and result entries.
  Status Count(const CountDocument& count);
  // The end entry; returns the head hash (the end entry's hash).
  Result<crypto::Digest> Finish();

  // Any entry (tests build records that are wrong on purpose).
  Status Append(EntryType type, Json body);
  uint64_t entries() const { return chain_.entries(); }

 private:
  Status Chunks(EntryType type, const std::string& scrutin, std::span<const std::string> sorted);
  Chain chain_;
  Sink sink_;
};

}  // namespace isoloir::record
