// The CSV of `isoloir seats`: separators, BOM, aliases, and errors that name
// the row as a spreadsheet numbers it, the line and the column.
#include "election/seats_csv.h"

#include <gtest/gtest.h>

namespace isoloir::election {
namespace {

std::string Errors(const SeatsCsvImport& r) {
  std::string s;
  for (const auto& e : r.errors) s += e.error.ToString() + "\n";
  return s;
}

TEST(SeatsCsv, ReadsSemicolonsWithBomAliasesAndGroupedDigits) {
  const std::string csv =
      "\xEF\xBB\xBFNom de la liste;Suffrages;Nombre de candidats\r\n"
      "Liste A;1 234;5\r\n"
      "\"B; la liste\";20;3\r\n"
      ";;\r\n"
      "C;0;0\r\n";
  auto r = ParseSeatsCsv(csv, VoteMode::kList);
  ASSERT_TRUE(r.ok()) << Errors(r);
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[0].name, "Liste A");
  EXPECT_EQ(r.rows[0].votes, 1234);
  EXPECT_EQ(r.rows[0].candidates, 5);
  EXPECT_EQ(r.rows[1].name, "B; la liste");
  EXPECT_EQ(r.rows[2].votes, 0);
}

TEST(SeatsCsv, ReadsCommas) {
  auto r = ParseSeatsCsv("liste,voix,candidats\nA,10,2\nB,7,2\n", VoteMode::kList);
  ASSERT_TRUE(r.ok()) << Errors(r);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[1].votes, 7);
}

TEST(SeatsCsv, EveryBadValueIsReportedWithRowLineAndColumn) {
  const std::string csv =
      "liste;voix;candidats\n"
      "A;-5;3\n"                      // row 2
      "B;douze;3\n"                   // row 3
      "\"C\nsur deux lignes\";4;3\n"  // row 4, lines 4-5
      "a;4;2,5\n"                     // row 5, line 6
      ";4;3\n"                        // row 6
      "E;10000000000000;3\n"          // row 7
      "F;3\n";                        // row 8
  auto r = ParseSeatsCsv(csv, VoteMode::kList);
  ASSERT_EQ(r.errors.size(), 8u) << Errors(r);
  EXPECT_TRUE(r.rows.empty());
  EXPECT_EQ(r.errors[0].error.code, "seats.voix.negative");
  EXPECT_EQ(r.errors[0].error.message,
            "row 2 (line 2), voix: \"-5\": a number of votes cannot be negative");
  EXPECT_EQ(r.errors[1].error.code, "seats.voix.invalid");
  EXPECT_EQ(r.errors[1].error.message,
            "row 3 (line 3), voix: \"douze\" is not a whole number of votes");
  EXPECT_EQ(r.errors[2].error.code, "seats.liste.invalid");
  EXPECT_EQ(r.errors[2].row, 4u);
  EXPECT_EQ(r.errors[2].line, 4u);
  EXPECT_EQ(r.errors[3].error.code, "seats.liste.duplicate");
  EXPECT_EQ(r.errors[3].error.message,
            "row 5 (line 6), liste: \"a\" is already on row 2 (line 2) (names are compared "
            "without case or accents)");
  EXPECT_EQ(r.errors[4].error.code, "seats.candidats.invalid");
  EXPECT_EQ(r.errors[4].column, "candidats");
  EXPECT_EQ(r.errors[5].error.code, "seats.liste.missing");
  EXPECT_EQ(r.errors[5].row, 6u);
  EXPECT_EQ(r.errors[6].error.code, "seats.voix.too_large");
  EXPECT_EQ(r.errors[7].error.code, "seats.columns");
  EXPECT_EQ(r.ToError().code, "seats.csv.invalid");
}

TEST(SeatsCsv, HeaderNamesTheColumnsItNeeds) {
  auto r = ParseSeatsCsv("liste;voix\nA;10\n", VoteMode::kList);
  ASSERT_EQ(r.errors.size(), 1u) << Errors(r);
  EXPECT_EQ(r.errors[0].error.code, "seats.header.missing_column");
  EXPECT_EQ(r.errors[0].row, 1u);
  EXPECT_EQ(ParseSeatsCsv("liste;voix;sièges\nA;10;1\n", VoteMode::kList).errors[0].error.code,
            "seats.header.unknown_column");
}

TEST(SeatsCsv, VoteOnSigleNeedsNoCandidates) {
  auto r = ParseSeatsCsv("sigle;voix\nUN;60\nDEUX;40\n", VoteMode::kSigle);
  ASSERT_TRUE(r.ok()) << Errors(r);
  EXPECT_EQ(r.rows.size(), 2u);
  // A candidats column is ignored on a vote on sigle.
  auto ignored = ParseSeatsCsv("liste;voix;candidats\nUN;60;\n", VoteMode::kSigle);
  ASSERT_TRUE(ignored.ok()) << Errors(ignored);
  EXPECT_EQ(ignored.rows[0].candidates, 0);
}

TEST(SeatsCsv, EmptyFiles) {
  auto empty = ParseSeatsCsv("", VoteMode::kList);
  ASSERT_EQ(empty.errors.size(), 1u);
  EXPECT_EQ(empty.errors[0].error.code, "csv.empty");
  auto header_only = ParseSeatsCsv("liste;voix;candidats\n", VoteMode::kList);
  ASSERT_EQ(header_only.errors.size(), 1u);
  EXPECT_EQ(header_only.errors[0].error.code, "seats.empty");
}

}  // namespace
}  // namespace isoloir::election
