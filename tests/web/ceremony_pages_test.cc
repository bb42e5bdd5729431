// The key ceremony from the portal (docs/counting.md §3.1) on real stores, as
// a browser sends it: a BVE member logged in on /bve runs it for their own
// fragment without an invitation code (session cookie, fragment header, CSRF
// token on every POST), the others with their codes as before; refused and
// storing nothing without the CSRF token, for another member's fragment, for
// an organiser or a helpdesk agent, after the member finished; a member with
// two fragments chooses one per run. Once closed, the running portal takes
// the election key.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "browser_jar.h"
#include "crypto/codec.h"
#include "crypto/dkg.h"
#include "crypto/random.h"
#include "portal/ceremony_relay.h"
#include "portal_fixture.h"

namespace isoloir::web {
namespace {

using portal::StaffRole;
using Json = nlohmann::json;
namespace fs = std::filesystem;

bool Has(const std::string& body, const std::string& text) {
  return body.find(text) != std::string::npos;
}

std::string Code(const HttpResponse& r) {
  auto j = Json::parse(r.body, nullptr, false);
  return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
}

class CeremonyPagesTest : public portal::testing::PortalFixture {
 protected:
  void PutElectionKey(const election::Election&) override {}  // the relay makes it
  void SetUp() override {
    PortalFixture::SetUp();
    if (IsSkipped()) return;
    dir_ = fs::temp_directory_path() / ("isoloir-ceremony-pages-" + std::to_string(::getpid()) +
                                        (GetParam() == store::Backend::kSqlite ? "-sqlite" : "-pg"));
    PortalOptions o;
    o.assets = dir_;
    o.clock = [this] { return clock_; };
    auto app = testing::OpenPortal(site_ptr(), config(), o, pool_);
    ASSERT_TRUE(app.ok()) << app.error().ToString();
    app_ = std::move(*app);
    clock_ = now();
    setup_ = portal::CeremonySetupFor(site().election, site().fingerprint);
    for (uint32_t j = 1; j <= setup_.params.holders; ++j) {
      e_.push_back(crypto::RandomScalar(crypto::SystemRandom()));
      keys_.push_back(crypto::Point::MulBase(e_.back()));
    }
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  // The member's browser (jar_), logged in with password and TOTP.
  void LogInAs(StaffRole role, const std::string& id) {
    jar_.clear();
    auto made = portal::AddStaff(site(), stores(), role, id, "test", now());
    ASSERT_TRUE(made.ok()) << made.error().ToString();
    clock_ += 30;  // a fresh TOTP step
    ASSERT_EQ(testing::StaffLogIn(*app_, jar_, *made, clock_, kAddress).status, 303) << id;
  }
  HttpResponse Page() { return testing::Browse(*app_, jar_, "GET", "/bve/ceremonie", "", kAddress); }
  // A call of the relay from the member's browser: fragment j, with the
  // page's CSRF token unless `csrf` says otherwise ("" for none).
  HttpResponse AsMember(const std::string& method, const std::string& path, const Json& body,
                        const std::string& fragment, const std::optional<std::string>& csrf = {}) {
    std::map<std::string, std::string> headers = {{"content-type", "application/json"}};
    if (!fragment.empty()) headers["x-ceremony-fragment"] = fragment;
    const auto visit = jar_.find("isoloir_visite");
    const std::string token = csrf.value_or(portal::CsrfToken(
        site().server_key, site().election.id, visit == jar_.end() ? "" : visit->second));
    if (!token.empty()) headers["x-csrf-token"] = token;
    return testing::Browse(*app_, jar_, method, "/api" + path, method == "POST" ? body.dump() : "",
                           kAddress, headers);
  }
  // The same call from a browser without a session (or the CLI), with a code.
  HttpResponse ByCode(const std::string& method, const std::string& path, const Json& body,
                      const std::string& code) {
    testing::CookieJar none;
    return testing::Browse(*app_, none, method, "/api" + path, method == "POST" ? body.dump() : "",
                           kAddress,
                           {{"content-type", "application/json"},
                            {"authorization", "Invitation " + code}});
  }

  // Holder j's message of a phase, made as the holder's tab makes it.
  Json Announcement(uint32_t j) {
    auto a = crypto::AnnounceHolder(setup_.params, j, e_[j - 1], crypto::SystemRandom());
    keys_[j - 1] = a.transport_key;
    return crypto::codec::Encode(a);
  }
  Json Dealing(uint32_t j) {
    return crypto::codec::Encode(crypto::Deal(setup_.params, j, keys_, crypto::SystemRandom()));
  }
  static Json NoComplaint() { return {{"complaints", Json::array()}}; }

  Json State() {
    auto s = portal::CeremonyState(stores().portal, setup_);
    EXPECT_TRUE(s.ok());
    return s.ok() ? *s : Json::object();
  }
  std::vector<std::string> Codes() {
    auto codes = portal::OpenCeremony(stores().portal, stores().audit, setup_, "cli:organiser", now());
    EXPECT_TRUE(codes.ok()) << codes.error().ToString();
    return codes.ok() ? *codes : std::vector<std::string>{};
  }
  std::vector<std::string> Actors(const std::string& action) {
    auto entries = stores_.audit->List("demo-2026");
    EXPECT_TRUE(entries.ok());
    std::vector<std::string> out;
    if (entries.ok()) {
      for (const auto& e : *entries) {
        if (e.action == action) out.push_back(e.actor);
      }
    }
    return out;
  }

  static constexpr const char* kAddress = "192.0.2.40";
  fs::path dir_;
  std::unique_ptr<StorePool> pool_;
  std::unique_ptr<PortalApp> app_;
  testing::CookieJar jar_;
  int64_t clock_ = 0;
  portal::CeremonySetup setup_;
  std::vector<crypto::Scalar> e_;     // each holder's transport secret
  std::vector<crypto::Point> keys_;   // as announced
};

TEST_P(CeremonyPagesTest, TheLoggedInPresidentRunsItWithoutACodeAndTheOthersWithTheirs) {
  LogInAs(StaffRole::kPresident, "president");
  HttpResponse page = Page();
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page.body, "<strong>president</strong>"));  // who they are (the nav)
  EXPECT_TRUE(Has(page.body, "Fragment(s) de la clé que vous détenez : <strong>1</strong>"));
  EXPECT_TRUE(Has(page.body, "name=\"fragment\" value=\"1\""));
  EXPECT_TRUE(Has(page.body, "data-csrf=\""));
  EXPECT_FALSE(Has(page.body, "id=\"invitation\""));
  EXPECT_TRUE(Has(page.body, "href=\"/bve/ceremonie\" aria-current=\"page\""));

