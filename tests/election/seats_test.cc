// Seat allocation on worked cases checked by hand (the arithmetic is in the
// comments): quotient, plus forte moyenne, cap, ties, lots, errors.
#include "election/seats.h"

#include <gtest/gtest.h>

#include "common/bytes.h"

namespace isoloir::election {
namespace {

SeatRequest Request(int64_t seats, std::vector<SeatRow> rows, VoteMode mode = VoteMode::kList,
                    std::string seed = "") {
  return SeatRequest{std::move(rows), seats, mode, std::move(seed)};
}

SeatAllocation Allocate(const SeatRequest& r) {
  auto a = AllocateSeats(r);
  if (!a) {
    ADD_FAILURE() << a.error().ToString();
    return SeatAllocation{};
  }
  return *a;
}

// Seats per list, in input order: {total, ...}.
std::vector<int64_t> Totals(const SeatAllocation& a) {
  std::vector<int64_t> out;
  for (const auto& l : a.lists) out.push_back(l.total());
  return out;
}
std::vector<int64_t> AtQuotient(const SeatAllocation& a) {
  std::vector<int64_t> out;
  for (const auto& l : a.lists) out.push_back(l.at_quotient);
  return out;
}
std::vector<size_t> Winners(const SeatAllocation& a) {
  std::vector<size_t> out;
  for (const auto& r : a.rounds) out.push_back(r.winner);
  return out;
}

TEST(Seats, PlainCaseEverySeatAtTheQuotient) {
  // 600 expressed, 6 seats: quotient 100; 300/100 = 3, 200/100 = 2, 100/100 = 1.
  auto a = Allocate(Request(6, {{"A", 300, 6}, {"B", 200, 6}, {"C", 100, 6}}));
  EXPECT_EQ(a.expressed, 600);
  ASSERT_TRUE(a.quotient);
  EXPECT_EQ(a.quotient->num, 600);
  EXPECT_EQ(a.quotient->den, 6);
  EXPECT_EQ(AtQuotient(a), (std::vector<int64_t>{3, 2, 1}));
  EXPECT_EQ(Totals(a), (std::vector<int64_t>{3, 2, 1}));
  EXPECT_TRUE(a.rounds.empty());
  EXPECT_EQ(a.unfilled, 0);
}

TEST(Seats, RemainingSeatsAtThePlusForteMoyenne) {
  // 106 expressed, 7 seats: quotient 106/7 = 15.14. At the quotient:
  // A 20*7/106 = 1.32 -> 1, B 287/106 = 2.71 -> 2, C 77/106 = 0.73 -> 0,
  // D 238/106 = 2.25 -> 2; 5 given, 2 left.
  // Seat 6: A 20/2 = 10, B 41/3 = 13.67, C 11/1 = 11, D 34/3 = 11.33 -> B.
  // Seat 7: A 10, B 41/4 = 10.25, C 11, D 11.33 -> D.
  // (The largest remainders, 0.73 and 0.71, would have given C and B a seat.)
  auto a = Allocate(Request(7, {{"A", 20, 7}, {"B", 41, 7}, {"C", 11, 7}, {"D", 34, 7}}));
  EXPECT_EQ(AtQuotient(a), (std::vector<int64_t>{1, 2, 0, 2}));
  EXPECT_EQ(Totals(a), (std::vector<int64_t>{1, 3, 0, 3}));
  ASSERT_EQ(a.rounds.size(), 2u);
  EXPECT_EQ(a.rounds[0].seat, 6);
  EXPECT_EQ(Winners(a), (std::vector<size_t>{1, 3}));
  const auto& avg = a.rounds[0].averages;
  ASSERT_EQ(avg.size(), 4u);
  EXPECT_EQ(avg[1].average.num, 41);
  EXPECT_EQ(avg[1].average.den, 3);
  EXPECT_EQ(a.rounds[1].averages[1].average.den, 4);
  EXPECT_FALSE(a.rounds[0].tie);
  EXPECT_FALSE(a.rounds[1].tie);
}

TEST(Seats, TieBrokenByMostVotes) {
  // 340 expressed, 2 seats: quotient 170; A 200 -> 1, B 100 -> 0, C 40 -> 0.
  // Seat 2: A 200/2 = 100, B 100/1 = 100, C 40: tie for the last seat;
  // A has more votes (B has more candidates, which only counts next).
  auto a = Allocate(Request(2, {{"A", 200, 2}, {"B", 100, 4}, {"C", 40, 2}}));
  EXPECT_EQ(Totals(a), (std::vector<int64_t>{2, 0, 0}));
  ASSERT_EQ(a.rounds.size(), 1u);
  ASSERT_TRUE(a.rounds[0].tie);
  EXPECT_EQ(a.rounds[0].tie->lists, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(a.rounds[0].tie->decided_by, TieBreak::kVotes);
  EXPECT_FALSE(a.rounds[0].tie->draw);
}

TEST(Seats, TieBrokenByMostCandidatesOnAListVote) {
  // 250 expressed, 3 seats: quotient 83.33; A 100 -> 1, B 100 -> 1, C 50 -> 0.
  // Seat 3: A 100/2 = 50, B 100/2 = 50, C 50/1 = 50: three-way tie for the
  // last seat. Most votes leaves A and B (100); most candidates: B (5 > 3).
  auto a = Allocate(Request(3, {{"A", 100, 3}, {"B", 100, 5}, {"C", 50, 5}}));
  EXPECT_EQ(Totals(a), (std::vector<int64_t>{1, 2, 0}));
  ASSERT_EQ(a.rounds.size(), 1u);
  ASSERT_TRUE(a.rounds[0].tie);
  EXPECT_EQ(a.rounds[0].tie->lists, (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(a.rounds[0].tie->decided_by, TieBreak::kCandidates);
}

TEST(Seats, OnAVoteOnSigleCandidatesDoNotBreakTies) {
  // The same votes on a vote on sigle: A and B stay tied, lots decide.
  const std::vector<SeatRow> rows = {{"A", 100, 3}, {"B", 100, 5}, {"C", 50, 5}};
  auto missing = AllocateSeats(Request(3, rows, VoteMode::kSigle));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "seats.seed.missing");
  EXPECT_NE(missing.error().message.find("seat 3: the lists \"A\", \"B\" are tied"),
            std::string::npos)
      << missing.error().message;
  // SHA-256("isoloir/seats/v1\ngraine-publique-2026\n3\nA") = 1038fc2c...,
  // for B ee254180...: the smaller, A, wins.
  auto a = Allocate(Request(3, rows, VoteMode::kSigle, "graine-publique-2026"));
  EXPECT_EQ(Totals(a), (std::vector<int64_t>{2, 1, 0}));
  ASSERT_TRUE(a.rounds[0].tie && a.rounds[0].tie->draw);
  EXPECT_EQ(a.rounds[0].tie->decided_by, TieBreak::kLots);
  EXPECT_EQ(a.rounds[0].tie->draw->lists, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(HexEncode(a.rounds[0].tie->draw->digests[0]),
            "1038fc2ce8692b0ecf46484b37bddbf1ba9b5c1640678fd1513809245e1f5f78");
}

TEST(Seats, TieBrokenByLotsFromThePublicSeed) {
  // 200 expressed, 1 seat: quotient 200, nobody reaches it. A 100/1 = B 100/1,
  // same votes, same candidates: lots. Digests (sha256sum of
  // printf 'isoloir/seats/v1\n%s\n1\n%s' SEED NAME):
  //   seed "graine-publique-2026": A c667ec3c..., B 375d6c09... -> B
  //   seed "autre-graine":         A 685ba899..., B a74d252d... -> A
  const std::vector<SeatRow> rows = {{"A", 100, 2}, {"B", 100, 2}};
  auto a = Allocate(Request(1, rows, VoteMode::kList, "graine-publique-2026"));
  EXPECT_EQ(Totals(a), (std::vector<int64_t>{0, 1}));
  ASSERT_EQ(a.rounds.size(), 1u);
  ASSERT_TRUE(a.rounds[0].tie);
  EXPECT_EQ(a.rounds[0].tie->decided_by, TieBreak::kLots);
  const LotDraw& d = *a.rounds[0].tie->draw;
  EXPECT_EQ(d.lists, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(HexEncode(d.digests[0]),
            "c667ec3c0b88b1629433f1a8b2a019de29f3a7a466ac96a4d4e7c0d4e6a22c36");
  EXPECT_EQ(HexEncode(d.digests[1]),
            "375d6c0933300e886b926128a7b56f87aa630805c434ba79f9e786fa51bf44b3");
  EXPECT_EQ(d.winner, 1u);
  EXPECT_EQ(a.seed, "graine-publique-2026");

  auto other = Allocate(Request(1, rows, VoteMode::kList, "autre-graine"));
  EXPECT_EQ(Totals(other), (std::vector<int64_t>{1, 0}));

  auto none = AllocateSeats(Request(1, rows));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, "seats.seed.missing");
}

TEST(Seats, LotDrawHashIsSha256OfTheDocumentedText) {
  EXPECT_EQ(HexEncode(LotDrawHash("graine-publique-2026", 1, "A")),
            "c667ec3c0b88b1629433f1a8b2a019de29f3a7a466ac96a4d4e7c0d4e6a22c36");
  // UTF-8 as is, spaces and punctuation included.
  EXPECT_EQ(HexEncode(LotDrawHash("tirage BVE 8/12/2026 17h05", 7,
                                  "Solidaires Fonction publique — Île-de-France")),
            "4c24793ee190d3d02154a661c0c8b534e1a69c37afae6464d00da7cd1d7dc19a");
}

TEST(Seats, TieWithAsManySeatsLeftAsTiedListsNeedsNoDraw) {
  // 230 expressed, 4 seats: quotient 57.5; A 100 -> 1, B 100 -> 1, C 30 -> 0.
  // Seat 3: A 50, B 50, C 30: tied, but 2 seats are left for the 2 lists.
  // Seat 4: A 100/3 = 33.33, B 50, C 30 -> B. No seed needed.
  auto a = Allocate(Request(4, {{"A", 100, 4}, {"B", 100, 4}, {"C", 30, 4}}));
  EXPECT_EQ(Totals(a), (std::vector<int64_t>{2, 2, 0}));
  ASSERT_EQ(a.rounds.size(), 2u);
  ASSERT_TRUE(a.rounds[0].tie);
  EXPECT_EQ(a.rounds[0].tie->decided_by, TieBreak::kNotDecisive);
  EXPECT_FALSE(a.rounds[0].tie->draw);
  EXPECT_EQ(Winners(a), (std::vector<size_t>{0, 1}));
}

TEST(Seats, ListWithFewerCandidatesThanItsShareGivesTheSeatToTheNext) {
  // 1000 expressed, 5 seats: quotient 200. A 600 -> 3 but only 2 candidates;
  // B 280 -> 1; C 120 -> 0. 3 given, 2 left.
  // Seat 4: A full (600/3 = 200), B 280/2 = 140, C 120/1 = 120 -> B.
  // Seat 5: A full, B 280/3 = 93.33, C 120 -> C.
  auto a = Allocate(Request(5, {{"A", 600, 2}, {"B", 280, 5}, {"C", 120, 5}}));
  EXPECT_EQ(a.lists[0].quotient_share, 3);
  EXPECT_EQ(AtQuotient(a), (std::vector<int64_t>{2, 1, 0}));
  EXPECT_EQ(Totals(a), (std::vector<int64_t>{2, 2, 1}));
  ASSERT_EQ(a.rounds.size(), 2u);
  EXPECT_EQ(a.rounds[0].averages[0].status, AverageStatus::kFull);
  EXPECT_EQ(Winners(a), (std::vector<size_t>{1, 2}));
  EXPECT_EQ(a.unfilled, 0);
}

TEST(Seats, ListFilledAtTheAverageDropsOut) {
  // 1000 expressed, 5 seats: quotient 200. A 400 -> 2 (3 candidates), the
  // seven others (90, 88, 86, 85, 84, 84, 83) -> 0. 2 given, 3 left.
  // Seat 3: A 400/3 = 133.33 > 90 -> A, now full.
  // Seat 4: A would have 400/4 = 100 > 90 but is full -> B (90).
  // Seat 5: B 45, C 88 -> C.
  std::vector<SeatRow> rows = {{"A", 400, 3}};
  const int64_t others[] = {90, 88, 86, 85, 84, 84, 83};
  for (size_t i = 0; i < 7; ++i)
    rows.push_back({std::string(1, static_cast<char>('B' + i)), others[i], 5});
  auto a = Allocate(Request(5, rows));
  EXPECT_EQ(Totals(a), (std::vector<int64_t>{3, 1, 1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(Winners(a), (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(a.rounds[1].averages[0].status, AverageStatus::kFull);
}

TEST(Seats, SeatNoListCanTakeStaysUnfilled) {
  // 1000 expressed, 5 seats: quotient 200. A 600 -> 3, capped at 2;
  // B 400 -> 2 = its 2 candidates. Seat 5: both full: unfilled.
  auto a = Allocate(Request(5, {{"A", 600, 2}, {"B", 400, 2}}));
  EXPECT_EQ(Totals(a), (std::vector<int64_t>{2, 2}));
  EXPECT_TRUE(a.rounds.empty());
  EXPECT_EQ(a.unfilled, 1);
  EXPECT_EQ(a.unfilled_reason, Unfilled::kNoCandidates);
}

TEST(Seats, NoVoteExpressedAllocatesNothing) {
  auto a = Allocate(Request(3, {{"A", 0, 3}, {"B", 0, 3}}));
  EXPECT_EQ(a.expressed, 0);
  EXPECT_FALSE(a.quotient);
  EXPECT_EQ(Totals(a), (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(a.unfilled, 3);
  EXPECT_EQ(a.unfilled_reason, Unfilled::kNoVotes);
}

TEST(Seats, ListWithoutVotesGetsNoSeat) {
  // 150 expressed, 3 seats: quotient 50. A 100 -> 2, capped at 1; B 0 -> 0;
  // C 50 -> 1. Seat 3: A full, B no vote (0/1), C 50/2 = 25 -> C.
  auto a = Allocate(Request(3, {{"A", 100, 1}, {"B", 0, 5}, {"C", 50, 5}}));
  EXPECT_EQ(Totals(a), (std::vector<int64_t>{1, 0, 2}));
  ASSERT_EQ(a.rounds.size(), 1u);
  EXPECT_EQ(a.rounds[0].averages[1].status, AverageStatus::kNoVotes);
  // When C is full too, the seat stays empty rather than go to B.
  auto b = Allocate(Request(3, {{"A", 100, 1}, {"B", 0, 5}, {"C", 50, 1}}));
  EXPECT_EQ(Totals(b), (std::vector<int64_t>{1, 0, 1}));
  EXPECT_EQ(b.unfilled, 1);
  EXPECT_EQ(b.unfilled_reason, Unfilled::kNoCandidates);
}

TEST(Seats, VoteOnSigleHasNoCandidateCap) {
  // 1000 expressed, 5 seats: quotient 200; 600 -> 3, 400 -> 2, no candidates.
  const std::vector<SeatRow> rows = {{"A", 600, 0}, {"B", 400, 0}};
  auto a = Allocate(Request(5, rows, VoteMode::kSigle));
  EXPECT_EQ(Totals(a), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(a.unfilled, 0);
  auto list_vote = Allocate(Request(5, rows, VoteMode::kList));
  EXPECT_EQ(list_vote.unfilled, 5);
}

Error Refused(const SeatRequest& r) {
  auto a = AllocateSeats(r);
  EXPECT_FALSE(a.ok());
  return a.ok() ? Error{} : a.error();
}

TEST(Seats, BadInputIsRefusedNamingTheListAndTheField) {
  auto e = Refused(Request(3, {{"A", 100, 3}, {"B", -5, 3}}));
  EXPECT_EQ(e.code, "seats.votes.negative");
  EXPECT_EQ(e.message, "list 2 \"B\", votes: -5 is negative");

  e = Refused(Request(3, {{"A", 100, -1}}));
  EXPECT_EQ(e.code, "seats.candidates.negative");
  EXPECT_TRUE(AllocateSeats(Request(3, {{"A", 100, -1}}, VoteMode::kSigle)).ok());

  e = Refused(Request(0, {{"A", 100, 3}}));
  EXPECT_EQ(e.code, "seats.seats.range");
  EXPECT_EQ(Refused(Request(-2, {{"A", 100, 3}})).code, "seats.seats.range");
  e = Refused(Request(kMaxSeats + 1, {{"A", 100, 3}}));
  EXPECT_EQ(e.code, "seats.seats.range");
  EXPECT_NE(e.message.find("between 1 and 10 000"), std::string::npos) << e.message;

  e = Refused(Request(3, {{"CGT", 100, 3}, {"FO", 50, 3}, {"cgt", 10, 3}}));
  EXPECT_EQ(e.code, "seats.name.duplicate");
  EXPECT_NE(e.message.find("list 3 \"cgt\", name: the same name as list 1 \"CGT\""),
            std::string::npos)
      << e.message;

  EXPECT_EQ(Refused(Request(3, {{"A", kMaxVotes + 1, 3}})).code, "seats.votes.too_large");
  EXPECT_EQ(Refused(Request(3, {{"A", kMaxVotes, 3}, {"B", 1, 3}})).code,
            "seats.votes.total_too_large");
  EXPECT_EQ(Refused(Request(3, {{"A", 1, kMaxCandidates + 1}})).code, "seats.candidates.too_large");
  EXPECT_EQ(Refused(Request(3, {})).code, "seats.lists.empty");
  EXPECT_EQ(Refused(Request(3, {{"", 1, 3}})).code, "seats.name.missing");
  EXPECT_EQ(Refused(Request(3, {{"A\nB", 1, 3}})).code, "seats.name.invalid");
  EXPECT_EQ(Refused(Request(3, {{"A", 1, 3}}, VoteMode::kList, "x\ny")).code, "seats.seed.invalid");

  // Several problems: one error, one line each.
  e = Refused(Request(0, {{"A", -1, 3}, {"a", 1, 3}}));
  EXPECT_EQ(e.code, "seats.invalid");
  EXPECT_NE(e.message.find("3 problems:"), std::string::npos) << e.message;
}

TEST(Seats, LargestInputsStayExact) {
  // 10^12 votes over 10 000 seats: every product stays within 64 bits.
  auto a = Allocate(Request(kMaxSeats, {{"A", kMaxVotes - 1, kMaxCandidates}, {"B", 1, 5}}));
  EXPECT_EQ(a.lists[0].at_quotient, kMaxSeats - 1);  // (10^12 - 1) * 10^4 / 10^12
  EXPECT_EQ(Totals(a), (std::vector<int64_t>{kMaxSeats, 0}));
}

// ---- From the election model.

Scrutin MakeScrutin(VoteMode mode, uint32_t titulaires, uint32_t suppleants,
                    std::vector<std::pair<std::string, int>> listes) {
  Scrutin s;
  s.code = "CAP-A";
  s.mode = mode;
  s.sieges_titulaires = titulaires;
  s.sieges_suppleants = suppleants;
  for (size_t i = 0; i < listes.size(); ++i) {
    Liste l;
    l.id = "L" + std::to_string(i + 1);
    l.sigle = listes[i].first;
    for (int k = 1; k <= listes[i].second; ++k) {
      l.candidats.push_back(Candidate{l.sigle + std::to_string(k), "Prénom", Sex::kFemale});
    }
    s.listes.push_back(std::move(l));
  }
  return s;
}

std::vector<std::string> Noms(const std::vector<Candidate>& c) {
  std::vector<std::string> out;
  for (const auto& x : c) out.push_back(x.nom);
  return out;
}

TEST(ScrutinSeats, TitulairesThenSuppleantsInListOrder) {
  // 300 expressed, 3 seats: quotient 100; ALPHA 200 -> 2, BETA 100 -> 1.
  // ALPHA (3 candidates): titulaires 1 and 2, suppléant 3, one suppléant seat
  // vacant. BETA (4 candidates): titulaire 1, suppléant 2.
  auto s = AllocateScrutinSeats(MakeScrutin(VoteMode::kList, 3, 3, {{"ALPHA", 3}, {"BETA", 4}}),
                                {200, 100}, "");
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  ASSERT_EQ(s->listes.size(), 2u);
  const ListeElus& alpha = s->listes[0];
  EXPECT_EQ(alpha.liste_id, "L1");
  EXPECT_EQ(alpha.sieges, 2);
  EXPECT_EQ(alpha.sieges_suppleants, 2);
  EXPECT_EQ(Noms(alpha.titulaires), (std::vector<std::string>{"ALPHA1", "ALPHA2"}));
  EXPECT_EQ(Noms(alpha.suppleants), (std::vector<std::string>{"ALPHA3"}));
  EXPECT_EQ(alpha.suppleants_vacants, 1);
  const ListeElus& beta = s->listes[1];
  EXPECT_EQ(Noms(beta.titulaires), (std::vector<std::string>{"BETA1"}));
  EXPECT_EQ(Noms(beta.suppleants), (std::vector<std::string>{"BETA2"}));
  EXPECT_EQ(beta.suppleants_vacants, 0);
  EXPECT_EQ(s->allocation.lists[0].name, "ALPHA");
}

TEST(ScrutinSeats, BodyWithoutSuppleants) {
  auto s = AllocateScrutinSeats(MakeScrutin(VoteMode::kList, 3, 0, {{"ALPHA", 3}, {"BETA", 4}}),
                                {200, 100}, "");
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(s->listes[0].sieges_suppleants, 0);
  EXPECT_TRUE(s->listes[0].suppleants.empty());
  EXPECT_EQ(s->listes[0].suppleants_vacants, 0);
}

TEST(ScrutinSeats, VoteOnSigleGivesSeatsPerUnion) {
  // 100 expressed, 5 seats: quotient 20; 60 -> 3, 40 -> 2; nobody designated.
  auto s = AllocateScrutinSeats(MakeScrutin(VoteMode::kSigle, 5, 5, {{"UN", 0}, {"DEUX", 0}}),
                                {60, 40}, "");
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(s->listes[0].sieges, 3);
  EXPECT_EQ(s->listes[0].sieges_suppleants, 3);
  EXPECT_EQ(s->listes[1].sieges, 2);
  EXPECT_TRUE(s->listes[0].titulaires.empty());
  EXPECT_EQ(s->listes[0].suppleants_vacants, 0);
}

TEST(ScrutinSeats, InconsistentInputIsRefused) {
  const Scrutin s = MakeScrutin(VoteMode::kList, 3, 3, {{"ALPHA", 3}, {"BETA", 4}});
  auto count = AllocateScrutinSeats(s, {200}, "");
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.error().code, "seats.votes.count");
  auto negative = AllocateScrutinSeats(s, {200, -1}, "");
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().message, "scrutin CAP-A: list 2 \"BETA\", votes: -1 is negative");
  auto ratio = AllocateScrutinSeats(MakeScrutin(VoteMode::kList, 3, 2, {{"ALPHA", 3}}), {200}, "");
  ASSERT_FALSE(ratio.ok());
  EXPECT_EQ(ratio.error().code, "seats.suppleants");
}

}  // namespace
}  // namespace isoloir::election
