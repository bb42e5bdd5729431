// Sends messages through an SMTP relay with libcurl. One SmtpMailer keeps one
// CURL handle, so consecutive messages reuse the same connection (one EHLO,
// one TLS handshake, one AUTH). Not thread-safe: use one per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "common/result.h"
#include "delivery/mail.h"

namespace isoloir::delivery {

struct SmtpConfig {
  enum class Security {
    kNone,      // plain SMTP (a relay on the same host or a test server)
    kStartTls,  // plain connection upgraded with STARTTLS, required (fails if not offered)
    kTls,       // implicit TLS from the first byte ("smtps", usually port 465)
  };
  std::string host;  // name or IP address of the relay
  uint16_t port = 25;
  Security security = Security::kStartTls;
  std::string user;                          // empty: no AUTH
  std::string password;                      // never appears in an error
  std::chrono::milliseconds timeout{30000};  // per message, connection included
  bool verify_tls = true;                    // check the relay's certificate and name
  std::string ca_file;                       // PEM bundle; empty: the system's
  std::string helo_name;                     // name given in EHLO; empty: libcurl's default
};

class SmtpMailer : public Mailer {
 public:
  static Result<SmtpMailer> Create(SmtpConfig config);
  SmtpMailer(SmtpMailer&&) noexcept;
  SmtpMailer& operator=(SmtpMailer&&) noexcept;
  ~SmtpMailer() override;  // ends the session (QUIT) and closes the connection

  // Error codes: smtp.unreachable, smtp.timeout, smtp.tls, smtp.auth,
  // smtp.rejected (with the relay's reply code), smtp.failed; mail.* when the
  // message itself is invalid (nothing is sent then).
  Status Send(const Mail& mail) override;

 private:
  struct Impl;
  explicit SmtpMailer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace isoloir::delivery
