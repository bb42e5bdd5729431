#include "services/credential_batch.h"

#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "common/bytes.h"
#include "crypto/credential.h"
#include "services/password.h"

namespace isoloir::services {
namespace {

void Wipe(std::string& s) {
  if (!s.empty()) sodium_memzero(s.data(), s.size());
  s.clear();
}

IssuedCredential Issue(const std::string& election_id, const election::Voter& v,
                       uint32_t generation, const ServerKey& server_key) {
  crypto::Rng& rng = crypto::SystemRandom();
  IssuedCredential c;
  c.matricule = v.matricule;
  c.generation = generation;
  c.security_key = crypto::GenerateSecurityKey(rng);
  c.password = GeneratePassword(rng);
  c.login_verifier =
      HexEncode(crypto::LoginVerifier(crypto::LoginToken(election_id, c.security_key)));
  std::string normalized = NormalizePassword(c.password).value();
  c.password_verifier = server_key.Verifier("password", election_id, v.matricule, normalized);
  Wipe(normalized);
  for (const auto& scrutin : v.scrutins) {
    crypto::Scalar sk = crypto::CredentialSecret(election_id, scrutin, c.security_key);
    c.public_credentials[scrutin] = Base64UrlEncode(crypto::CredentialPublic(sk).Encode());
  }
  return c;
}

}  // namespace

IssuedCredential::~IssuedCredential() {
  Wipe(security_key);
  Wipe(password);
}

CredentialBatch MakeCredentials(const std::string& election_id,
                                const std::vector<election::Voter>& voters,
                                const std::function<uint32_t(const std::string&)>& generation,
                                const ServerKey& server_key, unsigned threads,
                                const std::function<void(size_t)>& progress) {
  CredentialBatch batch;
  batch.voters.resize(voters.size());
  std::vector<uint32_t> generations;
  generations.reserve(voters.size());
  for (const auto& v : voters) generations.push_back(generation(v.matricule));

  std::atomic<size_t> next{0}, done{0};
  constexpr size_t kChunk = 256;
  auto work = [&](bool report) {
    for (;;) {
      size_t begin = next.fetch_add(kChunk);
      if (begin >= voters.size()) return;
      size_t end = std::min(voters.size(), begin + kChunk);
      for (size_t i = begin; i < end; ++i) {
        batch.voters[i] = Issue(election_id, voters[i], generations[i], server_key);
      }
      done += end - begin;
      if (report && progress) progress(done.load());
    }
  };
  threads = std::max(1u, threads);
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, false);
  work(true);
  for (auto& t : pool) t.join();
  if (progress) progress(voters.size());

  for (auto& c : batch.voters) {
    for (auto& [scrutin, cred] : c.public_credentials) {
      batch.public_lists[scrutin].push_back(std::move(cred));
    }
    c.public_credentials.clear();
  }
  for (auto& [scrutin, list] : batch.public_lists) std::sort(list.begin(), list.end());
  return batch;
}

}  // namespace isoloir::services
