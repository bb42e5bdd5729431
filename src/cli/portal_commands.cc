// `isoloir serve` (the voter portal) and `isoloir ceremony local` (a key
// ceremony run by one machine for demos and tests; the board's real
// ceremony, one machine per holder, is `isoloir key-holder`, issue 5).
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>

#include "cli/board_context.h"
#include "cli/cli_files.h"
#include "cli/commands.h"
#include "cli/data_options.h"
#include "cli/mail_options.h"
#include "counting/ceremony.h"
#include "crypto/codec.h"
#include "crypto/simulation.h"
#include "election/election_file.h"
#include "election/paris_time.h"
#include "portal/helpdesk.h"
#include "services/election_service.h"
#include "services/server_key.h"
#include "web/server.h"

#ifndef ISOLOIR_DEFAULT_ASSETS
#define ISOLOIR_DEFAULT_ASSETS "web/dist"
#endif

namespace isoloir::cli {
namespace {

struct ServeOptions {
  DataOptions data;
  SmtpOptions smtp;
  std::string election;
  web::ServerOptions server;
  std::string assets;
  std::string documents;
  std::string pv_dir;  // default: <data>/count/pv
  std::string verification_report;  // default: <data>/verification/report.json
  std::string regeneration = "screen";
  bool receipt_email = false;
  std::string mail_from = "elections@isoloir.invalid";
  bool verbose = false;
};

int RunServe(ServeOptions& o) {
  if (!o.verbose) spdlog::set_level(spdlog::level::warn);
  auto config = MakeStoreConfig(o.data);
  if (!config) return Fail(config.error(), kExitUsage);
  portal::PortalPolicy policy;
  if (o.regeneration == "screen") {
    policy.regeneration_delivery = portal::PasswordDelivery::kScreen;
  } else if (o.regeneration == "email") {
    policy.regeneration_delivery = portal::PasswordDelivery::kEmail;
  } else if (o.regeneration == "both") {
    policy.regeneration_delivery = portal::PasswordDelivery::kScreenAndEmail;
  } else {
    return Fail(MakeError("cli.regeneration", "--regeneration is screen, email or both"),
                kExitUsage);
  }
  auto key = services::ServerKey::LoadOrCreate(o.data.server_key_file());
  if (!key) return Fail(key.error());
  auto pool = web::StorePool::Open(*config, o.server.threads + 1);
  if (!pool) return Fail(pool.error());
  std::string election_id = o.election;
  if (election_id.empty()) {
    auto lease = (*pool)->Acquire();
    auto all = lease.stores().roll.ListElections();
    if (!all) return Fail(all.error());
    if (all->size() != 1) {
      return Fail(MakeError("cli.election", "give --election: the store holds " +
                                                std::to_string(all->size()) + " elections"),
                  kExitUsage);
    }
    election_id = all->front().id;
  }
  std::shared_ptr<const portal::ElectionSite> site;
  {
    auto lease = (*pool)->Acquire();
    auto loaded = portal::LoadElectionSite(lease.stores().roll, lease.stores().portal, election_id,
                                           *key, policy);
    if (!loaded) return Fail(loaded.error());
    auto mutable_site = std::make_shared<portal::ElectionSite>(**loaded);
    mutable_site->folders = {o.data.letters_dir(), o.data.outbox_dir(), o.data.staging_dir()};
    mutable_site->receipt_email = o.receipt_email;
    mutable_site->mail_from = o.mail_from;
    if (policy.regeneration_delivery != portal::PasswordDelivery::kScreen || o.receipt_email) {
      SmtpOptions smtp = o.smtp;
      DataOptions data = o.data;
      mutable_site->mailer = [smtp, data]() -> std::unique_ptr<delivery::Mailer> {
        auto m = MakeMailer(smtp, data);
        return m ? std::move(*m) : nullptr;
      };
    }
    // The seal is checked at opening: ballots are refused unless it holds.
    if (mutable_site->key) {
      auto& st = lease.stores();
      counting::CountStores view{st.roll, st.urne, st.emargement, st.portal, st.audit};
      auto check =
          seal::CheckSeal(view, election_id, MakeSealSources(o.assets), "opening", Now(o.data));
      if (!check) return Fail(check.error());
      if (!check->ok()) mutable_site->seal_gate->Set(check->Problem());
    }
    site = mutable_site;
  }
  web::PortalOptions options;
  options.tls = !o.server.tls_certificate.empty();
  options.assets = AssetsFolder(o.assets);
  options.documents = o.documents;
  options.verification_report = o.verification_report.empty()
                                    ? o.data.data() / "verification" / "report.json"
                                    : std::filesystem::path(o.verification_report);
  options.published = o.data.data() / "published";  // `isoloir publish` (docs/pv.md)
  options.count = o.data.data() / "count";  // the count from /bve/depouillement
  options.seal_sources = MakeSealSources(o.assets);
  // Started before the opening time: the seal is checked again when it comes.
  options.seal_check_at_opening = Now(o.data).now < site->election.window.opening.utc;
  // The PVs the BVE signs on /bve/signatures: those /bve/depouillement
  // wrote, unless --pv-dir names the folder `isoloir pv --out` wrote.
  options.pv_folder = o.pv_dir;
  auto app = web::PortalApp::Create(site, **pool, options);
  if (!app) return Fail(app.error());
  const std::string scheme = options.tls ? "https" : "http";
  Status st = web::RunServer(**app, o.server, [&] {
    std::cout << "isoloir: portal of election " << election_id << " on " << scheme << "://"
              << o.server.address << ":" << o.server.port << "/ (Ctrl+C to stop)" << std::endl;
    if (!site->key) {
      std::cout << "isoloir: note: no election key yet: voting stays closed until the key "
                   "ceremony is closed (the portal then takes the key) and the seal approved"
                << std::endl;
    }
    if (std::string why = site->seal_gate->Refusal(); !why.empty()) {
      std::cout << "isoloir: warning: ballots are refused: " << why
                << " (docs/seal.md: sealing on /bve/signatures lifts this; after `isoloir seal "
                   "approve`, restart the portal)"
                << std::endl;
    }
  });
  if (!st) return Fail(st.error());
  return kExitOk;
}

// The whole Pedersen ceremony in this process: for demos and tests only.
int RunLocalCeremony(const DataOptions& data, const std::string& election_id,
                     const std::string& out_dir) {
  auto stores = store::OpenStores(*MakeStoreConfig(data));
  if (!stores) return Fail(stores.error());
  auto e = services::LoadElection(*stores->roll, election_id);
  if (!e) return Fail(e.error());
  uint32_t holders = 0;
  for (const auto& m : e->bve.members) holders += m.fragments;
  const crypto::Digest fingerprint = election::ElectionFingerprint(*e);
  crypto::SimulatedBoard board =
      crypto::RunKeyCeremony(fingerprint, holders, e->bve.threshold, crypto::SystemRandom());
  for (const auto& a : board.announcements) {
    if (!crypto::VerifyAnnouncement(board.params, a)) {
      return Fail(MakeError("ceremony.announcement", "a holder's announcement does not verify"));
    }
  }
  for (const auto& d : board.dealings) {
    if (Status st = crypto::VerifyDealing(board.params, d); !st) return Fail(st.error());
  }
  const nlohmann::json transcript = counting::CeremonyTranscriptJson(
      election_id, board.params, board.announcements, board.dealings, board.pub.public_key,
      "local (one machine: demo and tests only)");
  const std::string y = crypto::codec::Encode(board.pub.public_key).get<std::string>();
  std::filesystem::create_directories(out_dir);
  ::chmod(out_dir.c_str(), 0700);
  const std::vector<std::string> members = counting::FragmentHolders(*e);
  for (uint32_t j = 1; j <= holders; ++j) {
    const std::string file = out_dir + "/fragment-" + std::to_string(j) + ".json";
    std::ofstream f(file, std::ios::trunc);
    ::chmod(file.c_str(), 0600);
    f << counting::FragmentJson({election_id, fingerprint, board.pub.public_key, j, members[j - 1],
                                 board.shares[j - 1], board.pub.verification_keys[j - 1]})
             .dump(2)
      << "\n";
  }
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  if (Status st = stores->portal->PutElectionKey({election_id, y, transcript.dump(), now}); !st) {
    return Fail(st.error());
  }
  auto logged = stores->audit->Append(
      election_id, now, Actor(data), "ceremony.local",
      nlohmann::json{{"holders", holders}, {"threshold", e->bve.threshold}, {"public_key", y}}
          .dump());
  if (!logged) return Fail(logged.error());
  std::cout << "isoloir: key ceremony of " << holders << " fragments (threshold "
            << e->bve.threshold << ") done in this process; public key stored.\n"
            << "isoloir: the fragments are in " << out_dir
            << " (one file per holder: hand them over, then delete them here)\n";
  return kExitOk;
}

const char* DeliveryState(store::DeliveryStatus s) {
  switch (s) {
    case store::DeliveryStatus::kPending:
      return "en attente";
    case store::DeliveryStatus::kSent:
      return "envoyé";
    case store::DeliveryStatus::kFailed:
      return "échec";
  }
  return "";
}

int RunHelpdeskStatus(const DataOptions& data, const std::string& election,
                      const std::string& matricule) {
  auto b = OpenBoard(data, election);
  if (!b) return Fail(b.error());
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  auto st = portal::GetVoterStatus(*b->site, *b->view, matricule, Actor(data), now);
  if (!st) return Fail(st.error());
  std::cout << "Électeur " << st->voter.matricule << " : " << st->voter.prenom << " "
            << st->voter.nom << " (section " << st->voter.section << ")\n";
  if (st->credentials_issued) {
    std::cout << "Identifiants : génération " << st->generation << ", émis le "
              << election::FormatParisLocal(*st->credentials_issued) << " (heure de Paris)\n";
  } else {
    std::cout << "Identifiants : pas encore émis\n";
  }
  for (const auto& d : st->deliveries) {
    std::cout << "  " << (d.channel == store::DeliveryChannel::kEmail ? "courriel" : "courrier")
              << " (génération " << d.generation << ") : " << DeliveryState(d.status) << ", "
              << election::FormatParisLocal(d.time) << (d.detail.empty() ? "" : " : " + d.detail)
              << "\n";
  }
  std::cout << "Régénération en ligne : " << (st->regeneration_locked ? "BLOQUÉE" : "possible")
            << "; connexions échouées (15 dernières minutes) : " << st->failed_logins << "\n";
  for (const auto& [code, voted] : st->voted) {
    std::cout << "  " << code << " : " << (voted ? "a voté" : "n'a pas voté") << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddPortalCommands(CLI::App& app, int& exit_code) {
  static ServeOptions serve_options;
  auto* serve = app.add_subcommand("serve", "run the voter portal (HTTP, or HTTPS with --tls-*)");
  serve->add_option("--election", serve_options.election, "election id (default: the only one)");
  serve->add_option("--address", serve_options.server.address, "address to listen on")
      ->capture_default_str();
  serve->add_option("--port", serve_options.server.port, "port")->capture_default_str();
  serve->add_option("--threads", serve_options.server.threads, "worker threads")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  serve->add_option("--tls-cert", serve_options.server.tls_certificate, "PEM certificate chain");
  serve->add_option("--tls-key", serve_options.server.tls_key, "PEM private key");
  serve->add_option("--assets", serve_options.assets,
                    "folder with booth.js (default $ISOLOIR_ASSETS or " ISOLOIR_DEFAULT_ASSETS ")");
  serve->add_option("--documents", serve_options.documents,
                    "folder with the professions de foi named in the election file");
  serve->add_option("--pv-dir", serve_options.pv_dir,
                    "the folder of the PVs the BVE downloads and signs on /bve/signatures "
                    "(default <data>/count/pv, where /bve/depouillement writes them; or the "
                    "folder `isoloir pv --out` wrote)");
  serve->add_option("--verification-report", serve_options.verification_report,
                    "the portal's last verification of its record, shown on /verification "
                    "(written by `isoloir verify --save-report`; default "
                    "<data>/verification/report.json)");
  serve
      ->add_option("--regeneration", serve_options.regeneration,
                   "how a regenerated password reaches the voter: screen, email or both")
      ->capture_default_str();
  serve->add_flag("--receipt-email", serve_options.receipt_email,
                  "also e-mail each voter the receipt of their vote (off by default)");
  serve->add_option("--mail-from", serve_options.mail_from, "sender address of the portal's mail")
      ->capture_default_str();
  serve->add_flag("--verbose", serve_options.verbose, "log requests' problems at info level");
  AddSmtpOptions(serve, serve_options.smtp);
  AddDataOptions(serve, serve_options.data);
  serve->callback([&exit_code] {
    if (serve_options.server.tls_certificate.empty() != serve_options.server.tls_key.empty()) {
      PrintError(MakeError("cli.tls", "give both --tls-cert and --tls-key"));
      exit_code = kExitUsage;
      return;
    }
    exit_code = RunServe(serve_options);
  });

  static DataOptions ceremony_data;
  static std::string ceremony_election, ceremony_out;
  auto* ceremony = app.add_subcommand("ceremony", "the board's key ceremony");
  ceremony->require_subcommand(1);
  auto* local = ceremony->add_subcommand(
      "local",
      "run the whole ceremony in this process (demo and tests only: one machine holds "
      "every fragment until they are handed over)");
  local->add_option("--election", ceremony_election, "election id")->required();
  local->add_option("--out", ceremony_out, "folder for the holders' fragment files")->required();
  AddDataOptions(local, ceremony_data);
  local->callback([&exit_code] {
    exit_code = RunLocalCeremony(ceremony_data, ceremony_election, ceremony_out);
  });

  // The helpdesk: a voter's status and unlocking regeneration (never a vote,
  // never a credential).
  static DataOptions help_data;
  static std::string help_election, help_matricule;
  auto* helpdesk = app.add_subcommand("helpdesk", "the helpdesk's view of a voter");
  helpdesk->require_subcommand(1);
  auto* status = helpdesk->add_subcommand("status", "credentials, deliveries, lock, has voted");
  auto* unlock = helpdesk->add_subcommand("unlock", "let the voter regenerate online again");
  for (auto* c : {status, unlock}) {
    c->add_option("--election", help_election, "election id")->required();
    c->add_option("--matricule", help_matricule, "the voter")->required();
    AddDataOptions(c, help_data);
  }
  status->callback(
      [&exit_code] { exit_code = RunHelpdeskStatus(help_data, help_election, help_matricule); });
  unlock->callback([&exit_code] {
    auto b = OpenBoard(help_data, help_election);
    if (!b) return void(exit_code = Fail(b.error()));
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    if (Status st =
            portal::UnlockRegeneration(*b->site, *b->view, help_matricule, Actor(help_data), now);
        !st) {
      return void(exit_code = Fail(st.error()));
    }
    std::cout << "online regeneration unlocked for " << help_matricule << "\n";
  });

  // The board: suspend and resume the vote, with a written reason.
  static DataOptions vote_data;
  static std::string vote_election, vote_reason;
  auto* vote = app.add_subcommand("vote", "the board suspends or resumes the vote");
  vote->require_subcommand(1);
  auto* suspend = vote->add_subcommand("suspend", "suspend the vote (voters see the reason)");
  auto* resume = vote->add_subcommand("resume", "resume a suspended vote");
  for (auto* c : {suspend, resume}) {
    c->add_option("--election", vote_election, "election id")->required();
    c->add_option("--reason", vote_reason, "written reason (audit log and PV)")->required();
    AddDataOptions(c, vote_data);
  }
  auto act = [&exit_code](bool suspending) {
    auto b = OpenBoard(vote_data, vote_election);
    if (!b) return void(exit_code = Fail(b.error()));
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    Status st = suspending
                    ? portal::SuspendVote(*b->site, *b->view, vote_reason, Actor(vote_data), now)
                    : portal::ResumeVote(*b->site, *b->view, vote_reason, Actor(vote_data), now);
    if (!st) return void(exit_code = Fail(st.error()));
    std::cout << (suspending ? "vote suspended: " : "vote resumed: ") << vote_reason << "\n";
  };
  suspend->callback([act] { act(true); });
  resume->callback([act] { act(false); });
}

}  // namespace isoloir::cli
