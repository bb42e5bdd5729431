// Writing a record from the stores; see export.h.
#include "record/export.h"

#include <algorithm>
#include <optional>

#include "election/election_file.h"
#include "pv/pv_log.h"
#include "record/seal_bodies.h"
#include "seal/seal_log.h"

namespace isoloir::record {
namespace {

Error Wrap(const Error& e, const std::string& what) {
  return MakeError(e.code, what + ": " + e.message);
}

// The counts in the election's scrutin order, checked against the election.
Result<std::vector<const CountDocument*>> OrderCounts(const election::Election& e,
                                                      const crypto::Digest& fingerprint,
                                                      const std::vector<CountDocument>& counts) {
  std::vector<const CountDocument*> ordered(e.scrutins.size(), nullptr);
  for (const auto& c : counts) {
    const std::string& code = c.tally.scrutin;
    if (c.election_id != e.id || c.fingerprint != fingerprint) {
      return MakeError("record.count_election", "the count of " + code +
                                                    " is for another election or another "
                                                    "version of its file (fingerprint)");
    }
    if (c.result.scrutin != code) {
      return MakeError("record.count_scrutin", "a count document mixes two scrutins");
    }
    auto it = std::find_if(e.scrutins.begin(), e.scrutins.end(),
                           [&](const election::Scrutin& s) { return s.code == code; });
    if (it == e.scrutins.end()) {
      return MakeError("record.count_scrutin",
                       "a count names scrutin \"" + code + "\", which the election does not have");
    }
    auto& slot = ordered[static_cast<size_t>(it - e.scrutins.begin())];
    if (slot) return MakeError("record.count_twice", "two counts of scrutin " + code);
    slot = &c;
  }
  return ordered;
}

Status WritePvEntries(RecordWriter& w, store::AuditLog& audit, const election::Election& e) {
  auto state = pv::ReadPvState(audit, e);
  if (!state) return state.error();
  if (!*state || !(*state)->published) return Status::Ok();
  for (const auto& f : (*state)->files) {
    PvBody body{f.scope, f.file, f.sha256, {}, f.signatures};
    for (const auto& fig : (*state)->figures) {
      if (f.scope.empty() || f.scope == fig.scrutin) body.figures.push_back(pv::FiguresJson(fig));
    }
    if (Status st = w.Append(EntryType::kPv, PvBodyJson(body)); !st) return st;
  }
  return Status::Ok();
}

}  // namespace

Result<ExportSummary> ExportRecord(ExportSources& src, const std::string& election_id,
                                   const ExportOptions& options, const RecordWriter::Sink& sink) {
  auto stored = src.roll.GetElection(election_id);
  if (!stored) return stored.error();
  if (!*stored) return MakeError("record.election", "no election \"" + election_id + "\"");
  auto e = election::ParseElectionFile((*stored)->definition);
  if (!e) return Wrap(e.error(), "the stored election");
  const crypto::Digest fingerprint = election::ElectionFingerprint(*e);
  if (HexEncode(fingerprint) != (*stored)->fingerprint) {
    return MakeError("record.fingerprint", "the stored fingerprint is not the election file's");
  }
  auto counts = OrderCounts(*e, fingerprint, options.counts);
  if (!counts) return counts.error();

  ExportSummary summary;
  RecordWriter w(sink);
  if (Status st = w.Election(*e); !st) return st.error();
  // The ceremony, once the election has a key.
  auto key = src.portal.GetElectionKey(election_id);
  if (!key) return key.error();
  if (*key) {
    auto text = crypto::codec::ParseJson((*key)->ceremony);
    if (!text) return Wrap(text.error(), "the stored ceremony transcript");
    auto t = ParseCeremonyTranscript(*text);
    if (!t) return Wrap(t.error(), "the stored ceremony transcript");
    if (crypto::codec::Encode(t->public_key).get<std::string>() != (*key)->public_key) {
      return MakeError("record.ceremony", "the stored ceremony is not the election key's");
    }
    if (Status st = w.Ceremony(*t); !st) return st.error();
  }
  for (const auto& s : e->scrutins) {
    auto listed = src.urne.ListPublicCredentials(election_id, s.code);
    if (!listed) return listed.error();
    if (Status st = w.Credentials(s.code, *listed); !st) return st.error();
    auto revoked = src.urne.ListRevocations(election_id, s.code);
    if (!revoked) return revoked.error();
    std::vector<std::string> keys;  // the time of a revocation is not published
    for (const auto& r : *revoked) keys.push_back(r.credential);
    if (Status st = w.Revocations(s.code, keys); !st) return st.error();
  }
  // The seal, once approved: it comes before every ballot.
  std::optional<seal::SealLog> seal_log;
  if (src.audit) {
    auto log = seal::ReadSealLog(*src.audit, *e);
    if (!log) return log.error();
    seal_log = std::move(*log);
    if (seal_log->state.sealed()) {
      if (Status st = w.Append(EntryType::kSeal,
                               SealBodyJson(*seal_log->state.seal, seal_log->state.approvals));
          !st) {
        return st.error();
      }
    }
  }
  std::vector<ScrutinClosing> closing;
  for (const auto& s : e->scrutins) {
    std::string after;
    uint64_t n = 0;
    for (;;) {
      auto page = src.urne.List(election_id, s.code, after, options.page);
      if (!page) return page.error();
      for (const auto& b : *page) {
        auto ballot = crypto::codec::ParseJson(b.ballot);
        if (!ballot) return Wrap(ballot.error(), "the urne's ballot " + b.tracker);
        if (Status st = w.Ballot(s.code, b.tracker, *ballot); !st) return st.error();
        ++n;
      }
      summary.ballots += page->size();
      if (options.progress) options.progress(summary.ballots);
      if (page->size() < options.page || page->empty()) break;
      after = page->back().tracker;
    }
    auto emargements = src.emargement.Count(election_id, s.code);
    if (!emargements) return emargements.error();
    closing.push_back({s.code, n, *emargements});
  }
  if (options.closing || !options.counts.empty()) {
    if (Status st = w.Closing(closing); !st) return st.error();
    for (const auto& c : seal_log ? seal_log->checks : std::vector<seal::SealCheckEntry>{}) {
      const SealCheckBody body{c.moment, c.sealed, c.seal_digest, c.different};
      if (Status st = w.Append(EntryType::kSealCheck, SealCheckBodyJson(body)); !st) {
        return st.error();
      }
    }
    bool all_counted = true;
    for (const CountDocument* c : *counts) {
      if (!c) {
        all_counted = false;
        continue;
      }
      if (Status st = w.Count(*c); !st) return st.error();
    }
    // The procès-verbaux, once published (docs/pv.md).
    if (src.audit && all_counted) {
      if (Status st = WritePvEntries(w, *src.audit, *e); !st) return st.error();
    }
  }
  auto head = w.Finish();
  if (!head) return head.error();
  summary.entries = w.entries();
  summary.head = *head;
  return summary;
}

}  // namespace isoloir::record
