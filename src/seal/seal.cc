// Seal digest, JSON, comparison and approvals (docs/seal.md).
#include "seal/seal.h"

#include <algorithm>
#include <set>

#include "common/bytes.h"
#include "counting/json_fields.h"

namespace isoloir::seal {

crypto::Digest SealDigest(const Seal& seal) {
  crypto::Transcript t(kSealLabel);
  t.Add(seal.fingerprint).Add(seal.kind).AddU64(seal.components.size());
  for (const auto& c : seal.components) t.Add(c.name).Add(c.sha256);
  return t.Finish();
}

nlohmann::json SealJson(const Seal& seal) {
  nlohmann::json components = nlohmann::json::array();
  for (const auto& c : seal.components) {
    components.push_back({{"name", c.name}, {"sha256", HexEncode(c.sha256)}});
  }
  return {{"format", kSealFormat},
          {"election", seal.election_id},
          {"fingerprint", HexEncode(seal.fingerprint)},
          {"kind", seal.kind},
          {"components", components},
          {"digest", HexEncode(SealDigest(seal))}};
}

Result<Seal> ReadSeal(const nlohmann::json& j) {
  return counting::fields::Guard<Seal>([&] {
    using namespace counting::fields;
    Document(j, kSealFormat, {"format", "election", "fingerprint", "kind", "components", "digest"});
    Seal s;
    s.election_id = Text(j["election"], "election");
    s.fingerprint = Hex32(j["fingerprint"], "fingerprint");
    s.kind = Text(j["kind"], "kind");
    if (s.kind != "initial" && s.kind != "final") {
      Fail("kind", "seal.kind", "\"" + s.kind + "\" is neither \"initial\" nor \"final\"");
    }
    const auto& cs = Array(j["components"], "components", 1, 100000);
    for (size_t i = 0; i < cs.size(); ++i) {
      const std::string path = Index("components", i);
      Object(cs[i], path, {"name", "sha256"});
      SealComponent c{Text(cs[i]["name"], Sub(path, "name")),
                      Hex32(cs[i]["sha256"], Sub(path, "sha256"))};
      if (!s.components.empty() && !(s.components.back().name < c.name)) {
        Fail(Sub(path, "name"), "seal.order", "components must be sorted by name, each once");
      }
      s.components.push_back(std::move(c));
    }
    const crypto::Digest digest = Hex32(j["digest"], "digest");
    if (digest != SealDigest(s)) {
      Fail("digest", "seal.digest", "is not the digest of the components (docs/seal.md)");
    }
    return s;
  });
}

const char* ComponentStateName(ComponentState s) {
  switch (s) {
    case ComponentState::kOk:
      return "OK";
    case ComponentState::kDifferent:
      return "DIFFERENT";
    case ComponentState::kMissing:
      return "MISSING";
    case ComponentState::kAdded:
      return "ADDED";
    case ComponentState::kDesk:
      return "DESK";
  }
  return "DIFFERENT";
}

std::vector<ComponentCheck> CompareSeal(const Seal& sealed, const std::vector<SealComponent>& now) {
  std::vector<ComponentCheck> out;
  size_t i = 0, k = 0;
  const auto& a = sealed.components;
  while (i < a.size() || k < now.size()) {
    if (k == now.size() || (i < a.size() && a[i].name < now[k].name)) {
      out.push_back({a[i++].name, ComponentState::kMissing});
    } else if (i == a.size() || now[k].name < a[i].name) {
      out.push_back({now[k++].name, ComponentState::kAdded});
    } else {
      out.push_back({a[i].name, a[i].sha256 == now[k].sha256 ? ComponentState::kOk
                                                             : ComponentState::kDifferent});
      ++i;
      ++k;
    }
  }
  return out;
}

bool AllOk(const std::vector<ComponentCheck>& checks) {
  return std::all_of(checks.begin(), checks.end(), [](const ComponentCheck& c) {
    return c.state == ComponentState::kOk || c.state == ComponentState::kDesk;
  });
}

std::optional<election::BveRole> HolderRole(const election::Election& e, uint32_t holder) {
  const auto holders = counting::FragmentHolders(e);
  if (holder == 0 || holder > holders.size()) return std::nullopt;
  for (const auto& m : e.bve.members) {
    if (m.id == holders[holder - 1]) return m.role;
  }
  return std::nullopt;
}

Status CheckMemberSignature(const MemberSignature& a, std::string_view purpose,
                            const std::string& election_id, const crypto::Digest& fingerprint,
                            const crypto::Digest& digest, const election::Election& election,
                            const std::vector<crypto::Point>& verification_keys,
                            const std::string& code) {
  auto bad = [&](const std::string& field, const std::string& why) {
    return MakeError(code, field + ": " + why);
  };
  if (a.purpose != purpose) {
    return bad("purpose", "\"" + a.purpose + "\", not \"" + std::string(purpose) + "\"");
  }
  if (a.election_id != election_id) return bad("election", "for another election");
  if (a.fingerprint != fingerprint) return bad("fingerprint", "not the election's");
  if (a.digest != digest) {
    return bad("digest", "signs another " + std::string(purpose == "seal" ? "seal" : "document") +
                             " than " + HexEncode(digest));
  }
  const auto holders = counting::FragmentHolders(election);
  if (a.holder > holders.size() || a.holder > verification_keys.size()) {
    return bad("holder", "fragment " + std::to_string(a.holder) + " is not one of the BVE's");
  }
  if (holders[a.holder - 1] != a.member) {
    return bad("member", "fragment " + std::to_string(a.holder) + " is held by " +
                             holders[a.holder - 1] + ", not " + a.member);
  }
  if (!VerifyMemberSignature(a, verification_keys[a.holder - 1])) {
    return bad("signature", "does not verify against the verification key of fragment " +
                                std::to_string(a.holder) + " (protocol §13)");
  }
  return Status::Ok();
}

Status CheckApproval(const MemberSignature& a, const Seal& seal, const crypto::Digest& digest,
                     const election::Election& election,
                     const std::vector<crypto::Point>& verification_keys) {
  return CheckMemberSignature(a, "seal", seal.election_id, seal.fingerprint, digest, election,
                              verification_keys, "seal.approval");
}

std::vector<std::string> MissingApprovals(const election::Election& e,
                                          const std::vector<MemberSignature>& approvals) {
  bool president = false, delegue = false;
  for (const auto& a : approvals) {
    auto role = HolderRole(e, a.holder);
    if (role == election::BveRole::kPresident) president = true;
    if (role == election::BveRole::kDelegue) delegue = true;
  }
  std::vector<std::string> out;
  if (!president) out.push_back("the président");
  if (!delegue) out.push_back("a délégué de liste");
  return out;
}

}  // namespace isoloir::seal
