#include "election/roll.h"

#include <gtest/gtest.h>

#include <sstream>

#include "election/roll_generator.h"
#include "election_fixture.h"

namespace isoloir::election {
namespace {

using testing::DemoElection;

const std::string kHeader =
    "matricule;nom;prenom;date_naissance;courriel;adresse;numero_carte_agent;iban;section;"
    "scrutins\n";
// Valid French IBAN (the usual documentation example) and its last 6.
const std::string kIban = "FR76 3000 6000 0112 3456 7890 189";

std::string Row(std::string matricule, std::string extra_scrutins = "", std::string iban = kIban,
                std::string card = "123456789012") {
  return matricule + ";Dupont;Marie;01/02/1980;marie.dupont@example.fr;\"12 rue X\n75011 Paris\";" +
         card + ";" + iban + ";S01;CSA-MIN" + extra_scrutins + "\n";
}

std::string Errors(const RollReport& r) {
  std::string s;
  for (const auto& e : r.errors) s += e.error.ToString() + "\n";
  return s;
}

const RowError* Find(const RollReport& r, const std::string& code) {
  for (const auto& e : r.errors) {
    if (e.error.code == code) return &e;
  }
  return nullptr;
}

// Asserts a rejected roll with exactly one problem of `code` at row/column.
void ExpectOneError(const std::string& csv, const std::string& code, uint64_t row,
                    const std::string& column) {
  auto r = ParseRoll(csv, DemoElection());
  EXPECT_FALSE(r.report.ok());
  EXPECT_TRUE(r.entries.empty());
  ASSERT_EQ(r.report.errors.size(), 1u) << Errors(r.report);
  const RowError& e = r.report.errors[0];
  EXPECT_EQ(e.error.code, code);
  EXPECT_EQ(e.row, row);
  EXPECT_EQ(e.column, column);
  const std::string where = "row " + std::to_string(row) + " (line ";
  EXPECT_EQ(e.error.message.rfind(where, 0), 0u) << e.error.message;
  if (!column.empty()) {
    EXPECT_NE(e.error.message.find(", " + column), std::string::npos) << e.error.message;
  }
}

TEST(Roll, ParsesAValidRoll) {
  const std::string csv =
      kHeader +
      "A001;Dupont;Marie;01/02/1980;marie.dupont@example.fr;\"12 rue X\n  75011 "
      "Paris  \";12 3456 789012;fr76 3000 6000 0112 3456 7890 189;S01;CAP-A|CSA-MIN\n"
      "A002; Lefèvre ;Hélène;1980-12-31;h.lefevre@example.fr;1 place Y, 69003 Lyon;"
      "AB12CD34;DE89 3704 0044 0532 0130 00;;CSA-PROX\n";
  auto r = ParseRoll(csv, DemoElection());
  ASSERT_TRUE(r.report.ok()) << Errors(r.report);
  EXPECT_EQ(r.report.rows, 2u);
  EXPECT_EQ(r.report.voters, 2u);
  EXPECT_EQ(r.report.separator, ';');
  ASSERT_EQ(r.entries.size(), 2u);
  const Voter& v = r.entries[0].voter;
  EXPECT_EQ(v.matricule, "A001");
  EXPECT_EQ(v.naissance, (Date{1980, 2, 1}));
  EXPECT_EQ(v.adresse, "12 rue X\n75011 Paris");
  EXPECT_EQ(v.section, "S01");
  EXPECT_EQ(v.scrutins, (std::vector<std::string>{"CSA-MIN", "CAP-A"}));  // election order
  EXPECT_EQ(r.entries[0].reassort.view(), "123456890189");
  EXPECT_EQ(r.entries[0].row, 2u);
  const Voter& w = r.entries[1].voter;
  EXPECT_EQ(w.nom, "Lefèvre");
  EXPECT_EQ(w.naissance, (Date{1980, 12, 31}));
  EXPECT_EQ(w.section, "");
  EXPECT_EQ(r.entries[1].reassort.view(), "AB12CD013000");
  EXPECT_EQ(r.report.Summary(), "2 voters in 2 rows");
}

TEST(Roll, CommaSeparatorBomAndCrlf) {
  const std::string csv =
      "\xEF\xBB\xBFmatricule,nom,prenom,date_naissance,courriel,adresse,numero_carte_agent,iban,"
      "section,scrutins\r\n"
      "A001,\"Dupont, dite Martin\",Marie,01/02/1980,m@example.fr,\"12 rue X\r\n75011 Paris\","
      "123456789012,FR7630006000011234567890189,S01,CSA-MIN\r\n";
  auto r = ParseRoll(csv, DemoElection());
  ASSERT_TRUE(r.report.ok()) << Errors(r.report);
  EXPECT_EQ(r.report.separator, ',');
  EXPECT_EQ(r.entries[0].voter.nom, "Dupont, dite Martin");
  EXPECT_EQ(r.entries[0].voter.adresse, "12 rue X\n75011 Paris");
}

TEST(Roll, HeaderAliasesInAnyOrder) {
  const std::string csv =
      "Scrutins;N° carte agent;IBAN;Service;NOM;Prénom;Date de naissance;E-mail;Adresse postale;"
      "Matricule\n"
      "CSA-MIN;123456789012;" +
      kIban + ";S02;Durand;Léa;03/04/1990;lea@example.fr;1 rue Z;B7\n";
  auto r = ParseRoll(csv, DemoElection());
  ASSERT_TRUE(r.report.ok()) << Errors(r.report);
  EXPECT_EQ(r.entries[0].voter.matricule, "B7");
  EXPECT_EQ(r.entries[0].voter.courriel, "lea@example.fr");
  EXPECT_EQ(r.entries[0].voter.section, "S02");
  for (const char* alias : {"mail", "email", "Courriel", "adresse mail", "Mél"}) {
    std::string h = kHeader;
    h.replace(h.find("courriel"), 8, alias);
    auto a = ParseRoll(h + Row("A1"), DemoElection());
    EXPECT_TRUE(a.report.ok()) << alias << "\n" << Errors(a.report);
  }
  for (const char* alias :
       {"carte agent", "N° de carte agent", "numéro carte agent", "NUMERO_CARTE_AGENT"}) {
    std::string h = kHeader;
    h.replace(h.find("numero_carte_agent"), 18, alias);
    auto a = ParseRoll(h + Row("A1"), DemoElection());
    EXPECT_TRUE(a.report.ok()) << alias << "\n" << Errors(a.report);
  }
  for (const char* alias : {"date de naissance", "Date_Naissance", "DATE NAISSANCE"}) {
    std::string h = kHeader;
    h.replace(h.find("date_naissance"), 14, alias);
    EXPECT_TRUE(ParseRoll(h + Row("A1"), DemoElection()).report.ok()) << alias;
  }
}

TEST(Roll, UnknownMissingAndDuplicateColumns) {
  std::string extra = kHeader;
  extra.replace(extra.size() - 1, 1, ";telephone\n");
  auto unknown = ParseRoll(extra + Row("A1").substr(0, Row("A1").size() - 1) + ";0102030405\n",
                           DemoElection());
  const RowError* u = Find(unknown.report, "roll.header.unknown_column");
  ASSERT_NE(u, nullptr) << Errors(unknown.report);
  EXPECT_EQ(u->row, 1u);
  EXPECT_NE(u->error.message.find("column 11 \"telephone\""), std::string::npos);
  RollOptions lenient;
  lenient.ignore_unknown_columns = true;
  EXPECT_TRUE(ParseRoll(extra + Row("A1").substr(0, Row("A1").size() - 1) + ";0102030405\n",
                        DemoElection(), lenient)
                  .report.ok());

  std::string missing = kHeader;
  missing.replace(missing.find(";iban"), 5, "");
  auto m = ParseRoll(missing, DemoElection());
  const RowError* me = Find(m.report, "roll.header.missing_column");
  ASSERT_NE(me, nullptr) << Errors(m.report);
  EXPECT_EQ(me->column, "iban");

  std::string dup = kHeader;
  dup.replace(dup.find("courriel"), 8, "e-mail;mail");
  auto d = ParseRoll(dup, DemoElection());
  const RowError* de = Find(d.report, "roll.header.duplicate_column");
  ASSERT_NE(de, nullptr) << Errors(d.report);
  EXPECT_EQ(de->column, "courriel");
}

TEST(Roll, BadDate) {
  std::string row = Row("A1");
  row.replace(row.find("01/02/1980"), 10, "1980/02/01");
  ExpectOneError(kHeader + row, "roll.date_naissance.invalid", 2, "date_naissance");
}

TEST(Roll, ImpossibleDate) {
  std::string row = Row("A1");
  row.replace(row.find("01/02/1980"), 10, "31/02/1980");
  ExpectOneError(kHeader + row, "roll.date_naissance.invalid", 2, "date_naissance");
  auto r = ParseRoll(kHeader + row, DemoElection());
  EXPECT_NE(r.report.errors[0].error.message.find("not a real date"), std::string::npos);
}

TEST(Roll, BirthDateAfterOpening) {
  std::string row = Row("A1");
  row.replace(row.find("01/02/1980"), 10, "02/12/2026");
  ExpectOneError(kHeader + row, "roll.date_naissance.invalid", 2, "date_naissance");
}

TEST(Roll, DuplicateMatriculeNamesBothRows) {
  const std::string csv = kHeader + Row("A1") + Row("A2") + Row("A1");
  ExpectOneError(csv, "roll.matricule.duplicate", 4, "matricule");  // rows span 2 lines each
  auto r = ParseRoll(csv, DemoElection());
  const std::string& msg = r.report.errors[0].error.message;
  EXPECT_EQ(msg.rfind("row 4 (line 6), matricule: \"A1\" is already on row 2 (line 2)", 0), 0u)
      << msg;
}

TEST(Roll, UnknownScrutin) {
  ExpectOneError(kHeader + Row("A1", "|CAP-Z"), "roll.scrutins.unknown", 2, "scrutins");
  auto r = ParseRoll(kHeader + Row("A1", "|CAP-Z"), DemoElection());
  EXPECT_NE(r.report.errors[0].error.message.find("\"CAP-Z\""), std::string::npos);
  EXPECT_NE(r.report.errors[0].error.message.find("CSA-MIN, CAP-A, CSA-PROX"), std::string::npos);
}

TEST(Roll, ScrutinListedTwiceOrNone) {
  ExpectOneError(kHeader + Row("A1", "|CSA-MIN"), "roll.scrutins.duplicate", 2, "scrutins");
  std::string none = Row("A1");
  none.replace(none.find("CSA-MIN"), 7, " | ");
  ExpectOneError(kHeader + none, "roll.scrutins.missing", 2, "scrutins");
}

TEST(Roll, IbanFailingMod97) {
  const std::string bad = "FR76 3000 6000 0112 3456 7890 188";
  ExpectOneError(kHeader + Row("A1", "", bad), "roll.iban.invalid", 2, "iban");
  auto r = ParseRoll(kHeader + Row("A1", "", bad), DemoElection());
  // The message never repeats the IBAN, even in part.
  EXPECT_EQ(r.report.errors[0].error.message.find("7890"), std::string::npos);
  EXPECT_EQ(r.report.errors[0].error.message.find("FR76"), std::string::npos);
}

TEST(Roll, IbanChecks) {
  EXPECT_TRUE(CheckIban("FR76 3000 6000 0112 3456 7890 189"));
  EXPECT_TRUE(CheckIban("fr7630006000011234567890189"));
  EXPECT_TRUE(CheckIban("DE89 3704 0044 0532 0130 00"));
  EXPECT_TRUE(CheckIban("GB82 WEST 1234 5698 7654 32"));
  EXPECT_TRUE(
      CheckIban("FR76\xC2\xA0"
                "3000 6000 0112 3456 7890 189"));  // no-break space
  EXPECT_FALSE(CheckIban("GB82 WEST 1234 5698 7654 33"));
  EXPECT_FALSE(CheckIban("FR76-3000-6000-0112-3456-7890-189"));
  EXPECT_FALSE(CheckIban("1276 3000 6000 0112 3456 7890 189"));
  EXPECT_FALSE(CheckIban("FR76 3000"));
  EXPECT_FALSE(CheckIban(std::string(40, '1')));
  EXPECT_EQ(CheckIban("").error().code, "roll.iban.missing");
  for (int i = 0; i < 50; ++i) {
    auto a = MakeSyntheticAgent(i, {"X"}, 7);
    EXPECT_TRUE(CheckIban(a.iban)) << a.iban;
  }
}

TEST(Roll, MissingEmail) {
  std::string row = Row("A1");
  row.replace(row.find("marie.dupont@example.fr"), 23, "");
  ExpectOneError(kHeader + row, "roll.courriel.missing", 2, "courriel");
}

TEST(Roll, ImplausibleEmail) {
  for (const char* bad :
       {"marie.dupont", "marie@", "@example.fr", "marie@@example.fr", "marie dupont@example.fr",
        "marie@example", "marie@example..fr", "marie.@example.fr"}) {
    std::string row = Row("A1");
    row.replace(row.find("marie.dupont@example.fr"), 23, bad);
    ExpectOneError(kHeader + row, "roll.courriel.invalid", 2, "courriel");
  }
  EXPECT_TRUE(IsPlausibleEmail("prenom.nom+vote@sous.domaine.gouv.fr"));
  EXPECT_TRUE(IsPlausibleEmail("élodie@exemple-é.fr"));
}

TEST(Roll, MissingAddress) {
  std::string row = Row("A1");
  row.replace(row.find("\"12 rue X\n75011 Paris\""), 22, "\" \n \"");
  ExpectOneError(kHeader + row, "roll.adresse.missing", 2, "adresse");
}

TEST(Roll, CardNumberTooShortOrMissing) {
  ExpectOneError(kHeader + Row("A1", "", kIban, "12 345"), "roll.numero_carte_agent.too_short", 2,
                 "numero_carte_agent");
  ExpectOneError(kHeader + Row("A1", "", kIban, ""), "roll.numero_carte_agent.missing", 2,
                 "numero_carte_agent");
  ExpectOneError(kHeader + Row("A1", "", kIban, "12-3456789"), "roll.numero_carte_agent.charset", 2,
                 "numero_carte_agent");
}

TEST(Roll, EmptyMatricule) {
  ExpectOneError(kHeader + Row(" "), "roll.matricule.missing", 2, "matricule");
  ExpectOneError(kHeader + Row("A 1"), "roll.matricule.invalid", 2, "matricule");
}

TEST(Roll, MissingNames) {
  std::string row = Row("A1");
  row.replace(row.find("Dupont"), 6, "");
  ExpectOneError(kHeader + row, "roll.nom.missing", 2, "nom");
}

TEST(Roll, FormulaInAName) {
  std::string row = Row("A1");
  row.replace(row.find("Dupont"), 6, "=HYPERLINK(\"\"http://x\"\")");
  auto r = ParseRoll(kHeader + row, DemoElection());
  ASSERT_NE(Find(r.report, "roll.field.formula"), nullptr) << Errors(r.report);
}

TEST(Roll, TooManyAndTooFewColumns) {
  std::string many = Row("A1");
  many.insert(many.size() - 1, ";x");
  ExpectOneError(kHeader + many, "roll.columns", 2, "");
  auto r = ParseRoll(kHeader + many, DemoElection());
  EXPECT_NE(r.report.errors[0].error.message.find("11 fields where the header has 10"),
            std::string::npos);
  ExpectOneError(kHeader + "A1;Dupont;Marie\n", "roll.columns", 2, "");
}

TEST(Roll, InvalidUtf8NamesTheRowAndColumn) {
  std::string row = Row("A1");
  row.replace(row.find("Marie"), 5, "H\xE9l\xE8ne");  // Latin-1
  ExpectOneError(kHeader + row, "roll.utf8", 2, "prenom");
  auto r = ParseRoll(kHeader + row, DemoElection());
  EXPECT_NE(r.report.errors[0].error.message.find("Windows-1252"), std::string::npos);
}

TEST(Roll, ReportsTheLineWhereAMultiLineRecordStarts) {
  // Row 2 spans lines 2-3; row 3 starts on line 4.
  std::string bad = Row("A2");
  bad.replace(bad.find("01/02/1980"), 10, "00/01/1980");
  auto r = ParseRoll(kHeader + Row("A1") + bad, DemoElection());
  ASSERT_EQ(r.report.errors.size(), 1u) << Errors(r.report);
  EXPECT_EQ(r.report.errors[0].row, 3u);
  EXPECT_EQ(r.report.errors[0].line, 4u);
  EXPECT_EQ(r.report.errors[0].error.message.rfind("row 3 (line 4), date_naissance: ", 0), 0u);
}

TEST(Roll, BlankRowsAreSkippedButCounted) {
  std::string bad = Row("A2");
  bad.replace(bad.find("@"), 1, "");
  auto r = ParseRoll(kHeader + Row("A1") + "\n;;;;;;;;;\n" + bad, DemoElection());
  ASSERT_EQ(r.report.errors.size(), 1u);
  EXPECT_EQ(r.report.errors[0].row, 5u);  // header, A1, blank, ";;;", A2
  EXPECT_EQ(r.report.rows, 2u);
}

TEST(Roll, UnterminatedQuoteRejectsTheFile) {
  auto r = ParseRoll(kHeader + Row("A1") + "A2;\"Dupont;Marie\n", DemoElection());
  const RowError* e = Find(r.report, "csv.unterminated_quote");
  ASSERT_NE(e, nullptr) << Errors(r.report);
  EXPECT_EQ(e->row, 3u);
  EXPECT_TRUE(r.entries.empty());
}

TEST(Roll, EmptyFileAndHeaderOnly) {
  EXPECT_EQ(ParseRoll("", DemoElection()).report.errors.at(0).error.code, "csv.empty");
  EXPECT_EQ(ParseRoll(kHeader, DemoElection()).report.errors.at(0).error.code, "roll.empty");
}

TEST(Roll, CollectsAllErrorsUpToTheCap) {
  std::string csv = kHeader;
  for (int i = 0; i < 1500; ++i) csv += "M" + std::to_string(i) + ";;;;;;;;;CSA-MIN\n";
  auto r = ParseRoll(csv, DemoElection());
  // Each row has 7 problems: nom, prenom, date, courriel, adresse, card, iban.
  EXPECT_EQ(r.report.errors.size(), 1000u);
  EXPECT_EQ(r.report.error_count(), 1500u * 7);
  EXPECT_EQ(r.report.errors_not_listed, 1500u * 7 - 1000);
  EXPECT_NE(r.report.Summary().find("10 500 problems"), std::string::npos);
  EXPECT_NE(r.report.Summary().find("... and 9 500 more"), std::string::npos);
  RollOptions few;
  few.max_errors = 3;
  EXPECT_EQ(ParseRoll(csv, DemoElection(), few).report.errors.size(), 3u);
  RollOptions none;
  none.max_errors = 0;  // nothing listed, still rejected
  auto silent = ParseRoll(csv, DemoElection(), none);
  EXPECT_TRUE(silent.report.errors.empty());
  EXPECT_FALSE(silent.report.ok());
  EXPECT_TRUE(silent.entries.empty());
}

TEST(Roll, AllOrNothingTheSinkStopsAtTheFirstProblem) {
  std::string csv = kHeader;
  for (int i = 0; i < 100; ++i) csv += Row("M" + std::to_string(i));
  std::string bad = Row("BAD");
  bad.replace(bad.find("01/02/1980"), 10, "x");
  csv += bad;
  for (int i = 100; i < 200; ++i) csv += Row("M" + std::to_string(i));
  size_t delivered = 0;
  RollOptions opt;
  opt.batch_size = 10;
  RollParser parser(
      DemoElection(), [&](std::vector<RollEntry>& b) { delivered += b.size(); }, opt);
  parser.Feed(csv);
  RollReport report = parser.Finish();
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(report.voters, 200u);  // valid rows, for information
  EXPECT_EQ(delivered, 100u);      // none after the bad row
  EXPECT_EQ(ParseRoll(csv, DemoElection()).entries.size(), 0u);
}

TEST(Roll, StreamingInAnyChunkingGivesTheSameEntries) {
  std::ostringstream gen;
  GenerateSyntheticRoll(300, {"CSA-MIN", "CAP-A", "CSA-PROX"}, 42, gen);
  const std::string csv = gen.str();
  auto whole = ParseRoll(csv, DemoElection());
  ASSERT_TRUE(whole.report.ok()) << Errors(whole.report);
  ASSERT_EQ(whole.entries.size(), 300u);
  std::vector<RollEntry> got;
  size_t batches = 0;
  RollOptions opt;
  opt.batch_size = 64;
  RollParser parser(
      DemoElection(),
      [&](std::vector<RollEntry>& b) {
        ++batches;
        for (auto& e : b) got.push_back(std::move(e));
      },
      opt);
  for (size_t i = 0; i < csv.size(); i += 97) parser.Feed(std::string_view(csv).substr(i, 97));
  ASSERT_TRUE(parser.Finish().ok());
  EXPECT_EQ(batches, 5u);
  ASSERT_EQ(got.size(), 300u);
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].voter, whole.entries[i].voter);
    EXPECT_EQ(got[i].reassort.view(), whole.entries[i].reassort.view());
  }
}

