// The verifier's entry-by-entry checks, in record order: chain, order of the
// entries, election, ceremony, credential lists and each ballot's place in
// the urne. Ballot proofs: verify_ballots.cc; the count: verify_count.cc.
#include "record/verifier.h"

#include <algorithm>
#include <cstdint>
#include <thread>

#include "election/ballot_shape.h"
#include "election/election_file.h"
#include "record/ceremony_transcript.h"
#include "record/verifier_state.h"

namespace isoloir::record {
namespace internal {

std::optional<size_t> VerifierState::FindScrutin(const std::string& code) const {
  for (size_t i = 0; i < scrutins.size(); ++i) {
    if (scrutins[i].scrutin->code == code) return i;
  }
  return std::nullopt;
}

namespace {

// A credential or tracker as shown in messages: enough to find it.
std::string Short(const std::string& s) { return s.size() > 16 ? s.substr(0, 16) + "..." : s; }

const Note kNoElection{"sans le fichier d'élection, rien d'autre ne peut être vérifié",
                       "without the election file nothing else can be checked"};

OrderKey KeyOf(EntryType type, size_t scrutin) {
  switch (type) {
    case EntryType::kElection:
      return {0, 0, 0};
    case EntryType::kCeremony:
      return {1, 0, 0};
    case EntryType::kCredentials:
      return {2, scrutin, 0};
    case EntryType::kRevocation:
      return {2, scrutin, 1};
    case EntryType::kSeal:
      return {2, SIZE_MAX, 0};
    case EntryType::kBallot:
      return {3, scrutin, 0};
    case EntryType::kClosing:
      return {4, 0, 0};
    case EntryType::kSealCheck:
      return {4, 0, 1};
    case EntryType::kTally:
      return {5, scrutin, 0};
    case EntryType::kPartialDecryption:
      return {5, scrutin, 1};
    case EntryType::kResult:
      return {5, scrutin, 2};
    case EntryType::kPv:
      return {5, SIZE_MAX, 3};
    case EntryType::kEnd:
      return {6, 0, 0};
  }
  return {};
}

// Types of which a scrutin has several entries in a row.
bool Repeats(EntryType t) {
  return t == EntryType::kCredentials || t == EntryType::kRevocation || t == EntryType::kBallot ||
         t == EntryType::kPartialDecryption || t == EntryType::kSealCheck || t == EntryType::kPv;
}

class EntryChecker {
 public:
  EntryChecker(VerifierState& s, uint64_t line) : s_(s), line_(line) {}

  void Chain(const Entry& e, const crypto::Digest& computed) {
    ++s_.report.check(CheckId::kChain).checked;
    if (e.seq != s_.next_seq) {
      Fail(CheckId::kChain, "numbered " + std::to_string(e.seq) + " where " +
                                std::to_string(s_.next_seq) +
                                " was expected: an entry is missing, was added or was moved");
    } else if (e.prev != s_.prev_hash) {
      Fail(CheckId::kChain, "its \"prev\" is not the hash of the entry before it");
    } else if (e.hash != computed) {
      Fail(CheckId::kChain,
           "its \"hash\" is not the hash of its content: the entry was changed after it was "
           "written (recomputed " +
               HexEncode(computed) + ")");
    }
    // Resynchronise, so that one break is reported once.
    s_.next_seq = e.seq + 1;
    s_.prev_hash = e.hash;
  }

  // Checks that the entry may come here; scrutin is its index in the election.
  bool InOrder(EntryType type, size_t scrutin = 0) {
    const OrderKey key = KeyOf(type, scrutin);
    if (s_.last_key && !(Repeats(type) ? *s_.last_key <= key : *s_.last_key < key)) {
      std::string what = std::string(EntryTypeName(type));
      if (type != EntryType::kElection && type != EntryType::kCeremony &&
          type != EntryType::kClosing && type != EntryType::kEnd && type != EntryType::kSeal &&
          type != EntryType::kSealCheck && type != EntryType::kPv) {
        what += " of " + s_.scrutins[scrutin].scrutin->code;
      }
      Fail(CheckId::kFormat, "a " + what + " entry cannot come after a " +
                                 std::string(EntryTypeName(s_.last_type)) +
                                 " entry (docs/record.md, order of the entries)");
      return false;
    }
    s_.last_key = key;
    s_.last_type = type;
    return true;
  }

  void Fail(CheckId id, std::string message) {
    record::Fail(s_.report, id, line_, std::move(message));
  }

