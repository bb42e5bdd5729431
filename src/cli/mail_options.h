// How a command sends mail: through an SMTP relay (--smtp ...) or, by
// default, into a Maildir under the data folder (demo, tests, air-gapped runs).
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "cli/data_options.h"
#include "common/result.h"
#include "delivery/mail.h"

namespace isoloir::cli {

struct SmtpOptions {
  std::string host;
  uint16_t port = 25;
  std::string security = "starttls";
  std::string user;
};

// Adds --smtp, --smtp-port, --smtp-security and --smtp-user.
void AddSmtpOptions(CLI::App* cmd, SmtpOptions& options);
// The SMTP mailer, or a Maildir in <data>/maildir without --smtp. The SMTP
// password comes from $ISOLOIR_SMTP_PASSWORD, never from the command line.
Result<std::unique_ptr<delivery::Mailer>> MakeMailer(const SmtpOptions& s, const DataOptions& o);

}  // namespace isoloir::cli
