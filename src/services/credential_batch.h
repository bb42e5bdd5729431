// Making voters' credentials (issue 3 §4): for each voter a password and a
// security key, their verifiers for the portal, and the public credentials
// of each scrutin (protocol §8), sorted so that nothing links them to voters.
// Pure computation, spread over threads; no I/O.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "election/model.h"
#include "services/server_key.h"

namespace isoloir::services {

// One voter's new credentials. Holds secrets: wiped on destruction.
struct IssuedCredential {
  std::string matricule;
  uint32_t generation = 1;
  std::string security_key;       // canonical 20 characters (protocol §8.1)
  std::string password;           // as printed, "k7m2-q9xw-t4hr"
  std::string login_verifier;     // hex of protocol §8.2's verifier
  std::string password_verifier;  // ServerKey::Verifier("password", ...)
  // Public credentials (base64url points) of this voter, one per scrutin; kept
  // only until they are merged into the sorted public lists.
  std::map<std::string, std::string> public_credentials;

  IssuedCredential() = default;
  IssuedCredential(IssuedCredential&&) = default;
  IssuedCredential& operator=(IssuedCredential&&) = default;
  ~IssuedCredential();
};

struct CredentialBatch {
  std::vector<IssuedCredential> voters;  // in the order of the input
  // scrutin code -> public credentials, sorted (bytewise), naming nobody.
  std::map<std::string, std::vector<std::string>> public_lists;
};

// generation(matricule) gives the generation to issue (1 for a first issue).
// progress(done) is called from the calling thread only.
CredentialBatch MakeCredentials(const std::string& election_id,
                                const std::vector<election::Voter>& voters,
                                const std::function<uint32_t(const std::string&)>& generation,
                                const ServerKey& server_key, unsigned threads,
                                const std::function<void(size_t)>& progress = {});

}  // namespace isoloir::services
