#include "web/http.h"

#include <cstdint>

#include "election/text.h"

namespace isoloir::web {

std::string HttpRequest::Query(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? std::string() : it->second;
}

std::string HttpRequest::Cookie(const std::string& name) const {
  auto it = cookies.find(name);
  return it == cookies.end() ? std::string() : it->second;
}

std::string HttpRequest::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

bool IsUtf8Text(std::string_view s) {
  return s.find('\0') == std::string_view::npos && election::text::IsValidUtf8(s);
}

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool PercentDecode(std::string_view in, std::string& out, bool plus_is_space) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return IsUtf8Text(out);
}

std::string PercentEncode(std::string_view in) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

bool ParseFormEncoded(std::string_view text, std::map<std::string, std::string>& out) {
  size_t pos = 0;
  while (pos <= text.size() && !text.empty()) {
    size_t amp = text.find('&', pos);
    if (amp == std::string_view::npos) amp = text.size();
    std::string_view pair = text.substr(pos, amp - pos);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      std::string name, value;
      if (!PercentDecode(pair.substr(0, eq), name, true)) return false;
      if (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), value, true)) {
        return false;
      }
      out[name] = value;
    }
    pos = amp + 1;
  }
  return true;
}

std::map<std::string, std::string> ParseCookies(std::string_view header) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos < header.size()) {
    size_t semi = header.find(';', pos);
    if (semi == std::string_view::npos) semi = header.size();
    std::string_view item = header.substr(pos, semi - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    const size_t eq = item.find('=');
    if (eq != std::string_view::npos && eq > 0) {
      out.emplace(std::string(item.substr(0, eq)), std::string(item.substr(eq + 1)));
    }
    pos = semi + 1;
  }
  return out;
}

std::string CookieName(std::string_view base, bool secure) {
  return (secure ? "__Host-" : "") + std::string(base);
}

std::string SetCookieValue(std::string_view base, std::string_view value,
                           const CookieOptions& options) {
  std::string out = CookieName(base, options.secure) + "=" + std::string(value) +
                    "; Path=/; HttpOnly; SameSite=Strict";
  if (options.secure) out += "; Secure";
  if (options.max_age >= 0) out += "; Max-Age=" + std::to_string(options.max_age);
  return out;
}

void AddSecurityHeaders(HttpResponse& r, bool tls, bool cacheable) {
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'none'; script-src 'self'; style-src 'self'; "
                         "img-src 'self'; connect-src 'self'; form-action 'self'; "
                         "frame-ancestors 'none'; base-uri 'none'");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
  r.headers.emplace_back("Cross-Origin-Resource-Policy", "same-origin");
  r.headers.emplace_back("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  r.headers.emplace_back("Cache-Control", cacheable ? "public, max-age=300" : "no-store");
  if (tls) {
    r.headers.emplace_back("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  }
}

HttpResponse JsonResponse(int status, const nlohmann::json& body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = body.dump();
  return r;
}

}  // namespace isoloir::web
