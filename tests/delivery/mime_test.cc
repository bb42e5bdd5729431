#include "delivery/mime.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace isoloir::delivery {
namespace {

using test::DecodeHeader;
using test::DecodeQuotedPrintable;
using test::ParseMessage;

Mail SampleMail() {
  return Mail{"elections@example.gouv.fr", "Élections professionnelles", "agent@example.gouv.fr",
              "Votre mot de passe pour les élections professionnelles",
              "Bonjour,\n\nVotre mot de passe : Zx9=é ok \n.point\nFrom here\n"};
}

std::vector<std::string> SplitCrlf(const std::string& s) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t e = s.find("\r\n", pos);
    if (e == std::string::npos) e = s.size();
    lines.push_back(s.substr(pos, e - pos));
    pos = e + 2;
  }
  return lines;
}

TEST(QuotedPrintable, RoundTripsAndKeepsLinesShort) {
  std::string text =
      "Élection " + std::string(200, 'a') + " =fin \n\nbye\t\n" + std::string(80, '.') + "\n";
  std::string qp = EncodeQuotedPrintable(text);
  for (const std::string& line : SplitCrlf(qp)) {
    EXPECT_LE(line.size(), 76u) << line;
    EXPECT_FALSE(!line.empty() && (line.back() == ' ' || line.back() == '\t')) << line;
    EXPECT_FALSE(!line.empty() && line[0] == '.') << "a line starting with '.': " << line;
    for (unsigned char c : line) EXPECT_LT(c, 0x80);
  }
  EXPECT_EQ(DecodeQuotedPrintable(qp), text);
}

TEST(QuotedPrintable, EncodesLeadingDotAndFrom) {
  EXPECT_EQ(EncodeQuotedPrintable(".\nFrom me\n", "\n"), "=2E\n=46rom me\n");
  EXPECT_EQ(EncodeQuotedPrintable("a b \n", "\n"), "a b=20\n");
  EXPECT_EQ(EncodeQuotedPrintable("é", "\n"), "=C3=A9\n");
}

TEST(HeaderText, AsciiStaysAndUtf8IsEncodedWithoutSplittingCharacters) {
  EXPECT_EQ(EncodeHeaderText("Hello world"), "Hello world");
  std::string subject =
      "Votre mot de passe pour les élections professionnelles — Ministère "
      "de l'Intérieur et des Outre-mer, élection des représentants";
  std::string enc = EncodeHeaderText(subject);
  for (const std::string& line : SplitCrlf(enc)) {
    std::string_view word = line;
    if (!word.empty() && word[0] == ' ') word.remove_prefix(1);
    EXPECT_LE(word.size(), 75u);
    EXPECT_TRUE(word.starts_with("=?UTF-8?B?") && word.ends_with("?=")) << word;
    // Each encoded word decodes to valid UTF-8 on its own.
    EXPECT_TRUE(IsValidUtf8(test::DecodeBase64(word.substr(10, word.size() - 12))));
  }
  std::string unfolded;
  for (char c : enc) {
    if (c != '\r' && c != '\n') unfolded += c;
  }
  EXPECT_EQ(DecodeHeader(unfolded), subject);
}

