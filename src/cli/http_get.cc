// See http_get.h. Blocking asio stream: one request, Connection: close.
#include "cli/http_get.h"

#include <asio.hpp>
#include <fstream>
#include <regex>

namespace isoloir::cli {

namespace {

struct Target {
  std::string host_header, host, port, path;
};

Result<Target> ParseUrl(const std::string& url, const std::string& option) {
  static const std::regex kUrl(
      R"(http://([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\])(:([0-9]{1,5}))?(/[^\s]*)?)");
  std::smatch m;
  if (!std::regex_match(url, m, kUrl)) {
    return MakeError("cli.url", option + ": \"" + url +
                                    "\" is not an http://host:port/ URL "
                                    "(for https, download the record and verify the file)");
  }
  Target t;
  t.host = m[1].str();
  if (t.host.front() == '[') t.host = t.host.substr(1, t.host.size() - 2);
  t.port = m[3].matched ? m[3].str() : "80";
  t.host_header = m[1].str() + (m[3].matched ? ":" + t.port : "");
  t.path = m[4].matched ? m[4].str() : "/";
  return t;
}

// Reads the status line and headers; returns the status and Content-Length (-1 if none).
Result<std::pair<int, int64_t>> ReadHead(asio::ip::tcp::iostream& s, const std::string& url) {
  std::string line;
  if (!std::getline(s, line) || line.rfind("HTTP/1.", 0) != 0 || line.size() < 12) {
    return MakeError("cli.url", "no HTTP answer from " + url);
  }
  const int status = std::atoi(line.substr(9, 3).c_str());
  int64_t length = -1;
  while (std::getline(s, line) && line != "\r" && !line.empty()) {
    std::string lower = line;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.rfind("content-length:", 0) == 0) length = std::stoll(lower.substr(15));
    if (lower.rfind("transfer-encoding:", 0) == 0 && lower.find("chunked") != std::string::npos) {
      return MakeError("cli.url", url + " answered in chunks, which this client does not read");
    }
  }
  return std::make_pair(status, length);
}

}  // namespace

Result<uint64_t> HttpGetToFile(const std::string& url, const std::string& file) {
  auto t = ParseUrl(url, "--url");
  if (!t) return t.error();
  const std::string path = t->path != "/" ? t->path : "/record.jsonl";
  asio::ip::tcp::iostream s;
  s.expires_after(std::chrono::minutes(10));
  s.connect(t->host, t->port);
  if (!s) return MakeError("cli.url", "cannot connect to " + t->host + ":" + t->port);
  s << "GET " << path << " HTTP/1.1\r\nHost: " << t->host_header
    << "\r\nAccept: application/jsonl\r\nConnection: close\r\n\r\n"
    << std::flush;
  auto head = ReadHead(s, url);
  if (!head) return head.error();
  if (head->first != 200) {
    return MakeError("cli.url", url + " answered with status " + std::to_string(head->first));
  }
  const int64_t length = head->second;
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) return MakeError("cli.file", "cannot write " + file);
  uint64_t n = 0;
  char buf[1 << 16];
  while (s.read(buf, sizeof buf) || s.gcount() > 0) {
    out.write(buf, s.gcount());
    n += static_cast<uint64_t>(s.gcount());
  }
  out.close();
  if (!out) return MakeError("cli.write", "cannot write " + file);
  if (length >= 0 && n != static_cast<uint64_t>(length)) {
    return MakeError(
        "cli.url", url + " sent " + std::to_string(n) + " of " + std::to_string(length) + " bytes");
  }
  return n;
}

Result<HttpAnswer> HttpJson(const std::string& method, const std::string& url,
                            const std::string& body,
                            const std::vector<std::pair<std::string, std::string>>& headers) {
  auto t = ParseUrl(url, "--url");
  if (!t) return t.error();
  asio::ip::tcp::iostream s;
  s.expires_after(std::chrono::minutes(2));
  s.connect(t->host, t->port);
  if (!s) return MakeError("cli.url", "cannot connect to " + t->host + ":" + t->port);
  s << method << " " << t->path << " HTTP/1.1\r\nHost: " << t->host_header
    << "\r\nAccept: application/json\r\nConnection: close\r\n";
  for (const auto& [name, value] : headers) s << name << ": " << value << "\r\n";
  if (method != "GET") {
    s << "Content-Type: application/json\r\nContent-Length: " << body.size() << "\r\n";
  }
  s << "\r\n" << (method != "GET" ? body : "") << std::flush;
  auto head = ReadHead(s, url);
  if (!head) return head.error();
  HttpAnswer a;
  a.status = head->first;
  a.body.assign(std::istreambuf_iterator<char>(s), std::istreambuf_iterator<char>());
  if (head->second >= 0 && a.body.size() != static_cast<uint64_t>(head->second)) {
    return MakeError("cli.url", url + " sent " + std::to_string(a.body.size()) + " of " +
                                    std::to_string(head->second) + " bytes");
  }
  return a;
}

}  // namespace isoloir::cli