  // Before the organiser opens it.
  HttpResponse early = AsMember("GET", "/v1/ceremonie/invitation", {}, "1");
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(Code(early), "ceremony.not_open");

  const std::vector<std::string> codes = Codes();
  ASSERT_EQ(codes.size(), 6u);
  HttpResponse me = AsMember("GET", "/v1/ceremonie/invitation", {}, "1");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Json::parse(me.body), (Json{{"holder", 1}, {"member", "president"}}));

  // Refused, nothing stored: no CSRF token, a wrong one, no fragment, another's fragment.
  const Json a1 = Announcement(1);
  HttpResponse r = AsMember("POST", "/v1/ceremonie/annonce", a1, "1", "");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Code(r), "csrf");
  r = AsMember("POST", "/v1/ceremonie/annonce", a1, "1", "not-the-token");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Code(r), "csrf");
  r = AsMember("POST", "/v1/ceremonie/annonce", a1, "");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Code(r), "ceremony.fragment");
  r = AsMember("POST", "/v1/ceremonie/annonce", Announcement(2), "2");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Code(r), "ceremony.not_holder");
  EXPECT_TRUE(Has(r.body, "fragment 2 is held by secretaire, not by president")) << r.body;
  EXPECT_EQ(AsMember("GET", "/v1/ceremonie/invitation", {}, "7").status, 403);
  EXPECT_TRUE(State()["announcements"].empty());
  EXPECT_TRUE(Actors("ceremony.announcement").empty());

  // The whole ceremony: holder 1 by session, 2..6 by code (the CLI's way, unchanged).
  auto post = [&](uint32_t j, const std::string& path, const Json& body) {
    return j == 1 ? AsMember("POST", path, body, "1") : ByCode("POST", path, body, codes[j - 1]);
  };
  for (uint32_t j = 1; j <= 6; ++j) {
    r = post(j, "/v1/ceremonie/annonce", j == 1 ? a1 : Announcement(j));
    ASSERT_EQ(r.status, 201) << j << r.body;
  }
  for (uint32_t j = 1; j <= 6; ++j) {
    r = post(j, "/v1/ceremonie/distribution", Dealing(j));
    ASSERT_EQ(r.status, 201) << j << r.body;
  }
  r = AsMember("POST", "/v1/ceremonie/reclamations", NoComplaint(), "1", "");
  EXPECT_EQ(r.status, 403);  // still no CSRF, still nothing stored
  EXPECT_TRUE(State()["finished"].empty());
  for (uint32_t j = 1; j <= 6; ++j) {
    r = post(j, "/v1/ceremonie/reclamations", NoComplaint());
    ASSERT_EQ(r.status, 201) << j << r.body;
  }
  EXPECT_EQ(State()["finished"].size(), 6u);

  // Finished: the same refusal as a used code; the page says so.
  r = AsMember("GET", "/v1/ceremonie/invitation", {}, "1");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Code(r), "ceremony.invitation_used");
  EXPECT_EQ(ByCode("GET", "/v1/ceremonie/invitation", {}, codes[1]).status, 403);
  page = Page();
  EXPECT_TRUE(Has(page.body, "Vous avez terminé la cérémonie")) << page.body;
  EXPECT_FALSE(Has(page.body, "id=\"ceremonie\""));

  // The audit log names the member and keeps "fragment j".
  const std::vector<std::string> expected = {"president (fragment 1)", "fragment 2", "fragment 3",
                                             "fragment 4", "fragment 5", "fragment 6"};
  EXPECT_EQ(Actors("ceremony.announcement"), expected);
  EXPECT_EQ(Actors("ceremony.complaints"), expected);

  EXPECT_FALSE(app_->site().key.has_value());
  auto closed = portal::CloseCeremony(stores().portal, stores().audit, setup_, "cli:organiser",
                                      now());
  ASSERT_TRUE(closed.ok()) << closed.error().ToString();
  EXPECT_EQ(closed->qualified.size(), 6u);
  clock_ += 1;  // the portal looks for the key at most once a second
  r = AsMember("GET", "/v1/ceremonie/invitation", {}, "1");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(Code(r), "ceremony.closed");
  EXPECT_TRUE(Has(Page().body, "La cérémonie est close"));

  // The running portal took the key the ceremony made (no restart); ballots
  // wait for the seal, which is not prepared yet.
  ASSERT_TRUE(app_->site().key.has_value());
  EXPECT_EQ(app_->site().public_key_b64,
            crypto::codec::Encode(closed->public_key).get<std::string>());
  EXPECT_NE(app_->site().seal_gate->Refusal(), "");
}

