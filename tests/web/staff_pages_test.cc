// The board's pages under /bve as a browser sees them, on real stores: the
// two-factor login, then for every role and every class of route whether the
// server lets it through (not just whether a link is shown); the desk flow;
// and no staff page shows a partial result before closing.
#include "web/staff_pages.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "counting/count_service.h"
#include "crypto/credential.h"
#include "portal/session_token.h"
#include "portal/totp.h"
#include "browser_jar.h"
#include "portal_fixture.h"

namespace isoloir::web {
namespace {

using portal::StaffRole;
using portal::testing::KnownVoter;

bool Has(const std::string& body, const std::string& text) {
  return body.find(text) != std::string::npos;
}

class StaffPagesTest : public portal::testing::PortalFixture {
 protected:
  void SetUp() override {
    PortalFixture::SetUp();
    if (IsSkipped()) return;
    assets_ = std::filesystem::temp_directory_path() /
              ("isoloir-staff-assets-" + std::to_string(::getpid()));
    PortalOptions o;
    o.assets = assets_;
    o.clock = [this] { return clock_; };
    auto app = testing::OpenPortal(site_ptr(), config(), o, pool_);
    ASSERT_TRUE(app.ok()) << app.error().ToString();
    app_ = std::move(*app);
    clock_ = now();
  }
  void TearDown() override { std::filesystem::remove_all(assets_); }

  // One browser: a request with the cookies it holds, keeping those it gets.
  HttpResponse Send(const std::string& method, const std::string& path,
                    const std::string& body = "") {
    return testing::Browse(*app_, jar_, method, path, body, "192.0.2.20");
  }
  std::string Form(std::vector<std::pair<std::string, std::string>> fields) {
    return testing::FormWithCsrf(*app_, jar_, std::move(fields), "192.0.2.20");
  }
  portal::NewStaffAccount Account(StaffRole role, const std::string& id) {
    auto a = portal::AddStaff(site(), stores(), role, id, "test", now());
    EXPECT_TRUE(a.ok()) << a.error().ToString();
    return a.ok() ? std::move(*a) : portal::NewStaffAccount{};
  }
  HttpResponse LogIn(const portal::NewStaffAccount& a) {
    clock_ += 30;  // a fresh TOTP step for every login
    return Send("POST", "/bve/connexion",
                Form({{"identifiant", a.account.id},
                      {"mot_de_passe", a.password},
                      {"code", portal::Totp(a.totp_secret, clock_)}}));
  }