  // The scrutin named by a body, or a failure.
  std::optional<size_t> Scrutin(const std::string& code) {
    auto i = s_.FindScrutin(code);
    if (!i) Fail(CheckId::kFormat, "body.scrutin: the election has no scrutin \"" + code + "\"");
    return i;
  }

  void Election(const Json& body) {
    auto b = ParseElectionBody(body);
    if (!b) {
      Fail(CheckId::kElection, b.error().message);
      Stop(kNoElection);
      return;
    }
    s_.report.election_id = b->election.id;
    s_.record_format = b->format;
    s_.report.fingerprint = HexEncode(b->fingerprint);
    ++s_.report.check(CheckId::kElection).checked;
    const crypto::Digest fp = election::ElectionFingerprint(b->election);
    if (fp != b->fingerprint) {
      Fail(CheckId::kElection,
           "body.fingerprint is not the SHA-256 of the election file's canonical form "
           "(recomputed " +
               HexEncode(fp) + ")");
    }
    if (crypto::codec::Canonical(b->election_json) !=
        election::CanonicalElectionJson(b->election)) {
      Fail(CheckId::kElection,
           "body.election is not in canonical form (every field written, as "
           "docs/election-file.md gives it), so its fingerprint is ambiguous");
    }
    s_.election = std::move(b->election);
    s_.fingerprint = fp;
    for (const auto& sc : s_.election->scrutins) {
      ScrutinState st;
      st.scrutin = &sc;
      st.context = election::ScrutinBallotContext(fp, sc);
      st.sums.assign(st.context.choices, crypto::ZeroCiphertext());
      s_.scrutins.push_back(std::move(st));
    }
  }

  void Ceremony(const Json& body) {
    auto t = ParseCeremonyTranscript(body);
    if (!t) {
      Fail(CheckId::kCeremony, "body." + t.error().message);
      return;
    }
    const election::Election& e = *s_.election;
    uint32_t fragments = 0;
    for (const auto& m : e.bve.members) fragments += m.fragments;
    if (t->election_id != e.id) {
      Fail(CheckId::kCeremony, "body.election is \"" + t->election_id + "\", not \"" + e.id + "\"");
    }
    if (t->holders != fragments || t->threshold != e.bve.threshold) {
      Fail(CheckId::kCeremony, "the ceremony has " + std::to_string(t->holders) +
                                   " holders and threshold " + std::to_string(t->threshold) +
                                   "; the election's BVE holds " + std::to_string(fragments) +
                                   " fragments with threshold " + std::to_string(e.bve.threshold));
    }
    CeremonyCheck c = CheckCeremony(s_.fingerprint, *t);
    s_.report.check(CheckId::kCeremony).checked += c.proofs_checked + 1;
    for (auto& p : c.problems) Fail(CheckId::kCeremony, std::move(p));
    s_.key.emplace(t->public_key);
    s_.verification_keys = c.outcome.verification_keys;
    s_.holders = t->holders;
    s_.threshold = t->threshold;
  }

  void Credentials(const Json& body, bool revocation) {
    auto c = ParseCredentialChunk(body);
    if (!c) return Fail(CheckId::kFormat, c.error().message);
    auto i = Scrutin(c->scrutin);
    if (!i) return;
    InOrder(revocation ? EntryType::kRevocation : EntryType::kCredentials, *i);
    ScrutinState& sc = s_.scrutins[*i];
    CheckResult& check = s_.report.check(CheckId::kCredentials);
    std::string& last = revocation ? sc.last_revoked : sc.last_listed;
    for (size_t k = 0; k < c->credentials.size(); ++k) {
      const std::string& cred = c->credentials[k];
      ++check.checked;
      const std::string at = "body.credentials[" + std::to_string(k) + "] " + Short(cred);
      if (!last.empty() && cred <= last) {
        Fail(CheckId::kCredentials, at + (cred == last ? ": listed twice"
                                                       : ": not in credential "
                                                         "order (bytewise)"));
      }
      if (revocation) {
        if (!sc.listed.count(cred)) Fail(CheckId::kCredentials, at + ": revoked but not listed");
        sc.revoked.insert(cred);
      } else {
        sc.listed.insert(cred);
      }
      if (cred > last) last = cred;
    }
  }

