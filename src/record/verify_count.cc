// The checks that need the whole record: the closing state against the urne,
// each tally against the sum of the ballots, the partial decryptions, their
// combination into the counts (protocol §10, §11), the results and the seats.
#include <algorithm>

#include "crypto/dlog.h"
#include "crypto/threshold.h"
#include "election/ballot_shape.h"
#include "election/seats.h"
#include "election/seats_report.h"
#include "record/verifier_state.h"

namespace isoloir::record::internal {
namespace {

// The first place where two JSON values differ, as a path ("rounds[1].winner").
std::optional<std::string> FirstDifference(const Json& a, const Json& b, const std::string& path) {
  if (a.type() != b.type()) return path;
  if (a.is_object()) {
    for (const auto& [k, v] : a.items()) {
      if (!b.contains(k)) return path + "." + k;
      if (auto d = FirstDifference(v, b[k], path + "." + k)) return d;
    }
    for (const auto& [k, v] : b.items()) {
      if (!a.contains(k)) return path + "." + k;
    }
    return std::nullopt;
  }
  if (a.is_array()) {
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
      if (auto d = FirstDifference(a[i], b[i], path + "[" + std::to_string(i) + "]")) return d;
    }
    if (a.size() != b.size()) return path;
    return std::nullopt;
  }
  if (a != b) return path;
  return std::nullopt;
}

class CountChecker {
 public:
  CountChecker(VerifierState& s, ScrutinState& sc)
      : s_(s), sc_(sc), code_(sc.scrutin->code), choices_(election::ScrutinChoices(*sc.scrutin)) {}

  std::string Choice(size_t i) const {
    const std::string label = i < choices_.size() && !choices_[i].blank
                                  ? choices_[i].label.substr(0, choices_[i].label.find(" - "))
                                  : "blanc";
    return code_ + ", choice " + std::to_string(i + 1) + " (" + label + ")";
  }

  void Closing() {
    ++s_.report.check(CheckId::kClosing).checked;
    if (!sc_.closing) {
      return Fail(CheckId::kClosing, s_.closing_entry,
                  "the closing entry does not give scrutin " + code_);
    }
    const ScrutinClosing& c = *sc_.closing;
    if (c.ballots != sc_.ballots) {
      Fail(CheckId::kClosing, sc_.closing_entry,
           code_ + ": the closing counts " + std::to_string(c.ballots) +
               " ballots in the urne; the record holds " + std::to_string(sc_.ballots));
    }
    if (c.emargements != c.ballots) {
      Fail(CheckId::kClosing, sc_.closing_entry,
           code_ + ": " + std::to_string(c.emargements) + " émargements for " +
               std::to_string(c.ballots) +
               " ballots; each voter marked as having voted has "
               "exactly one ballot");
    }
  }

  void Tally() {
    const TallyBody& t = *sc_.tally;
    const uint64_t at = sc_.tally_entry;
    ++s_.report.check(CheckId::kTally).checked;
    if (t.sums.size() != sc_.context.choices) {
      return Fail(CheckId::kTally, at,
                  code_ + ": " + std::to_string(t.sums.size()) + " sums for " +
                      std::to_string(sc_.context.choices) + " choices");
    }
    for (size_t i = 0; i < t.sums.size(); ++i) {
      if (!(t.sums[i] == sc_.sums[i])) {
        Fail(CheckId::kTally, at,
             Choice(i) + ": the recorded sum is not the sum of the ballots' ciphertexts");
      }
    }
    if (t.ballots != sc_.ballots) {
      Fail(CheckId::kTally, at,
           code_ + ": the tally counts " + std::to_string(t.ballots) +
               " ballots; the record holds " + std::to_string(sc_.ballots));
    }
    if (sc_.closing && t.emargements != sc_.closing->emargements) {
      Fail(CheckId::kTally, at,
           code_ + ": the tally counts " + std::to_string(t.emargements) +
               " émargements; the closing " + std::to_string(sc_.closing->emargements));
    }
  }

