// The French text and the JSON of a seat allocation: what a PV and
// `isoloir seats` print.
#include "election/seats_report.h"

#include <gtest/gtest.h>

namespace isoloir::election {
namespace {

SeatAllocation Allocate(SeatRequest r) {
  auto a = AllocateSeats(r);
  if (!a) ADD_FAILURE() << a.error().ToString();
  return a ? *a : SeatAllocation{};
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(SeatsReport, FormatFractionTruncatesToTwoDecimals) {
  EXPECT_EQ(FormatFraction({1000, 3}, ',', true), "333,33");
  EXPECT_EQ(FormatFraction({2000, 3}, ',', true), "666,66");
  EXPECT_EQ(FormatFraction({2000000, 3}, ',', true), "666 666,66");
  EXPECT_EQ(FormatFraction({2000000, 3}, '.', false), "666666.66");
  EXPECT_EQ(FormatFraction({5, 1}, ',', true), "5,00");
  EXPECT_EQ(FormatFraction({41, 4}, ',', true), "10,25");
  EXPECT_EQ(FormatFraction({1, 20}, ',', true), "0,05");
}

TEST(SeatsReport, TextShowsTheTableAndEveryRound) {
  auto a =
      Allocate({{{"A", 20, 7}, {"B", 41, 7}, {"C", 11, 7}, {"D", 34, 7}}, 7, VoteMode::kList, ""});
  const std::string t = SeatAllocationText(a);
  EXPECT_TRUE(Has(t, "Scrutin de liste, 7 sièges à pourvoir, 106 suffrages exprimés\n")) << t;
  EXPECT_TRUE(Has(t, "Quotient électoral : 106 / 7 = 15,14\n")) << t;
  EXPECT_TRUE(Has(t,
                  "Liste  Voix  Candidats  Sièges au quotient  Sièges à la plus forte "
                  "moyenne  Total\n"))
      << t;
  EXPECT_TRUE(Has(t,
                  "B        41          7                   2                               "
                  "1      3\n"))
      << t;
  EXPECT_TRUE(Has(t,
                  "Total   106                              5                               "
                  "2      7\n"))
      << t;
  EXPECT_TRUE(Has(t, "Siège 6 : B\n  A  20 / 2 = 10,00\n  B  41 / 3 = 13,66\n")) << t;
  EXPECT_TRUE(Has(t, "Siège 7 : D\n")) << t;
}

TEST(SeatsReport, TextExplainsCapsTiesDrawsAndUnfilledSeats) {
  auto capped = Allocate({{{"A", 600, 2}, {"B", 400, 2}}, 5, VoteMode::kList, ""});
  const std::string c = SeatAllocationText(capped);
  EXPECT_TRUE(Has(c, "(A : 3 sièges au quotient, limités à ses 2 candidats)")) << c;
  EXPECT_TRUE(Has(c, "Sièges non pourvus : 1 (aucune liste ayant obtenu des voix")) << c;

  auto lots =
      Allocate({{{"A", 100, 2}, {"B", 100, 2}}, 1, VoteMode::kList, "graine-publique-2026"});
  const std::string l = SeatAllocationText(lots);
  EXPECT_TRUE(Has(l,
                  "tirage au sort entre A et B (mêmes voix, mêmes candidats), graine publique "
                  "\"graine-publique-2026\"\n"))
      << l;
  EXPECT_TRUE(Has(l,
                  "    A : SHA-256(\"isoloir/seats/v1\\ngraine-publique-2026\\n1\\nA\") = "
                  "c667ec3c0b88b1629433f1a8b2a019de29f3a7a466ac96a4d4e7c0d4e6a22c36\n"))
      << l;
  EXPECT_TRUE(Has(l, "la plus petite empreinte l'emporte -> B\n")) << l;

  auto votes = Allocate({{{"A", 200, 2}, {"B", 100, 4}, {"C", 40, 2}}, 2, VoteMode::kList, ""});
  EXPECT_TRUE(
      Has(SeatAllocationText(votes),
          "Égalité de moyenne entre A et B : départagées au plus grand nombre de voix -> A"));

  auto candidates =
      Allocate({{{"A", 100, 3}, {"B", 100, 5}, {"C", 50, 5}}, 3, VoteMode::kList, ""});
  const std::string ct = SeatAllocationText(candidates);
  EXPECT_TRUE(Has(ct,
                  "Égalité de moyenne entre A, B et C : au plus grand nombre de voix, A et B "
                  "restent à égalité ; départagées au plus grand nombre de candidats -> B\n"))
      << ct;
  EXPECT_TRUE(Has(ct, "  A  100 / 2 = 50,00\n  B  100 / 2 = 50,00\n  C   50 / 1 = 50,00\n")) << ct;

  auto none = Allocate({{{"A", 0, 2}}, 2, VoteMode::kSigle, ""});
  const std::string n = SeatAllocationText(none);
  EXPECT_TRUE(Has(n, "Vote sur sigle")) << n;
  EXPECT_FALSE(Has(n, "Quotient")) << n;
  EXPECT_FALSE(Has(n, "Candidats")) << n;
  EXPECT_TRUE(Has(n, "Sièges non pourvus : 2 (aucun suffrage exprimé)")) << n;
}

TEST(SeatsReport, JsonCarriesEveryStep) {
  auto a = Allocate({{{"A", 100, 2}, {"B", 100, 2}}, 1, VoteMode::kList, "graine-publique-2026"});
  const nlohmann::json j = SeatAllocationJson(a);
  EXPECT_EQ(j["format"], "isoloir/seats/v1");
  EXPECT_EQ(j["mode"], "liste");
  EXPECT_EQ(j["seats"], 1);
  EXPECT_EQ(j["expressed"], 200);
  EXPECT_EQ(j["quotient"]["numerator"], 200);
  EXPECT_EQ(j["quotient"]["denominator"], 1);
  EXPECT_EQ(j["quotient"]["decimal"], "200.00");
  EXPECT_EQ(j["lists"][1]["name"], "B");
  EXPECT_EQ(j["lists"][1]["total"], 1);
  EXPECT_EQ(j["lists"][1]["at_average"], 1);
  const auto& round = j["rounds"][0];
  EXPECT_EQ(round["seat"], 1);
  EXPECT_EQ(round["winner"], "B");
  EXPECT_EQ(round["averages"][0]["status"], "competing");
  EXPECT_EQ(round["tie"]["decided_by"], "lots");
  EXPECT_EQ(round["tie"]["draw"]["entries"][1]["sha256"],
            "375d6c0933300e886b926128a7b56f87aa630805c434ba79f9e786fa51bf44b3");
  EXPECT_EQ(round["tie"]["draw"]["winner"], "B");
  EXPECT_EQ(j["unfilled"], 0);
  EXPECT_EQ(j["unfilled_reason"], "none");

  auto sigle = Allocate({{{"A", 0, 0}}, 2, VoteMode::kSigle, ""});
  const nlohmann::json s = SeatAllocationJson(sigle);
  EXPECT_TRUE(s["quotient"].is_null());
  EXPECT_TRUE(s["lists"][0]["candidates"].is_null());
  EXPECT_EQ(s["unfilled_reason"], "no_votes");
}

}  // namespace
}  // namespace isoloir::election
