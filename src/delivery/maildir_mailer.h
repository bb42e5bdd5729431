// Delivers messages as files into a Maildir folder (tmp/ then new/, unique
// names, each file fsync'ed and mode 0600 since it holds a password). The
// default for the demo and the tests: any mail client can read the folder.
#pragma once

#include <filesystem>
#include <string>

#include "common/result.h"
#include "delivery/mail.h"

namespace isoloir::delivery {

class MaildirMailer : public Mailer {
 public:
  // Creates `root` and its tmp/, new/ and cur/ folders (mode 0700) if needed.
  static Result<MaildirMailer> Open(const std::filesystem::path& root);

  // Writes the message to tmp/<unique>, then links it into new/ (never
  // overwriting) and removes the tmp/ entry. Lines end in "\n" (Maildir).
  Status Send(const Mail& mail) override;

  const std::filesystem::path& root() const { return root_; }

 private:
  explicit MaildirMailer(std::filesystem::path root, std::string host)
      : root_(std::move(root)), host_(std::move(host)) {}
  std::string UniqueName();

  std::filesystem::path root_;
  std::string host_;  // hostname with '/' and ':' escaped as Maildir asks
};

}  // namespace isoloir::delivery
