// Helpers of the delivery tests: temporary folders, running a command,
// reading back a message (RFC 2047 subject, quoted-printable body) and a
// sample notice.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "delivery/notice.h"

namespace isoloir::delivery::test {

class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "isoloir-delivery-XXXXXX").string();
    char* p = ::mkdtemp(tmpl.data());
    if (!p) std::abort();
    path_ = p;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::vector<std::filesystem::path> FilesIn(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Runs a shell command, returns its standard output; sets *status to the exit code.
inline std::string Run(const std::string& command, int* status = nullptr) {
  std::string out;
  FILE* f = ::popen(command.c_str(), "r");
  if (!f) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  int rc = ::pclose(f);
  if (status) *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

inline std::string DecodeQuotedPrintable(std::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '=' && i + 1 < in.size() && (in[i + 1] == '\n' || in[i + 1] == '\r')) {
      i += in[i + 1] == '\r' ? 2 : 1;  // soft line break
      continue;
    }
    if (in[i] == '=' && i + 2 < in.size() && HexValue(in[i + 1]) >= 0 && HexValue(in[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2]));
      i += 2;
      continue;
    }
    if (in[i] == '\r') continue;
    out += in[i];
  }
  return out;
}

inline std::string DecodeBase64(std::string_view in) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    size_t v = kAlphabet.find(c);
    if (v == std::string::npos) continue;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

// Decodes RFC 2047 "B" encoded-words (UTF-8) of an unfolded header value;
// whitespace between two encoded words is dropped, as the RFC says.
inline std::string DecodeHeader(std::string_view v) {
  std::string out;
  size_t i = 0;
  bool last_was_word = false;
  while (i < v.size()) {
    if (v.substr(i, 10) == "=?UTF-8?B?") {
      size_t end = v.find("?=", i + 10);
      out += DecodeBase64(v.substr(i + 10, end - i - 10));
      i = end + 2;
      last_was_word = true;
      size_t j = i;
      while (j < v.size() && (v[j] == ' ' || v[j] == '\t')) ++j;
      if (last_was_word && v.substr(j, 10) == "=?UTF-8?B?") i = j;
      continue;
    }
    out += v[i++];
    last_was_word = false;
  }
  return out;
}

struct ParsedMessage {
  std::multimap<std::string, std::string> headers;  // unfolded, names as written
  std::string raw_body;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

inline ParsedMessage ParseMessage(std::string_view msg) {
  ParsedMessage m;
  size_t pos = 0;
  std::string name, value;
  auto flush = [&] {
    if (!name.empty()) m.headers.emplace(name, value);
    name.clear();
    value.clear();
  };
  while (pos < msg.size()) {
    size_t nl = msg.find('\n', pos);
    if (nl == std::string_view::npos) nl = msg.size();
    std::string_view line = msg.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = nl + 1;
    if (line.empty()) break;
    if (line[0] == ' ' || line[0] == '\t') {
      value += line;  // folded: keep the whitespace
      continue;
    }
    flush();
    size_t colon = line.find(':');
    name = std::string(line.substr(0, colon));
    value = std::string(line.substr(colon + 1));
    while (!value.empty() && value[0] == ' ') value.erase(0, 1);
  }
  flush();
  m.raw_body = std::string(msg.substr(std::min(pos, msg.size())));
  return m;
}

inline CredentialNotice SampleNotice(std::string secret, Language language = Language::kFrench) {
  CredentialNotice n;
  n.election = ElectionInfo{"Élections professionnelles 2026",
                            "Ministère de l'Intérieur et des Outre-mer",
                            "https://elections.example.gouv.fr",
                            "cellule d'assistance : 01 23 45 67 89, assistance@example.gouv.fr",
                            "mardi 1er décembre 2026 à 9 h 00 (heure de Paris)",
                            "jeudi 8 décembre 2026 à 17 h 00 (heure de Paris)"};
  n.voter = Recipient{"Lefèvre",
                      "Amélie",
                      "123456",
                      {"Préfecture de la Côte-d'Or", "53 rue de la Préfecture", "21000 DIJON"},
                      "amelie.lefevre@example.gouv.fr"};
  n.secret = std::move(secret);
  n.language = language;
  return n;
}

}  // namespace isoloir::delivery::test
