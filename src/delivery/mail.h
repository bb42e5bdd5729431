// Sending one e-mail. The Mailer interface is what the credentials service
// sees; MaildirMailer (demo, tests) and SmtpMailer (production relay) are the
// two implementations. Mailers only send: the caller records what was sent.
// No mailer ever logs or echoes a message body (it holds a password).
#pragma once

#include <string>

#include "common/result.h"

namespace isoloir::delivery {

struct Mail {
  std::string from;       // addr-spec, ASCII: "elections@ministere.gouv.fr"
  std::string from_name;  // optional display name, UTF-8: "Élections professionnelles"
  std::string to;         // addr-spec, ASCII
  std::string subject;    // UTF-8, one line
  std::string text;       // UTF-8 plain-text body; lines separated by '\n'
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Delivers one message. Errors are values; their messages name the
  // recipient and the cause, never the body.
  virtual Status Send(const Mail& mail) = 0;
};

}  // namespace isoloir::delivery
