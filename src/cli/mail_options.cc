#include "cli/mail_options.h"

#include <cstdlib>

#include "delivery/maildir_mailer.h"
#include "delivery/smtp_mailer.h"

namespace isoloir::cli {

void AddSmtpOptions(CLI::App* cmd, SmtpOptions& smtp) {
  cmd->add_option("--smtp", smtp.host, "SMTP relay host (default: a Maildir in <data>/maildir)");
  cmd->add_option("--smtp-port", smtp.port, "SMTP port (default 25)");
  cmd->add_option("--smtp-security", smtp.security, "none, starttls (default) or tls");
  cmd->add_option("--smtp-user", smtp.user, "SMTP user; password in $ISOLOIR_SMTP_PASSWORD");
}

Result<std::unique_ptr<delivery::Mailer>> MakeMailer(const SmtpOptions& s, const DataOptions& o) {
  if (s.host.empty()) {
    auto m = delivery::MaildirMailer::Open(o.data() / "maildir");
    if (!m) return m.error();
    return std::unique_ptr<delivery::Mailer>(new delivery::MaildirMailer(std::move(*m)));
  }
  delivery::SmtpConfig c;
  c.host = s.host;
  c.port = s.port;
  if (s.security == "none") {
    c.security = delivery::SmtpConfig::Security::kNone;
  } else if (s.security == "tls") {
    c.security = delivery::SmtpConfig::Security::kTls;
  } else if (s.security != "starttls") {
    return MakeError("cli.smtp_security", "--smtp-security is none, starttls or tls");
  }
  c.user = s.user;
  if (const char* pw = std::getenv("ISOLOIR_SMTP_PASSWORD")) c.password = pw;
  auto m = delivery::SmtpMailer::Create(std::move(c));
  if (!m) return m.error();
  return std::unique_ptr<delivery::Mailer>(new delivery::SmtpMailer(std::move(*m)));
}

}  // namespace isoloir::cli
