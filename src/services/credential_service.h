// The credential authority's use cases (issue 3 §4): issue every voter a
// password (e-mail) and a security key (letter), publish the anonymous
// credentials, send the e-mails with a resumable delivery log, and issue a
// voter a new password. See docs/credentials.md for the crash-safety design.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "delivery/mail.h"
#include "delivery/notice.h"
#include "services/election_service.h"
#include "store/urne_store.h"

namespace isoloir::services {

struct CredentialFolders {
  std::filesystem::path letters;  // PDF batches for the printer
  std::filesystem::path outbox;   // e-mails waiting to be sent (hold passwords: 0700)
  std::filesystem::path staging;  // work in progress of an issuing run
};

// stage ("credentials", "letters", ...), done, total.
using ProgressFn = std::function<void(std::string_view, size_t, size_t)>;

struct IssueRequest {
  std::string election_id;
  std::optional<std::string> matricule;  // only this voter (who has none yet)
  delivery::Language language = delivery::Language::kFrench;
  std::string mail_from = "elections@isoloir.invalid";
  std::string mail_from_name = "Élections professionnelles";
  unsigned threads = 2;
  size_t letters_per_file = 1000;
};

struct IssueReport {
  std::string run;
  size_t issued = 0;   // voters who got credentials in this run
  size_t already = 0;  // voters who already had credentials (left alone)
  std::vector<std::filesystem::path> letter_files;
  size_t emails = 0;          // e-mails put in the outbox
  size_t recovered_runs = 0;  // interrupted runs finished or undone first
  // Seconds spent in each stage, in order: "credentials" (secrets, verifiers,
  // public credentials), "letters and e-mails", "store" (public lists,
  // verifiers, delivery plan), "finish" (moving files, marking letters).
  std::vector<std::pair<std::string, double>> seconds;
};

// Issues credentials to every voter of the roll who has none (or to one).
// Interrupted runs found in the staging folder are first finished (if their
// credentials were stored) or undone (if not).
Result<IssueReport> IssueCredentials(store::RollStore& roll, store::UrneStore& urne,
                                     store::AuditLog& audit, const ServerKey& key,
                                     const CredentialFolders& folders, const IssueRequest& request,
                                     const Actor& actor, const ProgressFn& progress = {});

struct SendReport {
  size_t sent = 0;
  size_t failed = 0;   // recipient refused; the reason is in the delivery log
  size_t pending = 0;  // still to send (the relay stopped answering)
};

// Sends the pending e-mails of the outbox through `mailer`, marking each in
// the delivery log; a message is removed from the outbox once sent. Safe to
// run again after an interruption: what is pending is sent, at worst once
// more with the same password, never with a different one.
Result<SendReport> SendPendingEmails(store::RollStore& roll, store::AuditLog& audit,
                                     delivery::Mailer& mailer, const CredentialFolders& folders,
                                     const std::string& election_id,
                                     const std::optional<std::string>& matricule,
                                     const Actor& actor, const ProgressFn& progress = {});

// How a reissued password reaches the voter.
struct ReissueDelivery {
  bool email = true;             // into the outbox (send it with SendPendingEmails)
  std::string* shown = nullptr;  // if set, receives the password to show once (wipe it)
};

// A new password for one voter: the old one stops working, and an older
// password still waiting in the outbox is withdrawn.
Status ReissuePassword(store::RollStore& roll, store::AuditLog& audit, const ServerKey& key,
                       const CredentialFolders& folders, const IssueRequest& request,
                       const std::string& matricule, const Actor& actor,
                       const ReissueDelivery& delivery = {});

}  // namespace isoloir::services
