// HTTP as the pages see it: a parsed request (method, path, query, form,
// cookies, client address) and a response (status, headers, cookies, body),
// with no server library in sight, so pages and API are tested without a network.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace isoloir::web {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded, without the query
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> cookies;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string client_address;  // IP address

  std::string Query(const std::string& name) const;
  std::string Cookie(const std::string& name) const;
  std::string Header(const std::string& lower_name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> set_cookies;  // full Set-Cookie values
  std::string body;
};

// application/x-www-form-urlencoded (also a URL's query): name=value pairs,
// '+' as space, %XX decoded; a later duplicate name replaces an earlier one.
// Returns false on a malformed escape or text that is not UTF-8.
bool ParseFormEncoded(std::string_view text, std::map<std::string, std::string>& out);
// "a=1; b=2" -> {a: 1, b: 2}.
std::map<std::string, std::string> ParseCookies(std::string_view header);
// %XX decoding of a path; false if malformed.
bool PercentDecode(std::string_view in, std::string& out, bool plus_is_space);
std::string PercentEncode(std::string_view in);
bool IsUtf8Text(std::string_view text);  // valid UTF-8, no NUL

struct CookieOptions {
  bool secure = false;   // over TLS: Secure and the __Host- prefix
  int64_t max_age = -1;  // -1: a session cookie; 0: delete
};
// The cookie's name as sent (with "__Host-" over TLS).
std::string CookieName(std::string_view base, bool secure);
std::string SetCookieValue(std::string_view base, std::string_view value,
                           const CookieOptions& options);

// The headers every answer carries: strict CSP, no framing, no sniffing,
// no referrer, no caching of personal pages; HSTS over TLS.
void AddSecurityHeaders(HttpResponse& response, bool tls, bool cacheable);
// A JSON answer (application/json) with this status.
HttpResponse JsonResponse(int status, const nlohmann::json& body);

}  // namespace isoloir::web
