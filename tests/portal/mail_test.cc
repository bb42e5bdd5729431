// The portal's mail, opt-in: a regenerated password by e-mail only, and the
// receipt of a vote, both delivered through a real Maildir.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "delivery/maildir_mailer.h"
#include "portal_fixture.h"

namespace isoloir::portal::testing {
namespace {

class PortalMailTest : public PortalFixture {
 protected:
  void SetUp() override {
    PortalFixture::SetUp();
    if (IsSkipped()) return;
    dir_ = std::filesystem::temp_directory_path() / ("isoloir-mail-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    auto site = std::make_shared<ElectionSite>(*site_);
    site->folders = {dir_ / "letters", dir_ / "outbox", dir_ / "staging"};
    site->policy.regeneration_delivery = PasswordDelivery::kEmail;
    site->receipt_email = true;
    const auto maildir = dir_ / "maildir";
    site->mailer = [maildir]() -> std::unique_ptr<delivery::Mailer> {
      auto m = delivery::MaildirMailer::Open(maildir);
      return m ? std::make_unique<delivery::MaildirMailer>(std::move(*m)) : nullptr;
    };
    site_ = site;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::vector<std::string> Mails() {
    std::vector<std::string> out;
    if (!std::filesystem::exists(dir_ / "maildir" / "new")) return out;
    for (const auto& f : std::filesystem::directory_iterator(dir_ / "maildir" / "new")) {
      std::ifstream in(f.path());
      std::stringstream s;
      s << in.rdbuf();
      out.push_back(s.str());
    }
    return out;
  }
  std::filesystem::path dir_;
};

TEST_P(PortalMailTest, ARegeneratedPasswordGoesByMailOnlyAndWorks) {
  const KnownVoter& v = voter(1);
  auto r =
      RegeneratePassword(site(), stores(), {v.voter.matricule, v.Birth(), v.reassort, "x"}, now());
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->emailed);
  EXPECT_TRUE(r->password.empty());  // not shown on screen
  auto mails = Mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].find(v.voter.courriel), std::string::npos);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(mails[0], m, std::regex("[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}")));
  LoginForm f = FormFor(v);
  f.mot_de_passe = m[0];
  EXPECT_TRUE(Login(site(), stores(), f, now()).ok());
  EXPECT_FALSE(std::filesystem::exists(dir_ / "outbox") &&
               !std::filesystem::is_empty(dir_ / "outbox"));  // sent, not left waiting
}

TEST_P(PortalMailTest, TheReceiptIsMailedWhenConfigured) {
  const KnownVoter& v = voter(0);
  store::SessionRecord s = LoginOk(v);
  auto receipt = CastBallot(site(), stores(), s, "CSA-MIN", BallotJson(v, "CSA-MIN", 0), now());
  ASSERT_TRUE(receipt.ok());
  EXPECT_TRUE(receipt->emailed);
  auto mails = Mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].find(receipt->tracker), std::string::npos);
  EXPECT_NE(mails[0].find(v.voter.courriel), std::string::npos);
}

INSTANTIATE_PORTAL_BACKENDS(PortalMailTest);

}  // namespace
}  // namespace isoloir::portal::testing
