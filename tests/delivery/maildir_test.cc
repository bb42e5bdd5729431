#include <gtest/gtest.h>
#include <sys/stat.h>

#include "delivery/maildir_mailer.h"
#include "test_util.h"

namespace isoloir::delivery {
namespace {

using test::FilesIn;
using test::TempDir;

TEST(MaildirMailer, WritesAParseableUtf8Message) {
  TempDir dir;
  Result<MaildirMailer> mailer = MaildirMailer::Open(dir.path() / "Maildir");
  ASSERT_TRUE(mailer.ok()) << mailer.error().ToString();
  Result<Mail> mail = PasswordMail(test::SampleNotice("Tr0ub4dour&3x"), "elections@example.gouv.fr",
                                   "Élections professionnelles");
  ASSERT_TRUE(mail.ok());
  ASSERT_TRUE(mailer->Send(*mail).ok());

  EXPECT_TRUE(FilesIn(dir.path() / "Maildir" / "tmp").empty());
  EXPECT_TRUE(FilesIn(dir.path() / "Maildir" / "cur").empty());
  std::vector<std::filesystem::path> delivered = FilesIn(dir.path() / "Maildir" / "new");
  ASSERT_EQ(delivered.size(), 1u);
  struct stat st {};
  ASSERT_EQ(::stat(delivered[0].c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "the message holds a password";

  std::string raw = test::ReadFile(delivered[0]);
  EXPECT_EQ(raw.find('\r'), std::string::npos) << "Maildir files use LF line ends";
  test::ParsedMessage msg = test::ParseMessage(raw);
  EXPECT_EQ(msg.Header("To"), "amelie.lefevre@example.gouv.fr");
  EXPECT_EQ(test::DecodeHeader(msg.Header("From")),
            "Élections professionnelles <elections@example.gouv.fr>");
  EXPECT_EQ(
      test::DecodeHeader(msg.Header("Subject")),
      "Votre mot de passe pour les élections professionnelles – Élections professionnelles 2026");
  EXPECT_EQ(msg.Header("Content-Type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(msg.Header("Content-Transfer-Encoding"), "quoted-printable");
  EXPECT_FALSE(msg.Header("Date").empty());
  EXPECT_TRUE(msg.Header("Message-ID").ends_with("@example.gouv.fr>"));
  std::string body = test::DecodeQuotedPrintable(msg.raw_body);
  EXPECT_EQ(body, mail->text);
  for (const char* s :
       {"Tr0ub4dour&3x", "Matricule", "Date de naissance", "Code de sécurité", "Mot de passe"}) {
    EXPECT_NE(body.find(s), std::string::npos) << s;
  }
}

TEST(MaildirMailer, ManyMessagesGetUniqueNames) {
  TempDir dir;
  Result<MaildirMailer> mailer = MaildirMailer::Open(dir.path());
  ASSERT_TRUE(mailer.ok());
  Mail mail{"a@example.org", "", "b@example.org", "Sujet accentué é", "corps\n"};
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(mailer->Send(mail).ok());
  EXPECT_EQ(FilesIn(dir.path() / "new").size(), 50u);
}

TEST(MaildirMailer, InvalidMailWritesNothing) {
  TempDir dir;
  Result<MaildirMailer> mailer = MaildirMailer::Open(dir.path());
  ASSERT_TRUE(mailer.ok());
  Mail mail{"a@example.org", "", "b@example.org", "Subject\r\nBcc: c@evil.example",
            "secret body\n"};
  Status s = mailer->Send(mail);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "mail.invalid_header");
  EXPECT_EQ(s.error().message.find("secret body"), std::string::npos);
  EXPECT_TRUE(FilesIn(dir.path() / "new").empty());
  EXPECT_TRUE(FilesIn(dir.path() / "tmp").empty());
}

TEST(MaildirMailer, UnwritableFolderIsAnError) {
  TempDir dir;
  std::filesystem::path file = dir.path() / "plain-file";
  { std::ofstream(file) << "x"; }
  Result<MaildirMailer> mailer = MaildirMailer::Open(file / "Maildir");
  ASSERT_FALSE(mailer.ok());
  EXPECT_EQ(mailer.error().code, "maildir.io");
  EXPECT_NE(mailer.error().message.find("plain-file"), std::string::npos);
}

}  // namespace
}  // namespace isoloir::delivery
