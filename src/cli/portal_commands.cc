// `isoloir serve` (the voter portal) and `isoloir ceremony local` (a key
// ceremony run by one machine for demos and tests; the board's real
// ceremony, one machine per holder, is `isoloir key-holder`, issue 5).
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/data_options.h"
#include "cli/mail_options.h"
#include "crypto/codec.h"
#include "crypto/simulation.h"
#include "election/election_file.h"
#include "record/ceremony_transcript.h"
#include "services/election_service.h"
#include "services/server_key.h"
#include "web/server.h"

#ifndef ISOLOIR_DEFAULT_ASSETS
#define ISOLOIR_DEFAULT_ASSETS "web/dist"
#endif

namespace isoloir::cli {
namespace {

int Fail(const Error& e, int code = kExitFailure) {
  PrintError(e);
  return code;
}

struct ServeOptions {
  DataOptions data;
  SmtpOptions smtp;
  std::string election;
  web::ServerOptions server;
  std::string assets;
  std::string documents;
  std::string regeneration = "screen";
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
    if (policy.regeneration_delivery != portal::PasswordDelivery::kScreen) {
      SmtpOptions smtp = o.smtp;
      DataOptions data = o.data;
      mutable_site->mailer = [smtp, data]() -> std::unique_ptr<delivery::Mailer> {
        auto m = MakeMailer(smtp, data);
        return m ? std::move(*m) : nullptr;
      };
    }
    site = mutable_site;
  }
  web::PortalOptions options;
  options.tls = !o.server.tls_certificate.empty();
  options.assets = o.assets.empty() ? std::filesystem::path(ISOLOIR_DEFAULT_ASSETS)
                                    : std::filesystem::path(o.assets);
  if (const char* env = std::getenv("ISOLOIR_ASSETS"); env && o.assets.empty()) {
    options.assets = env;
  }
  options.documents = o.documents;
  auto app = web::PortalApp::Create(site, **pool, options);
  if (!app) return Fail(app.error());
  const std::string scheme = options.tls ? "https" : "http";
  Status st = web::RunServer(**app, o.server, [&] {
    std::cout << "isoloir: portal of election " << election_id << " on " << scheme << "://"
              << o.server.address << ":" << o.server.port << "/ (Ctrl+C to stop)" << std::endl;
    if (!site->key) {
      std::cout << "isoloir: note: no election key yet (key ceremony): voting stays closed"
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
  // The public transcript (record/ceremony_transcript.h): what the record publishes.
  const nlohmann::json transcript =
      record::CeremonyTranscriptJson({election_id,
                                      holders,
                                      e->bve.threshold,
                                      "local (one machine: demo and tests only)",
                                      board.announcements,
                                      board.dealings,
                                      {},
                                      board.pub.public_key});
  const std::string y = crypto::codec::Encode(board.pub.public_key).get<std::string>();
  std::filesystem::create_directories(out_dir);
  ::chmod(out_dir.c_str(), 0700);
  uint32_t j = 1;
  for (const auto& m : e->bve.members) {
    for (uint32_t k = 0; k < m.fragments; ++k, ++j) {
      const std::string file = out_dir + "/fragment-" + std::to_string(j) + ".json";
      std::ofstream f(file, std::ios::trunc);
      f << nlohmann::json{{"election", election_id},
                          {"holder", j},
                          {"member", m.id},
                          {"share", crypto::codec::Encode(board.shares[j - 1])},
                          {"verification_key",
                           crypto::codec::Encode(board.pub.verification_keys[j - 1])}}
               .dump(2)
        << "\n";
      f.close();
      ::chmod(file.c_str(), 0600);
    }
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
  serve
      ->add_option("--regeneration", serve_options.regeneration,
                   "how a regenerated password reaches the voter: screen, email or both")
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
}

}  // namespace isoloir::cli
