// Writing, signing and publishing the procès-verbaux over the stores; see
// pv_service.h and docs/pv.md.
#include "pv/pv_service.h"

#include <fstream>
#include <functional>
#include <iterator>

#include "common/bytes.h"
#include "crypto/codec.h"
#include "pv/pv_pdf.h"
#include "seal/components.h"

namespace isoloir::pv {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string DigestHex(const Json& j) {
  return HexEncode(crypto::Sha256(ToBytes(crypto::codec::Canonical(j))));
}

// Every audit entry of the election, in order, to `f`.
Status ForEachAudit(store::AuditLog& audit, const std::string& election_id,
                    const std::function<Status(const store::AuditEntry&)>& f) {
  uint64_t after = 0;
  for (;;) {
    auto entries = audit.List(election_id, after, 1000);
    if (!entries) return entries.error();
    if (entries->empty()) return Status::Ok();
    for (const auto& e : *entries) {
      if (Status st = f(e); !st) return st;
    }
    after = entries->back().seq;
  }
}

// The results' figures per scrutin, in the election's order, after checking
// that `tally combine` wrote them (their digest is in the audit log).
Result<std::vector<PvFigures>> ResultsFigures(counting::CountStores& stores,
                                              const counting::CountContext& ctx,
                                              const Json& results) {
  const std::string& id = ctx.election.id;
  if (!results.is_object() || results.value("format", "") != "isoloir/results/v1" ||
      results.value("election", "") != id ||
      results.value("fingerprint", "") != HexEncode(ctx.fingerprint) ||
      !results.contains("scrutins") || !results["scrutins"].is_array()) {
    return MakeError("pv.results", "not the isoloir/results/v1 document of election " + id);
  }
  const std::string digest = DigestHex(results);
  bool combined = false;
  if (Status st = ForEachAudit(stores.audit, id,
                               [&](const store::AuditEntry& e) {
                                 if (e.action != "tally.combine") return Status::Ok();
                                 auto d = Json::parse(e.details, nullptr, false);
                                 if (d.is_object() && d.value("results_digest", "") == digest) {
                                   combined = true;
                                 }
                                 return Status::Ok();
                               });
      !st) {
    return st.error();
  }
  if (!combined) {
    return MakeError("pv.results_unknown",
                     "no `tally combine` of election " + id +
                         " wrote these results (their digest is not in the audit log)");
  }
  const Json& scrutins = results["scrutins"];
  if (scrutins.size() != ctx.election.scrutins.size()) {
    return MakeError("pv.results", "the results do not count every scrutin of the election");
  }
  std::vector<PvFigures> out;
  for (size_t i = 0; i < scrutins.size(); ++i) {
    auto f = ReadFigures(scrutins[i]);
    if (!f) {
      return MakeError(f.error().code, "scrutins[" + std::to_string(i) + "]: " + f.error().message);
    }
    if (f->scrutin != ctx.election.scrutins[i].code) {
      return MakeError("pv.results", "scrutins[" + std::to_string(i) + "] is " + f->scrutin +
                                         ", not " + ctx.election.scrutins[i].code);
    }
    out.push_back(std::move(*f));
  }
  return out;
}

Json StateFilesJson(const std::vector<PvFile>& files) {
  Json out = Json::array();
  for (const auto& f : files) {
    out.push_back({{"scope", f.scope}, {"file", f.file}, {"sha256", HexEncode(f.sha256)}});
  }
  return out;
}

}  // namespace

Result<PvState> WriteProcesVerbaux(counting::CountStores& stores, const std::string& election_id,
                                   const Json& results, const fs::path& folder,
                                   const services::Actor& actor) {
  auto ctx = counting::LoadCountContext(stores, election_id);
  if (!ctx) return ctx.error();
  auto figures = ResultsFigures(stores, *ctx, results);
  if (!figures) return figures.error();
  PvFacts facts;
  facts.election = ctx->election;
  facts.fingerprint = HexEncode(ctx->fingerprint);
  facts.figures = *figures;
  auto log = seal::ReadSealLog(stores.audit, ctx->election);
  if (!log) return log.error();
  facts.seal = std::move(*log);
  if (Status st = ForEachAudit(stores.audit, election_id,
                               [&](const store::AuditEntry& e) {
                                 AddAuditEntry(facts.audit, e);
                                 return Status::Ok();
                               });
      !st) {
    return st.error();
  }
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec)
    return MakeError("pv.file", folder.string() + ": cannot be created (" + ec.message() + ")");
  PvState state;
  state.results_digest = DigestHex(results);
  state.figures = *figures;
  auto write = [&](const std::string& scope, const std::string& file,
                   const PvDocument& doc) -> Status {
    if (Status st = WritePvPdf(doc, folder / file); !st) return st;
    auto sha = seal::FileSha256(folder / file);
    if (!sha) return sha.error();
    state.files.push_back({scope, file, *sha, {}});
    return Status::Ok();
  };
  for (size_t i = 0; i < facts.figures.size(); ++i) {
    auto doc = ScrutinPv(facts, i);
    if (!doc) return doc.error();
    const std::string& code = ctx->election.scrutins[i].code;
    if (Status st = write(code, "pv-" + code + ".pdf", *doc); !st) return st.error();
  }
  if (Status st = write("", "pv-election.pdf", ElectionPv(facts)); !st) return st.error();
  Json fig = Json::array();
  for (const auto& f : state.figures) fig.push_back(FiguresJson(f));
  if (Status st = seal::Audit(stores, election_id, actor, "pv.write",
                              {{"results_digest", state.results_digest},
                               {"files", StateFilesJson(state.files)},
                               {"figures", fig}});
      !st) {
    return st.error();
  }
  return state;
}