  // Returns the partial decryptions that verify.
  std::vector<crypto::PartialDecryption> Decryptions() {
    std::vector<crypto::PartialDecryption> valid;
    std::vector<uint32_t> seen;
    for (const auto& [entry, pd] : sc_.partials) {
      ++s_.report.check(CheckId::kDecryptions).checked;
      const std::string who = code_ + ": key holder " + std::to_string(pd.holder);
      if (pd.holder < 1 || pd.holder > s_.verification_keys.size()) {
        Fail(CheckId::kDecryptions, entry,
             who + " is not one of the ceremony's " + std::to_string(s_.verification_keys.size()) +
                 " holders");
        continue;
      }
      if (std::find(seen.begin(), seen.end(), pd.holder) != seen.end()) {
        Fail(CheckId::kDecryptions, entry, who + " decrypted twice");
        continue;
      }
      seen.push_back(pd.holder);
      Status st =
          crypto::VerifyPartialDecryption(s_.fingerprint, s_.key->point(), code_,
                                          s_.verification_keys[pd.holder - 1], sc_.tally->sums, pd);
      if (!st) {
        Fail(CheckId::kDecryptions, entry, code_ + ": " + st.error().message);
        continue;
      }
      valid.push_back(pd);
    }
    return valid;
  }

  void Counts(const std::vector<crypto::PartialDecryption>& valid, const crypto::DlogTable& dlog) {
    const ResultBody& r = *sc_.result;
    const uint64_t at = sc_.result_entry;
    ++s_.report.check(CheckId::kCounts).checked;
    if (r.counts.size() != sc_.tally->sums.size()) {
      return Fail(CheckId::kCounts, at,
                  code_ + ": " + std::to_string(r.counts.size()) + " counts for " +
                      std::to_string(sc_.tally->sums.size()) + " sums");
    }
    auto combined =
        crypto::CombinePartialDecryptions(s_.fingerprint, s_.key->point(), code_, s_.threshold,
                                          s_.verification_keys, sc_.tally->sums, valid);
    if (!combined) {
      return Fail(
          CheckId::kCounts, at,
          code_ + ": the partial decryptions cannot be combined: " + combined.error().message);
    }
    for (size_t i = 0; i < r.counts.size(); ++i) {
      const crypto::Point& plain = combined->plain_points[i];
      if (crypto::Point::MulBase(crypto::Scalar::FromUint64(r.counts[i])) == plain) continue;
      auto m = dlog.Solve(plain);
      Fail(CheckId::kCounts, at,
           Choice(i) + ": the record gives " + std::to_string(r.counts[i]) + " votes; " +
               (m ? "the decryption gives " + std::to_string(*m)
                  : "the decryption gives no count between 0 and " + std::to_string(dlog.bound())));
    }
  }

  void Results() {
    const ResultBody& r = *sc_.result;
    const uint64_t at = sc_.result_entry;
    const election::Scrutin& scrutin = *sc_.scrutin;
    ++s_.report.check(CheckId::kResults).checked;
    if (r.counts.size() != sc_.context.choices) return;  // reported by Counts
    if (r.listes.size() != scrutin.listes.size()) {
      return Fail(CheckId::kResults, at,
                  code_ + ": " + std::to_string(r.listes.size()) + " lists in the result; " +
                      std::to_string(scrutin.listes.size()) + " in the election");
    }
    uint64_t exprimes = 0;
    for (size_t i = 0; i < r.listes.size(); ++i) {
      const auto& got = r.listes[i];
      const auto& want = scrutin.listes[i];
      if (got.id != want.id || got.sigle != want.sigle) {
        Fail(CheckId::kResults, at,
             code_ + ": listes[" + std::to_string(i) + "] is " + got.id + " " + got.sigle +
                 "; the election's list " + std::to_string(i + 1) + " is " + want.id + " " +
                 want.sigle);
      }
      if (got.voix != r.counts[i]) {
        Fail(CheckId::kResults, at,
             code_ + ": list " + want.sigle + " has " + std::to_string(got.voix) +
                 " voix; its count is " + std::to_string(r.counts[i]));
      }
      exprimes += got.voix;
    }
    const uint64_t blancs = scrutin.blank_allowed ? r.counts.back() : 0;
    auto expect = [&](std::string_view field, uint64_t got, uint64_t want, std::string why) {
      if (got != want) {
        Fail(CheckId::kResults, at,
             code_ + ": " + std::string(field) + " is " + std::to_string(got) + "; " + why +
                 " gives " + std::to_string(want));
      }
    };
    expect("blancs", r.blancs, blancs, "the blank choice's count");
    expect("exprimes", r.exprimes, exprimes, "the sum of the lists' voix");
    expect("votants", r.votants, sc_.ballots, "the number of ballots in the urne");
    expect("votants", r.votants, r.exprimes + r.blancs, "exprimes + blancs");
  }

