// The portal's secret key: 32 random bytes that key the verifiers of
// low-entropy secrets (passwords, the "donnée secrète de réassort"), so that
// a copy of the roll store alone does not allow guessing them offline.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.h"

namespace isoloir::services {

class ServerKey {
 public:
  // Reads the key file, or creates it (mode 0600, parent folder 0700) if missing.
  static Result<ServerKey> LoadOrCreate(const std::filesystem::path& file);
  static ServerKey FromBytes(const std::array<uint8_t, 32>& bytes);  // tests
  ~ServerKey();
  ServerKey(const ServerKey&) = default;
  ServerKey& operator=(const ServerKey&) = default;

  // "v1:" + hex(HMAC-SHA256(key, T("isoloir/verifier/<purpose>/v1", election,
  // matricule, secret))). Purposes: "password", "reassort".
  std::string Verifier(std::string_view purpose, std::string_view election_id,
                       std::string_view matricule, std::string_view secret) const;
  // Recomputes and compares in constant time.
  bool Check(std::string_view purpose, std::string_view election_id, std::string_view matricule,
             std::string_view secret, std::string_view stored) const;

 private:
  ServerKey() = default;
  std::array<uint8_t, 32> key_{};
};

}  // namespace isoloir::services
