// The count's documents in DATA/count/ and the use cases the BVE's pages run
// over them; the checks themselves are the CLI's (count_service, pv_service).
#include "pv/count_desk.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "common/bytes.h"
#include "counting/ceremony.h"
#include "crypto/threshold.h"
#include "crypto/transcript.h"
#include "portal/phase.h"

namespace isoloir::pv {

namespace fs = std::filesystem;

namespace {

Result<nlohmann::json> ReadJson(const fs::path& path, const char* missing_code,
                                const std::string& missing_message) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return MakeError(missing_code, missing_message);
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return MakeError("count.file", path.filename().string() + ": cannot be read");
  auto j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded()) return MakeError("count.file", path.filename().string() + ": not JSON");
  return j;
}

// Written beside, then renamed: a reader sees the old file or the new one.
Status WriteAtomically(const fs::path& path, const std::string& text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return MakeError("count.file", path.parent_path().string() + ": cannot be created");
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) return MakeError("count.file", tmp.string() + ": cannot be written");
  }
  fs::rename(tmp, path, ec);
  if (ec) return MakeError("count.file", path.string() + ": cannot be written");
  return Status::Ok();
}

std::string Differences(const std::vector<std::pair<std::string, std::string>>& different) {
  std::string out;
  for (const auto& [name, state] : different) out += (out.empty() ? "" : ", ") + name + " " + state;
  return out;
}

