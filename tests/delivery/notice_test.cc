#include "delivery/notice.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace isoloir::delivery {
namespace {

using test::SampleNotice;

const std::string kNbsp = "\u00a0";

size_t Count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

// What the seed help page asks of every notice.
void ExpectFullExplanation(const std::string& text) {
  for (const char* s :
       {"Matricule", "Date de naissance", "Code de sécurité", "Mot de passe",
        "au dos de votre carte agent", "JJ/MM/AAAA", "deux canaux différents",
        "https://elections.example.gouv.fr", "mardi 1er décembre 2026", "jeudi 8 décembre 2026",
        "support en ligne", "régénération", "donnée secrète de réassort",
        "6 premiers caractères du numéro de votre carte agent",
        "6 derniers caractères de votre IBAN", "président du bureau de vote électronique",
        "pièce d'identité", "carte professionnelle", "01 23 45 67 89"}) {
    EXPECT_NE(text.find(s), std::string::npos) << "missing: " << s << "\n" << text;
  }
}

TEST(PasswordMail, FrenchExplainsEverythingAndHoldsThePasswordOnce) {
  Result<Mail> mail = PasswordMail(SampleNotice("Tr0ub4dour&3x"), "elections@example.gouv.fr",
                                   "Élections professionnelles");
  ASSERT_TRUE(mail.ok()) << mail.error().ToString();
  EXPECT_EQ(mail->to, "amelie.lefevre@example.gouv.fr");
  EXPECT_EQ(mail->from, "elections@example.gouv.fr");
  EXPECT_EQ(
      mail->subject,
      "Votre mot de passe pour les élections professionnelles – Élections professionnelles 2026");
  EXPECT_EQ(Count(mail->text, "Tr0ub4dour&3x"), 1u);
  EXPECT_NE(mail->text.find("Bonjour Amélie Lefèvre,"), std::string::npos);
  ExpectFullExplanation(mail->text);
  // The e-mail tells where the other secret comes from.
  EXPECT_NE(
      mail->text.find("Code de sécurité" + kNbsp + ": il vous est envoyé par courrier postal"),
      std::string::npos);
  EXPECT_NE(mail->text.find("«" + kNbsp + "support en ligne" + kNbsp + "»"), std::string::npos)
      << "French spacing";
  EXPECT_EQ(mail->text.find("# "), std::string::npos) << "heading markers are for the letter";
  EXPECT_EQ(mail->text.find("123456"), std::string::npos)
      << "the e-mail does not carry the matricule";
}

TEST(PasswordMail, English) {
  Result<Mail> mail =
      PasswordMail(SampleNotice("pw-en-1", Language::kEnglish), "e@example.gouv.fr");
  ASSERT_TRUE(mail.ok()) << mail.error().ToString();
  EXPECT_TRUE(mail->subject.starts_with("Your password for the professional elections"));
  for (const char* s : {"Matricule", "Date de naissance", "Code de sécurité", "Mot de passe",
                        "back of your agent card", "two different channels", "Lost password",
                        "donnée secrète de réassort", "Lost security key", "président du BVE",
                        "identity document", "pw-en-1"}) {
    EXPECT_NE(mail->text.find(s), std::string::npos) << s;
  }
}

TEST(PasswordMail, TemplateSyntaxInValuesIsNotInterpreted) {
  CredentialNotice n = SampleNotice("{{title}}");
  n.election.helpdesk = "{{password}} <b>&</b>";
  Result<Mail> mail = PasswordMail(n, "e@example.gouv.fr");
  ASSERT_TRUE(mail.ok());
  EXPECT_EQ(Count(mail->text, "{{title}}"), 1u);
  EXPECT_NE(mail->text.find("{{password}} <b>&</b>"), std::string::npos) << "no HTML escaping";
}

TEST(PasswordMail, MissingFieldsAreNamed) {
  CredentialNotice n = SampleNotice("pw");
  n.voter.courriel.clear();
  Result<Mail> a = PasswordMail(n, "e@example.gouv.fr");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, "notice.missing_field");
  EXPECT_NE(a.error().message.find("voter.courriel"), std::string::npos);
  EXPECT_NE(a.error().message.find("123456"), std::string::npos);

  n = SampleNotice("");
  Result<Mail> b = PasswordMail(n, "e@example.gouv.fr");
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.error().message.find("secret"), std::string::npos);

  n = SampleNotice("pw");
  n.election.portal_url = " ";
  Result<Mail> c = PasswordMail(n, "e@example.gouv.fr");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("election.portal_url"), std::string::npos);

  n = SampleNotice("pw");
  n.voter.courriel = "not an address";
  Result<Mail> d = PasswordMail(n, "e@example.gouv.fr");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, "mail.invalid_address");
}

