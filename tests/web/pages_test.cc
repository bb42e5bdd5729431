// The portal's pages and JSON API as a browser or a script sees them, without
// a network: plain requests into PortalApp, on real stores.
#include "web/pages.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>

#include "crypto/codec.h"
#include "crypto/credential.h"
#include "portal/credential_check.h"
#include "browser_jar.h"
#include "portal/session_token.h"
#include "portal_fixture.h"
#include "web/render.h"

namespace isoloir::web {
namespace {

using portal::testing::KnownVoter;

class PagesTest : public portal::testing::PortalFixture {
 protected:
  void SetUp() override {
    PortalFixture::SetUp();
    if (IsSkipped()) return;
    assets_ =
        std::filesystem::temp_directory_path() / ("isoloir-assets-" + std::to_string(::getpid()));
    PortalOptions o;
    o.assets = assets_;
    o.clock = [this] { return now(); };
    auto app = testing::OpenPortal(site_ptr(), config(), o, pool_);
    ASSERT_TRUE(app.ok()) << app.error().ToString();
    app_ = std::move(*app);
  }
  void TearDown() override { std::filesystem::remove_all(assets_); }

  HttpResponse Send(const std::string& method, const std::string& path,
                    const std::string& body = "", const std::string& content_type = "") {
    std::map<std::string, std::string> headers;
    if (!content_type.empty()) headers["content-type"] = content_type;
    if (!api_csrf_.empty()) headers["x-csrf-token"] = api_csrf_;
    return testing::Browse(*app_, jar_, method, path, body, "192.0.2.10", headers);
  }
  std::string Csrf() {
    if (!jar_.count("isoloir_visite")) Send("GET", "/");
    return portal::CsrfToken(site().server_key, "demo-2026", jar_["isoloir_visite"]);
  }
  std::string Form(std::initializer_list<std::pair<std::string, std::string>> fields) {
    std::string out;
    for (const auto& [k, v] : fields) out += (out.empty() ? "" : "&") + k + "=" + PercentEncode(v);
    return out;
  }
  HttpResponse LoginAs(const KnownVoter& v) {
    return Send("POST", "/connexion",
                Form({{"csrf", Csrf()},
                      {"matricule", v.voter.matricule},
                      {"naissance", v.Birth()},
                      {"jeton", v.Token()},
                      {"mot_de_passe", v.password}}));
  }
  static std::string Header(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }

