// Reading the PVs' audit entries; see pv_log.h.
#include "pv/pv_log.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/bytes.h"
#include "seal/seal.h"

namespace isoloir::pv {
namespace {

using Json = nlohmann::json;

Status Read(std::optional<PvState>& state, const store::AuditEntry& entry) {
  if (entry.action != "pv.write" && entry.action != "pv.sign" && entry.action != "publish") {
    return Status::Ok();
  }
  auto d = Json::parse(entry.details, nullptr, false);
  if (!d.is_object()) return Status::Ok();
  if (entry.action == "pv.write") {
    PvState s;
    s.results_digest = d.value("results_digest", "");
    for (const auto& f : d.value("files", Json::array())) {
      auto sha = HexDecode(f.value("sha256", ""));
      PvFile file{f.value("scope", ""), f.value("file", ""), {}, {}};
      if (sha && sha->size() == 32) std::copy(sha->begin(), sha->end(), file.sha256.begin());
      s.files.push_back(std::move(file));
    }
    for (const auto& j : d.value("figures", Json::array())) {
      auto fig = ParseFiguresJson(j);
      if (!fig) {
        return MakeError("pv.audit",
                         "audit entry " + std::to_string(entry.seq) + ": " + fig.error().message);
      }
      s.figures.push_back(std::move(*fig));
    }
    state = std::move(s);
  } else if (entry.action == "pv.sign" && state) {
    auto sig = seal::ReadMemberSignature(d.value("signature", Json()));
    if (!sig) return Status::Ok();
    for (auto& f : state->files) {
      if (f.sha256 == sig->digest) f.signatures.push_back(*sig);
    }
  } else if (entry.action == "publish" && state) {
    state->published = true;
  }
  return Status::Ok();
}

}  // namespace

std::vector<std::string> PvState::Unsigned(const election::Election& e) const {
  std::vector<std::string> out;
  for (const auto& f : files) {
    for (const auto& m : seal::MissingApprovals(e, f.signatures)) out.push_back(f.file + ": " + m);
  }
  return out;
}

Result<std::optional<PvState>> ReadPvState(store::AuditLog& audit, const election::Election& e) {
  std::optional<PvState> state;
  uint64_t after = 0;
  for (;;) {
    auto entries = audit.List(e.id, after, 1000);
    if (!entries) return entries.error();
    if (entries->empty()) break;
    after = entries->back().seq;
    for (const auto& entry : *entries) {
      if (Status st = Read(state, entry); !st) return st.error();
    }
  }
  return state;
}

}  // namespace isoloir::pv