TEST(Roll, SyntheticRollMatchesItsAgents) {
  const std::vector<std::string> codes = {"CSA-MIN", "CAP-A", "CSA-PROX"};
  std::stringstream gen;
  GenerateSyntheticRoll(2000, codes, 9, gen);
  auto r = ParseRoll(gen, DemoElection());
  ASSERT_TRUE(r.report.ok()) << Errors(r.report);
  ASSERT_EQ(r.entries.size(), 2000u);
  for (uint64_t i : {0u, 1u, 777u, 1999u}) {
    const SyntheticAgent a = MakeSyntheticAgent(i, codes, 9);
    const RollEntry& e = r.entries[i];
    EXPECT_EQ(e.voter.matricule, a.matricule);
    EXPECT_EQ(e.voter.nom, a.nom);
    EXPECT_EQ(e.voter.adresse, a.adresse);
    auto secret = ReassortSecret(a.numero_carte_agent, a.iban);
    ASSERT_TRUE(secret);
    EXPECT_EQ(e.reassort.view(), secret->view());
  }
}

TEST(Reassort, FirstSixOfCardThenLastSixOfIban) {
  auto s = ReassortSecret(" ab12 cd34 ", "FR76 3000 6000 0112 3456 7890 189");
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->view(), "AB12CD890189");
  EXPECT_EQ(s->size(), 12u);
  EXPECT_EQ(ReassortSecret("12345", kIban).error().code, "roll.numero_carte_agent.too_short");
  EXPECT_EQ(ReassortSecret("123456", "FR76 3000").error().code, "roll.iban.invalid");
}

