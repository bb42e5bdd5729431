#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace isoloir::cli {

Progress::Progress(std::string label, size_t total)
    : label_(std::move(label)),
      total_(total == 0 ? 1 : total),
      tty_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void Progress::Update(size_t done) {
  if (finished_) return;
  auto now = std::chrono::steady_clock::now();
  if (tty_) {
    if (now - last_draw_ < std::chrono::milliseconds(100) && done < total_) return;
    last_draw_ = now;
    Print(done);
  } else {
    size_t decile = done * 10 / total_;
    if (decile == last_decile_ || done >= total_) return;
    last_decile_ = decile;
    Print(done);
  }
}

void Progress::Finish() {
  if (finished_) return;
  Print(total_);
  finished_ = true;
}

void Progress::Print(size_t done) {
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = secs > 0 ? static_cast<double>(done) / secs : 0.0;
  double left = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
  const int width = 30;
  int filled = static_cast<int>(static_cast<double>(done) / static_cast<double>(total_) * width);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(width, '.');
  std::fprintf(stderr, "%s%s [%s] %zu/%zu  %.0f/s  %s %.0f s%s", tty_ ? "\r" : "", label_.c_str(),
               bar.c_str(), done, total_, rate, done >= total_ ? "took" : "left",
               done >= total_ ? secs : left, (tty_ && done < total_) ? "" : "\n");
  std::fflush(stderr);
}

}  // namespace isoloir::cli
