// The seal and the members' signatures under /bve (docs/seal.md, docs/pv.md
// "In the browser"): /bve/scellement shows the seal, lets the organiser
// prepare it and anyone of the BVE check it; /bve/signatures lets a member
// sign the seal and the PVs with their fragment in the page (/static/sign.js),
// the server storing the signature through the same services as the CLI.
#include <fstream>
#include <sstream>

#include "common/bytes.h"
#include "crypto/codec.h"
#include "pv/pv_service.h"
#include "seal/seal_service.h"
#include "web/embedded.h"
#include "web/forms.h"
#include "web/staff_pages.h"

namespace isoloir::web {

namespace {

const Error kCsrfError{"csrf", "bad CSRF token"};

// A service's refusal as the page shows it: a lead message by code, then the
// service's own words (which name the field).
std::string Refusal(Lang lang, const Error& e) {
  std::string key = "sign_err_refused";
  if (e.code == "seal.not_ready") key = "sign_err_not_ready";
  if (e.code == "seal.already_sealed") key = "sign_err_already_sealed";
  if (e.code == "seal.urne_not_empty") key = "sign_err_urne_not_empty";
  if (e.code == "seal.none") key = "sign_err_no_seal";
  if (e.code == "pv.none" || e.code == "pv.published") key = "sign_err_no_pv";
  if (e.code == "sign.member") key = "sign_err_member";
  if (e.code == "sign.format") key = "sign_err_format";
  if (e.code == "csrf") return Text(lang, "err_csrf");
  return Text(lang, key) + " " + e.message;
}

bool ServiceRefusal(const Error& e) {
  return e.code.starts_with("seal.") || e.code.starts_with("pv.") || e.code.starts_with("sign.") ||
         e.code == "csrf";
}

std::string RoleText(Lang lang, const election::Election& e, uint32_t holder) {
  auto role = seal::HolderRole(e, holder);
  if (!role) return "";
  return Text(lang, *role == election::BveRole::kPresident    ? "bve_role_president"
                    : *role == election::BveRole::kSecretaire ? "bve_role_secretaire"
                                                              : "bve_role_delegue");
}

nlohmann::json Signers(Lang lang, const election::Election& e,
                       const std::vector<seal::MemberSignature>& signatures) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : signatures) {
    out.push_back({{"holder", std::to_string(s.holder)},
                   {"member", s.member},
                   {"role", RoleText(lang, e, s.holder)}});
  }
  return out;
}

nlohmann::json ComponentsJson(const seal::Seal& s) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : s.components) {
    out.push_back({{"name", c.name}, {"sha256", HexEncode(c.sha256)}});
  }
  return out;
}

bool SignedBy(const std::vector<seal::MemberSignature>& signatures, const std::string& member,
              const std::vector<std::string>& holders) {
  size_t mine = 0, done = 0;
  for (size_t j = 0; j < holders.size(); ++j) {
    if (holders[j] != member) continue;
    ++mine;
    for (const auto& s : signatures) done += s.holder == j + 1;
  }
  return mine > 0 && done >= mine;
}

}  // namespace

HttpResponse StaffPages::SealPage(const Error* error, const std::string& notice,
                                  const nlohmann::json* check, int status) {
  const election::Election& e = app_.site().election;
  auto log = seal::ReadSealLog(c_.stores().audit, e);
  if (!log) return app_.InternalError(c_, log.error());
  std::vector<std::pair<std::string, std::string>> summary;
  if (error) summary.emplace_back("", Refusal(c_.lang, *error));
  nlohmann::json data = {{"errors", ErrorList(summary)}};
  if (!notice.empty()) data["notice"] = notice;
  const seal::SealState& st = log->state;
  if (st.seal) {
    const nlohmann::json components = ComponentsJson(*st.seal);
    nlohmann::json missing = nlohmann::json::array();
    for (const auto& m : st.missing) {
      // seal::MissingApprovals' words, in the page's language.
      const char* key = m == "the président"        ? "sign_missing_president"
                        : m == "a délégué de liste" ? "sign_missing_delegue"
                                                    : nullptr;
      missing.push_back({{"who", key ? Text(c_.lang, key) : m}});
    }
    data["seal"] = {{"digest", HexEncode(seal::SealDigest(*st.seal))},
                    {"kind", st.seal->kind},
                    {"components", components},
                    {"count", std::to_string(components.size())},
                    {"approvals", Signers(c_.lang, e, st.approvals)},
                    {"has_approvals", !st.approvals.empty()},
                    {"missing", missing},
                    {"sealed", st.sealed()}};
  }
  data["can_prepare"] =
      portal::Allowed(staff_->role, portal::StaffRight::kSealPrepare) && !st.sealed();
  data["can_sign"] = portal::Allowed(staff_->role, portal::StaffRight::kSign);
  if (check) data["check"] = *check;
  return StaffPage(Text(c_.lang, "sign_seal_title"), "bve_scellement", data, "/bve/scellement",
                   status);
}