TEST_P(CeremonyPagesTest, AccountsWithoutAFragmentAreRefusedAndVisitorsKeepTheCodeForm) {
  const std::vector<std::string> codes = Codes();
  ASSERT_EQ(codes.size(), 6u);
  // Not logged in: the invitation form as before, no staff navigation.
  HttpResponse page = Page();
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Has(page.body, "id=\"invitation\""));
  EXPECT_FALSE(Has(page.body, "data-csrf="));
  EXPECT_FALSE(Has(page.body, "bve-nav"));
  // Without a code nor a session, and with a session cookie that is no more.
  EXPECT_EQ(Code(AsMember("GET", "/v1/ceremonie/invitation", {}, "1")), "ceremony.invitation");
  jar_["isoloir_bve"] = "gone";
  HttpResponse r = AsMember("POST", "/v1/ceremonie/annonce", Announcement(1), "1");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Code(r), "ceremony.session");

  for (auto [role, id] : {std::pair{StaffRole::kOrganisateur, "president"},
                          std::pair{StaffRole::kAssistance, "helpdesk"}}) {
    LogInAs(role, id);  // an organiser even named like the président
    page = Page();
    ASSERT_EQ(page.status, 200) << id;
    EXPECT_TRUE(Has(page.body, "Votre compte ne détient aucun fragment")) << id;
    EXPECT_TRUE(Has(page.body, "id=\"invitation\"")) << id;
    r = AsMember("GET", "/v1/ceremonie/invitation", {}, "1");
    EXPECT_EQ(r.status, 403) << id;
    EXPECT_EQ(Code(r), "ceremony.not_holder") << id;
    EXPECT_TRUE(Has(r.body, "holds no fragment")) << r.body;
    r = AsMember("POST", "/v1/ceremonie/annonce", Announcement(1), "1");
    EXPECT_EQ(r.status, 403) << id;
    // Logged in, a code still works (the session is not used then).
    r = ByCode("GET", "/v1/ceremonie/invitation", {}, codes[0]);
    EXPECT_EQ(r.status, 200) << r.body;
  }
  EXPECT_TRUE(State()["announcements"].empty());
}

