#include "election/roll_diff.h"

#include <gtest/gtest.h>

#include "election/csv.h"
#include "election/roll.h"
#include "election_fixture.h"

namespace isoloir::election {
namespace {

Voter V(std::string matricule, std::string nom, std::string prenom,
        std::vector<std::string> scrutins = {"CSA-MIN"}, std::string section = "S01") {
  Voter v;
  v.matricule = std::move(matricule);
  v.nom = std::move(nom);
  v.prenom = std::move(prenom);
  v.naissance = Date{1980, 2, 1};
  v.courriel = v.prenom + "@example.fr";
  v.adresse = "1 rue X\n75011 Paris";
  v.section = std::move(section);
  v.scrutins = std::move(scrutins);
  return v;
}

TEST(RollDiff, IdenticalRollsHaveNoDifference) {
  std::vector<Voter> a = {V("A1", "Dupont", "Marie"), V("A2", "Martin", "Paul")};
  auto d = DiffRolls(a, a);
  EXPECT_TRUE(d.empty());
  EXPECT_EQ(d.unchanged, 2u);
  EXPECT_NE(d.Summary().find("0 added, 0 removed, 0 changed, 2 unchanged"), std::string::npos);
}

TEST(RollDiff, AddedRemovedChanged) {
  std::vector<Voter> before = {V("A3", "Petit", "Léa"), V("A1", "Dupont", "Marie"),
                               V("A2", "Martin", "Paul")};
  std::vector<Voter> after = {V("A1", "Dupont", "Marie"), V("A2", "Martin", "Paul"),
                              V("A4", "Roux", "Loïc", {"CSA-MIN", "CAP-A"})};
  after[1].courriel = "paul.martin@example.fr";
  after[1].adresse = "2 rue Y\n69003 Lyon";
  auto d = DiffRolls(before, after);
  ASSERT_EQ(d.added.size(), 1u);
  EXPECT_EQ(d.added[0].matricule, "A4");
  ASSERT_EQ(d.removed.size(), 1u);
  EXPECT_EQ(d.removed[0].matricule, "A3");
  ASSERT_EQ(d.changed.size(), 1u);
  EXPECT_EQ(d.changed[0].after.matricule, "A2");
  EXPECT_EQ(d.changed[0].fields, (std::vector<std::string>{"courriel", "adresse"}));
  EXPECT_EQ(d.changed[0].before.courriel, "Paul@example.fr");
  EXPECT_EQ(d.unchanged, 1u);
  const std::string s = d.Summary();
  EXPECT_NE(s.find("3 voters before, 3 after: 1 added, 1 removed, 1 changed (courriel 1, adresse "
                   "1), 1 unchanged"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("scrutin CAP-A: 0 -> 1 voters"), std::string::npos) << s;
  EXPECT_EQ(s.find("scrutin CSA-MIN"), std::string::npos) << s;  // 3 -> 3: not shown
  EXPECT_NE(s.find("\n+ A4 ROUX Loïc (S01)"), std::string::npos) << s;
  EXPECT_NE(s.find("\n- A3 PETIT Léa (S01)"), std::string::npos) << s;
  EXPECT_NE(s.find("\n~ A2 MARTIN Paul (S01): courriel, adresse"), std::string::npos) << s;
}

TEST(RollDiff, EveryFieldIsCompared) {
  Voter a = V("A1", "Dupont", "Marie", {"CSA-MIN", "CAP-A"});
  Voter b = a;
  b.nom = "Dupont-Martin";
  b.prenom = "Marie-Anne";
  b.naissance = Date{1980, 2, 2};
  b.section = "S02";
  b.scrutins = {"CSA-MIN"};
  auto d = DiffRolls({a}, {b});
  ASSERT_EQ(d.changed.size(), 1u);
  EXPECT_EQ(d.changed[0].fields,
            (std::vector<std::string>{"nom", "prenom", "date_naissance", "section", "scrutins"}));
}

TEST(RollDiff, ScrutinOrderDoesNotCount) {
  Voter a = V("A1", "Dupont", "Marie", {"CSA-MIN", "CAP-A"});
  Voter b = V("A1", "Dupont", "Marie", {"CAP-A", "CSA-MIN"});
  EXPECT_TRUE(DiffRolls({a}, {b}).empty());
}

TEST(RollDiff, SummaryListsAtMostMaxLines) {
  std::vector<Voter> after;
  for (int i = 0; i < 120; ++i) after.push_back(V("M" + std::to_string(1000 + i), "Nom", "P"));
  auto d = DiffRolls({}, after);
  EXPECT_EQ(d.added.size(), 120u);
  const std::string s = d.Summary(10);
  EXPECT_NE(s.find("+ M1009"), std::string::npos);
  EXPECT_EQ(s.find("+ M1010"), std::string::npos);
  EXPECT_NE(s.find("... and 110 more"), std::string::npos);
}

TEST(RollExport, OneScrutinSortedWithoutPersonalDetails) {
  std::vector<Voter> roll = {
      V("A1", "Fabre", "Zoé", {"CSA-MIN", "CAP-A"}),
      V("A2", "Écoffier", "Jean", {"CSA-MIN"}),
      V("A3", "Dubois", "Marc", {"CAP-A"}),
      V("A4", "dupont", "Éric", {"CSA-MIN"}),
      V("A5", "Dupont", "Anne; dite \"Nanou\"", {"CSA-MIN"}, "S;02"),
  };
  const std::string csv = ExportRollCsv(roll, "CSA-MIN");
  EXPECT_EQ(csv,
            "\xEF\xBB\xBFnom;prenom;section;scrutins\r\n"
            "Dupont;\"Anne; dite \"\"Nanou\"\"\";\"S;02\";CSA-MIN\r\n"
            "dupont;Éric;S01;CSA-MIN\r\n"
            "Écoffier;Jean;S01;CSA-MIN\r\n"
            "Fabre;Zoé;S01;CSA-MIN|CAP-A\r\n");
  EXPECT_EQ(csv.find("A1"), std::string::npos);           // no matricule
  EXPECT_EQ(csv.find("@example.fr"), std::string::npos);  // no e-mail
  EXPECT_EQ(csv.find("rue"), std::string::npos);          // no address
  // Every voter when no scrutin is given.
  const std::string all = ExportRollCsv(roll, "");
  EXPECT_NE(all.find("Dubois;Marc;S01;CAP-A"), std::string::npos);
}

TEST(RollExport, FormulasAreNeutralised) {
  std::vector<Voter> roll = {V("A1", "=1+1", "Marie")};
  const std::string csv = ExportRollCsv(roll, "CSA-MIN");
  EXPECT_NE(csv.find("\"'=1+1\";Marie"), std::string::npos) << csv;
}

TEST(RollExport, ReadsBackWithTheCsvReader) {
  std::vector<Voter> roll = {V("A1", "Le Gall", "Anne\nMarie"), V("A2", "O\"Brien", "Sean")};
  const std::string csv = ExportRollCsv(roll, "CSA-MIN");
  struct Sink : CsvSink {
    std::vector<std::vector<std::string>> rows;
    void OnRecord(CsvRecord& r) override { rows.emplace_back(r.fields.begin(), r.fields.end()); }
  } sink;
  CsvReader reader;
  ASSERT_TRUE(reader.Feed(csv, sink));
  ASSERT_TRUE(reader.Finish(sink));
  ASSERT_EQ(sink.rows.size(), 3u);
  EXPECT_EQ(sink.rows[0], (std::vector<std::string>{"nom", "prenom", "section", "scrutins"}));
  EXPECT_EQ(sink.rows[1], (std::vector<std::string>{"Le Gall", "Anne\nMarie", "S01", "CSA-MIN"}));
  EXPECT_EQ(sink.rows[2], (std::vector<std::string>{"O\"Brien", "Sean", "S01", "CSA-MIN"}));
}

TEST(RollDiff, WorksOnParsedRolls) {
  const std::string header =
      "matricule;nom;prenom;date_naissance;courriel;adresse;numero_carte_agent;iban;section;"
      "scrutins\n";
  const std::string tail = ";1 rue X;123456789012;FR7630006000011234567890189;S01;CSA-MIN\n";
  auto old_roll = ParseRoll(header + "A1;Dupont;Marie;01/02/1980;m@example.fr" + tail +
                                "A2;Martin;Paul;01/02/1981;p@example.fr" + tail,
                            testing::DemoElection());
  auto new_roll = ParseRoll(header + "A1;Dupont;Marie;01/02/1980;marie@example.fr" + tail +
                                "A3;Roux;Loïc;01/02/1982;l@example.fr" + tail,
                            testing::DemoElection());
  ASSERT_TRUE(old_roll.report.ok());
  ASSERT_TRUE(new_roll.report.ok());
  auto d = DiffRolls(VotersOf(old_roll.entries), VotersOf(new_roll.entries));
  EXPECT_EQ(d.added.size(), 1u);
  EXPECT_EQ(d.removed.size(), 1u);
  ASSERT_EQ(d.changed.size(), 1u);
  EXPECT_EQ(d.changed[0].fields, (std::vector<std::string>{"courriel"}));
}

}  // namespace
}  // namespace isoloir::election
