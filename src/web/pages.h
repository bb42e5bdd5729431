// The voter portal's pages and JSON API as a function from request to
// response: routing, language, CSRF, sessions, and the portal use cases
// (src/portal). The RESTinio server (server.h) only moves bytes.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "portal/credential_check.h"
#include "pv/count_desk.h"
#include "portal/voter_portal.h"
#include "web/http.h"
#include "web/render.h"
#include "web/store_pool.h"

namespace isoloir::web {

struct PortalOptions {
  bool tls = false;                 // cookies Secure, HSTS
  std::filesystem::path assets;     // web/dist: booth.js and its map
  std::filesystem::path documents;  // professions de foi (PDF), may be empty
  std::filesystem::path published;  // what `isoloir publish` wrote (results, PVs); may be empty
  std::filesystem::path pv_folder;  // the PVs to sign (`isoloir pv --out`); empty: <count>/pv
  std::function<int64_t()> clock;   // Unix seconds; default: the system clock
  // The portal's own last verification of its record, shown on /verification
  // (written by `isoloir verify --save-report`); may be absent.
  std::filesystem::path verification_report;
  // The count run from /bve/depouillement: its documents (DATA/count), and
  // what the seal checks at closing and count compare (default: this
  // executable, the embedded files and `assets`, as the CLI).
  std::filesystem::path count;
  std::optional<seal::SealSources> seal_sources;
  // The portal starts before the opening time: check the seal when it comes
  // (serve's own check at start was not at the opening).
  bool seal_check_at_opening = false;
};


class PortalApp {
 public:
  // Reads the assets once (the server serves what it was started with).
  static Result<std::unique_ptr<PortalApp>> Create(std::shared_ptr<const portal::ElectionSite> site,
                                                   StorePool& pool, PortalOptions options);

  HttpResponse Handle(const HttpRequest& request);
  // The election as served now (it gains its key when the ceremony closes).
  const portal::ElectionSite& site() const { return *site_.load(); }
  // At the opening time (if the portal started before it) and at the
  // closing time, the seal check of that moment, once each
  // (seal_moments.cc); the server calls it on a timer, Handle on each request.
  void CheckSealOnTime();
  // Before the key ceremony is closed: looks for the election key in the
  // store (at most once a second) and serves with it from then on, ballots
  // waiting for the seal's check (election_key.cc). Handle calls it.
  void TakeElectionKey();

 private:
  friend class StaffPages;  // the board's pages under /bve (staff_pages.h)
  PortalApp(std::shared_ptr<const portal::ElectionSite> site, StorePool& pool,
            PortalOptions options)
      : site_(std::move(site)),
        pool_(pool),
        options_(std::move(options)),
        opening_checked_(!options_.seal_check_at_opening) {}

  // One request's language, cookies, session and store connections.
  struct Ctx {
    const HttpRequest& req;
    Lang lang = Lang::kFr;
    std::string visit;  // the visitor cookie (CSRF binding)
    std::optional<store::SessionRecord> session;
    std::string session_cookie;
    std::optional<StorePool::Lease> lease;
    std::vector<std::string> set_cookies;
    portal::PortalStores& stores() { return lease->stores(); }
  };
  HttpResponse Route(Ctx& c);
  HttpResponse Api(Ctx& c);

  // Pages.
  HttpResponse LoginPage(Ctx& c, const portal::LoginForm* form, const Error* error, int status);
  HttpResponse PostLogin(Ctx& c);
  HttpResponse RegenerationPage(Ctx& c, const portal::RegenerationForm* form, const Error* error,
                                int status);
  HttpResponse PostRegeneration(Ctx& c);
  HttpResponse ScrutinsPage(Ctx& c);
  HttpResponse VotePage(Ctx& c, const std::string& code);
  HttpResponse PostVote(Ctx& c, const std::string& code);
  HttpResponse TrackerPage(Ctx& c);
  HttpResponse ReceiptDownload(Ctx& c);
  HttpResponse PostLogout(Ctx& c);
  HttpResponse Document(Ctx& c, const std::string& name);
  HttpResponse RecordFile(Ctx& c);
  HttpResponse VerificationPage(Ctx& c);  // verification_page.cc
  HttpResponse CredentialCheckPage(Ctx& c);  // credential_check_page.cc
  Result<std::shared_ptr<const portal::UsedCredentials>> UsedCredentialsOf(
      Ctx& c, const std::string& scrutin);
  HttpResponse CeremonyPage(Ctx& c);    // ceremony_page.cc
  HttpResponse DecryptionPage(Ctx& c);  // ceremony_page.cc
  HttpResponse Static(Ctx& c, const std::string& name);
  // results_page.cc
  HttpResponse ResultsPage(Ctx& c);
  HttpResponse ResultsFile(Ctx& c, const std::string& name);
  std::optional<nlohmann::json> Published() const;

  // Helpers.
  HttpResponse Page(Ctx& c, const std::string& title, std::string_view tmpl, nlohmann::json data,
                    int status = 200, std::string main_attributes = "");
  HttpResponse Message(Ctx& c, const std::string& title_key, std::vector<std::string> paragraphs,
                       int status, const std::string& link_href = "",
                       const std::string& link_key = "");
  HttpResponse PhasePage(Ctx& c, portal::Phase phase);
  HttpResponse Redirect(Ctx& c, const std::string& to);
  HttpResponse SessionExpired(Ctx& c);
  HttpResponse InternalError(Ctx& c, const Error& e);
  bool CsrfOk(Ctx& c, const std::string& token);
  std::string Csrf(Ctx& c);
  bool Resume(Ctx& c);
  nlohmann::json BallotParams(const election::Scrutin& s) const;
  std::string HumanTime(Lang lang, int64_t utc) const;
  int64_t Now() const;
  pv::CountFolder CountFolder() const;           // count_pages.cc
  // What the seal covers here: serve's sources, else this binary, its embedded files and assets.
  seal::SealSources PortalSealSources() const;   // count_pages.cc

  std::atomic<std::shared_ptr<const portal::ElectionSite>> site_;
  // Every site served before the current one, kept so that a reference
  // from site() stays valid for the app's life (the key comes once).
  std::vector<std::shared_ptr<const portal::ElectionSite>> retired_;
  std::mutex key_mu_;  // guards retired_ and the swap
  std::atomic<int64_t> key_looked_at_{0};
  StorePool& pool_;
  PortalOptions options_;
  std::map<std::string, std::string> assets_;  // booth.js, booth.js.map
  std::mutex used_mu_;  // guards used_
  std::map<std::string, std::shared_ptr<const portal::UsedCredentials>> used_;  // by scrutin
  std::atomic<bool> opening_checked_;
  std::atomic<bool> closing_checked_{false};
};

}  // namespace isoloir::web
