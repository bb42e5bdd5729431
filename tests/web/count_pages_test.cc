// The count from the portal as a browser sees it (/bve/depouillement,
// /bve/dechiffrement), on real stores with a real key ceremony and seal:
// who may act, the count refused before closing, the seal check at closing
// (once, and a difference blocks the count), partial decryptions refused from
// the wrong member, with a bad proof or twice, combine refused below the
// threshold, publish refused until every PV is signed, then /resultats.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "common/bytes.h"
#include "counting/key_holder.h"
#include "crypto/random.h"
#include "crypto/transcript.h"
#include "portal/phase.h"
#include "portal/session_token.h"
#include "portal/totp.h"
#include "pv/count_desk.h"
#include "browser_jar.h"
#include "record/verifier.h"
#include "record_fixture.h"
#include "seal/seal_log.h"
#include "seal_test_util.h"
#include "web/pages.h"
#include "web/staff_pages.h"

namespace isoloir::web {
namespace {

using portal::StaffRole;
namespace fs = std::filesystem;

bool Has(const std::string& body, const std::string& text) {
  return body.find(text) != std::string::npos;
}

class CountPagesTest : public record::testing::RecordFixture {
 protected:
  void SetUp() override {
    RecordFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    dir_ = fs::temp_directory_path() / ("isoloir-count-pages-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "assets");
    std::ofstream(dir_ / "assets" / "booth.js") << "/* booth */";
    auto pool = StorePool::Open(config(), 2);
    ASSERT_TRUE(pool.ok()) << pool.error().ToString();
    pool_ = std::move(*pool);
    app_ = MakeApp(seal::SealSources{});  // as the fixture sealed it
    clock_ = now();
    for (auto [role, id] : {std::pair{StaffRole::kOrganisateur, "orga"},
                            {StaffRole::kPresident, "president"},
                            {StaffRole::kSecretaire, "secretaire"},
                            {StaffRole::kDelegue, "delegue-snad"},
                            {StaffRole::kDelegue, "delegue-cfad"},
                            {StaffRole::kAssistance, "agent1"}}) {
      auto a = portal::AddStaff(site(), stores(), role, id, "test", now());
      ASSERT_TRUE(a.ok()) << a.error().ToString();
      accounts_[id] = std::move(*a);
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<PortalApp> MakeApp(const seal::SealSources& sources,
                                     bool started_before_opening = false) {
    PortalOptions o;
    o.seal_check_at_opening = started_before_opening;
    o.assets = dir_ / "assets";
    o.published = dir_ / "published";
    o.count = dir_ / "count";
    o.seal_sources = sources;
    o.clock = [this] { return clock_; };
    auto app = PortalApp::Create(site_ptr(), *pool_, o);
    EXPECT_TRUE(app.ok()) << app.error().ToString();
    return app.ok() ? std::move(*app) : nullptr;
  }

  HttpResponse Send(const std::string& method, const std::string& path,
                    const std::string& body = "") {
    return testing::Browse(*app_, jar_, method, path, body, "192.0.2.30");
  }
  std::string Csrf() {
    if (!jar_.count("isoloir_visite")) Send("GET", "/bve");
    return portal::CsrfToken(site().server_key, "demo-2026", jar_["isoloir_visite"]);
  }
  std::string Form(std::vector<std::pair<std::string, std::string>> fields = {}) {
    fields.emplace_back("csrf", Csrf());
    std::string out;
    for (const auto& [k, v] : fields) out += (out.empty() ? "" : "&") + k + "=" + PercentEncode(v);
    return out;
  }
  // A fresh browser logged in as `id`.
  void As(const std::string& id) {
    jar_.clear();
    clock_ += 30;  // a fresh TOTP step for every login
    const auto& a = accounts_.at(id);
    HttpResponse r = Send("POST", "/bve/connexion",
                          Form({{"identifiant", a.account.id},
                                {"mot_de_passe", a.password},
                                {"code", portal::Totp(a.totp_secret, clock_)}}));
    ASSERT_EQ(r.status, 303) << id << r.body;
  }
  HttpResponse Post(const std::string& path) { return Send("POST", path, Form()); }
  void AfterClosing() {
    clock_ = site().election.window.closing.utc + portal::kClosingGraceSeconds + 60;
  }
  // Fragment j's partial decryption of the stored tally, as the browser makes it.
  nlohmann::json Partial(uint32_t j, uint32_t share_of = 0) {
    auto tally = pv::StoredTally(pv::CountFolder{dir_ / "count"});
    EXPECT_TRUE(tally.ok()) << tally.error().ToString();
    counting::Fragment f = seal::testing::FragmentOf(site().election, *board_, j);
    if (share_of) f.share = board_->shares.at(share_of - 1);  // not h_j's share
    auto p = counting::DecryptTally(f, *tally, crypto::SystemRandom());
    EXPECT_TRUE(p.ok()) << p.error().ToString();
    return counting::PartialFileJson(*p);
  }
  HttpResponse PostPartial(const nlohmann::json& partial, bool csrf = true) {
    return Send("POST", "/bve/dechiffrement",
                nlohmann::json{{"csrf", csrf ? Csrf() : "x"}, {"partial", partial}}.dump());
  }
  size_t Checks(const std::string& moment) {
    auto log = seal::ReadSealLog(*stores_.audit, site().election);
    EXPECT_TRUE(log.ok());
    size_t n = 0;
    for (const auto& c : log->checks) n += c.moment == moment;
    return n;
  }
  size_t ClosingChecks() { return Checks("closing"); }

  fs::path dir_;
  std::unique_ptr<StorePool> pool_;
  std::unique_ptr<PortalApp> app_;
  std::map<std::string, std::string> jar_;
  std::map<std::string, portal::NewStaffAccount> accounts_;
  int64_t clock_ = 0;
};

TEST_P(CountPagesTest, RolesOfTheCountPages) {
  // Without a session: the count asks to log in; the file-only decryption page stays open.
  EXPECT_EQ(Send("GET", "/bve/depouillement").status, 401);
  EXPECT_EQ(Send("POST", "/bve/depouillement/preparer", Form()).status, 401);
  HttpResponse offline = Send("GET", "/bve/dechiffrement");
  EXPECT_EQ(offline.status, 200);
  EXPECT_TRUE(Has(offline.body, "id=\"depouillement\"")) << "the tally as a file, offline";
  As("agent1");
  EXPECT_EQ(Send("GET", "/bve/depouillement").status, 403);
  EXPECT_EQ(Post("/bve/depouillement/preparer").status, 403);
  EXPECT_EQ(PostPartial(nlohmann::json::object()).status, 403);
  As("secretaire");
  HttpResponse read = Send("GET", "/bve/depouillement");
  EXPECT_EQ(read.status, 200);
  EXPECT_FALSE(Has(read.body, "action=\"/bve/depouillement/preparer\"")) << "reads only";
  for (const char* p : {"/bve/depouillement/preparer", "/bve/depouillement/combiner",
                        "/bve/depouillement/pv", "/bve/depouillement/publier"}) {
    EXPECT_EQ(Post(p).status, 403) << p;
  }
  HttpResponse decrypt = Send("GET", "/bve/dechiffrement");
  EXPECT_EQ(decrypt.status, 200);
  EXPECT_TRUE(Has(decrypt.body, "data-post=\"/bve/dechiffrement\"")) << decrypt.body;
  EXPECT_FALSE(Has(decrypt.body, "id=\"depouillement\"")) << "no tally file to pick";
  EXPECT_TRUE(Has(decrypt.body, "Vos fragments (numéros) : <strong>2</strong>")) << decrypt.body;
  As("orga");
  HttpResponse orga = Send("GET", "/bve/depouillement");
  EXPECT_EQ(orga.status, 200);
  EXPECT_TRUE(Has(orga.body, "href=\"/bve/depouillement\""));
  EXPECT_EQ(PostPartial(nlohmann::json::object()).status, 403) << "an organiser holds no fragment";
  As("president");
  EXPECT_TRUE(Has(Send("GET", "/bve/accueil").body, "href=\"/bve/depouillement\""));
}

TEST_P(CountPagesTest, TheWholeCountFromTheBrowser) {
  const pv::CountFolder folder{dir_ / "count"};
  // Before closing: refused, nothing written.
  As("president");
  HttpResponse early = Post("/bve/depouillement/preparer");
  EXPECT_EQ(early.status, 409);
  EXPECT_TRUE(Has(early.body, "resume-erreurs")) << early.body;
  EXPECT_TRUE(Has(early.body, "the vote closes at")) << early.body;
  EXPECT_FALSE(fs::exists(folder.tally()));
  EXPECT_EQ(ClosingChecks(), 0u);

  // After closing: the portal checks the seal once, at the first request.
  AfterClosing();
  As("president");
  Send("GET", "/bve/depouillement");
  EXPECT_EQ(ClosingChecks(), 1u);
  EXPECT_EQ(Post("/bve/depouillement/combiner").status, 409) << "nothing to combine yet";
  HttpResponse prepared = Post("/bve/depouillement/preparer");
  ASSERT_EQ(prepared.status, 200) << prepared.body;
  EXPECT_TRUE(fs::exists(folder.tally()));
  EXPECT_TRUE(Has(prepared.body, "Dépouillement préparé")) << prepared.body;
  EXPECT_EQ(ClosingChecks(), 1u) << "once";
  auto tally_get = Send("GET", "/bve/depouillement/tally.json");
  EXPECT_EQ(tally_get.status, 200);
  EXPECT_TRUE(Has(tally_get.body, "isoloir/tally/v1"));

  // The président's partial decryption: accepted once.
  EXPECT_EQ(PostPartial(Partial(1), false).status, 400) << "CSRF";
  HttpResponse mine = PostPartial(Partial(1));
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_TRUE(fs::exists(folder.partial(1)));
  HttpResponse twice = PostPartial(Partial(1));
  EXPECT_EQ(twice.status, 409);
  EXPECT_TRUE(Has(twice.body, "already")) << twice.body;
  // Combine below the threshold: refused, no results.
  HttpResponse few = Post("/bve/depouillement/combiner");
  EXPECT_EQ(few.status, 409);
  EXPECT_TRUE(Has(few.body, "1 partial decryption(s) given, 3 needed")) << few.body;
  EXPECT_FALSE(fs::exists(folder.results()));

  // The secrétaire cannot give the délégué's fragment; a bad proof is refused.
  As("secretaire");
  HttpResponse not_mine = PostPartial(Partial(3));
  EXPECT_EQ(not_mine.status, 403);
  EXPECT_TRUE(Has(not_mine.body, "is not a fragment of secretaire")) << not_mine.body;
  EXPECT_FALSE(fs::exists(folder.partial(3)));
  ASSERT_EQ(PostPartial(Partial(2)).status, 200);
  As("delegue-snad");
  HttpResponse forged = PostPartial(Partial(3, 4));
  EXPECT_EQ(forged.status, 409);
  EXPECT_TRUE(Has(forged.body, "count.partial_proof")) << forged.body;
  EXPECT_FALSE(fs::exists(folder.partial(3)));
  ASSERT_EQ(PostPartial(Partial(3)).status, 200);
  HttpResponse page = Send("GET", "/bve/depouillement");
  EXPECT_TRUE(Has(page.body, "3 déchiffrement(s) partiel(s) reçu(s) ; 3")) << page.body;

  // Combine: the results (9 ballots in CSA-MIN, 3 in CAP-A, 0 in CSA-PROX).
  As("president");
  HttpResponse combined = Post("/bve/depouillement/combiner");
  ASSERT_EQ(combined.status, 200) << combined.body;
  EXPECT_TRUE(fs::exists(folder.results()));
  EXPECT_TRUE(Has(combined.body, "<th scope=\"row\">Votants</th><td>9</td>")) << combined.body;
  EXPECT_TRUE(Has(combined.body, "<th scope=\"row\">Votants</th><td>3</td>"));
  EXPECT_TRUE(Has(combined.body, "Sièges"));

  // The PVs, then publication refused until they are signed.
  HttpResponse written = Post("/bve/depouillement/pv");
  ASSERT_EQ(written.status, 200) << written.body;
  ASSERT_TRUE(fs::exists(folder.pv() / "pv-election.pdf"));
  HttpResponse pdf = Send("GET", "/bve/pv?fichier=pv-election.pdf");
  EXPECT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_TRUE(pdf.body.starts_with("%PDF-"));
  EXPECT_EQ(Send("GET", "/bve/pv?fichier=../tally.json").status, 404);
  HttpResponse unsigned_publish = Post("/bve/depouillement/publier");
  EXPECT_EQ(unsigned_publish.status, 409);
  EXPECT_TRUE(Has(unsigned_publish.body, "not signed yet")) << unsigned_publish.body;
  EXPECT_TRUE(Has(unsigned_publish.body, "chaque procès-verbal doit")) << "said in French too";
  EXPECT_FALSE(Has(Send("GET", "/bve/depouillement").body, "action=\"/bve/depouillement/pv\""))
      << "written once: a new writing would void the signatures";
  EXPECT_FALSE(fs::exists(dir_ / "published" / "results.json"));
  EXPECT_FALSE(Has(Send("GET", "/resultats").body, "<td>9</td>"));

  // Signed by the président (1) and a délégué (3), as `key-holder sign-pv`.
  counting::CountStores view{*stores_.roll, *stores_.urne, *stores_.emargement, *stores_.portal,
                             *stores_.audit};
  auto state = pv::ReadPvState(*stores_.audit, site().election);
  ASSERT_TRUE(state.ok() && *state);
  for (const auto& f : (*state)->files) {
    std::ifstream in(folder.pv() / f.file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    for (uint32_t j : {1u, 3u}) {
      auto sig = seal::SignAsMember(seal::testing::FragmentOf(site().election, *board_, j), "pv",
                                    crypto::Sha256(ToBytes(bytes)), crypto::SystemRandom());
      ASSERT_TRUE(pv::AddPvSignature(view, "demo-2026", sig, {"test", clock_}).ok());
    }
  }
  HttpResponse published = Post("/bve/depouillement/publier");
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_TRUE(Has(published.body, "href=\"/resultats\""));
  HttpResponse results = Send("GET", "/resultats");
  EXPECT_EQ(results.status, 200);
  EXPECT_TRUE(Has(results.body, "<td>9</td>") || Has(results.body, ">9<")) << results.body;
  EXPECT_TRUE(fs::exists(dir_ / "published" / "pv-election.pdf"));

  // The record the portal serves now holds the count: anyone recomputes it.
  HttpResponse record = Send("GET", "/record.jsonl");
  ASSERT_EQ(record.status, 200);
  std::vector<std::string> lines;
  std::istringstream in(record.body);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  EXPECT_TRUE(Has(record.body, "\"type\":\"result\"")) << "no result entry";
  record::Report report = record::VerifyRecord(lines);
  EXPECT_TRUE(report.ok()) << record::ReportText(report, record::Language::kEnglish);
  EXPECT_EQ(report.check(record::CheckId::kCounts).failed, 0u);
  EXPECT_GT(report.check(record::CheckId::kCounts).checked, 0u);
}

TEST_P(CountPagesTest, ADifferenceAtClosingBlocksTheCount) {
  // This portal seals other assets than the fixture: its check at closing differs.
  AfterClosing();
  auto good = std::move(app_);
  app_ = MakeApp(seal::SealSources{"/proc/self/exe", nullptr, dir_ / "assets"});
  As("president");
  EXPECT_EQ(ClosingChecks(), 1u);
  // Put back as sealed: the check at "count" would pass, the closing one still blocks.
  app_ = std::move(good);
  As("president");
  HttpResponse r = Post("/bve/depouillement/preparer");
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(Has(r.body, "at closing found differences")) << r.body;
  EXPECT_FALSE(fs::exists(pv::CountFolder{dir_ / "count"}.tally()));
  EXPECT_EQ(ClosingChecks(), 1u) << "still once";
}

TEST_P(CountPagesTest, APortalStartedBeforeOpeningChecksTheSealAtTheOpeningTime) {
  const int64_t opening = site().election.window.opening.utc;
  const size_t before = Checks("opening");  // the fixture's own
  clock_ = opening - 600;
  app_ = MakeApp(seal::SealSources{}, true);
  EXPECT_EQ(Send("GET", "/").status, 200);
  EXPECT_EQ(Checks("opening"), before + 0u) << "not before the opening time";
  clock_ = opening + 5;
  EXPECT_EQ(Send("GET", "/").status, 200);
  EXPECT_EQ(Checks("opening"), before + 1u);
  EXPECT_EQ(site().seal_gate->Refusal(), "");
  app_->CheckSealOnTime();  // the server's timer: still once
  EXPECT_EQ(Send("GET", "/").status, 200);
  EXPECT_EQ(Checks("opening"), before + 1u);

  // Another portal, whose files are not those sealed: at the opening time
  // its check finds the difference and ballots are refused.
  clock_ = opening - 600;
  app_ = MakeApp(seal::SealSources{"/proc/self/exe", nullptr, dir_ / "assets"}, true);
  EXPECT_EQ(Send("GET", "/").status, 200);
  EXPECT_EQ(site().seal_gate->Refusal(), "");
  clock_ = opening + 5;
  EXPECT_EQ(Send("GET", "/").status, 200);
  EXPECT_EQ(Checks("opening"), before + 2u);
  EXPECT_NE(site().seal_gate->Refusal(), "") << "a seal that differs at opening refuses ballots";

  // A portal started after the opening time relies on serve's own check: none here.
  site().seal_gate->Set("");
  app_ = MakeApp(seal::SealSources{});
  EXPECT_EQ(Send("GET", "/").status, 200);
  EXPECT_EQ(Checks("opening"), before + 2u);
}

INSTANTIATE_PORTAL_BACKENDS(CountPagesTest);

}  // namespace
}  // namespace isoloir::web