  void Ballot(Json&& body) {
    auto b = ParseBallotBody(std::move(body));
    if (!b) return Fail(CheckId::kFormat, b.error().message);
    auto i = Scrutin(b->scrutin);
    if (!i) return;
    InOrder(EntryType::kBallot, *i);
    CheckBallotSealed(s_, line_);
    ScrutinState& sc = s_.scrutins[*i];
    ++sc.ballots;
    const std::string& code = sc.scrutin->code;
    if (!sc.last_tracker.empty() && b->tracker <= sc.last_tracker) {
      Fail(CheckId::kTrackers,
           code + ": tracker " + b->tracker +
               (b->tracker == sc.last_tracker
                    ? " appears twice (a ballot is duplicated)"
                    : " comes after " + sc.last_tracker + ": ballots are not in tracker order"));
    }
    if (b->tracker > sc.last_tracker) sc.last_tracker = b->tracker;
    ++s_.report.check(CheckId::kBallotCredentials).checked;
    const std::string cred = "credential " + Short(b->credential);
    if (!sc.listed.count(b->credential)) {
      Fail(CheckId::kBallotCredentials, code + ": " + cred + " is not in the scrutin's list");
    } else if (sc.revoked.count(b->credential)) {
      Fail(CheckId::kBallotCredentials, code + ": " + cred + " is revoked");
    }
    auto [at, fresh] = sc.used.emplace(b->credential, line_);
    if (!fresh) {
      Fail(CheckId::kBallotCredentials, code + ": " + cred +
                                            " already signed the ballot of entry " +
                                            std::to_string(at->second) + " (used twice)");
    }
    s_.jobs.push_back({line_, *i, std::move(b->tracker), std::move(b->ballot)});
  }

  void Closing(const Json& body) {
    auto c = ParseClosingBody(body);
    if (!c) return Fail(CheckId::kFormat, c.error().message);
    InOrder(EntryType::kClosing);
    s_.closing_seen = true;
    s_.closing_entry = line_;
    for (auto& sc : *c) {
      auto i = s_.FindScrutin(sc.scrutin);
      if (!i) {
        Fail(CheckId::kClosing, "names scrutin \"" + sc.scrutin + "\", not in the election");
      } else if (s_.scrutins[*i].closing) {
        Fail(CheckId::kClosing, "gives scrutin " + sc.scrutin + " twice");
      } else {
        s_.scrutins[*i].closing = std::move(sc);
        s_.scrutins[*i].closing_entry = line_;
      }
    }
  }

  void Count(EntryType type, const Json& body) {
    std::string code;
    std::optional<TallyBody> tally;
    std::optional<PartialBody> partial;
    std::optional<ResultBody> result;
    Error error;
    bool ok = true;
    auto take = [&](auto r, auto& into) {
      if (!r) {
        ok = false;
        error = r.error();
        return;
      }
      code = r->scrutin;
      into = std::move(r).value();
    };
    if (type == EntryType::kTally) take(ParseTallyBody(body), tally);
    if (type == EntryType::kPartialDecryption) take(ParsePartialBody(body), partial);
    if (type == EntryType::kResult) take(ParseResultBody(body), result);
    if (!ok) return Fail(CheckId::kFormat, error.message);
    auto i = Scrutin(code);
    if (!i) return;
    InOrder(type, *i);
    ScrutinState& sc = s_.scrutins[*i];
    if (!s_.closing_seen)
      Fail(CheckId::kFormat,
           "a " + std::string(EntryTypeName(type)) + " entry before the closing entry");
    if (type == EntryType::kTally) {
      sc.tally = std::move(tally);
      sc.tally_entry = line_;
      return;
    }
    if (!sc.tally) {
      Fail(CheckId::kFormat, "a " + std::string(EntryTypeName(type)) + " of " + code +
                                 " without its tally entry before it");
      return;
    }
    if (partial) sc.partials.emplace_back(line_, std::move(partial->partial));
    if (result && !sc.result) {
      sc.result = std::move(result);
      sc.result_entry = line_;
    }
  }

  void End(const Json& body, uint64_t seq_count) {
    auto n = ParseEndBody(body);
    if (!n) return Fail(CheckId::kFormat, n.error().message);
    InOrder(EntryType::kEnd);
    ++s_.report.check(CheckId::kEnd).checked;
    if (*n != seq_count) {
      Fail(CheckId::kEnd, "body.entries says " + std::to_string(*n) +
                              " entries before it; there are " + std::to_string(seq_count));
    }
    s_.end_seen = true;
  }

  void Stop(const Note& why) {
    s_.stopped = true;
    s_.report.check(CheckId::kFormat)
        .notes.push_back({"lecture arrêtée à l'entrée " + std::to_string(line_) + " : " + why.fr,
                          "stopped at entry " + std::to_string(line_) + ": " + why.en});
  }

