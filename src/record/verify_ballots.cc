// The costly part of the verification: each ballot's decoding, proofs,
// signature and tracker (protocol §7.5 steps 1 to 4), on several threads,
// and the sum of the ballots' ciphertexts for the tally check.
#include <atomic>
#include <thread>

#include "record/verifier_state.h"

namespace isoloir::record::internal {

void ParallelFor(size_t n, unsigned threads, const std::function<void(size_t, unsigned)>& f) {
  if (threads <= 1 || n < 2) {
    for (size_t i = 0; i < n; ++i) f(i, 0);
    return;
  }
  std::atomic<size_t> next{0};
  auto work = [&](unsigned worker) {
    for (size_t i = next++; i < n; i = next++) f(i, worker);
  };
  std::vector<std::thread> pool;
  const unsigned extra = static_cast<unsigned>(std::min<size_t>(threads, n)) - 1;
  for (unsigned w = 1; w <= extra; ++w) pool.emplace_back(work, w);
  work(0);
  for (auto& t : pool) t.join();
}

namespace {

struct Outcome {
  std::string proof_failure;    // empty when the ballot verifies
  std::string tracker_failure;  // empty when the tracker is the ballot's
};

}  // namespace

void VerifyBallotJobs(VerifierState& s) {
  if (s.jobs.empty()) return;
  const unsigned threads = std::max(1u, s.options.threads);
  std::vector<Outcome> outcomes(s.jobs.size());
  // Each worker adds the ciphertexts it decoded into its own sums.
  std::vector<std::vector<std::vector<crypto::Ciphertext>>> sums(
      threads, std::vector<std::vector<crypto::Ciphertext>>(s.scrutins.size()));
  const crypto::ElectionKey* key = s.key ? &*s.key : nullptr;
  ParallelFor(s.jobs.size(), threads, [&](size_t i, unsigned worker) {
    const BallotJob& job = s.jobs[i];
    const ScrutinState& sc = s.scrutins[job.scrutin];
    Outcome& out = outcomes[i];
    auto ballot = crypto::codec::DecodeBallot(job.ballot);
    if (!ballot) {
      // codec messages start with the field's path inside the ballot.
      out.proof_failure = "body.ballot." + ballot.error().message;
      return;
    }
    if (ballot->choices.size() == sc.context.choices) {
      auto& acc = sums[worker][job.scrutin];
      if (acc.empty()) acc.assign(sc.context.choices, crypto::ZeroCiphertext());
      for (size_t k = 0; k < acc.size(); ++k) acc[k] += ballot->choices[k];
    }
    if (!key) {
      out.proof_failure = "cannot be checked: the record has no election key before its ballots";
      return;
    }
    if (Status st = crypto::VerifyBallot(sc.context, *key, *ballot); !st) {
      out.proof_failure = st.error().message;
    }
    const std::string tracker = Base64UrlEncode(crypto::BallotTracker(sc.context, *key, *ballot));
    if (tracker != job.tracker) {
      out.tracker_failure = "the recorded tracker is not the ballot's (recomputed " + tracker + ")";
    }
  });
  CheckResult& proofs = s.report.check(CheckId::kBallotProofs);
  CheckResult& trackers = s.report.check(CheckId::kTrackers);
  for (size_t i = 0; i < s.jobs.size(); ++i) {
    const std::string& code = s.scrutins[s.jobs[i].scrutin].scrutin->code;
    ++proofs.checked;
    ++trackers.checked;
    if (!outcomes[i].proof_failure.empty()) {
      Fail(s.report, CheckId::kBallotProofs, s.jobs[i].entry,
           code + ": " + outcomes[i].proof_failure);
    }
    if (!outcomes[i].tracker_failure.empty()) {
      Fail(s.report, CheckId::kTrackers, s.jobs[i].entry,
           code + ": " + outcomes[i].tracker_failure);
    }
  }
  for (const auto& per_worker : sums) {
    for (size_t sc = 0; sc < per_worker.size(); ++sc) {
      for (size_t k = 0; k < per_worker[sc].size(); ++k)
        s.scrutins[sc].sums[k] += per_worker[sc][k];
    }
  }
  s.jobs.clear();
}

}  // namespace isoloir::record::internal
