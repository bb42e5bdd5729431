// A plain HTTP/1.1 GET into a file, for `isoloir verify --url`: enough to
// fetch the record a portal serves on 127.0.0.1 (no TLS, no redirects).
#pragma once

#include <string>

#include "common/result.h"

namespace isoloir::cli {

// Fetches url ("http://host:port/path") into `file`; returns the bytes written.
// Errors: a URL that is not http://, no connection, a status other than
// 200, a chunked answer, or a body shorter than its Content-Length.
Result<uint64_t> HttpGetToFile(const std::string& url, const std::string& file);

}  // namespace isoloir::cli
