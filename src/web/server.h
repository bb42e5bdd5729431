// The portal's HTTP(S) server: RESTinio on standalone Asio, a few threads
// that run the pages synchronously, keep-alive, body size limits, and a
// graceful stop on SIGINT/SIGTERM that lets every request in flight finish.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "common/result.h"
#include "web/pages.h"

namespace isoloir::web {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;
  size_t threads = 2;
  std::string tls_certificate;  // PEM chain; TLS when set (with tls_key)
  std::string tls_key;          // PEM private key
  size_t max_body_bytes = 256 * 1024;
};

// Serves until SIGINT or SIGTERM, then stops accepting, answers 503 to new
// requests, waits for those in flight (at most 30 s) and returns.
// `on_ready` is called once the socket listens.
Status RunServer(PortalApp& app, const ServerOptions& options,
                 const std::function<void()>& on_ready = {});

}  // namespace isoloir::web
