// Progress of a long CLI job on standard error: done/total, rate and time left.
// Redraws in place on a terminal (at most 10 times a second), else every 10 %.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace isoloir::cli {

class Progress {
 public:
  Progress(std::string label, size_t total);
  void Update(size_t done);  // call as often as you like
  void Finish();             // prints the final line once

 private:
  void Print(size_t done);
  std::string label_;
  size_t total_;
  bool tty_;
  bool finished_ = false;
  size_t last_decile_ = 0;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace isoloir::cli