  void Seats() {
    const ResultBody& r = *sc_.result;
    const uint64_t at = sc_.result_entry;
    ++s_.report.check(CheckId::kSeats).checked;
    const size_t lists = sc_.scrutin->listes.size();
    if (r.counts.size() < lists) return;  // reported by Counts
    std::vector<int64_t> votes(r.counts.begin(), r.counts.begin() + static_cast<long>(lists));
    auto seats = election::AllocateScrutinSeats(*sc_.scrutin, votes, r.seed);
    if (!seats) {
      return Fail(CheckId::kSeats, at,
                  code_ + ": the seats cannot be recomputed: " + seats.error().message);
    }
    const Json want = election::SeatAllocationJson(seats->allocation);
    if (want == r.seats) return;
    bool named = false;
    const Json& got_lists = r.seats.contains("lists") ? r.seats["lists"] : Json();
    for (size_t i = 0; i < lists; ++i) {
      const Json& w = want["lists"][i];
      const Json* g = got_lists.is_array() && i < got_lists.size() ? &got_lists[i] : nullptr;
      if (!g || !g->is_object() || !g->contains("total") || (*g)["total"] != w["total"]) {
        Fail(CheckId::kSeats, at,
             code_ + ": list " + w["name"].get<std::string>() + ": the record gives " +
                 (g && g->is_object() && g->contains("total") ? (*g)["total"].dump() : "no") +
                 " seats; the counts give " + w["total"].dump());
        named = true;
      }
    }
    if (!named) {
      Fail(CheckId::kSeats, at,
           code_ + ": the allocation differs from the recomputed one at body.seats" +
               FirstDifference(r.seats, want, "").value_or(""));
    }
  }

 private:
  void Fail(CheckId id, uint64_t entry, std::string message) {
    record::Fail(s_.report, id, entry, std::move(message));
  }
  VerifierState& s_;
  ScrutinState& sc_;
  std::string code_;
  std::vector<election::BallotChoice> choices_;
};

}  // namespace

void FinishCount(VerifierState& s) {
  if (!s.election) return;
  if (!s.closing_seen) {
    s.report.check(CheckId::kClosing)
        .notes.push_back({"l'archive s'arrête avant la clôture : le vote n'est pas clos, il n'y a "
                          "pas encore de dépouillement à vérifier",
                          "the record stops before the closing: the vote is not closed, there is "
                          "no count to check yet"});
    return;
  }
  uint64_t bound = 0;
  for (const auto& sc : s.scrutins) bound = std::max(bound, sc.ballots);
  std::optional<crypto::DlogTable> dlog;
  size_t counted = 0;
  for (auto& sc : s.scrutins) {
    CountChecker c(s, sc);
    c.Closing();
    if (!sc.tally) continue;
    c.Tally();
    if (!s.key || s.verification_keys.empty()) {
      Fail(s.report, CheckId::kDecryptions, sc.tally_entry,
           sc.scrutin->code + ": no valid key ceremony to check the decryptions against");
      continue;
    }
    auto valid = c.Decryptions();
    if (!sc.result) continue;
    ++counted;
    if (!dlog) dlog.emplace(bound);
    c.Counts(valid, *dlog);
    c.Results();
    c.Seats();
  }
  if (counted < s.scrutins.size()) {
    s.report.check(CheckId::kCounts)
        .notes.push_back({std::to_string(counted) + " scrutin(s) sur " +
                              std::to_string(s.scrutins.size()) +
                              " ont leur dépouillement dans cette archive",
                          std::to_string(counted) + " of " + std::to_string(s.scrutins.size()) +
                              " scrutins have their count in this record"});
  }
}

}  // namespace isoloir::record::internal
