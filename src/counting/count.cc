// Combining the partial decryptions of a scrutin, reading the counts, the
// totals and the seats, and the count and results documents.
#include "counting/count.h"

#include <algorithm>
#include <set>

#include "common/bytes.h"
#include "counting/ceremony.h"
#include "counting/json_fields.h"
#include "crypto/codec.h"
#include "crypto/dlog.h"
#include "election/seats_report.h"

namespace isoloir::counting {

using fields::Json;

namespace {

Json CiphertextsJson(const std::vector<crypto::Ciphertext>& cts) {
  Json a = Json::array();
  for (const auto& c : cts) a.push_back(crypto::codec::Encode(c));
  return a;
}

}  // namespace

std::string CountSeed(const Tally& tally, const ScrutinTally& s) {
  const Json seed_input{{"election", tally.election_id},
                        {"fingerprint", HexEncode(tally.fingerprint)},
                        {"scrutin", s.scrutin},
                        {"tally", CiphertextsJson(s.sums)}};
  return HexEncode(crypto::Sha256(ToBytes(crypto::codec::Canonical(seed_input))));
}

Result<ScrutinCount> CountScrutin(const Tally& tally, const ScrutinTally& s,
                                  const election::Scrutin& scrutin,
                                  const std::vector<crypto::PartialDecryption>& partials,
                                  const std::vector<std::string>& holders) {
  const std::string where = "scrutin " + s.scrutin + ": ";
  const size_t choices = scrutin.listes.size() + (scrutin.blank_allowed ? 1 : 0);
  if (scrutin.code != s.scrutin || s.sums.size() != choices) {
    return MakeError("count.choices", where + "the tally has " + std::to_string(s.sums.size()) +
                                          " ciphertexts for " + std::to_string(choices) +
                                          " choices");
  }
  ScrutinCount c;
  c.tally = s;
  // Verify each one, so that every bad holder is named with its reason.
  std::vector<const crypto::PartialDecryption*> valid;
  std::set<uint32_t> seen;
  for (const auto& pd : partials) {
    const std::string who = HolderName(holders, pd.holder);
    if (pd.holder < 1 || pd.holder > tally.verification_keys.size()) {
      return MakeError("count.holder_unknown", where + who + " is not a fragment of the ceremony");
    }
    if (!seen.insert(pd.holder).second) {
      return MakeError("count.holder_twice", where + who + " gave two partial decryptions");
    }
    Status st = crypto::VerifyPartialDecryption(tally.fingerprint, tally.public_key, s.scrutin,
                                                tally.verification_keys[pd.holder - 1], s.sums, pd);
    if (!st) {
      c.rejected.push_back(who + ": " + st.error().message);
    } else {
      valid.push_back(&pd);
    }
  }
  if (valid.size() < tally.threshold) {
    std::string msg = where + std::to_string(valid.size()) + " valid partial decryption(s), " +
                      std::to_string(tally.threshold) + " needed";
    for (const auto& r : c.rejected) msg += "; rejected " + r;
    return MakeError("count.too_few", msg);
  }
  std::sort(valid.begin(), valid.end(),
            [](const auto* a, const auto* b) { return a->holder < b->holder; });
  valid.resize(tally.threshold);
  for (const auto* pd : valid) c.partials.push_back(*pd);
  auto combined = crypto::CombinePartialDecryptions(tally.fingerprint, tally.public_key, s.scrutin,
                                                    tally.threshold, tally.verification_keys,
                                                    s.sums, c.partials);
  if (!combined) return MakeError(combined.error().code, where + combined.error().message);
  const crypto::DlogTable dlog(s.ballots);
  uint64_t total = 0;
  for (size_t i = 0; i < combined->plain_points.size(); ++i) {
    auto m = dlog.Solve(combined->plain_points[i]);
    if (!m) {
      return MakeError("count.dlog", where + "choice " + std::to_string(i + 1) + ": " +
                                         m.error().message + " (the tally or the keys are wrong)");
    }
    c.counts.push_back(*m);
    total += *m;
  }
  // Each ballot holds exactly one 1 (min = max = 1): the counts add up to the ballots.
  if (total != s.ballots) {
    return MakeError("count.total", where + "the counts add up to " + std::to_string(total) +
                                        ", not to the " + std::to_string(s.ballots) + " ballots");
  }
  c.votants = s.ballots;
  c.blancs = scrutin.blank_allowed ? c.counts.back() : 0;
  c.exprimes = c.votants - c.blancs;
  std::vector<int64_t> votes;
  for (size_t i = 0; i < scrutin.listes.size(); ++i) {
    votes.push_back(static_cast<int64_t>(c.counts[i]));
  }
  c.seed = CountSeed(tally, s);
  auto seats = election::AllocateScrutinSeats(scrutin, votes, c.seed);
  if (!seats) return seats.error();
  c.seats = std::move(*seats);
  for (size_t i = 0; i < scrutin.listes.size(); ++i) {
    c.listes.push_back(ListeVoix{scrutin.listes[i].id, scrutin.listes[i].sigle, c.counts[i],
                                 c.seats.listes[i].sieges});
  }
  return c;
}

nlohmann::json CountJson(const Tally& tally, const ScrutinCount& c) {
  Json partials = Json::array();
  for (const auto& pd : c.partials) partials.push_back(crypto::codec::Encode(pd));
  Json listes = Json::array();
  for (const auto& l : c.listes) {
    listes.push_back(
        Json{{"id", l.id}, {"sigle", l.sigle}, {"voix", l.voix}, {"sieges", l.sieges}});
  }
  return Json{{"format", kCountFormat},
              {"election", tally.election_id},
              {"fingerprint", HexEncode(tally.fingerprint)},
              {"public_key", crypto::codec::Encode(tally.public_key)},
              {"threshold", tally.threshold},
              {"scrutin", c.tally.scrutin},
              {"inscrits", c.tally.inscrits},
              {"ballots", c.tally.ballots},
              {"emargements", c.tally.emargements},
              {"trackers_digest", HexEncode(c.tally.trackers_digest)},
              {"tally", CiphertextsJson(c.tally.sums)},
              {"partial_decryptions", std::move(partials)},
              {"counts", c.counts},
              {"votants", c.votants},
              {"blancs", c.blancs},
              {"nuls", 0},
              {"exprimes", c.exprimes},
              {"listes", std::move(listes)},
              {"seats", election::SeatAllocationJson(c.seats.allocation)},
              {"seed", c.seed}};
}

nlohmann::json ResultsJson(const Tally& tally, const std::vector<ScrutinCount>& counts) {
  Json scrutins = Json::array();
  for (const auto& c : counts) scrutins.push_back(CountJson(tally, c));
  return Json{{"format", kResultsFormat},
              {"election", tally.election_id},
              {"fingerprint", HexEncode(tally.fingerprint)},
              {"tally_digest", HexEncode(TallyDigest(tally))},
              {"scrutins", std::move(scrutins)}};
}

Result<ResultsPartials> ReadResultsPartials(const nlohmann::json& results) {
  return fields::Guard<ResultsPartials>([&] {
    using namespace fields;
    if (!results.is_object()) Fail("", "json.type", "expected an object");
    if (!results.contains("format")) Fail("format", "json.missing_field", "missing field");
    Format(results["format"], "format", kResultsFormat);
    if (!results.contains("scrutins")) Fail("scrutins", "json.missing_field", "missing field");
    const Json& ss = Array(results["scrutins"], "scrutins", 1, kMaxScrutins);
    ResultsPartials out;
    for (size_t i = 0; i < ss.size(); ++i) {
      const std::string path = Index("scrutins", i);
      if (!ss[i].is_object()) Fail(path, "json.type", "expected an object");
      for (const char* k : {"scrutin", "partial_decryptions"}) {
        if (!ss[i].contains(k)) Fail(Sub(path, k), "json.missing_field", "missing field");
      }
      out.scrutins.push_back(Text(ss[i]["scrutin"], Sub(path, "scrutin")));
      const std::string pp = Sub(path, "partial_decryptions");
      const Json& pds = Array(ss[i]["partial_decryptions"], pp, 1, kMaxHolders);
      out.partials.emplace_back();
      for (size_t k = 0; k < pds.size(); ++k) {
        out.partials.back().push_back(PartialAt(pds[k], Index(pp, k)));
      }
    }
    return out;
  });
}

}  // namespace isoloir::counting
