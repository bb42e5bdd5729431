// Preparing, approving and checking the seal over the stores; see seal_service.h.
#include "seal/seal_service.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "common/bytes.h"
#include "crypto/codec.h"
#include "election/election_file.h"
#include "seal/components.h"

namespace isoloir::seal {
namespace {

using Json = nlohmann::json;

Status AppendFileComponents(const SealSources& src, std::vector<SealComponent>& out) {
  auto exe = FileSha256(src.executable);
  if (!exe) return exe.error();
  out.push_back({"binary/isoloir", *exe});
  if (src.embedded) {
    for (const auto& [name, bytes] : *src.embedded) {
      out.push_back(Component("embedded/" + name, bytes));
    }
  }
  std::error_code ec;
  if (!src.assets.empty() && std::filesystem::is_directory(src.assets, ec)) {
    for (const auto& f : std::filesystem::recursive_directory_iterator(src.assets, ec)) {
      if (!f.is_regular_file()) continue;
      auto d = FileSha256(f.path());
      if (!d) return d.error();
      out.push_back(
          {"assets/" + std::filesystem::relative(f.path(), src.assets).generic_string(), *d});
    }
  }
  return Status::Ok();
}

// A credential list that differs from the sealed one is DESK when the desk's
// steps lead from the sealed digest to the current one (docs/seal.md).
void ExplainDeskChanges(const Seal& sealed, const std::vector<SealComponent>& now,
                        const std::map<std::string, std::vector<DeskStep>>& steps,
                        std::vector<ComponentCheck>& checks) {
  auto digest_in = [](const std::vector<SealComponent>& list, const std::string& name) {
    auto it = std::find_if(list.begin(), list.end(),
                           [&](const SealComponent& c) { return c.name == name; });
    return it == list.end() ? std::string() : HexEncode(it->sha256);
  };
  for (auto& c : checks) {
    if (c.state != ComponentState::kDifferent || !c.name.starts_with("credentials/")) continue;
    auto found = steps.find(c.name.substr(12));
    if (found == steps.end()) continue;
    std::string d = digest_in(sealed.components, c.name);
    for (const auto& step : found->second) {
      if (step.before == d) d = step.after;
    }
    if (d == digest_in(now, c.name)) c.state = ComponentState::kDesk;
  }
}

}  // namespace

Status Audit(counting::CountStores& stores, const std::string& election_id,
             const services::Actor& actor, const std::string& action, const Json& details) {
  auto r = stores.audit.Append(election_id, actor.now, actor.name, action, details.dump());
  if (!r) return r.error();
  return Status::Ok();
}

Result<crypto::Digest> FileSha256(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("seal.file", path.string() + ": cannot be read");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return MakeError("seal.file", path.string() + ": cannot be read");
  return crypto::Sha256(ToBytes(bytes));
}

Result<std::vector<SealComponent>> ComputeComponents(counting::CountStores& stores,
                                                     const counting::CountContext& ctx,
                                                     const SealSources& sources,
                                                     const Json* results) {
  std::vector<SealComponent> out;
  if (Status st = AppendFileComponents(sources, out); !st) return st.error();
  auto record = stores.roll.GetElection(ctx.election.id);
  if (!record) return record.error();
  if (!*record) return MakeError("seal.election", "no election " + ctx.election.id);
  out.push_back(Component("election/definition", (*record)->definition));
  for (auto& c : ElectionComponents(election::ElectionToJson(ctx.election), ctx.fingerprint)) {
    out.push_back(std::move(c));
  }
  RollDigest roll;
  std::string after;
  for (;;) {
    auto page = stores.roll.ListVoters(ctx.election.id, after, 10000);
    if (!page) return page.error();
    if (page->empty()) break;
    for (const auto& v : *page) roll.Add(v);
    after = page->back().matricule;
  }
  out.push_back(roll.Finish());
  for (const auto& s : ctx.election.scrutins) {
    auto listed = stores.urne.ListPublicCredentials(ctx.election.id, s.code);
    if (!listed) return listed.error();
    out.push_back(CredentialsComponent(s.code, *listed));
  }
  for (auto& c : KeyComponents(ctx.ceremony.public_key, ctx.ceremony.verification_keys)) {
    out.push_back(std::move(c));
  }
  if (results) out.push_back(Component("results", crypto::codec::Canonical(*results)));
  SortComponents(out);
  return out;
}

Result<Seal> PrepareSeal(counting::CountStores& stores, const std::string& election_id,
                         const SealSources& sources, const services::Actor& actor) {
  auto ctx = counting::LoadCountContext(stores, election_id);
  if (!ctx) return ctx.error();
  if (auto errors = election::CheckReadyToSeal(ctx->election); !errors.empty()) {
    return election::CombineErrors(errors, "seal.not_ready");
  }
  auto log = ReadSealLog(stores.audit, ctx->election);
  if (!log) return log.error();
  SealState* state = &log->state;
  if (state->sealed()) {
    return MakeError("seal.already_sealed", "election " + election_id +
                                                " is already sealed (seal " +
                                                HexEncode(SealDigest(*state->seal)) +
                                                "): check it with `isoloir seal check`");
  }
  for (const auto& s : ctx->election.scrutins) {
    auto ballots = stores.urne.Count(election_id, s.code);
    if (!ballots) return ballots.error();
    auto emargements = stores.emargement.Count(election_id, s.code);
    if (!emargements) return emargements.error();
    if (*ballots != 0 || *emargements != 0) {
      return MakeError("seal.urne_not_empty",
                       "scrutin " + s.code + " has " + std::to_string(*ballots) +
                           " ballot(s) and " + std::to_string(*emargements) +
                           " émargement(s): a seal is made on an empty urne");
    }
  }
  auto record = stores.roll.GetElection(election_id);
  if (!record) return record.error();
  if (*record && !(*record)->roll_frozen) {
    if (Status st = stores.roll.FreezeRoll(election_id, actor.now); !st) return st.error();
  }
  auto components = ComputeComponents(stores, *ctx, sources);
  if (!components) return components.error();
  Seal seal{election_id, ctx->fingerprint, "initial", std::move(*components)};
  if (Status st = Audit(stores, election_id, actor, "seal.prepare", {{"seal", SealJson(seal)}});
      !st) {
    return st.error();
  }
  return seal;
}

Result<SealState> ApproveSeal(counting::CountStores& stores, const std::string& election_id,
                              const MemberSignature& approval, const services::Actor& actor) {
  auto ctx = counting::LoadCountContext(stores, election_id);
  if (!ctx) return ctx.error();
  auto log = ReadSealLog(stores.audit, ctx->election);
  if (!log) return log.error();
  SealState* state = &log->state;
  if (!state->seal) {
    return MakeError("seal.none", "election " + election_id +
                                      " has no seal to approve: run `isoloir seal prepare` first");
  }
  if (Status st = CheckApproval(approval, *state->seal, SealDigest(*state->seal), ctx->election,
                                ctx->ceremony.verification_keys);
      !st) {
    return st.error();
  }
  for (const auto& a : state->approvals) {
    if (a.holder == approval.holder) {
      return MakeError("seal.approval", "holder: fragment " + std::to_string(a.holder) + " (" +
                                            a.member + ") already approved this seal");
    }
  }
  if (Status st = Audit(stores, election_id, actor, "seal.approve",
                        {{"approval", MemberSignatureJson(approval)}});
      !st) {
    return st.error();
  }
  state->approvals.push_back(approval);
  state->missing = MissingApprovals(ctx->election, state->approvals);
  return std::move(*state);
}

std::string SealCheck::Problem() const {
  if (!state.seal) return "the election is not sealed (no `isoloir seal prepare`)";
  if (!state.missing.empty()) {
    std::string who;
    for (const auto& m : state.missing) who += (who.empty() ? "" : " and ") + m;
    return "the seal is not approved yet: missing " + who;
  }
  std::string diff;
  for (const auto& c : components) {
    if (c.state == ComponentState::kOk || c.state == ComponentState::kDesk) continue;
    diff += (diff.empty() ? "" : ", ") + c.name + " " + ComponentStateName(c.state);
  }
  return diff.empty() ? "" : "the system differs from its seal: " + diff;
}

Result<SealCheck> CheckSeal(counting::CountStores& stores, const std::string& election_id,
                            const SealSources& sources, const std::string& moment,
                            const services::Actor& actor) {
  auto ctx = counting::LoadCountContext(stores, election_id);
  if (!ctx) return ctx.error();
  auto log = ReadSealLog(stores.audit, ctx->election);
  if (!log) return log.error();
  SealState* state = &log->state;
  SealCheck out{std::move(*state), {}};
  Json different = Json::array(), desk = Json::array();
  if (out.state.seal) {
    auto now = ComputeComponents(stores, *ctx, sources);
    if (!now) return now.error();
    out.components = CompareSeal(*out.state.seal, *now);
    ExplainDeskChanges(*out.state.seal, *now, log->desk_steps, out.components);
    for (const auto& c : out.components) {
      if (c.state == ComponentState::kDesk) desk.push_back(c.name);
      if (c.state != ComponentState::kOk && c.state != ComponentState::kDesk) {
        different.push_back({{"name", c.name}, {"state", ComponentStateName(c.state)}});
      }
    }
  }
  Json details = {{"moment", moment},
                  {"ok", out.ok()},
                  {"sealed", out.state.sealed()},
                  {"different", different}};
  if (!desk.empty()) details["desk"] = desk;
  if (out.state.seal) details["seal_digest"] = HexEncode(SealDigest(*out.state.seal));
  if (Status st = Audit(stores, election_id, actor, "seal.check", details); !st) {
    return st.error();
  }
  return out;
}

}  // namespace isoloir::seal
