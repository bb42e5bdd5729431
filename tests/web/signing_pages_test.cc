// The seal and the members' signatures under /bve on real stores, as a
// browser sends them: who may see, prepare, check and sign (checked by the
// server, per role); the organiser prepares, the président and a délégué
// approve with their fragments (signatures made as the page's JS makes them)
// and the election is sealed; a signature of another member, another
// election or that does not verify is refused and stores nothing; a PV
// signature is stored; the PV PDF is served to the BVE.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/bytes.h"
#include "counting/count_service.h"
#include "crypto/random.h"
#include "crypto/transcript.h"
#include "portal/session_token.h"
#include "portal/totp.h"
#include "portal_fixture.h"
#include "pv/pv_log.h"
#include "seal/member_signature.h"
#include "seal/seal_log.h"
#include "browser_jar.h"
#include "web/staff_pages.h"

namespace isoloir::web {
namespace {

using portal::StaffRole;
namespace fs = std::filesystem;

bool Has(const std::string& body, const std::string& text) {
  return body.find(text) != std::string::npos;
}

class SigningPagesTest : public portal::testing::PortalFixture {
 protected:
  void SetUp() override {
    PortalFixture::SetUp();
    if (IsSkipped()) return;
    dir_ = fs::temp_directory_path() / ("isoloir-signing-" + std::to_string(::getpid()) + "-" +
                                        (GetParam() == store::Backend::kSqlite ? "sqlite" : "pg"));
    fs::create_directories(dir_ / "assets");
    fs::create_directories(dir_ / "pv");
    std::ofstream(dir_ / "assets" / "booth.js") << "/* booth */";
    auto pool = StorePool::Open(config(), 2);
    ASSERT_TRUE(pool.ok()) << pool.error().ToString();
    pool_ = std::move(*pool);
    PortalOptions o;
    o.assets = dir_ / "assets";
    o.pv_folder = dir_ / "pv";
    o.clock = [this] { return clock_; };
    auto app = PortalApp::Create(site_ptr(), *pool_, o);
    ASSERT_TRUE(app.ok()) << app.error().ToString();
    app_ = std::move(*app);
    clock_ = now();
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  HttpResponse Send(const std::string& method, const std::string& path,
                    const std::string& body = "") {
    return testing::Browse(*app_, jar_, method, path, body, "192.0.2.30");
  }
  std::string Form(std::vector<std::pair<std::string, std::string>> fields) {
    return testing::FormWithCsrf(*app_, jar_, std::move(fields), "192.0.2.30");
  }
  void LogInAs(StaffRole role, const std::string& id) {
    jar_.clear();
    if (!accounts_.count(id)) {
      auto made = portal::AddStaff(site(), stores(), role, id, "test", now());
      ASSERT_TRUE(made.ok()) << made.error().ToString();
      accounts_[id] = std::move(*made);
    }
    const portal::NewStaffAccount* a = &accounts_[id];
    clock_ += 30;  // a fresh TOTP step for every login
    HttpResponse r = Send("POST", "/bve/connexion",
                          Form({{"identifiant", a->account.id},
                                {"mot_de_passe", a->password},
                                {"code", portal::Totp(a->totp_secret, clock_)}}));
    ASSERT_EQ(r.status, 303) << id << r.body;
  }

  // Fragment j (1: président, 2: secrétaire, 3: délégué SNAD) of the fixture's ceremony.
  counting::Fragment FragmentOf(uint32_t j) {
    counting::Fragment f;
    f.election_id = "demo-2026";
    f.fingerprint = site().fingerprint;
    f.public_key = board_.pub.public_key;
    f.holder = j;
    f.member = counting::FragmentHolders(site().election).at(j - 1);
    f.share = board_.shares.at(j - 1);
    f.verification_key = board_.pub.verification_keys.at(j - 1);
    return f;
  }
  seal::MemberSignature Sign(uint32_t j, const std::string& purpose, const crypto::Digest& d) {
    return seal::SignAsMember(FragmentOf(j), purpose, d, crypto::SystemRandom());
  }
  HttpResponse Post(const seal::MemberSignature& s) {
    return Send("POST", "/bve/signatures",
                Form({{"signature", seal::MemberSignatureJson(s).dump()}}));
  }
  seal::SealState SealState() {
    auto log = seal::ReadSealLog(*stores_.audit, site().election);
    EXPECT_TRUE(log.ok());
    return log.ok() ? log->state : seal::SealState{};
  }
  size_t Count(const std::string& action) {
    auto entries = stores_.audit->List("demo-2026");
    EXPECT_TRUE(entries.ok());
    size_t n = 0;
    for (const auto& e : *entries) n += e.action == action;
    return n;
  }
  crypto::Digest Prepare() {
    LogInAs(StaffRole::kOrganisateur, "orga");
    HttpResponse r = Send("POST", "/bve/scellement/preparer", Form({}));
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(Has(r.body, "Scellement préparé"));
    auto st = SealState();
    EXPECT_TRUE(st.seal.has_value());
    return st.seal ? seal::SealDigest(*st.seal) : crypto::Digest{};
  }

  fs::path dir_;
  std::unique_ptr<StorePool> pool_;
  std::unique_ptr<PortalApp> app_;
  std::map<std::string, std::string> jar_;
  std::map<std::string, portal::NewStaffAccount> accounts_;
  int64_t clock_ = 0;
};

TEST_P(SigningPagesTest, EachRoleReachesItsSealRoutesAndOnlyThose) {
  struct Expect {
    StaffRole role;
    const char* id;
    bool view, prepare, sign;
  };
  const Expect roles[] = {
      {StaffRole::kAssistance, "agent1", false, false, false},
      {StaffRole::kPresident, "president", true, false, true},
      {StaffRole::kSecretaire, "secretaire", true, false, true},
      {StaffRole::kDelegue, "delegue-snad", true, false, true},
      {StaffRole::kOrganisateur, "orga", true, true, false},
  };
  for (const auto& [path, method] :
       std::vector<std::pair<std::string, std::string>>{{"/bve/scellement", "GET"},
                                                        {"/bve/scellement/preparer", "POST"},
                                                        {"/bve/signatures", "GET"}}) {
    EXPECT_EQ(Send(method, path, Form({})).status, 401) << path << ": no session";
  }
  for (const auto& x : roles) {
    LogInAs(x.role, x.id);
    auto code = [](bool allowed, int ok) { return allowed ? ok : 403; };
    EXPECT_EQ(Send("GET", "/bve/scellement").status, code(x.view, 200)) << x.id;
    EXPECT_EQ(Send("POST", "/bve/scellement/verifier", Form({})).status, code(x.view, 200)) << x.id;
    EXPECT_EQ(Send("GET", "/bve/pv?fichier=pv-election.pdf").status, code(x.view, 404)) << x.id;
    EXPECT_EQ(Send("GET", "/bve/signatures").status, code(x.sign, 200)) << x.id;
    EXPECT_EQ(Send("POST", "/bve/signatures", Form({{"signature", "{}"}})).status,
              code(x.sign, 400))
        << x.id;
    // Prepare last: the organiser's really prepares the seal.
    EXPECT_EQ(Send("POST", "/bve/scellement/preparer", Form({})).status, code(x.prepare, 200))
        << x.id;
    EXPECT_EQ(Count("seal.prepare"), x.prepare ? 1u : 0u) << x.id;
    const std::string home = Send("GET", "/bve/accueil").body;
    EXPECT_EQ(Has(home, "href=\"/bve/scellement\""), x.view) << x.id;
    EXPECT_EQ(Has(home, "href=\"/bve/signatures\""), x.sign) << x.id;
  }
}

TEST_P(SigningPagesTest, OrganiserPreparesPresidentAndDelegueSealInTheBrowser) {
  LogInAs(StaffRole::kPresident, "president");
  EXPECT_TRUE(Has(Send("GET", "/bve/scellement").body, "Aucun scellement"));
  // Without a seal, an approval is refused with why.
  HttpResponse none = Post(Sign(1, "seal", crypto::Digest{}));
  EXPECT_EQ(none.status, 400);
  EXPECT_TRUE(Has(none.body, "Aucun scellement à approuver")) << none.body;

  const crypto::Digest digest = Prepare();
  const std::string hex = HexEncode(digest);
  HttpResponse page = Send("GET", "/bve/scellement");
  EXPECT_TRUE(Has(page.body, hex));
  EXPECT_TRUE(Has(page.body, "binary/isoloir"));
  EXPECT_TRUE(Has(page.body, "pas encore scellée"));
  EXPECT_TRUE(Has(page.body, "<li>le président du BVE</li>"));
  EXPECT_TRUE(Has(page.body, "<li>un délégué de liste</li>"));

  LogInAs(StaffRole::kPresident, "president");
  HttpResponse signing = Send("GET", "/bve/signatures");
  ASSERT_EQ(signing.status, 200);
  EXPECT_TRUE(Has(signing.body, "data-digest=\"" + hex + "\""));
  EXPECT_TRUE(Has(signing.body, "data-member=\"president\""));
  EXPECT_TRUE(Has(signing.body, "/static/sign.js"));
  EXPECT_TRUE(Has(Send("GET", "/bve/signatures?lang=en").body, "Approve the seal"));
  Send("GET", "/bve/signatures?lang=fr");
  HttpResponse approved = Post(Sign(1, "seal", digest));
  EXPECT_EQ(approved.status, 200) << approved.body;
  EXPECT_TRUE(Has(approved.body, "vérifiée et enregistrée"));
  EXPECT_FALSE(SealState().sealed());
  // Twice: refused, nothing stored.
  HttpResponse again = Post(Sign(1, "seal", digest));
  EXPECT_EQ(again.status, 400);
  EXPECT_TRUE(Has(again.body, "already approved")) << again.body;
  EXPECT_EQ(Count("seal.approve"), 1u);

  // A secrétaire's approval is stored but counts for neither role.
  LogInAs(StaffRole::kSecretaire, "secretaire");
  EXPECT_EQ(Post(Sign(2, "seal", digest)).status, 200);
  EXPECT_FALSE(SealState().sealed());

  LogInAs(StaffRole::kDelegue, "delegue-snad");
  // A portal started unsealed refuses ballots; the seal made here lifts that.
  site().seal_gate->Set("the election is not sealed");
  HttpResponse sealed = Post(Sign(3, "seal", digest));
  EXPECT_EQ(sealed.status, 200) << sealed.body;
  EXPECT_TRUE(Has(sealed.body, "enregistrée : l&apos;élection est scellée")) << sealed.body;
  EXPECT_TRUE(SealState().sealed());
  EXPECT_EQ(site().seal_gate->Refusal(), "");
  EXPECT_TRUE(Has(Send("GET", "/bve/scellement").body, "L&apos;élection est scellée."));

  // On-demand check: every component OK, recorded (after the opening
  // check the sealing itself ran).
  EXPECT_EQ(Count("seal.check"), 1u);
  HttpResponse check = Send("POST", "/bve/scellement/verifier", Form({}));
  EXPECT_EQ(check.status, 200);
  EXPECT_TRUE(Has(check.body, "Vérification réussie")) << check.body;
  EXPECT_EQ(Count("seal.check"), 2u);

  // Preparing again once sealed: refused with why, nothing changed.
  LogInAs(StaffRole::kOrganisateur, "orga2");
  HttpResponse twice = Send("POST", "/bve/scellement/preparer", Form({}));
  EXPECT_EQ(twice.status, 409);
  EXPECT_TRUE(Has(twice.body, "déjà scellée")) << twice.body;
  EXPECT_EQ(Count("seal.prepare"), 1u);
}

TEST_P(SigningPagesTest, RefusesAnotherMembersElectionsOrABadSignature) {
  const crypto::Digest digest = Prepare();
  LogInAs(StaffRole::kPresident, "president");
  // The délégué's own valid approval, posted by the président.
  HttpResponse other_member = Post(Sign(3, "seal", digest));
  EXPECT_EQ(other_member.status, 403);
  EXPECT_TRUE(Has(other_member.body, "Cette signature n&apos;est pas la vôtre"))
      << other_member.body;
  EXPECT_TRUE(Has(other_member.body, "delegue-snad"));
  // Signed for another election.
  counting::Fragment f = FragmentOf(1);
  f.election_id = "autre-2027";
  HttpResponse other_election = Post(seal::SignAsMember(f, "seal", digest, crypto::SystemRandom()));
  EXPECT_EQ(other_election.status, 400);
  EXPECT_TRUE(Has(other_election.body, "election: for another election")) << other_election.body;
  // A signature that does not verify: another digest's proof.
  seal::MemberSignature bad = Sign(1, "seal", crypto::Digest{});
  bad.digest = digest;
  HttpResponse refused = Post(bad);
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(Has(refused.body, "signature: does not verify")) << refused.body;
  // Not a signature file; no CSRF token.
  EXPECT_EQ(Send("POST", "/bve/signatures", Form({{"signature", "pas du json"}})).status, 400);
  EXPECT_EQ(
      Send("POST", "/bve/signatures",
           "signature=" + PercentEncode(seal::MemberSignatureJson(Sign(1, "seal", digest)).dump()))
          .status,
      400);
  EXPECT_EQ(Count("seal.approve"), 0u);
  EXPECT_FALSE(SealState().sealed());
}

TEST_P(SigningPagesTest, PvSignatureStoredAndPdfServed) {
  // What `isoloir pv` records: one file and its SHA-256 (the PDF itself is the folder's).
  const std::string pdf = "%PDF-1.4 procès-verbal de test\n";
  std::ofstream(dir_ / "pv" / "pv-election.pdf", std::ios::binary) << pdf;
  const crypto::Digest sha = crypto::Sha256(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(pdf.data()), pdf.size()));
  ASSERT_TRUE(
      stores_.audit
          ->Append("demo-2026", now(), "test", "pv.write",
                   nlohmann::json{
                       {"results_digest", std::string(64, '0')},
                       {"files",
                        {{{"scope", ""}, {"file", "pv-election.pdf"}, {"sha256", HexEncode(sha)}}}},
                       {"figures", nlohmann::json::array()}}
                       .dump())
          .ok());
  LogInAs(StaffRole::kDelegue, "delegue-snad");
  HttpResponse page = Send("GET", "/bve/signatures");
  EXPECT_TRUE(Has(page.body, "data-digest=\"" + HexEncode(sha) + "\""));
  EXPECT_TRUE(Has(page.body, "/bve/pv?fichier=pv-election.pdf"));
  HttpResponse file = Send("GET", "/bve/pv?fichier=pv-election.pdf");
  EXPECT_EQ(file.status, 200);
  EXPECT_EQ(file.body, pdf);
  EXPECT_EQ(Send("GET", "/bve/pv?fichier=../etc/passwd").status, 404);
  // A seal signature is no PV signature.
  EXPECT_EQ(Post(Sign(3, "seal", sha)).status, 400);
  HttpResponse signed_pv = Post(Sign(3, "pv", sha));
  EXPECT_EQ(signed_pv.status, 200) << signed_pv.body;
  EXPECT_TRUE(Has(signed_pv.body, "procès-verbal est vérifiée"));
  auto st = pv::ReadPvState(*stores_.audit, site().election);
  ASSERT_TRUE(st.ok() && st->has_value());
  ASSERT_EQ((*st)->files.at(0).signatures.size(), 1u);
  EXPECT_EQ((*st)->files.at(0).signatures.at(0).member, "delegue-snad");
  EXPECT_TRUE(Has(Send("GET", "/bve/signatures").body, "Vous avez signé ce document"));
}

INSTANTIATE_PORTAL_BACKENDS(SigningPagesTest);

}  // namespace
}  // namespace isoloir::web
