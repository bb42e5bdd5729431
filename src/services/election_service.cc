#include "services/election_service.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "common/bytes.h"
#include "election/election_file.h"
#include "election/listes_csv.h"
#include "election/roll.h"

namespace isoloir::services {
namespace {

Error Combine(const std::string& code, const std::vector<Error>& errors) {
  if (errors.size() == 1) return errors[0];
  std::string msg = std::to_string(errors.size()) + " problems:";
  for (const auto& e : errors) msg += "\n  " + e.message;
  return MakeError(code, msg);
}

Status Audit(store::AuditLog& audit, const std::string& election_id, const Actor& actor,
             const std::string& action, const nlohmann::json& details) {
  auto r = audit.Append(election_id, actor.now, actor.name, action, details.dump());
  if (!r) return r.error();
  return Status::Ok();
}

}  // namespace

Result<CreatedElection> CreateElection(store::RollStore& roll, store::AuditLog& audit,
                                       std::string_view election_json,
                                       std::string_view listes_csv, const Actor& actor) {
  auto parsed = election::ParseElectionFileAll(election_json);
  if (!parsed.errors.empty()) return Combine("election.invalid", parsed.errors);
  election::Election e = std::move(*parsed.election);
  if (!listes_csv.empty()) {
    auto imp = election::ParseListesCsv(listes_csv, e);
    if (!imp.ok()) return imp.ToError();
    auto merged = election::MergeListes(e, imp.scrutins);
    if (!merged) return merged.error();
    e = std::move(*merged);
    auto problems = election::ValidateElection(e);
    if (!problems.empty()) return Combine("election.invalid", problems);
  }
  auto existing = roll.GetElection(e.id);
  if (!existing) return existing.error();
  CreatedElection out;
  out.replaced = existing->has_value();
  out.fingerprint = HexEncode(election::ElectionFingerprint(e));
  store::ElectionRecord record{e.id, election::CanonicalElectionJson(e), out.fingerprint,
                               actor.now};
  if (Status st = roll.PutElection(record); !st) return st.error();
  if (Status st = Audit(audit, e.id, actor, out.replaced ? "election.replace" : "election.create",
                        {{"fingerprint", out.fingerprint}, {"scrutins", e.scrutins.size()}});
      !st) {
    return st.error();
  }
  out.election = std::move(e);
  return out;
}

Result<election::Election> LoadElection(store::RollStore& roll, const std::string& election_id) {
  auto record = roll.GetElection(election_id);
  if (!record) return record.error();
  if (!record->has_value()) {
    return MakeError("election.unknown", "no election with id \"" + election_id +
                                             "\" (create it with `isoloir election create`)");
  }
  return election::ParseElectionFile((*record)->definition);
}

Result<RollImportOutcome> ImportRoll(store::RollStore& roll, store::AuditLog& audit,
                                     const ServerKey& key, const std::string& election_id,
                                     std::istream& csv,
                                     const std::function<bool(const election::RollDiff&)>& confirm,
                                     const Actor& actor,
                                     const std::function<void(std::string_view, size_t, size_t)>& progress) {
  auto e = LoadElection(roll, election_id);
  if (!e) return e.error();
  std::vector<election::Voter> voters;
  std::vector<store::ReassortRecord> reassort;
  // Reserve from the file size (rows are at least 100 bytes) so that the
  // vectors never reallocate: at a million voters a doubling would briefly
  // hold both copies.
  size_t total = 0;
  if (auto start = csv.tellg(); start >= 0 && csv.seekg(0, std::ios::end)) {
    total = static_cast<size_t>(csv.tellg() - start);
    csv.seekg(start);
    voters.reserve(total / 100 + 16);
    reassort.reserve(total / 100 + 16);
  }
  csv.clear();
  election::RollParser parser(*e, [&](std::vector<election::RollEntry>& batch) {
    for (auto& entry : batch) {
      if (!entry.reassort.empty()) {
        reassort.push_back({entry.voter.matricule,
                            key.Verifier("reassort", election_id, entry.voter.matricule,
                                         entry.reassort.view())});
      }
      entry.reassort.Wipe();
      voters.push_back(std::move(entry.voter));
    }
  });
  std::string chunk(1 << 20, '\0');
  size_t read = 0;
  while (csv) {
    csv.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto n = static_cast<size_t>(csv.gcount());
    if (n == 0) break;
    parser.Feed(std::string_view(chunk.data(), n));
    read += n;
    if (progress) progress("roll", read, std::max(total, read));
  }
  auto report = parser.Finish();
  sodium_memzero(chunk.data(), chunk.size());
  if (!report.ok()) return report.ToError();

  RollImportOutcome out;
  out.voters = voters.size();
  auto count = roll.CountVoters(election_id);
  if (!count) return count.error();
  if (*count > 0) {
    auto old = roll.ListVoters(election_id);
    if (!old) return old.error();
    out.diff = election::DiffRolls(*old, voters);
    old->clear();
    if (out.diff.empty()) {
      // No voter changed, but a reassort secret may have (or a previous import
      // may have died before storing them): store the verifiers again.
      auto record = roll.GetElection(election_id);
      if (!record) return record.error();
      if ((*record)->roll_frozen) return out;
      if (Status st = roll.PutReassortVerifiers(election_id, reassort); !st) return st.error();
      return out;
    }
    if (!confirm(out.diff)) return out;
  }
  // A first import needs no diff: every voter is new (and copying a million
  // voters into RollDiff::added would double the memory).
  if (Status st = roll.ReplaceRoll(election_id, voters); !st) return st.error();
  if (Status st = roll.PutReassortVerifiers(election_id, reassort); !st) return st.error();
  out.stored = true;
  if (Status st = Audit(audit, election_id, actor, "roll.import",
                        {{"voters", out.voters},
                         {"added", *count > 0 ? out.diff.added.size() : out.voters},
                         {"removed", out.diff.removed.size()},
                         {"changed", out.diff.changed.size()}});
      !st) {
    return st.error();
  }
  return out;
}

}  // namespace isoloir::services
