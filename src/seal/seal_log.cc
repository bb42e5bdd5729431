// Reading the seal's audit entries; see seal_log.h.
#include "seal/seal_log.h"

#include <nlohmann/json.hpp>

namespace isoloir::seal {
namespace {

using Json = nlohmann::json;

Error AtEntry(uint64_t seq, const Error& e) {
  return MakeError("seal.audit", "audit entry " + std::to_string(seq) + ": " + e.message);
}

}  // namespace

Result<SealLog> ReadSealLog(store::AuditLog& audit, const election::Election& e) {
  SealLog log;
  SealState& state = log.state;
  uint64_t after = 0;
  for (;;) {
    auto entries = audit.List(e.id, after, 1000);
    if (!entries) return entries.error();
    if (entries->empty()) break;
    for (const auto& entry : *entries) {
      const bool desk = entry.action.rfind("desk.security_key", 0) == 0;
      if (entry.action.rfind("seal.", 0) != 0 && !desk) continue;
      auto details = Json::parse(entry.details, nullptr, false);
      if (!details.is_object()) continue;
      if (desk) {
        if (!state.seal) continue;  // before the seal: the seal covers it
        for (const auto& step : details.value("credentials", Json::array())) {
          if (!step.is_object()) continue;
          log.desk_steps[step.value("scrutin", "")].push_back(
              {step.value("before", ""), step.value("after", "")});
        }
      } else if (entry.action == "seal.prepare") {
        auto seal = ReadSeal(details.value("seal", Json()));
        if (!seal) return AtEntry(entry.seq, seal.error());
        state.seal = std::move(*seal);
        state.seal_entry = entry.seq;
        state.approvals.clear();
        log.desk_steps.clear();
        log.checks.clear();  // they checked an earlier seal, or none
      } else if (entry.action == "seal.approve") {
        auto a = ReadMemberSignature(details.value("approval", Json()));
        if (!a) return AtEntry(entry.seq, a.error());
        state.approvals.push_back(std::move(*a));
      } else if (entry.action == "seal.check") {
        SealCheckEntry c;
        c.moment = details.value("moment", "");
        c.ok = details.value("ok", false);
        c.sealed = details.value("sealed", false);
        c.seal_digest = details.value("seal_digest", "");
        for (const auto& d : details.value("different", Json::array())) {
          c.different.emplace_back(d.value("name", ""), d.value("state", ""));
        }
        log.checks.push_back(std::move(c));
      }
    }
    after = entries->back().seq;
  }
  state.missing = state.seal ? MissingApprovals(e, state.approvals)
                             : std::vector<std::string>{"the président", "a délégué de liste"};
  return log;
}

}  // namespace isoloir::seal