// Délégué SNAD holds fragments 3 and 4 here.
class TwoFragmentsTest : public CeremonyPagesTest {
 protected:
  std::string AdjustElection(std::string json) override {
    Json e = Json::parse(json);
    for (auto& m : e["bve"]["members"]) {
      if (m["id"] == "delegue-snad") m["fragments"] = 2;
    }
    return e.dump();
  }
};

TEST_P(TwoFragmentsTest, AMemberWithTwoFragmentsChoosesOnePerRun) {
  ASSERT_EQ(setup_.params.holders, 7u);
  const std::vector<std::string> codes = Codes();
  LogInAs(StaffRole::kDelegue, "delegue-snad");
  HttpResponse page = Page();
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page.body, "<strong>3, 4</strong>"));
  EXPECT_TRUE(Has(page.body, "<legend>Fragment concerné par cette cérémonie</legend>"));
  EXPECT_TRUE(Has(page.body, "id=\"fragment-3\" name=\"fragment\" value=\"3\">"));
  EXPECT_TRUE(Has(page.body, "<label for=\"fragment-4\">Fragment 4</label>"));
  for (const char* j : {"3", "4"}) {
    HttpResponse me = AsMember("GET", "/v1/ceremonie/invitation", {}, j);
    ASSERT_EQ(me.status, 200) << me.body;
    EXPECT_EQ(Json::parse(me.body)["holder"], std::stoi(j));
    EXPECT_EQ(Json::parse(me.body)["member"], "delegue-snad");
  }
  EXPECT_EQ(AsMember("GET", "/v1/ceremonie/invitation", {}, "5").status, 403);

  // Fragment 4 finishes; the page then offers fragment 3 only.
  auto post = [&](uint32_t j, const std::string& path, const Json& body) {
    return j == 3 || j == 4 ? AsMember("POST", path, body, std::to_string(j))
                            : ByCode("POST", path, body, codes[j - 1]);
  };
  for (uint32_t j = 1; j <= 7; ++j) {
    ASSERT_EQ(post(j, "/v1/ceremonie/annonce", Announcement(j)).status, 201) << j;
  }
  for (uint32_t j = 1; j <= 7; ++j) {
    ASSERT_EQ(post(j, "/v1/ceremonie/distribution", Dealing(j)).status, 201) << j;
  }
  ASSERT_EQ(post(4, "/v1/ceremonie/reclamations", NoComplaint()).status, 201);
  page = Page();
  EXPECT_TRUE(Has(page.body, "value=\"4\" disabled><label for=\"fragment-4\">Fragment 4 "
                             "(cérémonie déjà terminée pour ce fragment)</label>"))
      << page.body;
  EXPECT_TRUE(Has(page.body, "value=\"3\"><label"));
  EXPECT_EQ(AsMember("GET", "/v1/ceremonie/invitation", {}, "4").status, 403);
  EXPECT_EQ(AsMember("GET", "/v1/ceremonie/invitation", {}, "3").status, 200);
  EXPECT_EQ(Actors("ceremony.dealing")[3], "delegue-snad (fragment 4)");
}

INSTANTIATE_PORTAL_BACKENDS(CeremonyPagesTest);
INSTANTIATE_PORTAL_BACKENDS(TwoFragmentsTest);

}  // namespace
}  // namespace isoloir::web
