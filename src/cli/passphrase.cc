// See passphrase.h. termios for the terminal; the buffers are wiped after use.
#include "cli/passphrase.h"

#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace isoloir::cli {

namespace {

Result<std::string> AskTty(const std::string& prompt) {
  FILE* tty = std::fopen("/dev/tty", "r+");
  if (tty == nullptr) {
    return MakeError("cli.passphrase",
                     "no terminal to ask the passphrase: give --passphrase-file FILE");
  }
  const int fd = fileno(tty);
  termios old{};
  const bool is_term = tcgetattr(fd, &old) == 0;
  if (is_term) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  std::fprintf(tty, "%s", prompt.c_str());
  std::fflush(tty);
  std::string line;
  for (int c; (c = std::fgetc(tty)) != EOF && c != '\n';) line.push_back(static_cast<char>(c));
  if (is_term) tcsetattr(fd, TCSAFLUSH, &old);
  std::fprintf(tty, "\n");
  std::fclose(tty);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

Result<std::string> ReadPassphrase(const std::string& file, const std::string& prompt,
                                   bool confirm) {
  if (!file.empty()) {
    std::ifstream in(file, std::ios::binary);
    std::string line;
    if (!in || !std::getline(in, line)) {
      return MakeError("cli.passphrase", "--passphrase-file " + file + ": cannot be read");
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  auto first = AskTty(prompt);
  if (!first || !confirm) return first;
  auto again = AskTty("Again, to confirm: ");
  if (!again) return again;
  const bool same = *first == *again;
  sodium_memzero(again->data(), again->size());
  if (!same) {
    sodium_memzero(first->data(), first->size());
    return MakeError("cli.passphrase", "the two passphrases differ");
  }
  return first;
}

}  // namespace isoloir::cli