 private:
  VerifierState& s_;
  uint64_t line_;
};

}  // namespace

void HandleEntry(VerifierState& s, ReadEntry&& read) {
  Entry& e = read.entry;
  const uint64_t line = ++s.report.entries;
  s.report.head = HexEncode(e.hash);
  ++s.report.check(CheckId::kFormat).checked;
  EntryChecker c(s, line);
  c.Chain(e, read.computed);
  if (s.end_seen) return c.Fail(CheckId::kFormat, "an entry after the end entry");
  if (!s.election && e.type != EntryType::kElection) {
    c.Fail(CheckId::kFormat, "the record must start with its election entry");
    return c.Stop(kNoElection);
  }
  switch (e.type) {
    case EntryType::kElection:
      if (s.election) return c.Fail(CheckId::kFormat, "a second election entry");
      c.InOrder(e.type);
      return c.Election(e.body);
    case EntryType::kCeremony:
      if (!c.InOrder(e.type)) return;
      return c.Ceremony(e.body);
    case EntryType::kCredentials:
    case EntryType::kRevocation:
      return c.Credentials(e.body, e.type == EntryType::kRevocation);
    case EntryType::kBallot:
      return c.Ballot(std::move(e.body));
    case EntryType::kClosing:
      return c.Closing(e.body);
    case EntryType::kSeal:
      c.InOrder(e.type);
      return CheckSealEntry(s, line, e.body);
    case EntryType::kSealCheck:
      c.InOrder(e.type);
      return CheckSealCheckEntry(s, line, e.body);
    case EntryType::kPv:
      c.InOrder(e.type);
      return CheckPvEntry(s, line, e.body);
    case EntryType::kTally:
    case EntryType::kPartialDecryption:
    case EntryType::kResult:
      return c.Count(e.type, e.body);
    case EntryType::kEnd:
      return c.End(e.body, line - 1);
  }
}

}  // namespace internal

struct RecordVerifier::State : internal::VerifierState {};

RecordVerifier::RecordVerifier(VerifyOptions options) : s_(std::make_unique<State>()) {
  if (options.threads == 0) options.threads = std::max(1u, std::thread::hardware_concurrency());
  s_->options = std::move(options);
}

RecordVerifier::~RecordVerifier() = default;

void RecordVerifier::AddLines(std::span<const std::string> lines) {
  if (s_->stopped || lines.empty()) return;
  const uint64_t first = s_->report.entries + 1;
  // Reading and hashing each line is independent of the others: in parallel.
  std::vector<std::optional<Result<ReadEntry>>> read(lines.size());
  internal::ParallelFor(lines.size(), s_->options.threads, [&](size_t i, unsigned) {
    read[i].emplace(ReadEntryLine(lines[i], first + i));
  });
  for (size_t i = 0; i < lines.size() && !s_->stopped; ++i) {
    if (!read[i]->ok()) {
      ++s_->report.entries;
      Fail(s_->report, CheckId::kFormat, first + i, read[i]->error().message);
      s_->stopped = true;
      s_->report.check(CheckId::kFormat)
          .notes.push_back(
              {"l'archive ne peut être lue au-delà de l'entrée " + std::to_string(first + i),
               "the archive cannot be read past entry " + std::to_string(first + i)});
      break;
    }
    internal::HandleEntry(*s_, std::move(*read[i]).value());
  }
  internal::VerifyBallotJobs(*s_);
  if (s_->options.progress) s_->options.progress(s_->report.entries);
}

Report RecordVerifier::Finish() {
  internal::VerifyBallotJobs(*s_);
  internal::FinishCount(*s_);
  internal::FinishSeal(*s_);
  CheckResult& end = s_->report.check(CheckId::kEnd);
  if (!s_->end_seen && !s_->stopped) {
    Fail(s_->report, CheckId::kEnd, 0,
         "the archive stops after entry " + std::to_string(s_->report.entries) +
             " without its end entry: it is truncated, or was still being written");
  }
  if (!s_->options.expected_head.empty()) {
    ++end.checked;
    if (s_->options.expected_head != s_->report.head) {
      Fail(s_->report, CheckId::kEnd, s_->report.entries,
           "the head hash " + s_->report.head + " is not the published one " +
               s_->options.expected_head);
    }
  } else {
    end.notes.push_back({"comparez l'empreinte de tête avec celle que le BVE a publiée (--head)",
                         "compare the head hash with the one the BVE published (--head)"});
  }
  return std::move(s_->report);
}

Report VerifyRecord(std::span<const std::string> lines, VerifyOptions options) {
  RecordVerifier v(std::move(options));
  constexpr size_t kBatch = 512;
  for (size_t i = 0; i < lines.size(); i += kBatch) {
    v.AddLines(lines.subspan(i, std::min(kBatch, lines.size() - i)));
  }
  return v.Finish();
}

}  // namespace isoloir::record
