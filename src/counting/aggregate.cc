// Verifying a scrutin's ballots again and summing their ciphertexts, on
// several threads (the proofs dominate: about a millisecond per ballot).
#include "counting/aggregate.h"

#include <algorithm>
#include <optional>
#include <thread>

#include "common/bytes.h"
#include "crypto/codec.h"

namespace isoloir::counting {
namespace {

crypto::Digest HashText(const std::string& s) { return crypto::Sha256(ToBytes(s)); }

std::vector<crypto::Digest> SortedHashes(std::span<const std::string> texts) {
  std::vector<crypto::Digest> out;
  out.reserve(texts.size());
  for (const auto& t : texts) out.push_back(HashText(t));
  std::sort(out.begin(), out.end());
  return out;
}

// What one worker finds about one ballot.
struct Checked {
  std::optional<Error> error;
  std::vector<crypto::Ciphertext> choices;
  crypto::Digest tracker{};
  crypto::Digest credential{};  // SHA-256 of the credential text
};

Error BallotError(const std::string& tracker, std::string code, const std::string& why) {
  return MakeError(std::move(code), "ballot " + tracker + ": " + why);
}

}  // namespace

CredentialIndex::CredentialIndex(std::span<const std::string> listed,
                                 std::span<const std::string> revoked)
    : listed_(SortedHashes(listed)), revoked_(SortedHashes(revoked)) {}

bool CredentialIndex::Listed(const std::string& credential) const {
  return std::binary_search(listed_.begin(), listed_.end(), HashText(credential));
}

bool CredentialIndex::Revoked(const std::string& credential) const {
  return std::binary_search(revoked_.begin(), revoked_.end(), HashText(credential));
}

ScrutinAggregator::ScrutinAggregator(crypto::BallotContext context, crypto::ElectionKey key,
                                     std::shared_ptr<const CredentialIndex> credentials,
                                     unsigned threads)
    : context_(std::move(context)),
      key_(std::move(key)),
      credentials_(std::move(credentials)),
      threads_(std::max(1u, threads)),
      sums_(context_.choices, crypto::ZeroCiphertext()),
      trackers_(std::make_unique<crypto::Transcript>(kTrackersLabel)) {}

ScrutinAggregator::~ScrutinAggregator() = default;

Status ScrutinAggregator::Add(std::span<const UrneBallot> page) {
  std::vector<Checked> checked(page.size());
  auto check = [&](size_t i) {
    const UrneBallot& r = page[i];
    Checked& c = checked[i];
    auto tracker = Base64UrlDecode(r.tracker);
    if (!tracker || tracker->size() != 32) {
      c.error =
          BallotError(r.tracker, "count.tracker", "the tracker is not 43 base64url characters");
      return;
    }
    std::copy(tracker->begin(), tracker->end(), c.tracker.begin());
    auto json = crypto::codec::ParseJson(r.ballot);
    if (!json) {
      c.error = BallotError(r.tracker, "count.ballot_invalid", "not JSON: " + json.error().message);
      return;
    }
    auto ballot = crypto::codec::DecodeBallot(*json);
    if (!ballot) {
      c.error = BallotError(r.tracker, "count.ballot_invalid",
                            "does not decode: " + ballot.error().message);
      return;
    }
    if (Status st = crypto::VerifyBallot(context_, key_, *ballot); !st) {
      c.error = BallotError(r.tracker, "count.ballot_invalid",
                            "refused (" + st.error().code + "): " + st.error().message);
      return;
    }
    if (crypto::BallotTracker(context_, key_, *ballot) != c.tracker) {
      c.error = BallotError(r.tracker, "count.tracker_mismatch",
                            "the stored tracker is not the ballot's (protocol §7.4)");
      return;
    }
    if (crypto::codec::Encode(ballot->credential).get<std::string>() != r.credential) {
      c.error = BallotError(r.tracker, "count.credential_mismatch",
                            "the stored credential is not the one that signed the ballot");
      return;
    }
    if (!credentials_->Listed(r.credential)) {
      c.error = BallotError(r.tracker, "count.credential_unknown",
                            "its credential is not in the scrutin's public list");
      return;
    }
    if (credentials_->Revoked(r.credential)) {
      c.error = BallotError(r.tracker, "count.credential_revoked", "its credential is revoked");
      return;
    }
    c.credential = HashText(r.credential);
    c.choices = std::move(ballot->choices);
  };
  const size_t n = page.size();
  const size_t workers = std::min<size_t>(threads_, std::max<size_t>(1, n));
  std::vector<std::thread> pool;
  for (size_t w = 1; w < workers; ++w) {
    pool.emplace_back([&, w] {
      for (size_t i = w; i < n; i += workers) check(i);
    });
  }
  for (size_t i = 0; i < n; i += workers) check(i);
  for (auto& t : pool) t.join();

  std::string last = last_tracker_;
  for (size_t i = 0; i < n; ++i) {
    if (!(count_ == 0 && i == 0) && !(page[i].tracker > last)) {
      return BallotError(page[i].tracker, "count.tracker_order",
                         "the urne did not list trackers in strictly increasing order (a "
                         "duplicate?) after " +
                             last);
    }
    last = page[i].tracker;
    if (checked[i].error) return *checked[i].error;
  }
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < sums_.size(); ++k) sums_[k] += checked[i].choices[k];
    trackers_->Add(checked[i].tracker);
    used_.emplace_back(checked[i].credential, checked[i].tracker);
  }
  count_ += n;
  last_tracker_ = last;
  return Status::Ok();
}

Result<ScrutinAggregator::Outcome> ScrutinAggregator::Finish() {
  std::sort(used_.begin(), used_.end());
  for (size_t i = 1; i < used_.size(); ++i) {
    if (used_[i].first == used_[i - 1].first) {
      return MakeError("count.credential_reused", "ballots " +
                                                      Base64UrlEncode(used_[i - 1].second) +
                                                      " and " + Base64UrlEncode(used_[i].second) +
                                                      " were signed by the same credential");
    }
  }
  Outcome out;
  out.ballots = count_;
  out.sums = sums_;
  out.trackers_digest = trackers_->Finish();
  return out;
}

}  // namespace isoloir::counting
