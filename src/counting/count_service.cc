// Prepare, combine and replay over the stores: reads the election, the key
// ceremony, the roll, the urne and the émargement; the pure core does the rest.
#include "counting/count_service.h"

#include <map>
#include <memory>
#include <set>

#include "common/bytes.h"
#include "counting/aggregate.h"
#include "counting/compare.h"
#include "crypto/codec.h"
#include "election/election_file.h"
#include "election/paris_time.h"
#include "portal/ballot_shape.h"
#include "portal/phase.h"

namespace isoloir::counting {
namespace {

using Json = nlohmann::json;

Error InFile(const std::string& name, const Error& e) {
  return MakeError(e.code, name + ": " + e.message);
}

Status Audit(CountStores& stores, const std::string& election_id, const services::Actor& actor,
             const std::string& action, const Json& details) {
  auto r = stores.audit.Append(election_id, actor.now, actor.name, action, details.dump());
  if (!r) return r.error();
  return Status::Ok();
}

std::string DigestHex(const Json& j) {
  return HexEncode(crypto::Sha256(ToBytes(crypto::codec::Canonical(j))));
}

// Voters of the roll called to each scrutin, read in pages.
Result<std::map<std::string, uint64_t>> CountInscrits(CountStores& stores,
                                                      const std::string& election_id) {
  std::map<std::string, uint64_t> out;
  std::string after;
  for (;;) {
    auto page = stores.roll.ListVoters(election_id, after, 10000);
    if (!page) return page.error();
    if (page->empty()) break;
    for (const auto& v : *page) {
      for (const auto& s : v.scrutins) ++out[s];
    }
    after = page->back().matricule;
  }
  return out;
}

Result<ScrutinTally> TallyScrutin(CountStores& stores, const CountContext& ctx,
                                  const crypto::ElectionKey& key, const election::Scrutin& s,
                                  uint64_t inscrits, const CountOptions& options) {
  const std::string& id = ctx.election.id;
  auto in_urne = stores.urne.Count(id, s.code);
  if (!in_urne) return in_urne.error();
  auto emargements = stores.emargement.Count(id, s.code);
  if (!emargements) return emargements.error();
  if (*in_urne != *emargements) {
    return MakeError("count.emargement_mismatch",
                     "scrutin " + s.code + ": " + std::to_string(*in_urne) +
                         " ballot(s) in the urne but " + std::to_string(*emargements) +
                         " émargement(s): a ballot entered the urne without an émargement, or "
                         "the reverse; the count stops (compare the audit log and the stores)");
  }
  auto listed = stores.urne.ListPublicCredentials(id, s.code);
  if (!listed) return listed.error();
  auto revocations = stores.urne.ListRevocations(id, s.code);
  if (!revocations) return revocations.error();
  std::vector<std::string> revoked;
  for (const auto& r : *revocations) revoked.push_back(r.credential);
  auto index = std::make_shared<const CredentialIndex>(*listed, revoked);
  ScrutinAggregator aggregator(portal::ScrutinBallotContext(ctx.fingerprint, s), key, index,
                               options.threads);
  std::string after;
  if (options.progress) options.progress(s.code, 0, *in_urne);
  for (;;) {
    auto page = stores.urne.List(id, s.code, after, options.page);
    if (!page) return page.error();
    if (page->empty()) break;
    std::vector<UrneBallot> ballots;
    ballots.reserve(page->size());
    for (auto& r : *page) {
      ballots.push_back({std::move(r.tracker), std::move(r.credential), std::move(r.ballot)});
    }
    if (Status st = aggregator.Add(ballots); !st) {
      return MakeError(st.error().code, "scrutin " + s.code + ": " + st.error().message);
    }
    after = ballots.back().tracker;
    if (options.progress) options.progress(s.code, aggregator.ballots(), *in_urne);
  }
  auto outcome = aggregator.Finish();
  if (!outcome) {
    return MakeError(outcome.error().code, "scrutin " + s.code + ": " + outcome.error().message);
  }
  if (outcome->ballots != *in_urne) {
    return MakeError("count.urne_changed", "scrutin " + s.code + ": the urne counted " +
                                               std::to_string(*in_urne) + " ballots but listed " +
                                               std::to_string(outcome->ballots));
  }
  return ScrutinTally{s.code,
                      inscrits,
                      outcome->ballots,
                      *emargements,
                      outcome->trackers_digest,
                      std::move(outcome->sums)};
}

// The tally file must be the one this election's stores give.
Status CheckTallyAgainst(const Tally& t, const CountContext& ctx) {
  auto field = [](const std::string& f, const std::string& why) {
    return MakeError("count.tally_mismatch", f + ": " + why);
  };
  if (t.election_id != ctx.election.id) {
    return field("election", "\"" + t.election_id + "\" is not \"" + ctx.election.id + "\"");
  }
  if (t.fingerprint != ctx.fingerprint) {
    return field("fingerprint", "not the stored election's fingerprint");
  }
  if (!(t.public_key == ctx.ceremony.public_key)) {
    return field("public_key", "not the stored election key");
  }
  if (t.threshold != ctx.ceremony.threshold) {
    return field("threshold", "not the key ceremony's threshold");
  }
  if (t.verification_keys.size() != ctx.ceremony.verification_keys.size()) {
    return field("verification_keys", "not one per fragment of the key ceremony");
  }
  for (size_t i = 0; i < t.verification_keys.size(); ++i) {
    if (!(t.verification_keys[i] == ctx.ceremony.verification_keys[i])) {
      return field("verification_keys[" + std::to_string(i) + "]",
                   "not the key ceremony's verification key of fragment " + std::to_string(i + 1));
    }
  }
  if (t.scrutins.size() != ctx.election.scrutins.size()) {
    return field("scrutins", std::to_string(t.scrutins.size()) + " scrutins, the election has " +
                                 std::to_string(ctx.election.scrutins.size()));
  }
  for (size_t i = 0; i < t.scrutins.size(); ++i) {
    if (t.scrutins[i].scrutin != ctx.election.scrutins[i].code) {
      return field("scrutins[" + std::to_string(i) + "].scrutin",
                   "\"" + t.scrutins[i].scrutin + "\" where the election has \"" +
                       ctx.election.scrutins[i].code + "\"");
    }
  }
  return Status::Ok();
}

// Was this tally written by `tally prepare` for this election?
Result<bool> PreparedHere(CountStores& stores, const std::string& election_id,
                          const std::string& digest) {
  uint64_t after = 0;
  for (;;) {
    auto entries = stores.audit.List(election_id, after, 1000);
    if (!entries) return entries.error();
    if (entries->empty()) break;
    for (const auto& e : *entries) {
      if (e.action != "tally.prepare") continue;
      auto details = Json::parse(e.details, nullptr, false);
      if (details.is_object() && details.value("tally_digest", "") == digest) return true;
    }
    after = entries->back().seq;
  }
  return false;
}

}  // namespace

Result<CountContext> LoadCountContext(CountStores& stores, const std::string& election_id) {
  auto record = stores.roll.GetElection(election_id);
  if (!record) return record.error();
  auto e = services::LoadElection(stores.roll, election_id);
  if (!e) return e.error();
  CountContext ctx;
  ctx.election = std::move(*e);
  ctx.fingerprint = election::ElectionFingerprint(ctx.election);
  if (HexEncode(ctx.fingerprint) != (*record)->fingerprint) {
    return MakeError("count.fingerprint", "the stored fingerprint of election " + election_id +
                                              " is not the SHA-256 of its definition");
  }
  auto key = stores.portal.GetElectionKey(election_id);
  if (!key) return key.error();
  if (!key->has_value()) {
    return MakeError("count.no_key",
                     "election " + election_id + " has no key: the key ceremony never took place");
  }
  auto ceremony = ReadCeremony((*key)->ceremony, ctx.election, ctx.fingerprint, (*key)->public_key);
  if (!ceremony) return ceremony.error();
  ctx.ceremony = std::move(*ceremony);
  ctx.holders = FragmentHolders(ctx.election);
  return ctx;
}

Result<Tally> BuildTally(CountStores& stores, const CountContext& ctx,
                         const CountOptions& options) {
  auto inscrits = CountInscrits(stores, ctx.election.id);
  if (!inscrits) return inscrits.error();
  const crypto::ElectionKey key(ctx.ceremony.public_key);
  Tally t;
  t.election_id = ctx.election.id;
  t.fingerprint = ctx.fingerprint;
  t.public_key = ctx.ceremony.public_key;
  t.threshold = ctx.ceremony.threshold;
  t.verification_keys = ctx.ceremony.verification_keys;
  for (const auto& s : ctx.election.scrutins) {
    const auto n = inscrits->find(s.code);
    auto st = TallyScrutin(stores, ctx, key, s, n == inscrits->end() ? 0 : n->second, options);
    if (!st) return st.error();
    t.scrutins.push_back(std::move(*st));
  }
  return t;
}

Result<Tally> PrepareTally(CountStores& stores, const std::string& election_id,
                           const services::Actor& actor, const CountOptions& options) {
  auto ctx = LoadCountContext(stores, election_id);
  if (!ctx) return ctx.error();
  const int64_t closing = ctx->election.window.closing.utc;
  if (actor.now < closing + portal::kClosingGraceSeconds) {
    return MakeError("count.not_closed",
                     "the vote closes at " + ctx->election.window.closing.local +
                         " (Paris time) and voters logged in before may finish until " +
                         election::FormatParisLocal(closing + portal::kClosingGraceSeconds) +
                         ": prepare the tally after that");
  }
  auto chain = stores.audit.VerifyChain(election_id);
  if (!chain) return chain.error();
  if (!chain->intact()) {
    return MakeError("count.audit_broken", "the audit log's chain breaks at entry " +
                                               std::to_string(*chain->first_broken) + " (" +
                                               chain->reason + "): the count stops");
  }
  auto tally = BuildTally(stores, *ctx, options);
  if (!tally) return tally.error();
  Json scrutins = Json::array();
  for (const auto& s : tally->scrutins) {
    scrutins.push_back({{"scrutin", s.scrutin},
                        {"ballots", s.ballots},
                        {"emargements", s.emargements},
                        {"trackers_digest", HexEncode(s.trackers_digest)}});
  }
  if (Status st = Audit(stores, election_id, actor, "tally.prepare",
                        {{"tally_digest", HexEncode(TallyDigest(*tally))}, {"scrutins", scrutins}});
      !st) {
    return st.error();
  }
  return tally;
}

Result<CombineOutcome> CombineTally(CountStores& stores, const std::string& election_id,
                                    const NamedDocument& tally_doc,
                                    const std::vector<NamedDocument>& partial_docs,
                                    const services::Actor& actor) {
  auto ctx = LoadCountContext(stores, election_id);
  if (!ctx) return ctx.error();
  auto tally = ReadTally(tally_doc.json);
  if (!tally) return InFile(tally_doc.name, tally.error());
  if (Status st = CheckTallyAgainst(*tally, *ctx); !st) return InFile(tally_doc.name, st.error());
  const crypto::Digest digest = TallyDigest(*tally);
  auto prepared = PreparedHere(stores, election_id, HexEncode(digest));
  if (!prepared) return prepared.error();
  if (!*prepared) {
    return InFile(tally_doc.name,
                  MakeError("count.tally_unknown",
                            "no `tally prepare` of election " + election_id +
                                " wrote this tally (its digest is not in the audit log)"));
  }
  for (const auto& s : tally->scrutins) {
    auto in_urne = stores.urne.Count(election_id, s.scrutin);
    if (!in_urne) return in_urne.error();
    auto emargements = stores.emargement.Count(election_id, s.scrutin);
    if (!emargements) return emargements.error();
    if (*in_urne != s.ballots || *emargements != s.emargements) {
      return InFile(
          tally_doc.name,
          MakeError("count.urne_changed",
                    "scrutin " + s.scrutin + ": the tally counted " + std::to_string(s.ballots) +
                        " ballots and " + std::to_string(s.emargements) +
                        " émargements, the stores now hold " + std::to_string(*in_urne) + " and " +
                        std::to_string(*emargements)));
    }
  }
  if (partial_docs.empty()) {
    return MakeError("count.too_few", "no partial decryption file given");
  }
  // Per scrutin, every holder's partial decryption, in file order.
  std::vector<std::vector<crypto::PartialDecryption>> by_scrutin(tally->scrutins.size());
  std::map<uint32_t, std::string> given_by;
  for (const auto& doc : partial_docs) {
    auto p = ReadPartialFile(doc.json);
    if (!p) return InFile(doc.name, p.error());
    auto bad = [&](const std::string& field, const std::string& why) {
      return InFile(doc.name, MakeError("count.partial_mismatch", field + ": " + why));
    };
    if (p->election_id != election_id) return bad("election", "for another election");
    if (p->fingerprint != tally->fingerprint) return bad("fingerprint", "not the election's");
    if (p->tally_digest != digest) {
      return bad("tally_digest", "made from another tally file than " + tally_doc.name);
    }
    const std::string who = HolderName(ctx->holders, p->holder);
    if (auto [it, fresh] = given_by.emplace(p->holder, doc.name); !fresh) {
      return bad("holder", who + " is already given by " + it->second);
    }
    if (p->scrutins.size() != tally->scrutins.size()) {
      return bad("scrutins", std::to_string(p->scrutins.size()) + " scrutins, the tally has " +
                                 std::to_string(tally->scrutins.size()));
    }
    for (size_t i = 0; i < p->scrutins.size(); ++i) {
      if (p->scrutins[i] != tally->scrutins[i].scrutin) {
        return bad("scrutins[" + std::to_string(i) + "].scrutin",
                   "\"" + p->scrutins[i] + "\" where the tally has \"" +
                       tally->scrutins[i].scrutin + "\"");
      }
      by_scrutin[i].push_back(std::move(p->partials[i]));
    }
  }
  CombineOutcome out;
  Json audited = Json::array();
  for (size_t i = 0; i < tally->scrutins.size(); ++i) {
    auto c = CountScrutin(*tally, tally->scrutins[i], ctx->election.scrutins[i], by_scrutin[i],
                          ctx->holders);
    if (!c) return c.error();
    Json used = Json::array();
    for (const auto& pd : c->partials) used.push_back(pd.holder);
    audited.push_back({{"scrutin", c->tally.scrutin},
                       {"fragments", used},
                       {"rejected", c->rejected},
                       {"votants", c->votants},
                       {"blancs", c->blancs},
                       {"exprimes", c->exprimes}});
    out.counts.push_back(std::move(*c));
  }
  out.results = ResultsJson(*tally, out.counts);
  if (Status st = Audit(stores, election_id, actor, "tally.combine",
                        {{"tally_digest", HexEncode(digest)},
                         {"results_digest", DigestHex(out.results)},
                         {"scrutins", audited}});
      !st) {
    return st.error();
  }
  out.tally = std::move(*tally);
  out.context = std::move(*ctx);
  return out;
}

Result<ReplayOutcome> ReplayCount(CountStores& stores, const std::string& election_id,
                                  const NamedDocument& results, const services::Actor& actor,
                                  const CountOptions& options) {
  auto claimed = ReadResultsPartials(results.json);
  if (!claimed) return InFile(results.name, claimed.error());
  auto ctx = LoadCountContext(stores, election_id);
  if (!ctx) return ctx.error();
  auto tally = BuildTally(stores, *ctx, options);
  if (!tally) return tally.error();
  ReplayOutcome out;
  // The document's own fields, then each scrutin's count document.
  Json expected_top = ResultsJson(*tally, {});
  Json found_top = results.json;
  expected_top.erase("scrutins");
  found_top.erase("scrutins");
  out.differences = JsonDifferences(expected_top, found_top, "");
  const Json& found = results.json["scrutins"];
  if (found.size() != tally->scrutins.size()) {
    out.differences.push_back("scrutins: the file has " + std::to_string(found.size()) +
                              " scrutins, the replay counts " +
                              std::to_string(tally->scrutins.size()));
  }
  std::vector<ScrutinCount> counts;
  for (size_t i = 0; i < tally->scrutins.size() && i < found.size(); ++i) {
    const ScrutinTally& s = tally->scrutins[i];
    const std::string path = "scrutins[" + std::to_string(i) + "] (" + s.scrutin + ")";
    if (claimed->scrutins[i] != s.scrutin) {
      out.differences.push_back(path + ".scrutin: the file has \"" + claimed->scrutins[i] +
                                "\", the replay counts " + s.scrutin + " here");
      continue;
    }
    auto c = CountScrutin(*tally, s, ctx->election.scrutins[i], claimed->partials[i], ctx->holders);
    if (!c) {
      out.differences.push_back(path + ".partial_decryptions: " + c.error().message);
      continue;
    }
    for (const auto& r : c->rejected) {
      out.differences.push_back(path + ".partial_decryptions: rejected " + r);
    }
    for (auto& d : JsonDifferences(CountJson(*tally, *c), found[i], path)) {
      out.differences.push_back(std::move(d));
    }
    counts.push_back(std::move(*c));
  }
  if (counts.size() == tally->scrutins.size()) out.replayed = ResultsJson(*tally, counts);
  if (Status st = Audit(stores, election_id, actor, "tally.replay",
                        {{"results_digest", DigestHex(results.json)},
                         {"same_result", out.differences.empty()},
                         {"differences", out.differences.size()}});
      !st) {
    return st.error();
  }
  return out;
}

}  // namespace isoloir::counting
