// A plain HTTP/1.1 client for the CLI: GET into a file for `isoloir verify
// --url`, and JSON GET/POST for `isoloir key-holder ceremony`. Enough to talk
// to a portal on 127.0.0.1 or behind a TLS-terminating proxy's plain side
// (no TLS, no redirects, no chunked answers).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace isoloir::cli {

// Fetches url ("http://host:port/path") into `file`; returns the bytes written.
// Errors: a URL that is not http://, no connection, a status other than
// 200, a chunked answer, or a body shorter than its Content-Length.
Result<uint64_t> HttpGetToFile(const std::string& url, const std::string& file);

// One request with a JSON body (POST) or none (GET, when body is empty);
// the answer's status and body, whatever the status.
struct HttpAnswer {
  int status = 0;
  std::string body;
};
Result<HttpAnswer> HttpJson(const std::string& method, const std::string& url,
                            const std::string& body,
                            const std::vector<std::pair<std::string, std::string>>& headers = {});

}  // namespace isoloir::cli