HttpResponse StaffPages::PostSealPrepare() {
  std::map<std::string, std::string> f;
  if (!PostedForm(f)) {
    return SealPage(&kCsrfError, "", nullptr, 400);
  }
  auto stores = CountView();
  const seal::SealSources sources = app_.PortalSealSources();
  auto s =
      seal::PrepareSeal(stores, app_.site().election.id, sources, {staff_->Actor(), app_.Now()});
  if (!s) {
    if (!ServiceRefusal(s.error())) return app_.InternalError(c_, s.error());
    return SealPage(&s.error(), "", nullptr, 409);
  }
  return SealPage(nullptr, Text(c_.lang, "sign_prepared") + " " + HexEncode(seal::SealDigest(*s)),
                  nullptr, 200);
}

HttpResponse StaffPages::PostSealCheck() {
  std::map<std::string, std::string> f;
  if (!PostedForm(f)) {
    return SealPage(&kCsrfError, "", nullptr, 400);
  }
  auto stores = CountView();
  const seal::SealSources sources = app_.PortalSealSources();
  auto check = seal::CheckSeal(stores, app_.site().election.id, sources, "on_demand",
                               {staff_->Actor(), app_.Now()});
  if (!check) return app_.InternalError(c_, check.error());
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& comp : check->components) {
    const std::string state = seal::ComponentStateName(comp.state);
    rows.push_back(
        {{"name", comp.name}, {"state", state}, {"ok", comp.state == seal::ComponentState::kOk}});
  }
  nlohmann::json result = {{"ok", check->ok()},
                           {"components", rows},
                           {"problem", check->Problem()},
                           {"time", app_.HumanTime(c_.lang, app_.Now())}};
  return SealPage(nullptr, "", &result, 200);
}

HttpResponse StaffPages::SigningPage(const Error* error, const std::string& notice, int status) {
  auto stores = CountView();
  const election::Election& e = app_.site().election;
  const std::string& member = staff_->record.staff_id;
  auto ctx = counting::LoadCountContext(stores, e.id);
  std::vector<std::pair<std::string, std::string>> summary;
  if (error) summary.emplace_back("", Refusal(c_.lang, *error));
  nlohmann::json data = {{"member", member}};
  if (!notice.empty()) data["notice"] = notice;
  if (!ctx) {
    // Before the key ceremony there is nothing to sign with.
    data["no_ceremony"] = true;
    data["errors"] = ErrorList(summary);
    return StaffPage(Text(c_.lang, "sign_sign_title"), "bve_scellement_signatures", data,
                     "/bve/signatures", status);
  }
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& h : ctx->ceremony.verification_keys) keys.push_back(crypto::codec::Encode(h));
  nlohmann::json mine = nlohmann::json::array();
  for (size_t j = 0; j < ctx->holders.size(); ++j) {
    if (ctx->holders[j] == member) mine.push_back(j + 1);
  }
  data["signer"] = {{"election", e.id},
                    {"fingerprint", HexEncode(ctx->fingerprint)},
                    {"public_key", crypto::codec::Encode(ctx->ceremony.public_key)},
                    {"keys", keys.dump()},
                    {"holders", mine.dump()}};
  nlohmann::json items = nlohmann::json::array();
  auto log = seal::ReadSealLog(stores.audit, e);
  if (!log) return app_.InternalError(c_, log.error());
  if (const auto& st = log->state; st.seal) {
    const nlohmann::json components = ComponentsJson(*st.seal);
    items.push_back({{"id", "scellement"},
                     {"purpose", "seal"},
                     {"title", Text(c_.lang, "sign_item_seal")},
                     {"digest", HexEncode(seal::SealDigest(*st.seal))},
                     {"components", components},
                     {"has_components", true},
                     {"signers", Signers(c_.lang, e, st.approvals)},
                     {"done", SignedBy(st.approvals, member, ctx->holders)}});
  }
  auto pvs = pv::ReadPvState(stores.audit, e);
  if (!pvs) return app_.InternalError(c_, pvs.error());
  if (*pvs && !(*pvs)->published) {
    size_t n = 0;
    for (const auto& file : (*pvs)->files) {
      items.push_back({{"id", "pv-" + std::to_string(++n)},
                       {"purpose", "pv"},
                       {"title", Text(c_.lang, "sign_item_pv") + " " + file.file},
                       {"digest", HexEncode(file.sha256)},
                       {"file", file.file},
                       {"href", "/bve/pv?fichier=" + PercentEncode(file.file)},
                       {"signers", Signers(c_.lang, e, file.signatures)},
                       {"done", SignedBy(file.signatures, member, ctx->holders)}});
    }
  }
  for (auto& item : items) item["has_signers"] = !item["signers"].empty();
  data["items"] = items;
  data["has_items"] = !items.empty();
  data["errors"] = ErrorList(summary);
  return StaffPage(Text(c_.lang, "sign_sign_title"), "bve_scellement_signatures", data,
                   "/bve/signatures", status);
}