// The audit log's seal checks at moment "closing".
Result<std::vector<seal::SealCheckEntry>> ClosingChecks(counting::CountStores& stores,
                                                        const std::string& election_id) {
  auto ctx = counting::LoadCountContext(stores, election_id);
  if (!ctx) return ctx.error();
  auto log = seal::ReadSealLog(stores.audit, ctx->election);
  if (!log) return log.error();
  std::vector<seal::SealCheckEntry> out;
  for (auto& c : log->checks) {
    if (c.moment == "closing") out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

Status CountSealGate(counting::CountStores& stores, const std::string& election_id,
                     const seal::SealSources& sources, const services::Actor& actor) {
  // A difference found at closing blocks the count even if the system was
  // put back since: the BVE must look into it (docs/seal.md).
  auto closing = ClosingChecks(stores, election_id);
  if (!closing) return closing.error();
  for (const auto& c : *closing) {
    if (!c.different.empty()) {
      return MakeError("seal.closing_differs",
                       "the seal check at closing found differences: " +
                           Differences(c.different) + ": the count stops");
    }
  }
  auto check = seal::CheckSeal(stores, election_id, sources, "count", actor);
  if (!check) return check.error();
  if (!check->ok()) {
    return MakeError(check->state.sealed() ? "seal.differs" : "seal.not_sealed",
                     check->Problem() + ": the count stops");
  }
  return Status::Ok();
}

Result<bool> ClosingSealCheckOnce(counting::CountStores& stores, const std::string& election_id,
                                  const seal::SealSources& sources, const services::Actor& actor) {
  auto closing = ClosingChecks(stores, election_id);
  if (!closing) return closing.error();
  if (!closing->empty()) return false;
  auto check = seal::CheckSeal(stores, election_id, sources, "closing", actor);
  if (!check) return check.error();
  return true;
}

Result<counting::Tally> StoredTally(const CountFolder& folder) {
  auto j = ReadJson(folder.tally(), "count.no_tally", "the tally is not prepared yet");
  if (!j) return j.error();
  auto t = counting::ReadTally(*j);
  if (!t) return MakeError(t.error().code, "tally.json: " + t.error().message);
  return t;
}

std::vector<uint32_t> StoredPartials(const CountFolder& folder) {
  std::vector<uint32_t> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder.partials(), ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("partial-") || !name.ends_with(".json")) continue;
    const std::string number = name.substr(8, name.size() - 13);
    if (number.empty() || number.size() > 4 ||
        number.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    out.push_back(static_cast<uint32_t>(std::stoul(number)));
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<counting::Tally> PrepareCount(counting::CountStores& stores, const std::string& election_id,
                                     const seal::SealSources& sources, const CountFolder& folder,
                                     const services::Actor& actor,
                                     const counting::CountOptions& options) {
  if (!StoredPartials(folder).empty()) {
    return MakeError("count.prepared",
                     "the tally is prepared and key holders have decrypted it: it stays");
  }
  // Before the grace period ends, refused before the seal check is recorded.
  auto ctx = counting::LoadCountContext(stores, election_id);
  if (!ctx) return ctx.error();
  if (actor.now < ctx->election.window.closing.utc + portal::kClosingGraceSeconds) {
    return MakeError("count.not_closed",
                     "the vote closes at " + ctx->election.window.closing.local +
                         " (Paris time), then voters logged in before have " +
                         std::to_string(portal::kClosingGraceSeconds / 60) +
                         " minutes to finish: prepare the count after that");
  }
  if (Status st = CountSealGate(stores, election_id, sources, actor); !st) return st.error();
  auto tally = counting::PrepareTally(stores, election_id, actor, options);
  if (!tally) return tally.error();
  if (Status st = WriteAtomically(folder.tally(),
                                  counting::DocumentText(counting::TallyJson(*tally)));
      !st) {
    return st.error();
  }
  return tally;
}

Result<counting::PartialFile> AcceptPartial(counting::CountStores& stores,
                                            const std::string& election_id,
                                            const CountFolder& folder,
                                            const nlohmann::json& partial,
                                            const std::string& member,
                                            const services::Actor& actor) {
  auto tally = StoredTally(folder);
  if (!tally) return tally.error();
  auto ctx = counting::LoadCountContext(stores, election_id);
  if (!ctx) return ctx.error();
  auto p = counting::ReadPartialFile(partial);
  if (!p) return p.error();
  auto bad = [](const std::string& field, const std::string& why) {
    return MakeError("count.partial_mismatch", field + ": " + why);
  };
  if (p->election_id != election_id) return bad("election", "for another election");
  if (p->fingerprint != tally->fingerprint) return bad("fingerprint", "not the election's");
  if (p->tally_digest != counting::TallyDigest(*tally)) {
    return bad("tally_digest", "made from another tally than the one prepared");
  }
  const std::string who = counting::HolderName(ctx->holders, p->holder);
  if (p->holder < 1 || p->holder > ctx->holders.size() ||
      ctx->holders[p->holder - 1] != member) {
    return MakeError("count.partial_not_yours",
                     "holder: " + who + " is not a fragment of " + member);
  }
  std::error_code ec;
  if (fs::exists(folder.partial(p->holder), ec)) {
    return MakeError("count.partial_given", who + " has already given its partial decryption");
  }
  if (p->scrutins.size() != tally->scrutins.size()) {
    return bad("scrutins", std::to_string(p->scrutins.size()) + " scrutins, the tally has " +
                               std::to_string(tally->scrutins.size()));
  }
  const crypto::Point& h = tally->verification_keys.at(p->holder - 1);
  for (size_t i = 0; i < p->scrutins.size(); ++i) {
    const auto& s = tally->scrutins[i];
    if (p->scrutins[i] != s.scrutin) {
      return bad("scrutins[" + std::to_string(i) + "].scrutin",
                 "\"" + p->scrutins[i] + "\" where the tally has \"" + s.scrutin + "\"");
    }
    if (p->partials[i].holder != p->holder) {
      return bad("scrutins[" + std::to_string(i) + "]", "another holder's decryption");
    }
    Status st = crypto::VerifyPartialDecryption(tally->fingerprint, tally->public_key, s.scrutin,
                                                h, s.sums, p->partials[i]);
    if (!st) {
      return MakeError("count.partial_proof", "scrutins[" + std::to_string(i) + "] (" +
                                                  s.scrutin + "): " + who + ": " +
                                                  st.error().message);
    }
  }
  const std::string text = counting::DocumentText(counting::PartialFileJson(*p));
  if (Status st = seal::Audit(stores, election_id, actor, "tally.partial",
                              {{"holder", p->holder},
                               {"member", member},
                               {"tally_digest", HexEncode(p->tally_digest)},
                               {"sha256", HexEncode(crypto::Sha256(ToBytes(text)))}});
      !st) {
    return st.error();
  }
  if (Status st = WriteAtomically(folder.partial(p->holder), text); !st) return st.error();
  return p;
}

Result<counting::CombineOutcome> CombineCount(counting::CountStores& stores,
                                              const std::string& election_id,
                                              const CountFolder& folder,
                                              const services::Actor& actor) {
  auto tally = ReadJson(folder.tally(), "count.no_tally", "the tally is not prepared yet");
  if (!tally) return tally.error();
  auto ctx = counting::LoadCountContext(stores, election_id);
  if (!ctx) return ctx.error();
  const std::vector<uint32_t> given = StoredPartials(folder);
  if (given.size() < ctx->ceremony.threshold) {
    return MakeError("count.too_few", std::to_string(given.size()) +
                                          " partial decryption(s) given, " +
                                          std::to_string(ctx->ceremony.threshold) + " needed");
  }
  std::vector<counting::NamedDocument> partials;
  for (uint32_t j : given) {
    const std::string name = folder.partial(j).filename().string();
    auto p = ReadJson(folder.partial(j), "count.file", name + ": missing");
    if (!p) return p.error();
    partials.push_back({name, std::move(*p)});
  }
  auto outcome = counting::CombineTally(stores, election_id, {"tally.json", *tally}, partials, actor);
  if (!outcome) return outcome.error();
  if (Status st = WriteAtomically(folder.results(), counting::DocumentText(outcome->results)); !st) {
    return st.error();
  }
  return outcome;
}

Result<nlohmann::json> StoredResults(const CountFolder& folder) {
  return ReadJson(folder.results(), "count.no_results", "the partial decryptions are not combined yet");
}

Result<PvState> WriteCountPvs(counting::CountStores& stores, const std::string& election_id,
                              const CountFolder& folder, const services::Actor& actor) {
  auto results = StoredResults(folder);
  if (!results) return results.error();
  return WriteProcesVerbaux(stores, election_id, *results, folder.pv(), actor);
}

Result<seal::Seal> PublishCount(counting::CountStores& stores, const std::string& election_id,
                                const CountFolder& folder, const fs::path& published,
                                const seal::SealSources& sources, const services::Actor& actor) {
  auto results = StoredResults(folder);
  if (!results) return results.error();
  return Publish(stores, election_id, *results, folder.pv(), published, sources, actor);
}

}  // namespace isoloir::pv
