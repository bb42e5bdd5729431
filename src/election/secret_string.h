// A short secret (the "donnée secrète de réassort") kept in a fixed inline
// buffer that is wiped with sodium_memzero when the object dies, when it is
// moved from, and on Wipe(). It is never copied implicitly, never heap
// allocated, and has no operator<< so it cannot end up in a log by accident.
#pragma once

#include <sodium.h>

#include <array>
#include <cstddef>
#include <cstring>
#include <string_view>

namespace isoloir::election {

class SecretString {
 public:
  static constexpr size_t kCapacity = 32;

  SecretString() = default;
  // Keeps at most kCapacity bytes; callers check size() first when it matters.
  explicit SecretString(std::string_view s) { Assign(s); }
  SecretString(const SecretString&) = delete;
  SecretString& operator=(const SecretString&) = delete;
  SecretString(SecretString&& other) noexcept { Take(other); }
  SecretString& operator=(SecretString&& other) noexcept {
    if (this != &other) {
      Wipe();
      Take(other);
    }
    return *this;
  }
  ~SecretString() { Wipe(); }

  // Returns false (and keeps nothing) when s is longer than kCapacity.
  bool Assign(std::string_view s) {
    Wipe();
    if (s.size() > kCapacity) return false;
    std::memcpy(buf_.data(), s.data(), s.size());
    size_ = s.size();
    return true;
  }
  void Wipe() {
    sodium_memzero(buf_.data(), buf_.size());
    size_ = 0;
  }
  // An explicit copy, for the rare caller that needs two.
  SecretString Clone() const { return SecretString(view()); }

  std::string_view view() const { return {buf_.data(), size_}; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  void Take(SecretString& other) {
    std::memcpy(buf_.data(), other.buf_.data(), buf_.size());
    size_ = other.size_;
    other.Wipe();
  }

  std::array<char, kCapacity> buf_{};
  size_t size_ = 0;
};

}  // namespace isoloir::election
