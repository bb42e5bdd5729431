// `isoloir credentials generate|send`: the credential authority's commands.
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/data_options.h"
#include "cli/mail_options.h"
#include "cli/progress.h"
#include "delivery/maildir_mailer.h"
#include "delivery/smtp_mailer.h"
#include "services/authority_transfer.h"
#include "services/credential_service.h"

#include <fstream>
#include <sstream>

namespace isoloir::cli {
namespace {

services::CredentialFolders Folders(const DataOptions& o) {
  return services::CredentialFolders{o.letters_dir(), o.outbox_dir(), o.staging_dir()};
}

// Draws one progress bar per stage.
class StageProgress {
 public:
  void operator()(std::string_view stage, size_t done, size_t total) {
    if (stage != stage_) {
      if (bar_) bar_->Finish();
      stage_ = std::string(stage);
      bar_ = std::make_unique<Progress>(stage_, total);
    }
    bar_->Update(done);
    if (done >= total) bar_->Finish();
  }

 private:
  std::string stage_;
  std::unique_ptr<Progress> bar_;
};

}  // namespace

void AddCredentialsCommands(CLI::App& app, int& exit_code) {
  static DataOptions data;
  static services::IssueRequest request;
  static std::string matricule, language = "fr";
  static SmtpOptions smtp;
  static bool new_password = false;

  auto* cred = app.add_subcommand("credentials", "voters' credentials (credential authority)")
                   ->require_subcommand(1);
  auto* gen = cred->add_subcommand(
      "generate", "issue a password (e-mail) and a security key (letter) to every voter without");
  gen->add_option("--election", request.election_id, "election id")->required();
  gen->add_option("--matricule", matricule, "only this voter");
  gen->add_option("--lang", language, "fr (default) or en")->check(CLI::IsMember({"fr", "en"}));
  gen->add_option("--from", request.mail_from, "sender address of the e-mails");
  gen->add_option("--threads", request.threads, "threads for the credentials (default 2)");
  AddDataOptions(gen, data);
  gen->callback([&exit_code] {
    if (!matricule.empty()) request.matricule = matricule;
    request.language = language == "en" ? delivery::Language::kEnglish : delivery::Language::kFrench;
    auto stores = OpenCliStores(data, /*with_urne=*/true);
    if (!stores) return void(exit_code = Fail(stores.error()));
    auto key = services::ServerKey::LoadOrCreate(data.server_key_file());
    if (!key) return void(exit_code = Fail(key.error()));
    StageProgress progress;
    auto report = services::IssueCredentials(
        *stores->roll, *stores->urne, *stores->audit, *key, Folders(data), request,
        services::Actor{Actor(data), static_cast<int64_t>(std::time(nullptr))},
        [&](std::string_view s, size_t d, size_t t) { progress(s, d, t); });
    if (!report) return void(exit_code = Fail(report.error()));
    if (report->recovered_runs > 0) {
      std::cout << "recovered " << report->recovered_runs << " interrupted run(s) first\n";
    }
    if (!report->seconds.empty()) {
      std::cout << "time:";
      for (const auto& [stage, secs] : report->seconds) std::cout << " " << stage << " " << secs << " s;";
      std::cout << "\n";
    }
    std::cout << "issued credentials to " << report->issued << " voters ("
              << report->already << " already had theirs)\n"
              << "letters: " << report->letter_files.size() << " PDF file(s) in "
              << data.letters_dir().string() << "\n"
              << "e-mails: " << report->emails << " in the outbox; send them with "
              << "`isoloir credentials send --election " << request.election_id << "`\n";
  });

  auto* send = cred->add_subcommand("send", "send the pending password e-mails (resumable)");
  send->add_option("--election", request.election_id, "election id")->required();
  send->add_option("--matricule", matricule, "only this voter");
  send->add_flag("--new-password", new_password,
                 "issue the voter (--matricule) a new password first; the old one stops working");
  AddSmtpOptions(send, smtp);
  send->add_option("--from", request.mail_from, "sender address (with --new-password)");
  AddDataOptions(send, data);
  send->callback([&exit_code] {
    auto stores = OpenCliStores(data, /*with_urne=*/false);
    if (!stores) return void(exit_code = Fail(stores.error()));
    const services::Actor actor{Actor(data), static_cast<int64_t>(std::time(nullptr))};
    std::optional<std::string> only;
    if (!matricule.empty()) only = matricule;
    if (new_password) {
      if (!only) {
        return void(exit_code = Fail(MakeError("cli.matricule", "--new-password needs --matricule"),
                                     kExitUsage));
      }
      auto key = services::ServerKey::LoadOrCreate(data.server_key_file());
      if (!key) return void(exit_code = Fail(key.error()));
      Status st = services::ReissuePassword(*stores->roll, *stores->audit, *key, Folders(data), request,
                                            *only, actor);
      if (!st) return void(exit_code = Fail(st.error()));
      std::cout << "new password issued to " << *only << "; the old one no longer works\n";
    }
    auto mailer = MakeMailer(smtp, data);
    if (!mailer) return void(exit_code = Fail(mailer.error(), kExitUsage));
    StageProgress progress;
    auto report = services::SendPendingEmails(
        *stores->roll, *stores->audit, **mailer, Folders(data), request.election_id, only, actor,
        [&](std::string_view s, size_t d, size_t t) { progress(s, d, t); });
    if (!report) return void(exit_code = Fail(report.error()));
    std::cout << "e-mails sent: " << report->sent << ", refused: " << report->failed << "\n";
    if (smtp.host.empty()) {
      std::cout << "(no --smtp: delivered to the Maildir " << (data.data() / "maildir").string()
                << ")\n";
    }
    if (report->failed > 0) exit_code = kExitFailure;
  });

  static std::string transfer_file;
  auto* exp = cred->add_subcommand(
      "export", "write what the portal needs (verifiers, public lists) for an offline authority");
  exp->add_option("--election", request.election_id, "election id")->required();
  exp->add_option("--out", transfer_file, "file to write")->required();
  AddDataOptions(exp, data);
  exp->callback([&exit_code] {
    auto stores = OpenCliStores(data, /*with_urne=*/true);
    if (!stores) return void(exit_code = Fail(stores.error()));
    auto text = services::ExportForPortal(*stores->roll, *stores->urne, request.election_id);
    if (!text) return void(exit_code = Fail(text.error()));
    std::ofstream out(transfer_file, std::ios::binary);
    out << *text;
    if (!out) return void(exit_code = Fail(MakeError("cli.file", "cannot write " + transfer_file)));
    std::cout << "wrote " << transfer_file << " (no secret: verifiers and public lists only)\n";
  });

  auto* imp = cred->add_subcommand("import", "store an offline authority's export on the portal");
  imp->add_option("FILE", transfer_file, "the file written by `credentials export`")->required();
  AddDataOptions(imp, data);
  imp->callback([&exit_code] {
    std::ifstream in(transfer_file, std::ios::binary);
    if (!in) return void(exit_code = Fail(MakeError("cli.file", "cannot read " + transfer_file), kExitUsage));
    std::stringstream ss;
    ss << in.rdbuf();
    auto stores = OpenCliStores(data, /*with_urne=*/true);
    if (!stores) return void(exit_code = Fail(stores.error()));
    auto r = services::ImportFromAuthority(
        *stores->roll, *stores->urne, *stores->audit, ss.str(),
        services::Actor{Actor(data), static_cast<int64_t>(std::time(nullptr))});
    if (!r) return void(exit_code = Fail(r.error(), kExitUsage));
    std::cout << "imported: " << r->verifiers << " voters' verifiers, " << r->public_credentials
              << " public credentials, " << r->revocations << " revocations\n";
  });
}

}  // namespace isoloir::cli