TEST(Utf8, Validation) {
  EXPECT_TRUE(IsValidUtf8("élection « ok » •"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("\xff"));
}

TEST(Date, Rfc5322) {
  EXPECT_EQ(FormatRfc5322Date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(FormatRfc5322Date(1796112000), "Tue, 01 Dec 2026 08:00:00 +0000");
}

TEST(MessageId, UniqueAndOnTheSenderDomain) {
  std::string a = NewMessageId("x@example.gouv.fr"), b = NewMessageId("x@example.gouv.fr");
  EXPECT_NE(a, b);
  EXPECT_TRUE(a.starts_with("<") && a.ends_with("@example.gouv.fr>")) << a;
}

TEST(BuildMessage, HasMimeHeadersAndDecodesBack) {
  Mail mail = SampleMail();
  Result<std::string> msg = BuildMessage(mail, {1796112000, "<id-1@example.gouv.fr>"});
  ASSERT_TRUE(msg.ok()) << msg.error().ToString();
  for (const std::string& line : SplitCrlf(*msg)) {
    EXPECT_LE(line.size(), 78u) << line;
    for (unsigned char c : line) EXPECT_LT(c, 0x80) << "8-bit byte in " << line;
  }
  test::ParsedMessage p = ParseMessage(*msg);
  EXPECT_EQ(p.Header("Date"), "Tue, 01 Dec 2026 08:00:00 +0000");
  EXPECT_EQ(p.Header("To"), "agent@example.gouv.fr");
  EXPECT_EQ(DecodeHeader(p.Header("From")),
            "Élections professionnelles <elections@example.gouv.fr>");
  EXPECT_EQ(DecodeHeader(p.Header("Subject")), mail.subject);
  EXPECT_EQ(p.Header("Message-ID"), "<id-1@example.gouv.fr>");
  EXPECT_EQ(p.Header("MIME-Version"), "1.0");
  EXPECT_EQ(p.Header("Content-Type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(p.Header("Content-Transfer-Encoding"), "quoted-printable");
  EXPECT_EQ(DecodeQuotedPrintable(p.raw_body), mail.text);
}

TEST(BuildMessage, AsciiDisplayNameIsQuoted) {
  Mail mail = SampleMail();
  mail.from_name = "Elections \"2026\"";
  Result<std::string> msg = BuildMessage(mail, {0, "<a@b>"}, "\n");
  ASSERT_TRUE(msg.ok());
  EXPECT_EQ(ParseMessage(*msg).Header("From"),
            "\"Elections \\\"2026\\\"\" <elections@example.gouv.fr>");
}

TEST(ValidateMail, RefusesHeaderInjectionAndBadAddresses) {
  struct Case {
    const char* what;
    void (*change)(Mail&);
    const char* code;
    const char* field;
  };
  const Case cases[] = {
      {"subject with CRLF", [](Mail& m) { m.subject += "\r\nBcc: x@evil.example"; },
       "mail.invalid_header", "mail.subject"},
      {"empty subject", [](Mail& m) { m.subject.clear(); }, "mail.invalid_header", "mail.subject"},
      {"name with LF", [](Mail& m) { m.from_name = "a\nBcc: b@c.d"; }, "mail.invalid_header",
       "mail.from_name"},
      {"to with space", [](Mail& m) { m.to = "a b@c.d"; }, "mail.invalid_address", "mail.to"},
      {"to with LF", [](Mail& m) { m.to = "a@c.d\nBcc: x@y.z"; }, "mail.invalid_address",
       "mail.to"},
      {"to with name", [](Mail& m) { m.to = "A <a@c.d>"; }, "mail.invalid_address", "mail.to"},
      {"to without @", [](Mail& m) { m.to = "agent"; }, "mail.invalid_address", "mail.to"},
      {"to non-ASCII", [](Mail& m) { m.to = "amélie@c.d"; }, "mail.invalid_address", "mail.to"},
      {"from empty", [](Mail& m) { m.from.clear(); }, "mail.invalid_address", "mail.from"},
      {"body bad UTF-8", [](Mail& m) { m.text += "\xc3"; }, "mail.invalid_utf8", "mail.text"},
  };
  for (const Case& c : cases) {
    Mail mail = SampleMail();
    c.change(mail);
    Status s = ValidateMail(mail);
    ASSERT_FALSE(s.ok()) << c.what;
    EXPECT_EQ(s.error().code, c.code) << c.what;
    EXPECT_NE(s.error().message.find(c.field), std::string::npos)
        << c.what << ": " << s.error().message;
    EXPECT_EQ(s.error().message.find("Zx9"), std::string::npos) << "the body leaked into an error";
    EXPECT_FALSE(BuildMessage(mail, {0, "<a@b>"}).ok()) << c.what;
  }
  EXPECT_TRUE(ValidateMail(SampleMail()).ok());
}

}  // namespace
}  // namespace isoloir::delivery
