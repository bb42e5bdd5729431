#include "record/voter_checks.h"

#include "common/bytes.h"
#include "election/ballot_shape.h"
#include "election/election_file.h"
#include "record/bodies.h"
#include "record/ceremony_transcript.h"

namespace isoloir::record {
namespace {

Error At(uint64_t seq, const std::string& message) {
  return MakeError("record.entry", "entry " + std::to_string(seq) + ": " + message);
}

const election::Scrutin* FindScrutin(const election::Election& e, std::string_view code) {
  for (const auto& s : e.scrutins) {
    if (s.code == code) return &s;
  }
  return nullptr;
}

}  // namespace

Result<Entry> RecordReader::Next(std::string_view line) {
  const uint64_t seq = seq_ + 1;
  auto read = ReadEntryLine(line, seq);
  if (!read) return read.error();
  Entry& e = read->entry;
  if (e.seq != seq) return At(seq, "seq is " + std::to_string(e.seq) + ", expected " + std::to_string(seq));
  if (e.prev != head_) return At(seq, "prev is not the hash of the entry before: the chain is broken");
  if (read->computed != e.hash) return At(seq, "hash is not the hash of the entry's content");
  if (seq == 1) {
    if (e.type != EntryType::kElection) return At(seq, "the record does not start with the election");
    if (Status s = Election(e.body, seq); !s) return s.error();
  } else if (seq == 2) {
    if (e.type != EntryType::kCeremony) return At(seq, "the ceremony does not follow the election");
    if (Status s = Ceremony(e.body, seq); !s) return s.error();
  }
  seq_ = seq;
  head_ = e.hash;
  return std::move(e);
}

Status RecordReader::Election(const Json& body, uint64_t seq) {
  auto b = ParseElectionBody(body);
  if (!b) return At(seq, b.error().message);
  const crypto::Digest fp = election::ElectionFingerprint(b->election);
  if (fp != b->fingerprint) {
    return At(seq, "body.fingerprint is not the election file's (recomputed " + HexEncode(fp) + ")");
  }
  election_ = std::move(b->election);
  fingerprint_ = fp;
  return Status::Ok();
}

Status RecordReader::Ceremony(const Json& body, uint64_t seq) {
  auto t = ParseCeremonyTranscript(body);
  if (!t) return At(seq, "body." + t.error().message);
  if (t->election_id != election_->id) {
    return At(seq, "body.election is \"" + t->election_id + "\", not \"" + election_->id + "\"");
  }
  CeremonyCheck c = CheckCeremony(fingerprint_, *t);
  if (!c.problems.empty()) return At(seq, "the key ceremony does not verify: " + c.problems.front());
  key_.emplace(t->public_key);
  return Status::Ok();
}

Result<OpenedAudit> OpenAudit(const RecordReader& record, const crypto::BallotAudit& audit) {
  if (!record.has_election()) {
    return MakeError("audit.record", "the record holds no election and key ceremony");
  }
  const election::Election& e = record.election();
  if (audit.election_id != e.id) {
    return MakeError("audit.election", "election_id: the audit is for \"" + audit.election_id +
                                           "\", the record for \"" + e.id + "\"");
  }
  const election::Scrutin* s = FindScrutin(e, audit.scrutin);
  if (!s) {
    return MakeError("audit.scrutin", "scrutin: the election has no scrutin \"" + audit.scrutin + "\"");
  }
  auto selection = crypto::OpenBallotAudit(
      election::ScrutinBallotContext(record.fingerprint(), *s), record.key(), audit);
  if (!selection) return selection.error();
  OpenedAudit out{audit.scrutin, audit.tracker, *selection, {}};
  const auto choices = election::ScrutinChoices(*s);
  for (size_t i = 0; i < choices.size() && i < selection->size(); ++i) {
    if ((*selection)[i] == 1) out.chosen.push_back(choices[i].blank ? "" : choices[i].label);
  }
  return out;
}

CredentialSearch::CredentialSearch(std::map<std::string, std::string> credentials) {
  for (auto& [scrutin, credential] : credentials) {
    by_scrutin_[scrutin] = CredentialUse{scrutin, credential, false, false, {}};
  }
}

Status CredentialSearch::Add(const Entry& entry) {
  switch (entry.type) {
    case EntryType::kCredentials:
    case EntryType::kRevocation: {
      auto c = ParseCredentialChunk(entry.body);
      if (!c) return At(entry.seq, c.error().message);
      auto it = by_scrutin_.find(c->scrutin);
      if (it == by_scrutin_.end()) return Status::Ok();
      for (const auto& cred : c->credentials) {
        if (cred != it->second.credential) continue;
        (entry.type == EntryType::kCredentials ? it->second.listed : it->second.revoked) = true;
      }
      return Status::Ok();
    }
    case EntryType::kBallot: {
      Json body = entry.body;
      auto b = ParseBallotBody(std::move(body));
      if (!b) return At(entry.seq, b.error().message);
      auto it = by_scrutin_.find(b->scrutin);
      if (it != by_scrutin_.end() && b->credential == it->second.credential) {
        it->second.trackers.push_back(b->tracker);
      }
      return Status::Ok();
    }
    case EntryType::kClosing:
      closed_ = true;
      return Status::Ok();
    default:
      return Status::Ok();
  }
}

std::vector<CredentialUse> CredentialSearch::uses() const {
  std::vector<CredentialUse> out;
  for (const auto& [scrutin, use] : by_scrutin_) out.push_back(use);
  return out;
}

}  // namespace isoloir::record
