// The record's writer; see writer.h.
#include "record/writer.h"

#include "election/election_file.h"

namespace isoloir::record {

Status RecordWriter::Append(EntryType type, Json body) {
  return sink_(EntryLine(chain_.Append(type, std::move(body))));
}

Status RecordWriter::Election(const election::Election& election) {
  return Append(EntryType::kElection, ElectionBodyJson(election::ElectionToJson(election),
                                                       election::ElectionFingerprint(election)));
}

Status RecordWriter::Ceremony(const CeremonyTranscript& transcript) {
  return Append(EntryType::kCeremony, CeremonyTranscriptJson(transcript));
}

Status RecordWriter::Chunks(EntryType type, const std::string& scrutin,
                            std::span<const std::string> sorted) {
  for (size_t i = 0; i < sorted.size(); i += kCredentialChunk) {
    const auto part = sorted.subspan(i, std::min(kCredentialChunk, sorted.size() - i));
    CredentialChunk chunk{scrutin, std::vector<std::string>(part.begin(), part.end())};
    if (Status st = Append(type, CredentialChunkJson(chunk)); !st) return st;
  }
  return Status::Ok();
}

Status RecordWriter::Credentials(const std::string& scrutin, std::span<const std::string> sorted) {
  return Chunks(EntryType::kCredentials, scrutin, sorted);
}

Status RecordWriter::Revocations(const std::string& scrutin, std::span<const std::string> sorted) {
  return Chunks(EntryType::kRevocation, scrutin, sorted);
}

Status RecordWriter::Ballot(const std::string& scrutin, const std::string& tracker,
                            const Json& ballot) {
  return Append(EntryType::kBallot, BallotBodyJson(scrutin, tracker, ballot));
}

Status RecordWriter::Closing(const std::vector<ScrutinClosing>& scrutins) {
  return Append(EntryType::kClosing, ClosingBodyJson(scrutins));
}

Status RecordWriter::Count(const CountDocument& count) {
  if (Status st = Append(EntryType::kTally, TallyBodyJson(count.tally)); !st) return st;
  for (const auto& pd : count.partials) {
    if (Status st = Append(EntryType::kPartialDecryption, PartialBodyJson(count.tally.scrutin, pd));
        !st) {
      return st;
    }
  }
  return Append(EntryType::kResult, ResultBodyJson(count.result));
}

Result<crypto::Digest> RecordWriter::Finish() {
  if (Status st = Append(EntryType::kEnd, EndBodyJson(chain_.entries())); !st) return st.error();
  return chain_.head();
}

}  // namespace isoloir::record
