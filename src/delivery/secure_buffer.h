// Wiping of buffers that held a secret (a rendered e-mail, a PDF of letters),
// with libsodium as docs/security.md requires.
#pragma once

#include <sodium.h>

#include <string>

namespace isoloir::delivery {

// Zeroes the whole buffer, capacity included (a moved-from short string keeps
// its characters in the inline buffer), then empties the string.
inline void Wipe(std::string& s) {
  s.resize(s.capacity());
  sodium_memzero(s.data(), s.size());
  s.clear();
}

// Wipes a string when it leaves scope.
class WipeOnExit {
 public:
  explicit WipeOnExit(std::string& s) : s_(s) {}
  ~WipeOnExit() { Wipe(s_); }
  WipeOnExit(const WipeOnExit&) = delete;
  WipeOnExit& operator=(const WipeOnExit&) = delete;

 private:
  std::string& s_;
};

}  // namespace isoloir::delivery