TEST(SecurityKeyLetter, HoldsTheGroupedKeyTheAddressAndTheExplanation) {
  Result<LetterText> l = SecurityKeyLetter(SampleNotice("7K3QDM9XWT2HFRBYP4NA"));
  ASSERT_TRUE(l.ok()) << l.error().ToString();
  EXPECT_EQ(l->key, "7K3QD-M9XWT-2HFRB-YP4NA");
  ASSERT_EQ(l->recipient.size(), 4u);
  EXPECT_EQ(l->recipient[0], "Amélie Lefèvre");
  EXPECT_EQ(l->recipient[3], "21000 DIJON");
  EXPECT_EQ(l->sender[0], "Ministère de l'Intérieur et des Outre-mer");
  std::string all;
  for (const auto& v : {l->before_key, l->after_key}) {
    for (const std::string& s : v) all += s + "\n";
  }
  ExpectFullExplanation(all);
  EXPECT_EQ(l->matricule_line, "Votre matricule" + kNbsp + ": 123456");
  for (const char* personal : {"123456", "Amélie", "Lefèvre", "DIJON"}) {
    EXPECT_EQ(all.find(personal), std::string::npos) << "the paragraphs are the same for all";
  }
  EXPECT_NE(all.find("Mot de passe" + kNbsp + ": il vous est envoyé séparément par courriel"),
            std::string::npos);
  EXPECT_EQ(all.find("7K3QD"), std::string::npos) << "the key is drawn apart, not in the text";
}

TEST(SecurityKeyLetter, NeedsAnAddress) {
  CredentialNotice n = SampleNotice("7K3QDM9XWT2HFRBYP4NA");
  n.voter.adresse.clear();
  Result<LetterText> l = SecurityKeyLetter(n);
  ASSERT_FALSE(l.ok());
  EXPECT_NE(l.error().message.find("voter.adresse"), std::string::npos);
}

TEST(SecurityKeyLetter, RefusesAnAddressLineThatIsNotOneLineOfUtf8) {
  CredentialNotice n = SampleNotice("7K3QDM9XWT2HFRBYP4NA");
  n.voter.adresse[1] = "53 rue \xff";
  Result<LetterText> bad = SecurityKeyLetter(n);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "notice.invalid_utf8");
  EXPECT_NE(bad.error().message.find("line 2"), std::string::npos);
  n.voter.adresse[1] = "53 rue\nBIS";
  EXPECT_FALSE(SecurityKeyLetter(n).ok());
}

TEST(FormatSecurityKey, GroupsTwentyCharacters) {
  EXPECT_EQ(FormatSecurityKey("7K3QDM9XWT2HFRBYP4NA"), "7K3QD-M9XWT-2HFRB-YP4NA");
  EXPECT_EQ(FormatSecurityKey("7K3QD-M9XWT-2HFRB-YP4NA"), "7K3QD-M9XWT-2HFRB-YP4NA");
  EXPECT_EQ(FormatSecurityKey("short"), "short");
}

TEST(FormatLocalDateTime, FrenchAndEnglish) {
  Result<std::string> fr = FormatLocalDateTime("2026-12-01T09:00", Language::kFrench);
  ASSERT_TRUE(fr.ok());
  EXPECT_EQ(*fr, "mardi 1er décembre 2026 à 9" + kNbsp + "h" + kNbsp + "00 (heure de Paris)");
  Result<std::string> fr2 = FormatLocalDateTime("2026-12-08T17:30:00", Language::kFrench);
  ASSERT_TRUE(fr2.ok());
  EXPECT_EQ(*fr2, "mardi 8 décembre 2026 à 17" + kNbsp + "h" + kNbsp + "30 (heure de Paris)");
  Result<std::string> en = FormatLocalDateTime("2024-02-29T08:05", Language::kEnglish);
  ASSERT_TRUE(en.ok());
  EXPECT_EQ(*en, "Thursday 29 February 2024 at 08:05 (Paris time)");
  for (const char* bad : {"2026-02-29T09:00", "2026-13-01T09:00", "2026-12-01 09:00",
                          "2026-12-01T24:00", "2026-12-01T09:00Z", ""}) {
    Result<std::string> r = FormatLocalDateTime(bad, Language::kFrench);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "notice.invalid_date");
  }
}

TEST(MakeElectionInfoAndRecipient, FromTheModel) {
  election::Election e;
  e.title = "T";
  e.organisation = "O";
  e.portal_url = "https://p.example";
  e.helpdesk = "H";
  e.window.opening.local = "2026-12-01T09:00";
  e.window.closing.local = "2026-12-08T17:00";
  Result<ElectionInfo> info = MakeElectionInfo(e, Language::kFrench);
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->closing.starts_with("mardi 8 décembre 2026"));
  e.window.closing.local = "bad";
  EXPECT_FALSE(MakeElectionInfo(e, Language::kFrench).ok());

  election::Voter v;
  v.nom = "N";
  v.prenom = "P";
  v.matricule = "M";
  v.courriel = "c@d.e";
  v.adresse = "1 rue A\r\n\n21000 DIJON\n";
  Recipient r = MakeRecipient(v);
  EXPECT_EQ(r.adresse, (std::vector<std::string>{"1 rue A", "21000 DIJON"}));
  EXPECT_EQ(r.courriel, "c@d.e");
}

}  // namespace
}  // namespace isoloir::delivery
