// Digests of the seal's public components (docs/seal.md, "Components").
#include "seal/components.h"

#include <algorithm>
#include <cstdio>

#include "common/bytes.h"
#include "crypto/codec.h"

namespace isoloir::seal {

SealComponent Component(std::string name, std::string_view bytes) {
  return {std::move(name), crypto::Sha256(ToBytes(bytes))};
}

void SortComponents(std::vector<SealComponent>& c) {
  std::sort(c.begin(), c.end(),
            [](const SealComponent& a, const SealComponent& b) { return a.name < b.name; });
}

std::vector<SealComponent> ElectionComponents(const nlohmann::json& ej,
                                              const crypto::Digest& fingerprint) {
  using crypto::codec::Canonical;
  nlohmann::json lists = nlohmann::json::array();
  for (const auto& s : ej.at("scrutins")) {
    lists.push_back({{"code", s.at("code")}, {"listes", s.at("listes")}});
  }
  return {{"election/fingerprint", fingerprint},
          Component("election/lists", Canonical(lists)),
          Component("election/window", Canonical(ej.at("window"))),
          Component("election/bve", Canonical(ej.at("bve")))};
}

std::vector<SealComponent> KeyComponents(const crypto::Point& y,
                                         const std::vector<crypto::Point>& h) {
  crypto::Transcript t("isoloir/seal/verification-keys/v1");
  t.AddU64(h.size());
  for (const auto& p : h) t.Add(p);
  return {{"keys/election", crypto::Transcript("isoloir/seal/election-key/v1").Add(y).Finish()},
          {"keys/verification", t.Finish()}};
}

SealComponent CredentialsComponent(const std::string& scrutin,
                                   const std::vector<std::string>& sorted) {
  crypto::Transcript t("isoloir/seal/credentials/v1");
  t.Add(scrutin).AddU64(sorted.size());
  for (const auto& c : sorted) t.Add(c);
  return {"credentials/" + scrutin, t.Finish()};
}

RollDigest::RollDigest() : t_("isoloir/seal/roll/v1") {}

void RollDigest::Add(const election::Voter& v) {
  char birth[16];
  std::snprintf(birth, sizeof birth, "%04d-%02d-%02d", v.naissance.year, v.naissance.month,
                v.naissance.day);
  std::string scrutins;
  for (const auto& s : v.scrutins) scrutins += (scrutins.empty() ? "" : ",") + s;
  t_.Add(v.matricule).Add(v.nom).Add(v.prenom).Add(std::string_view(birth)).Add(v.courriel);
  t_.Add(v.adresse).Add(v.section).Add(scrutins);
  ++voters_;
}

SealComponent RollDigest::Finish() {
  t_.AddU64(voters_);
  return {"roll", t_.Finish()};
}

}  // namespace isoloir::seal