HttpResponse StaffPages::PostSignature() {
  std::map<std::string, std::string> f;
  if (!PostedForm(f)) {
    return SigningPage(&kCsrfError, "", 400);
  }
  auto j = nlohmann::json::parse(f["signature"], nullptr, false);
  auto sig = j.is_discarded() ? Result<seal::MemberSignature>(MakeError("sign.format", "not JSON"))
                              : seal::ReadMemberSignature(j);
  if (!sig) {
    Error err{"sign.format", sig.error().message};
    return SigningPage(&err, "", 400);
  }
  // A member signs for themself: the fragment's member is the account's.
  if (sig->member != staff_->record.staff_id) {
    Error err{"sign.member", "member: the signature is " + sig->member +
                                 "'s, you are logged in as " + staff_->record.staff_id};
    return SigningPage(&err, "", 403);
  }
  auto stores = CountView();
  const services::Actor actor{staff_->Actor(), app_.Now()};
  const std::string& election_id = app_.site().election.id;
  std::string notice;
  if (sig->purpose == "seal") {
    auto st = seal::ApproveSeal(stores, election_id, *sig, actor);
    if (!st) {
      if (!ServiceRefusal(st.error())) return app_.InternalError(c_, st.error());
      return SigningPage(&st.error(), "", 400);
    }
    notice = Text(c_.lang, st->sealed() ? "sign_seal_done_sealed" : "sign_seal_done");
    if (st->sealed()) {
      // The opening check again: a portal started unsealed accepts ballots
      // once the seal holds (docs/seal.md), without a restart.
      auto check = seal::CheckSeal(stores, election_id, app_.PortalSealSources(), "opening", actor);
      if (!check) return app_.InternalError(c_, check.error());
      app_.site().seal_gate->Set(check->ok() ? "" : check->Problem());
    }
  } else {
    auto st = pv::AddPvSignature(stores, election_id, *sig, actor);
    if (!st) {
      if (!ServiceRefusal(st.error())) return app_.InternalError(c_, st.error());
      return SigningPage(&st.error(), "", 400);
    }
    notice = Text(c_.lang, "sign_pv_done");
  }
  return SigningPage(nullptr, notice, 200);
}

HttpResponse StaffPages::PvDownload(const std::string& name) {
  // Only a file the latest "pv.write" names, from the PV folder.
  auto pvs = pv::ReadPvState(c_.stores().audit, app_.site().election);
  if (!pvs) return app_.InternalError(c_, pvs.error());
  // The folder `isoloir serve --pv-dir` names, else where /bve/depouillement writes them.
  const std::filesystem::path folder =
      !app_.options_.pv_folder.empty() ? app_.options_.pv_folder
      : app_.options_.count.empty()    ? std::filesystem::path()
                                       : app_.CountFolder().pv();
  if (*pvs && !folder.empty()) {
    for (const auto& file : (*pvs)->files) {
      if (file.file != name) continue;
      std::ifstream in(folder / file.file, std::ios::binary);
      if (!in) break;
      std::ostringstream bytes;
      bytes << in.rdbuf();
      HttpResponse r;
      r.content_type = "application/pdf";
      r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file.file + "\"");
      r.body = bytes.str();
      return r;
    }
  }
  return app_.Message(c_, "not_found_title", {Text(c_.lang, "not_found")}, 404, "/bve/signatures",
                      "sign_sign_title");
}

}  // namespace isoloir::web
