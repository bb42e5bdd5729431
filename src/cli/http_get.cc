// See http_get.h. Blocking asio stream: one request, Connection: close.
#include "cli/http_get.h"

#include <asio.hpp>
#include <fstream>
#include <regex>

namespace isoloir::cli {

Result<uint64_t> HttpGetToFile(const std::string& url, const std::string& file) {
  static const std::regex kUrl(
      R"(http://([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\])(:([0-9]{1,5}))?(/[^\s]*)?)");
  std::smatch m;
  if (!std::regex_match(url, m, kUrl)) {
    return MakeError("cli.url", "--url: \"" + url +
                                    "\" is not an http://host:port/ URL "
                                    "(for https, download the record and verify the file)");
  }
  std::string host = m[1].str();
  if (host.front() == '[') host = host.substr(1, host.size() - 2);
  const std::string port = m[3].matched ? m[3].str() : "80";
  const std::string path = m[4].matched && m[4].str() != "/" ? m[4].str() : "/record.jsonl";
  asio::ip::tcp::iostream s;
  s.expires_after(std::chrono::minutes(10));
  s.connect(host, port);
  if (!s) return MakeError("cli.url", "cannot connect to " + host + ":" + port);
  s << "GET " << path << " HTTP/1.1\r\nHost: " << m[1].str() << (m[3].matched ? ":" + port : "")
    << "\r\nAccept: application/jsonl\r\nConnection: close\r\n\r\n"
    << std::flush;
  std::string line;
  if (!std::getline(s, line) || line.rfind("HTTP/1.", 0) != 0) {
    return MakeError("cli.url", "no HTTP answer from " + url);
  }
  if (line.size() < 12 || line.substr(9, 3) != "200") {
    return MakeError("cli.url", url + " answered \"" + line.substr(0, line.find('\r')) + "\"");
  }
  int64_t length = -1;
  while (std::getline(s, line) && line != "\r" && !line.empty()) {
    std::string lower = line;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.rfind("content-length:", 0) == 0) length = std::stoll(lower.substr(15));
    if (lower.rfind("transfer-encoding:", 0) == 0 && lower.find("chunked") != std::string::npos) {
      return MakeError("cli.url", url + " answered in chunks, which this client does not read");
    }
  }
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

}  // namespace isoloir::cli