  std::filesystem::path assets_;
  std::unique_ptr<StorePool> pool_;
  std::unique_ptr<PortalApp> app_;
  std::map<std::string, std::string> jar_;
  int64_t clock_ = 0;
};

struct Probe {
  const char* method;
  const char* path;
  portal::StaffRight right;
};

// One route of each class, GET and POST.
const Probe kProbes[] = {
    {"GET", "/bve/guichet", portal::StaffRight::kDesk},
    {"POST", "/bve/guichet", portal::StaffRight::kDesk},
    {"GET", "/bve/assistance", portal::StaffRight::kHelpdesk},
    {"POST", "/bve/assistance/deverrouiller", portal::StaffRight::kHelpdesk},
    {"GET", "/bve/supervision", portal::StaffRight::kSupervision},
    {"GET", "/bve/emargement", portal::StaffRight::kSupervision},
    {"GET", "/bve/emargement.csv", portal::StaffRight::kSupervision},
    {"GET", "/bve/comptes", portal::StaffRight::kAccounts},
};

TEST_P(StaffPagesTest, EachRoleReachesItsRoutesAndOnlyThose) {
  const std::pair<StaffRole, const char*> roles[] = {
      {StaffRole::kOrganisateur, "orga"},     {StaffRole::kPresident, "president"},
      {StaffRole::kSecretaire, "secretaire"}, {StaffRole::kDelegue, "delegue-snad"},
      {StaffRole::kAssistance, "agent1"},
  };
  // Without a staff session: every route asks to log in.
  for (const auto& p : kProbes) {
    EXPECT_EQ(Send(p.method, p.path, Form({{"matricule", voter(0).voter.matricule}})).status, 401)
        << p.path;
  }
  for (const auto& [role, id] : roles) {
    jar_.clear();
    auto account = Account(role, id);
    HttpResponse login = LogIn(account);
    ASSERT_EQ(login.status, 303) << id << login.body;
    EXPECT_TRUE(jar_.count("isoloir_bve")) << id;
    EXPECT_FALSE(jar_.count("isoloir_session")) << "a staff login is no voter session";
    EXPECT_EQ(Send("GET", "/bve/accueil").status, 200);
    for (const auto& p : kProbes) {
      // A form that does nothing harmful: the voter's matricule, no identity check.
      HttpResponse r = Send(p.method, p.path, Form({{"matricule", voter(0).voter.matricule}}));
      if (portal::Allowed(role, p.right)) {
        EXPECT_NE(r.status, 403) << id << " " << p.method << " " << p.path;
        EXPECT_LT(r.status, 500) << id << " " << p.path;
      } else {
        EXPECT_EQ(r.status, 403) << id << " " << p.method << " " << p.path;
        EXPECT_TRUE(Has(r.body, "Accès refusé")) << id << " " << p.path;
      }
    }
    // The home page links only to what the role may open.
    HttpResponse home = Send("GET", "/bve/accueil");
    EXPECT_EQ(Has(home.body, "href=\"/bve/guichet\""),
              portal::Allowed(role, portal::StaffRight::kDesk))
        << id;
  }
  // The helpdesk sees the status but cannot hand over a credential.
  EXPECT_EQ(portal::Allowed(StaffRole::kAssistance, portal::StaffRight::kDesk), false);
}

TEST_P(StaffPagesTest, LoginRefusesAReplayedCodeAndThrottles) {
  auto a = Account(StaffRole::kPresident, "president");
  HttpResponse page = Send("GET", "/bve");
  EXPECT_EQ(page.status, 200);
  for (const char* text :
       {"Identifiant", "Mot de passe", "Code à usage unique", "autocomplete=\"one-time-code\""}) {
    EXPECT_TRUE(Has(page.body, text)) << text;
  }
  clock_ += 30;
  const std::string code = portal::Totp(a.totp_secret, clock_);
  auto form = [&](const std::string& password) {
    return Form({{"identifiant", "president"}, {"mot_de_passe", password}, {"code", code}});
  };
  EXPECT_EQ(Send("POST", "/bve/connexion", form(a.password)).status, 303);
  ASSERT_EQ(Send("POST", "/bve/deconnexion", Form({})).status, 200);
  EXPECT_FALSE(jar_.count("isoloir_bve"));
  HttpResponse replay = Send("POST", "/bve/connexion", form(a.password));
  EXPECT_EQ(replay.status, 400);
  EXPECT_TRUE(Has(replay.body, "La connexion a échoué"));
  for (int i = 0; i < 5; ++i) Send("POST", "/bve/connexion", form("wrong"));
  clock_ += 30;
  HttpResponse throttled = Send("POST", "/bve/connexion",
                                Form({{"identifiant", "president"},
                                      {"mot_de_passe", a.password},
                                      {"code", portal::Totp(a.totp_secret, clock_)}}));
  EXPECT_EQ(throttled.status, 429);
  // A form without its CSRF token is refused.
  HttpRequest r;
  r.method = "POST";
  r.path = "/bve/connexion";
  r.cookies = jar_;
  r.body = "identifiant=president&mot_de_passe=x&code=123456";
  EXPECT_EQ(app_->Handle(r).status, 400);
}

TEST_P(StaffPagesTest, ThePresidentHandsOverANewKeyAtTheDesk) {
  auto a = Account(StaffRole::kPresident, "president");
  ASSERT_EQ(LogIn(a).status, 303);
  const KnownVoter& v = voter(0);
  HttpResponse found = Send("GET", "/bve/guichet?matricule=" + v.voter.matricule);
  ASSERT_EQ(found.status, 200);
  for (const char* text : {"Pièce d", "Carte professionnelle", "Fin du numéro",
                           "Remettre une nouvelle clé de sécurité"}) {
    EXPECT_TRUE(Has(found.body, text)) << text;
  }
  // Without the identity check: the field is named, nothing is handed over.
  HttpResponse missing =
      Send("POST", "/bve/guichet", Form({{"matricule", v.voter.matricule}, {"action", "cle"}}));
  EXPECT_EQ(missing.status, 400);
  EXPECT_TRUE(Has(missing.body, "href=\"#document\""));
  HttpResponse done = Send("POST", "/bve/guichet",
                           Form({{"matricule", v.voter.matricule},
                                 {"document", "carte_professionnelle"},
                                 {"fin_numero", "9931"},
                                 {"action", "cle"}}));
  ASSERT_EQ(done.status, 200) << done.body;
  const size_t at = done.body.find("<code>");
  ASSERT_NE(at, std::string::npos);
  const std::string shown = done.body.substr(at + 6, done.body.find("</code>") - at - 6);
  auto key = crypto::NormalizeSecurityKey(shown);
  ASSERT_TRUE(key.ok()) << shown;
  KnownVoter renewed = v;
  renewed.security_key = *key;
  LoginOk(renewed);
  EXPECT_EQ(portal::Login(site(), stores(), FormFor(v), now()).error().code, "login.refused");
  int desk = 0;
  auto log = stores().audit.List("demo-2026");
  EXPECT_TRUE(log.ok());
  for (const auto& e : *log) {
    if (e.action.rfind("desk.", 0) == 0) {
      ++desk;
      EXPECT_EQ(e.actor, "staff:president");
      EXPECT_TRUE(Has(e.details, "9931"));
    }
  }
  EXPECT_EQ(desk, 1);
}

TEST_P(StaffPagesTest, NoStaffPageShowsAPartialResultBeforeClosing) {
  // Votes for the first list of each scrutin.
  for (size_t i = 0; i < 4; ++i) {
    store::SessionRecord s = LoginOk(voter(i));
    for (const auto& code : voter(i).voter.scrutins) {
      ASSERT_TRUE(CastBallot(site(), stores(), s, code, BallotJson(voter(i), code, 0), now()).ok());
    }
  }
  std::vector<std::string> bodies;
  for (auto [role, id] : {std::pair{StaffRole::kPresident, "president"},
                          std::pair{StaffRole::kDelegue, "delegue-snad"},
                          std::pair{StaffRole::kOrganisateur, "orga"}}) {
    jar_.clear();
    ASSERT_EQ(LogIn(Account(role, id)).status, 303);
    for (const char* path :
         {"/bve/accueil", "/bve/supervision", "/bve/emargement", "/bve/emargement.csv",
          "/bve/comptes", "/bve/guichet?matricule=", "/bve/assistance"}) {
      std::string p = path;
      if (p.ends_with("=")) p += voter(0).voter.matricule;
      HttpResponse r = Send("GET", p);
      bodies.push_back(r.body);
    }
  }
  // No list is named: the pages only count émargements. (Turnout reading no urne is shown in
  // tests/portal/desk_test.cc.)
  for (const auto& body : bodies) {
    for (const auto& s : site().election.scrutins) {
      for (const auto& l : s.listes) {
        EXPECT_FALSE(Has(body, ">" + l.sigle + "<")) << l.sigle;
        if (!l.title.empty()) {
          EXPECT_FALSE(Has(body, l.title)) << l.title;
        }
      }
    }
  }
  // And the count itself refuses to start before closing.
  counting::CountStores cs{stores().roll, stores().urne, stores().emargement, stores().portal,
                           stores().audit};
  auto t = counting::PrepareTally(cs, "demo-2026", {"test", now()}, {});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, "count.not_closed");
}

TEST_P(StaffPagesTest, SupervisionDrawsTheTurnoutAsInlineSvg) {
  store::SessionRecord s = LoginOk(voter(0));
  ASSERT_TRUE(
      CastBallot(site(), stores(), s, "CSA-MIN", BallotJson(voter(0), "CSA-MIN", 0), now()).ok());
  ASSERT_EQ(LogIn(Account(StaffRole::kSecretaire, "secretaire")).status, 303);
  HttpResponse r = Send("GET", "/bve/supervision");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(Has(r.body, "<svg class=\"courbe\""));
  EXPECT_TRUE(Has(r.body, "role=\"img\""));
  EXPECT_TRUE(Has(r.body, "<polyline"));
  EXPECT_FALSE(Has(r.body, "<script>"));
  HttpResponse list = Send("GET", "/bve/emargement?scrutin=CSA-MIN");
  EXPECT_TRUE(Has(list.body, voter(0).voter.matricule));
  HttpResponse csv = Send("GET", "/bve/emargement.csv?scrutin=CSA-MIN");
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_TRUE(Has(csv.body, voter(0).voter.matricule));
  EXPECT_EQ(Send("GET", "/bve/emargement?scrutin=NOPE").status, 404);
}

INSTANTIATE_PORTAL_BACKENDS(StaffPagesTest);

}  // namespace
}  // namespace isoloir::web