TEST(Reassort, NormalisesWhatAVoterTypes) {
  auto typed = NormaliseReassort(" ab12cd 8901 89\xC2\xA0");
  ASSERT_TRUE(typed);
  auto stored = ReassortSecret("AB12CD34", kIban);
  ASSERT_TRUE(stored);
  EXPECT_EQ(typed->view(), stored->view());
  EXPECT_EQ(NormaliseReassort("AB12CD89018").error().code, "reassort.length");
  EXPECT_EQ(NormaliseReassort("AB12CD8901890").error().code, "reassort.length");
}

TEST(Reassort, SecretStringIsWipedWhenMovedOrWiped) {
  SecretString a("AB12CD890189");
  SecretString b(std::move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): moved-from state is specified
  EXPECT_EQ(b.view(), "AB12CD890189");
  SecretString c;
  c = std::move(b);
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(c.view(), "AB12CD890189");
  SecretString d = c.Clone();
  c.Wipe();
  EXPECT_TRUE(c.empty());
  EXPECT_EQ(d.view(), "AB12CD890189");
  EXPECT_FALSE(c.Assign(std::string(SecretString::kCapacity + 1, 'x')));
  EXPECT_TRUE(c.empty());
}

TEST(Roll, BirthDates) {
  EXPECT_EQ(*ParseBirthDate("1/2/1980"), (Date{1980, 2, 1}));
  EXPECT_EQ(*ParseBirthDate("29/02/2000"), (Date{2000, 2, 29}));
  EXPECT_EQ(*ParseBirthDate("2000-02-29"), (Date{2000, 2, 29}));
  for (const char* bad : {"29/02/1999", "00/01/1980", "01/13/1980", "01/01/80", "1980-2-1",
                          "01-02-1980", "01/02/1899", "aa/bb/cccc", "01/02/1980 00:00"}) {
    EXPECT_FALSE(ParseBirthDate(bad)) << bad;
  }
}

}  // namespace
}  // namespace isoloir::election