Result<PvState> AddPvSignature(counting::CountStores& stores, const std::string& election_id,
                               const seal::MemberSignature& sig, const services::Actor& actor) {
  auto ctx = counting::LoadCountContext(stores, election_id);
  if (!ctx) return ctx.error();
  auto state = ReadPvState(stores.audit, ctx->election);
  if (!state) return state.error();
  if (!*state) {
    return MakeError("pv.none", "election " + election_id + " has no PV: run `isoloir pv` first");
  }
  PvFile* file = nullptr;
  for (auto& f : (*state)->files) {
    if (f.sha256 == sig.digest) file = &f;
  }
  if (!file) {
    return MakeError("pv.signature", "digest: " + HexEncode(sig.digest) +
                                         " is not the SHA-256 of a PV `isoloir pv` wrote last");
  }
  if (Status st = seal::CheckMemberSignature(sig, "pv", ctx->election.id, ctx->fingerprint,
                                             file->sha256, ctx->election,
                                             ctx->ceremony.verification_keys, "pv.signature");
      !st) {
    return st.error();
  }
  for (const auto& s : file->signatures) {
    if (s.holder == sig.holder) {
      return MakeError("pv.signature", "holder: fragment " + std::to_string(s.holder) +
                                           " already signed " + file->file);
    }
  }
  if (Status st =
          seal::Audit(stores, election_id, actor, "pv.sign",
                      {{"file", file->file}, {"signature", seal::MemberSignatureJson(sig)}});
      !st) {
    return st.error();
  }
  file->signatures.push_back(sig);
  return std::move(**state);
}

Result<seal::Seal> Publish(counting::CountStores& stores, const std::string& election_id,
                           const Json& results, const fs::path& pv_folder,
                           const fs::path& published, const seal::SealSources& sources,
                           const services::Actor& actor) {
  auto ctx = counting::LoadCountContext(stores, election_id);
  if (!ctx) return ctx.error();
  auto state = ReadPvState(stores.audit, ctx->election);
  if (!state) return state.error();
  if (!*state) return MakeError("pv.none", "no PV yet: run `isoloir pv` first");
  const PvState& s = **state;
  if (s.published) return MakeError("pv.published", "election " + election_id + " is published");
  if (s.results_digest != DigestHex(results)) {
    return MakeError("pv.results", "these are not the results the PVs were written from");
  }
  if (auto missing = s.Unsigned(ctx->election); !missing.empty()) {
    std::string what;
    for (const auto& m : missing) what += (what.empty() ? "" : "; ") + m;
    return MakeError("pv.unsigned", "not signed yet: " + what);
  }
  auto components = seal::ComputeComponents(stores, *ctx, sources, &results);
  if (!components) return components.error();
  std::error_code ec;
  fs::create_directories(published, ec);
  if (ec) return MakeError("pv.file", published.string() + ": cannot be created");
  Json manifest = {{"format", "isoloir/published/v1"},
                   {"election", election_id},
                   {"results", "results.json"},
                   {"files", StateFilesJson(s.files)}};
  for (const auto& f : s.files) {
    auto sha = seal::FileSha256(pv_folder / f.file);
    if (!sha) return sha.error();
    if (*sha != f.sha256) {
      return MakeError("pv.changed", (pv_folder / f.file).string() +
                                         " is not the PV that was written and signed");
    }
    fs::copy_file(pv_folder / f.file, published / f.file, fs::copy_options::overwrite_existing, ec);
    if (ec) return MakeError("pv.file", (published / f.file).string() + ": cannot be written");
    components->push_back({"pv/" + f.file, f.sha256});
  }
  seal::SortComponents(*components);
  const seal::Seal final_seal{election_id, ctx->fingerprint, "final", std::move(*components)};
  auto put = [&](const std::string& name, const std::string& text) -> Status {
    const fs::path tmp = published / (name + ".part");
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << text;
      if (!out) return MakeError("pv.file", (published / name).string() + ": cannot be written");
    }
    fs::rename(tmp, published / name, ec);
    if (ec) return MakeError("pv.file", (published / name).string() + ": cannot be written");
    return Status::Ok();
  };
  if (Status st = put("results.json", crypto::codec::Canonical(results) + "\n"); !st) {
    return st.error();
  }
  if (Status st = seal::Audit(
          stores, election_id, actor, "publish",
          {{"results_digest", s.results_digest}, {"final_seal", seal::SealJson(final_seal)}});
      !st) {
    return st.error();
  }
  // Last: the portal shows the results once the manifest is there.
  if (Status st = put("published.json", manifest.dump(2) + "\n"); !st) return st.error();
  return final_seal;
}

}  // namespace isoloir::pv
