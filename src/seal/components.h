// The seal's components that come from public data (docs/seal.md): the
// election file's parts, the keys, a credential list, the roll. Pure, so that
// the record's verifier recomputes the same digests from the record.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "election/model.h"
#include "seal/seal.h"

namespace isoloir::seal {

// "election/fingerprint", "election/lists", "election/window", "election/bve"
// from the election's canonical JSON (election::ElectionToJson).
std::vector<SealComponent> ElectionComponents(const nlohmann::json& election_json,
                                              const crypto::Digest& fingerprint);
// "keys/election" (y) and "keys/verification" (h_1..h_N).
std::vector<SealComponent> KeyComponents(const crypto::Point& y,
                                         const std::vector<crypto::Point>& verification_keys);
// "credentials/<code>": the scrutin's public credential list, sorted.
SealComponent CredentialsComponent(const std::string& scrutin,
                                   const std::vector<std::string>& sorted);

// The roll's digest, fed voter by voter in matricule order ("roll").
class RollDigest {
 public:
  RollDigest();
  void Add(const election::Voter& v);
  SealComponent Finish();

 private:
  crypto::Transcript t_;
  uint64_t voters_ = 0;
};

SealComponent Component(std::string name, std::string_view bytes);  // SHA-256 of the bytes
// Sorts by name (the seal's order).
void SortComponents(std::vector<SealComponent>& components);

}  // namespace isoloir::seal
