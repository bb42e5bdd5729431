#include "election/listes_csv.h"

#include <gtest/gtest.h>

#include "election_fixture.h"

namespace isoloir::election {
namespace {

using testing::DemoElection;

// The demo election without candidates on CSA-MIN's lists, so that the CSV
// brings them.
Election Base() { return DemoElection(); }

std::string Errors(const ListesCsvImport& r) {
  std::string s;
  for (const auto& e : r.errors) s += e.error.ToString() + "\n";
  return s;
}

const RowError* Find(const ListesCsvImport& r, const std::string& code) {
  for (const auto& e : r.errors) {
    if (e.error.code == code) return &e;
  }
  return nullptr;
}

const char* kHeader = "scrutin;liste_id;sigle;ordre;nom;prenom;sexe\n";

TEST(ListesCsv, ParsesListsInOrderOfAppearanceAndCandidatesByOrdre) {
  const std::string csv = std::string(kHeader) +
                          "CSA-MIN;L9;NOUVEAU;2;Durand;Léa;F\n"
                          "CSA-MIN;L9;NOUVEAU;1;Morel;Alain;h\n"
                          "CSA-MIN;L1;SNAD;1;Lefèvre;Hélène;F\n"
                          "CSA-PROX;S5;AUTRE;;;;\n"
                          "CSA-MIN;L9;NOUVEAU;3;\"Le Gall\";\"Anne-Marie\";F\n";
  auto r = ParseListesCsv(csv, Base());
  ASSERT_TRUE(r.ok()) << Errors(r);
  ASSERT_EQ(r.scrutins.size(), 2u);
  EXPECT_EQ(r.scrutins[0].scrutin, "CSA-MIN");
  ASSERT_EQ(r.scrutins[0].listes.size(), 2u);
  const Liste& l9 = r.scrutins[0].listes[0];
  EXPECT_EQ(l9.id, "L9");
  EXPECT_EQ(l9.sigle, "NOUVEAU");
  ASSERT_EQ(l9.candidats.size(), 3u);
  EXPECT_EQ(l9.candidats[0].nom, "Morel");
  EXPECT_EQ(l9.candidats[0].sexe, Sex::kMale);
  EXPECT_EQ(l9.candidats[1].nom, "Durand");
  EXPECT_EQ(l9.candidats[2].prenom, "Anne-Marie");
  EXPECT_EQ(r.scrutins[1].scrutin, "CSA-PROX");
  EXPECT_TRUE(r.scrutins[1].listes[0].candidats.empty());
}

TEST(ListesCsv, CommaSeparatorAndAliases) {
  const std::string csv =
      "Scrutin,Liste,Sigle,Rang,Nom,Prénom,Genre\r\n"
      "CAP-A,L1,SNAD,1,Laurent,Sophie,F\r\n";
  auto r = ParseListesCsv(csv, Base());
  ASSERT_TRUE(r.ok()) << Errors(r);
  EXPECT_EQ(r.scrutins[0].listes[0].candidats[0].prenom, "Sophie");
}

TEST(ListesCsv, MergeReplacesCandidatesAndAppendsLists) {
  const std::string csv = std::string(kHeader) +
                          "CSA-MIN;L1;SNAD;1;Garnier;Lucie;F\n"
                          "CSA-MIN;L1;SNAD;2;Fabre;Marc;H\n"
                          "CSA-MIN;L4;NOUVEAU;1;Colin;Rose;F\n";
  const Election base = Base();
  auto r = ParseListesCsv(csv, base);
  ASSERT_TRUE(r.ok()) << Errors(r);
  auto merged = MergeListes(base, r.scrutins);
  ASSERT_TRUE(merged) << merged.error().ToString();
  const Scrutin& s = merged->scrutins[0];
  ASSERT_EQ(s.listes.size(), 4u);
  EXPECT_EQ(s.listes[0].candidats.size(), 2u);
  EXPECT_EQ(s.listes[0].candidats[1].nom, "Fabre");
  EXPECT_EQ(s.listes[0].title, base.scrutins[0].listes[0].title);  // kept
  EXPECT_EQ(s.listes[0].profession_de_foi, "professions/csa-min-snad.pdf");
  EXPECT_EQ(s.listes[1].candidats.size(), 3u);  // L2 untouched
  EXPECT_EQ(s.listes[3].id, "L4");
  EXPECT_NE(ElectionFingerprint(*merged), ElectionFingerprint(base));
}

TEST(ListesCsv, MergeIsValidated) {
  // Paul Martin is on L1 of CSA-MIN in the file; adding him to L2 is refused.
  const std::string csv = std::string(kHeader) + "CSA-MIN;L2;CFAD;1;Martin;Paul;H\n";
  auto r = ParseListesCsv(csv, Base());
  ASSERT_TRUE(r.ok()) << Errors(r);
  auto merged = MergeListes(Base(), r.scrutins);
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.error().code, "election.candidat.two_lists");
}

TEST(ListesCsv, UnknownScrutin) {
  auto r = ParseListesCsv(std::string(kHeader) + "CSA-MIN;L1;SNAD;1;A;B;F\nCAP-Z;L1;SNAD;1;A;B;F\n",
                          Base());
  const RowError* e = Find(r, "listes.scrutin.unknown");
  ASSERT_NE(e, nullptr) << Errors(r);
  EXPECT_EQ(e->row, 3u);
  EXPECT_EQ(e->column, "scrutin");
  EXPECT_EQ(e->error.message.rfind("row 3 (line 3), scrutin: unknown scrutin \"CAP-Z\"", 0), 0u);
  EXPECT_TRUE(r.scrutins.empty());  // all-or-nothing
}

TEST(ListesCsv, TooManyCandidates) {
  std::string csv = kHeader;  // CAP-A: 2 + 2 seats
  for (int i = 1; i <= 5; ++i) {
    csv += "CAP-A;L1;SNAD;" + std::to_string(i) + ";Nom" + std::to_string(i) + ";X;F\n";
  }
  auto r = ParseListesCsv(csv, Base());
  const RowError* e = Find(r, "listes.too_many_candidates");
  ASSERT_NE(e, nullptr) << Errors(r);
  EXPECT_EQ(e->row, 6u);  // the fifth candidate
  EXPECT_NE(e->error.message.find("has 5 candidates"), std::string::npos);
  EXPECT_NE(e->error.message.find("(4)"), std::string::npos);
}

TEST(ListesCsv, DuplicateCandidateNamesBothRows) {
  auto r = ParseListesCsv(std::string(kHeader) +
                              "CAP-A;L1;SNAD;1;Girard;Hugo;H\n"
                              "CAP-A;L1;SNAD;2;GIRARD;hugo;H\n",
                          Base());
  const RowError* e = Find(r, "listes.candidat.duplicate");
  ASSERT_NE(e, nullptr) << Errors(r);
  EXPECT_EQ(e->row, 3u);
  EXPECT_NE(e->error.message.find("row 2 (line 2)"), std::string::npos);
}

TEST(ListesCsv, CandidateOnTwoListsOfAScrutin) {
  auto r = ParseListesCsv(std::string(kHeader) +
                              "CAP-A;L1;SNAD;1;Girard;Hugo;H\n"
                              "CAP-A;L2;FDPA;1;Girard;Hugo;H\n",
                          Base());
  const RowError* e = Find(r, "listes.candidat.two_lists");
  ASSERT_NE(e, nullptr) << Errors(r);
  EXPECT_EQ(e->row, 3u);
}

TEST(ListesCsv, BadSexe) {
  auto r = ParseListesCsv(std::string(kHeader) + "CAP-A;L1;SNAD;1;Girard;Hugo;M\n", Base());
  const RowError* e = Find(r, "listes.sexe.invalid");
  ASSERT_NE(e, nullptr) << Errors(r);
  EXPECT_EQ(e->column, "sexe");
  EXPECT_EQ(e->error.message,
            "row 2 (line 2), sexe: \"M\": expected \"F\" (femme) or \"H\" (homme)");
}

TEST(ListesCsv, OrdreMustBeContiguousFromOne) {
  auto gap = ParseListesCsv(std::string(kHeader) +
                                "CAP-A;L1;SNAD;1;A;A;F\n"
                                "CAP-A;L1;SNAD;3;B;B;F\n",
                            Base());
  const RowError* e = Find(gap, "listes.ordre.gap");
  ASSERT_NE(e, nullptr) << Errors(gap);
  EXPECT_EQ(e->row, 3u);
  EXPECT_EQ(e->column, "ordre");
  EXPECT_NE(e->error.message.find("2 is missing"), std::string::npos);

  auto start = ParseListesCsv(std::string(kHeader) + "CAP-A;L1;SNAD;2;A;A;F\n", Base());
  ASSERT_NE(Find(start, "listes.ordre.gap"), nullptr) << Errors(start);

  auto dup = ParseListesCsv(std::string(kHeader) +
                                "CAP-A;L1;SNAD;1;A;A;F\n"
                                "CAP-A;L1;SNAD;1;B;B;F\n",
                            Base());
  const RowError* d = Find(dup, "listes.ordre.duplicate");
  ASSERT_NE(d, nullptr) << Errors(dup);
  EXPECT_EQ(d->row, 3u);

  auto word = ParseListesCsv(std::string(kHeader) + "CAP-A;L1;SNAD;premier;A;A;F\n", Base());
  ASSERT_NE(Find(word, "listes.ordre.invalid"), nullptr) << Errors(word);
}

TEST(ListesCsv, SigleVoteRowsHaveNoCandidate) {
  auto r = ParseListesCsv(std::string(kHeader) + "CSA-PROX;S1;SNAD;1;A;A;F\n", Base());
  const RowError* e = Find(r, "listes.candidates_on_sigle_vote");
  ASSERT_NE(e, nullptr) << Errors(r);
  EXPECT_EQ(e->row, 2u);
}

TEST(ListesCsv, OneSiglePerListAndOneListPerSigle) {
  auto r = ParseListesCsv(std::string(kHeader) +
                              "CAP-A;L1;SNAD;1;A;A;F\n"
                              "CAP-A;L1;CFAD;2;B;B;F\n"
                              "CAP-A;L7;snad;1;C;C;F\n",
                          Base());
  const RowError* mismatch = Find(r, "listes.sigle.mismatch");
  ASSERT_NE(mismatch, nullptr) << Errors(r);
  EXPECT_EQ(mismatch->row, 3u);
  const RowError* dup = Find(r, "listes.sigle.duplicate");
  ASSERT_NE(dup, nullptr);
  EXPECT_EQ(dup->row, 4u);
}

TEST(ListesCsv, HeaderProblems) {
  auto r = ParseListesCsv("scrutin;liste_id;sigle;ordre;nom;prenom\nCAP-A;L1;SNAD;1;A;A\n", Base());
  const RowError* e = Find(r, "listes.header.missing_column");
  ASSERT_NE(e, nullptr) << Errors(r);
  EXPECT_EQ(e->row, 1u);
  EXPECT_EQ(e->column, "sexe");
}

TEST(ListesCsv, WrongNumberOfFields) {
  auto r = ParseListesCsv(std::string(kHeader) + "CAP-A;L1;SNAD;1;A;A;F;extra\n", Base());
  const RowError* e = Find(r, "listes.columns");
  ASSERT_NE(e, nullptr) << Errors(r);
  EXPECT_NE(e->error.message.find("8 fields where the header has 7"), std::string::npos);
}

}  // namespace
}  // namespace isoloir::election
