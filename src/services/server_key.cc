#include "services/server_key.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "common/bytes.h"
#include "crypto/transcript.h"

namespace isoloir::services {

Result<ServerKey> ServerKey::LoadOrCreate(const std::filesystem::path& file) {
  ServerKey k;
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    std::ifstream in(file, std::ios::binary);
    in.read(reinterpret_cast<char*>(k.key_.data()), static_cast<std::streamsize>(k.key_.size()));
    if (in.gcount() != static_cast<std::streamsize>(k.key_.size()) || in.peek() != EOF) {
      return MakeError("server_key.file", file.string() + " is not a 32-byte key file");
    }
    return k;
  }
  std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) return MakeError("server_key.file", "cannot create " + file.parent_path().string());
  ::chmod(file.parent_path().c_str(), 0700);
  randombytes_buf(k.key_.data(), k.key_.size());
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return MakeError("server_key.file", "cannot create " + file.string());
  bool ok = ::write(fd, k.key_.data(), k.key_.size()) == static_cast<ssize_t>(k.key_.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return MakeError("server_key.file", "cannot write " + file.string());
  return k;
}

ServerKey ServerKey::FromBytes(const std::array<uint8_t, 32>& bytes) {
  ServerKey k;
  k.key_ = bytes;
  return k;
}

ServerKey::~ServerKey() { sodium_memzero(key_.data(), key_.size()); }

std::string ServerKey::Verifier(std::string_view purpose, std::string_view election_id,
                                std::string_view matricule, std::string_view secret) const {
  crypto::Digest d = crypto::Transcript("isoloir/verifier/" + std::string(purpose) + "/v1")
                         .Add(election_id)
                         .Add(matricule)
                         .Add(secret)
                         .Finish();
  std::array<uint8_t, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, key_.data(), key_.size());
  crypto_auth_hmacsha256_update(&st, d.data(), d.size());
  crypto_auth_hmacsha256_final(&st, mac.data());
  return "v1:" + HexEncode(mac);
}

bool ServerKey::Check(std::string_view purpose, std::string_view election_id,
                      std::string_view matricule, std::string_view secret,
                      std::string_view stored) const {
  const std::string expected = Verifier(purpose, election_id, matricule, secret);
  return expected.size() == stored.size() &&
         sodium_memcmp(expected.data(), stored.data(), expected.size()) == 0;
}

}  // namespace isoloir::services
