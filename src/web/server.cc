#include "web/server.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <restinio/all.hpp>
#include <restinio/tls.hpp>
#include <thread>

namespace isoloir::web {

namespace {

HttpRequest ToRequest(const restinio::request_handle_t& req) {
  HttpRequest r;
  const auto& h = req->header();
  r.method = h.method().c_str();
  if (!PercentDecode(h.path(), r.path, false)) r.path = "/invalid";
  if (!ParseFormEncoded(h.query(), r.query)) r.query.clear();
  h.for_each_field([&](const restinio::http_header_field_t& f) {
    std::string name(f.name());
    for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (name == "cookie") {
      for (auto& [k, v] : ParseCookies(f.value())) r.cookies.emplace(k, v);
    } else {
      r.headers[name] = std::string(f.value());
    }
  });
  r.body = req->body();
  r.client_address = req->remote_endpoint().address().to_string();
  return r;
}

restinio::request_handling_status_t Send(const restinio::request_handle_t& req, HttpResponse&& r) {
  auto resp = req->create_response(restinio::http_status_line_t{
      restinio::http_status_code_t{static_cast<std::uint16_t>(r.status)},
      r.status == 200 ? "OK" : "Status"});
  resp.append_header(restinio::http_field::content_type, r.content_type);
  resp.append_header(restinio::http_field::server, "isoloir");
  for (auto& [k, v] : r.headers) resp.append_header(k, v);
  for (auto& c : r.set_cookies) resp.append_header("Set-Cookie", c);
  resp.set_body(std::move(r.body));
  return resp.done();
}

class Runner {
 public:
  Runner(PortalApp& app, const ServerOptions& o) : app_(app), o_(o) {}

  restinio::request_handling_status_t Handle(restinio::request_handle_t req) {
    if (stopping_.load()) {
      HttpResponse r;
      r.status = 503;
      r.content_type = "text/plain; charset=utf-8";
      r.headers.emplace_back("Connection", "close");
      r.body = "Le portail s'arrête ; réessayez dans un instant. / The portal is stopping.\n";
      AddSecurityHeaders(r, !o_.tls_certificate.empty(), false);
      return Send(req, std::move(r));
    }
    ++in_flight_;
    HttpResponse r = app_.Handle(ToRequest(req));
    auto status = Send(req, std::move(r));
    --in_flight_;
    return status;
  }

  template <typename Traits, typename Settings>
  Status Run(Settings&& settings, const std::function<void()>& on_ready) {
    asio::io_context io;
    using server_t = restinio::http_server_t<Traits>;
    server_t server{restinio::external_io_context(io), std::forward<Settings>(settings)};
    std::exception_ptr failure;
    asio::signal_set signals(io, SIGINT, SIGTERM);
    asio::steady_timer drain(io);
    asio::steady_timer closing(io);
    // Stop once no request has been running for a quiet quarter of a second
    // (requests already on open connections get their answer, a 503), or at
    // the deadline.
    std::chrono::steady_clock::time_point idle_since{};
    std::function<void()> wait_drained = [&]() {
      const auto now = std::chrono::steady_clock::now();
      if (in_flight_.load() != 0) {
        idle_since = {};
      } else if (idle_since == std::chrono::steady_clock::time_point{}) {
        idle_since = now;
      }
      if ((idle_since != std::chrono::steady_clock::time_point{} &&
           now - idle_since >= std::chrono::milliseconds(250)) ||
          now > deadline_) {
        io.stop();
        return;
      }
      drain.expires_after(std::chrono::milliseconds(20));
      drain.async_wait([&](const asio::error_code&) { wait_drained(); });
    };
    signals.async_wait([&](const asio::error_code& ec, int sig) {
      if (ec) return;
      spdlog::info("portal: signal {} received: finishing the requests in flight", sig);
      stopping_.store(true);
      closing.cancel();
      deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      server.close_async([&] { wait_drained(); },
                         [&](std::exception_ptr ex) {
                           failure = ex;
                           io.stop();
                         });
    });
    // The seal checks at the opening and closing times (once each) even
    // when no request comes: looked at every 30 seconds.
    std::function<void()> check_closing = [&]() {
      app_.CheckSealOnTime();
      closing.expires_after(std::chrono::seconds(30));
      closing.async_wait([&](const asio::error_code& ec) {
        if (!ec && !stopping_.load()) check_closing();
      });
    };
    check_closing();
    server.open_async(
        [&] {
          if (on_ready) on_ready();
        },
        [&](std::exception_ptr ex) {
          failure = ex;
          io.stop();
        });
    std::vector<std::thread> threads;
    for (size_t i = 1; i < o_.threads; ++i) threads.emplace_back([&] { io.run(); });
    io.run();
    for (auto& t : threads) t.join();
    if (failure) {
      try {
        std::rethrow_exception(failure);
      } catch (const std::exception& e) {
        return MakeError("serve.listen", "could not listen on " + o_.address + ":" +
                                             std::to_string(o_.port) + ": " + e.what());
      }
    }
    spdlog::info("portal: stopped cleanly");
    return Status::Ok();
  }

 private:
  PortalApp& app_;
  const ServerOptions& o_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> in_flight_{0};
  std::chrono::steady_clock::time_point deadline_{};
};

template <typename Settings>
Settings&& Common(Settings&& s, const ServerOptions& o, Runner& runner) {
  return std::move(s.address(o.address)
                       .port(o.port)
                       .request_handler([&runner](auto req) { return runner.Handle(req); })
                       .read_next_http_message_timelimit(std::chrono::seconds(60))
                       .handle_request_timeout(std::chrono::seconds(60))
                       .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                                     .max_url_size(8 * 1024)
                                                     .max_field_name_size(1024)
                                                     .max_field_value_size(16 * 1024)
                                                     .max_field_count(100)
                                                     .max_body_size(o.max_body_bytes)));
}

}  // namespace

Status RunServer(PortalApp& app, const ServerOptions& options,
                 const std::function<void()>& on_ready) {
  Runner runner(app, options);
  try {
    if (options.tls_certificate.empty()) {
      using traits = restinio::default_traits_t;
      restinio::server_settings_t<traits> s;
      return runner.Run<traits>(Common(std::move(s), options, runner), on_ready);
    }
    using traits = restinio::default_tls_traits_t;
    asio::ssl::context tls(asio::ssl::context::tls_server);
    tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                    asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                    asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
    tls.use_certificate_chain_file(options.tls_certificate);
    tls.use_private_key_file(options.tls_key, asio::ssl::context::pem);
    restinio::server_settings_t<traits> s;
    s.tls_context(std::move(tls));
    return runner.Run<traits>(Common(std::move(s), options, runner), on_ready);
  } catch (const std::exception& e) {
    return MakeError("serve.start", std::string("could not start the portal: ") + e.what());
  }
}

}  // namespace isoloir::web