  std::filesystem::path assets_;
  std::unique_ptr<StorePool> pool_;
  std::unique_ptr<PortalApp> app_;
  std::map<std::string, std::string> jar_;
  std::string api_csrf_;
};

bool Has(const std::string& body, const std::string& text) {
  return body.find(text) != std::string::npos;
}

TEST_P(PagesTest, TheLoginPageHasTheSeedsFourFieldsAndStrictHeaders) {
  HttpResponse r = Send("GET", "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(Has(r.body, "<html lang=\"fr\">"));
  for (const char* label : {"Matricule", "Date de naissance", "Code de sécurité", "Mot de passe",
                            "Support en ligne", "afin de vous permettre de voter"}) {
    EXPECT_TRUE(Has(r.body, label)) << label;
  }
  // The key field has no name: it is never submitted.
  EXPECT_TRUE(std::regex_search(r.body, std::regex("<input id=\"cle\" type=")));
  EXPECT_TRUE(Has(Header(r, "Content-Security-Policy"), "script-src 'self'"));
  EXPECT_FALSE(Has(Header(r, "Content-Security-Policy"), "unsafe"));
  EXPECT_EQ(Header(r, "X-Frame-Options"), "DENY");
  EXPECT_EQ(Header(r, "Cache-Control"), "no-store");
  ASSERT_EQ(r.set_cookies.size(), 1u);
  EXPECT_TRUE(Has(r.set_cookies[0], "HttpOnly; SameSite=Strict"));
  EXPECT_FALSE(Has(r.body, "<script>"));  // no inline script
}

TEST_P(PagesTest, EnglishOnRequestAndRemembered) {
  HttpResponse en = Send("GET", "/?lang=en");
  EXPECT_TRUE(Has(en.body, "<html lang=\"en\">"));
  EXPECT_TRUE(Has(en.body, "Security code"));
  EXPECT_TRUE(Has(Send("GET", "/support").body, "Online support"));
  EXPECT_TRUE(Has(Send("GET", "/support?lang=fr").body, "Retour à la page de connexion"));
}

TEST_P(PagesTest, EveryTranslationKeyUsedByATemplateExistsInBothLanguages) {
  const std::regex key("\\{\\{t\\.([a-z_0-9]+)\\}\\}");
  for (const auto& entry : std::filesystem::directory_iterator(std::string(ISOLOIR_SOURCE_DIR) +
                                                               "/src/web/templates")) {
    std::ifstream in(entry.path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (auto it = std::sregex_iterator(text.begin(), text.end(), key);
         it != std::sregex_iterator(); ++it) {
      for (Lang lang : {Lang::kFr, Lang::kEn}) {
        EXPECT_FALSE(Text(lang, (*it)[1].str()).empty())
            << entry.path().filename() << ": " << (*it)[1] << " in " << LangCode(lang);
      }
    }
  }
  EXPECT_EQ(Texts(Lang::kFr).size(), Texts(Lang::kEn).size());
}

TEST_P(PagesTest, AFormWithoutItsCsrfTokenChangesNothing) {
  const KnownVoter& v = voter(0);
  HttpResponse r = Send("POST", "/connexion",
                        Form({{"matricule", v.voter.matricule},
                              {"naissance", v.Birth()},
                              {"jeton", v.Token()},
                              {"mot_de_passe", v.password}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "Ce formulaire a expiré"));
  EXPECT_FALSE(jar_.count("isoloir_session"));
}

TEST_P(PagesTest, WrongDetailsShowOneMessageLinkedFromTheSummary) {
  const KnownVoter& v = voter(0);
  HttpResponse r = Send("POST", "/connexion",
                        Form({{"csrf", Csrf()},
                              {"matricule", v.voter.matricule},
                              {"naissance", "12/13/2000"},
                              {"jeton", v.Token()},
                              {"mot_de_passe", v.password}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "role=\"alert\""));
  EXPECT_TRUE(Has(r.body, "<a href=\"#naissance\">"));
  EXPECT_TRUE(Has(r.body, "aria-invalid=\"true\""));
  EXPECT_TRUE(Has(r.body, "value=\"" + v.voter.matricule + "\""));  // kept for correction
  r = Send("POST", "/connexion",
           Form({{"csrf", Csrf()},
                 {"matricule", v.voter.matricule},
                 {"naissance", v.Birth()},
                 {"jeton", v.Token()},
                 {"mot_de_passe", "zzzz-zzzz-zzzz"}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "Ces informations ne permettent pas de vous connecter"));
  EXPECT_FALSE(Has(r.body, "zzzz"));  // a password is never echoed
}

TEST_P(PagesTest, ALoggedInVoterVotesAndGetsAReceiptOnce) {
  const KnownVoter& v = voter(0);
  HttpResponse login = LoginAs(v);
  ASSERT_EQ(login.status, 303) << login.body;
  EXPECT_EQ(Header(login, "Location"), "/scrutins");
  HttpResponse list = Send("GET", "/scrutins");
  EXPECT_EQ(list.status, 200);
  EXPECT_TRUE(Has(list.body, "À voter"));
  EXPECT_TRUE(Has(list.body, "href=\"/scrutins/CSA-MIN\""));

  HttpResponse page = Send("GET", "/scrutins/CSA-MIN");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Has(page.body, "\"selection\":[]"));  // the server never knows the choice
  EXPECT_TRUE(Has(page.body, "Vote blanc"));
  EXPECT_TRUE(Has(page.body, "id=\"choix-form\""));
  const std::string csrf = Csrf();
  HttpResponse cast = Send("POST", "/scrutins/CSA-MIN/vote",
                           Form({{"csrf", csrf}, {"bulletin", BallotJson(v, "CSA-MIN", 0)}}));
  ASSERT_EQ(cast.status, 200) << cast.body;
  EXPECT_TRUE(Has(cast.body, "Accusé de réception"));
  EXPECT_TRUE(Has(cast.body, "data-forget-scrutin=\"CSA-MIN\""));
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(cast.body, m, std::regex("<code id=\"suivi\">([A-Za-z0-9_-]{43})</code>")));
  const std::string tracker = m[1];
  EXPECT_TRUE(Has(Send("GET", "/suivi?suivi=" + tracker).body, "Ce bulletin est dans l"));
  HttpResponse download =
      Send("GET", "/recu?scrutin=CSA-MIN&suivi=" + tracker + "&heure=1764583200");
  EXPECT_EQ(download.content_type, "text/plain; charset=utf-8");
  EXPECT_TRUE(Has(download.body, tracker));

  HttpResponse again = Send("POST", "/scrutins/CSA-MIN/vote",
                            Form({{"csrf", csrf}, {"bulletin", BallotJson(v, "CSA-MIN", 1)}}));
  EXPECT_EQ(again.status, 409);
  EXPECT_TRUE(Has(again.body, "Vous avez déjà voté"));
  EXPECT_EQ(Send("GET", "/scrutins/CSA-MIN").status, 409);
  EXPECT_TRUE(Has(Send("GET", "/scrutins").body, "A voté"));
}

TEST_P(PagesTest, WithoutASessionPagesSayToLogInAgain) {
  HttpResponse r = Send("GET", "/scrutins");
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(Has(r.body, "Session terminée"));
  EXPECT_TRUE(Has(r.body, "data-forget-all=\"demo-2026\""));
  LoginAs(voter(0));
  HttpResponse out = Send("POST", "/deconnexion", Form({{"csrf", Csrf()}}));
  EXPECT_TRUE(Has(out.body, "Vous êtes déconnecté"));
  EXPECT_EQ(Send("GET", "/scrutins").status, 401);
}

TEST_P(PagesTest, RegenerationShowsTheNewPasswordOnceOrSendsToThePresident) {
  const KnownVoter& v = voter(1);
  HttpResponse ok = Send("POST", "/regeneration",
                         Form({{"csrf", Csrf()},
                               {"matricule", v.voter.matricule},
                               {"naissance", v.Birth()},
                               {"reassort", v.reassort}}));
  EXPECT_EQ(ok.status, 200);
  EXPECT_TRUE(
      std::regex_search(ok.body, std::regex("<code>[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}</code>")));
  const KnownVoter& w = voter(2);
  HttpResponse last;
  for (int i = 0; i < 5; ++i) {
    last = Send("POST", "/regeneration",
                Form({{"csrf", Csrf()},
                      {"matricule", w.voter.matricule},
                      {"naissance", w.Birth()},
                      {"reassort", "000000AAAAAA"}}));
  }
  EXPECT_EQ(last.status, 403);
  EXPECT_TRUE(Has(last.body, "président de votre bureau de vote électronique"));
}

TEST_P(PagesTest, SuspendedAndClosedVotesHaveTheirOwnPages) {
  LoginAs(voter(0));
  ASSERT_TRUE(stores().portal.SetVoteState("demo-2026", {true, "coupure électrique", now()}).ok());
  HttpResponse r = Send("GET", "/scrutins/CSA-MIN");
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(Has(r.body, "Le vote est suspendu"));
  EXPECT_TRUE(Has(r.body, "coupure électrique"));
}

TEST_P(PagesTest, TheJsonApiLogsInAndCastsWithItsCsrfHeader) {
  const KnownVoter& v = voter(3);
  HttpResponse election = Send("GET", "/api/v1/election");
  EXPECT_EQ(election.status, 200);
  auto e = nlohmann::json::parse(election.body);
  EXPECT_EQ(e["election_id"], "demo-2026");
  EXPECT_EQ(e["phase"], "open");
  nlohmann::json body = {{"matricule", v.voter.matricule},
                         {"naissance", v.Birth()},
                         {"jeton", v.Token()},
                         {"mot_de_passe", v.password}};
  EXPECT_EQ(Send("POST", "/api/v1/connexion", body.dump(), "text/plain").status, 400);
  HttpResponse login = Send("POST", "/api/v1/connexion", body.dump(), "application/json");
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string csrf = nlohmann::json::parse(login.body)["csrf"];
  const std::string ballot = BallotJson(v, "CSA-MIN", 3);
  EXPECT_EQ(Send("POST", "/api/v1/scrutins/CSA-MIN/bulletin", ballot).status, 403);
  api_csrf_ = csrf;
  HttpResponse cast = Send("POST", "/api/v1/scrutins/CSA-MIN/bulletin", ballot);
  ASSERT_EQ(cast.status, 201) << cast.body;
  const std::string tracker = nlohmann::json::parse(cast.body)["tracker"];
  EXPECT_EQ(Send("POST", "/api/v1/scrutins/CSA-MIN/bulletin", ballot).status, 409);
  auto found = nlohmann::json::parse(Send("GET", "/api/v1/suivi/" + tracker).body);
  EXPECT_EQ(found["found"], true);
  auto mine = nlohmann::json::parse(Send("GET", "/api/v1/scrutins").body);
  EXPECT_EQ(mine["scrutins"][0]["voted"], true);
}

TEST_P(PagesTest, NobodyVotedInMyNameAsksOnlyForAPrefixAfterTheClosing) {
  const KnownVoter& v = voter(0);
  ASSERT_EQ(LoginAs(v).status, 303);
  ASSERT_EQ(Send("POST", "/scrutins/CSA-MIN/vote",
                 Form({{"csrf", Csrf()}, {"bulletin", BallotJson(v, "CSA-MIN", 0)}}))
                .status,
            200);
  const std::string mine = portal::CredentialDigest(
      crypto::codec::Encode(crypto::CredentialPublic(
                                crypto::CredentialSecret("demo-2026", "CSA-MIN", v.security_key)))
          .get<std::string>());
  ASSERT_EQ(mine.size(), 64u);
  const std::string ask = "/api/v1/identifiants-utilises?scrutin=CSA-MIN&prefixe=" + mine.substr(0, 4);
  // The page is there before the closing; the answer is not.
  HttpResponse page = Send("GET", "/verification/identifiant");
  EXPECT_EQ(page.status, 200);
  EXPECT_TRUE(Has(page.body, "id=\"identifiant-form\""));
  EXPECT_TRUE(Has(page.body, "data-election=\"demo-2026\""));
  EXPECT_TRUE(Has(page.body, "à partir du"));
  HttpResponse early = Send("GET", ask);
  EXPECT_EQ(early.status, 409) << early.body;
  EXPECT_TRUE(Has(early.body, "credential_check.not_closed"));
  // After the closing and its grace period.
  now_ = site().election.window.closing.utc + portal::kClosingGraceSeconds;
  HttpResponse r = Send("GET", ask);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto body = nlohmann::json::parse(r.body);
  const auto digests = body["empreintes"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(digests.begin(), digests.end(), mine), digests.end());
  for (const auto& d : digests) EXPECT_EQ(d.substr(0, 4), mine.substr(0, 4));
  // A voter who did not vote: its digest is not in its bucket.
  const std::string other = portal::CredentialDigest(
      crypto::codec::Encode(crypto::CredentialPublic(crypto::CredentialSecret(
                                "demo-2026", "CSA-MIN", voter(1).security_key)))
          .get<std::string>());
  const auto b2 = nlohmann::json::parse(
      Send("GET", "/api/v1/identifiants-utilises?scrutin=CSA-MIN&prefixe=" + other.substr(0, 4)).body);
  const auto d2 = b2["empreintes"].get<std::vector<std::string>>();
  EXPECT_EQ(std::find(d2.begin(), d2.end(), other), d2.end());
  EXPECT_FALSE(Has(Send("GET", "/verification/identifiant").body, "à partir du"));
  // Bad requests are named.
  EXPECT_EQ(Send("GET", "/api/v1/identifiants-utilises?scrutin=CSA-MIN&prefixe=ABCD").status, 400);
  EXPECT_EQ(Send("GET", "/api/v1/identifiants-utilises?scrutin=CSA-MIN&prefixe=abc").status, 400);
  EXPECT_EQ(Send("GET", "/api/v1/identifiants-utilises?scrutin=NOPE&prefixe=abcd").status, 404);
}

TEST_P(PagesTest, UnknownPagesAndStaticFiles) {
  EXPECT_EQ(Send("GET", "/nulle-part").status, 404);
  HttpResponse css = Send("GET", "/static/portal.css");
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  EXPECT_TRUE(Has(Header(css, "Cache-Control"), "max-age"));
  EXPECT_EQ(Send("GET", "/static/booth.js").body, "/* booth */");
  EXPECT_EQ(Send("GET", "/static/../secrets/server.key").status, 404);
  EXPECT_EQ(Send("GET", "/professions-de-foi/../../etc/passwd").status, 404);
}

INSTANTIATE_PORTAL_BACKENDS(PagesTest);

}  // namespace
}  // namespace isoloir::web
