// Seat allocation: quotient, plus forte moyenne, candidate cap, tie-breaks and
// the drawing of lots, in exact integer arithmetic. The rule: docs/seats.md.
#include "election/seats.h"

#include <algorithm>
#include <map>

#include "election/election_file.h"
#include "election/text.h"

namespace isoloir::election {
namespace {

constexpr size_t kMaxText = 1000;  // bytes in a name or the seed

std::string ListLabel(size_t i, std::string_view name) {
  std::string label = "list " + std::to_string(i + 1);
  if (!name.empty()) label += " " + text::Quoted(name);
  return label;
}

// Problems of the text `s`, or "" when fine.
std::string TextProblem(std::string_view s) {
  if (!text::IsValidUtf8(s)) return "is not valid UTF-8";
  if (text::HasControl(s, false)) return "holds a control character (a line break, a tab...)";
  if (s.size() > kMaxText) return "is longer than 1000 bytes";
  return "";
}

void CheckCount(std::vector<Error>& errors, const std::string& where, std::string_view field,
                int64_t value, int64_t max, std::string_view code_prefix) {
  const std::string code = "seats." + std::string(code_prefix);
  if (value < 0) {
    errors.push_back(MakeError(code + ".negative", where + ", " + std::string(field) + ": " +
                                                       std::to_string(value) + " is negative"));
  } else if (value > max) {
    errors.push_back(MakeError(code + ".too_large", where + ", " + std::string(field) + ": " +
                                                        std::to_string(value) + " is above " +
                                                        text::Count(static_cast<uint64_t>(max))));
  }
}

std::vector<Error> Validate(const SeatRequest& r) {
  std::vector<Error> errors;
  if (r.seats < 1 || r.seats > kMaxSeats) {
    errors.push_back(MakeError("seats.seats.range", "seats: " + std::to_string(r.seats) +
                                                        " seats to fill; the number must be "
                                                        "between 1 and " +
                                                        text::Count(kMaxSeats)));
  }
  if (r.rows.empty()) errors.push_back(MakeError("seats.lists.empty", "lists: there is no list"));
  if (r.rows.size() > kMaxSeatLists) {
    errors.push_back(MakeError(
        "seats.lists.too_many",
        "lists: " + text::Count(r.rows.size()) + " lists; at most " + text::Count(kMaxSeatLists)));
  }
  std::map<std::string, size_t> seen;  // folded name -> first list
  int64_t total = 0;
  for (size_t i = 0; i < r.rows.size(); ++i) {
    const SeatRow& row = r.rows[i];
    const std::string where = ListLabel(i, TextProblem(row.name).empty() ? row.name : "");
    if (row.name.empty()) {
      errors.push_back(MakeError("seats.name.missing", where + ", name: empty"));
    } else if (auto p = TextProblem(row.name); !p.empty()) {
      errors.push_back(MakeError("seats.name.invalid", where + ", name: " + p));
    } else if (auto [it, fresh] = seen.emplace(text::FoldName(row.name), i); !fresh) {
      errors.push_back(
          MakeError("seats.name.duplicate", where + ", name: the same name as " +
                                                ListLabel(it->second, r.rows[it->second].name) +
                                                " (names are compared without case or accents)"));
    }
    CheckCount(errors, where, "votes", row.votes, kMaxVotes, "votes");
    if (r.mode == VoteMode::kList) {
      CheckCount(errors, where, "candidates", row.candidates, kMaxCandidates, "candidates");
    }
    // Summed up to just above the bound, whatever the number of lists.
    if (row.votes > 0 && row.votes <= kMaxVotes) total = std::min(total + row.votes, kMaxVotes + 1);
  }
  if (total > kMaxVotes) {
    errors.push_back(MakeError("seats.votes.total_too_large",
                               "votes: the lists' votes add up to more than " +
                                   text::Count(static_cast<uint64_t>(kMaxVotes))));
  }
  if (auto p = TextProblem(r.seed); !p.empty()) {
    errors.push_back(MakeError("seats.seed.invalid", "seed: " + p));
  }
  return errors;
}

// Decides which of the lists at the highest average gets seat `seat`.
Result<size_t> BreakTie(const SeatRequest& r, const std::vector<ListSeats>& lists, int64_t seat,
                        int64_t seats_left, Tie& tie) {
  const bool by_candidates = r.mode == VoteMode::kList;
  // Order of the tie-break criteria: most votes, then (list vote) most candidates.
  auto ahead = [&](size_t a, size_t b) {
    if (lists[a].votes != lists[b].votes) return lists[a].votes > lists[b].votes;
    if (by_candidates && lists[a].candidates != lists[b].candidates) {
      return lists[a].candidates > lists[b].candidates;
    }
    return false;
  };
  if (static_cast<int64_t>(tie.lists.size()) <= seats_left) {
    // Each tied list gets one of the seats left whatever the order: the
    // criteria only number the seats (input order last), no draw.
    tie.decided_by = TieBreak::kNotDecisive;
    return *std::min_element(tie.lists.begin(), tie.lists.end(), ahead);
  }
  std::vector<size_t> group = tie.lists;
  int64_t most_votes = 0;
  for (size_t i : group) most_votes = std::max(most_votes, lists[i].votes);
  std::erase_if(group, [&](size_t i) { return lists[i].votes != most_votes; });
  if (group.size() == 1) {
    tie.decided_by = TieBreak::kVotes;
    return group.front();
  }
  if (by_candidates) {
    int64_t most = 0;
    for (size_t i : group) most = std::max(most, lists[i].candidates);
    std::erase_if(group, [&](size_t i) { return lists[i].candidates != most; });
    if (group.size() == 1) {
      tie.decided_by = TieBreak::kCandidates;
      return group.front();
    }
  }
  if (r.seed.empty()) {
    std::string names;
    for (size_t i : group) names += (names.empty() ? "" : ", ") + text::Quoted(lists[i].name);
    return MakeError("seats.seed.missing",
                     "seat " + std::to_string(seat) + ": the lists " + names +
                         " are tied (same average, same votes" +
                         (by_candidates ? std::string(", same candidates") : std::string()) +
                         "): a drawing of lots decides, and it needs the public seed");
  }
  LotDraw draw;
  draw.lists = group;
  for (size_t i : group) draw.digests.push_back(LotDrawHash(r.seed, seat, lists[i].name));
  size_t best = 0;
  for (size_t k = 1; k < group.size(); ++k) {
    if (draw.digests[k] < draw.digests[best]) best = k;
  }
  draw.winner = group[best];
  tie.decided_by = TieBreak::kLots;
  tie.draw = std::move(draw);
  return group[best];
}

}  // namespace

int CompareFractions(const Fraction& a, const Fraction& b) {
  // Within the bounds of AllocateSeats both products stay below 10^17.
  const int64_t l = a.num * b.den, r = b.num * a.den;
  return l < r ? -1 : (l > r ? 1 : 0);
}

crypto::Digest LotDrawHash(std::string_view seed, int64_t seat, std::string_view name) {
  std::string message(kLotDrawLabel);
  message += '\n';
  message += seed;
  message += '\n';
  message += std::to_string(seat);
  message += '\n';
  message += name;
  return crypto::Sha256(
      std::span(reinterpret_cast<const uint8_t*>(message.data()), message.size()));
}

Result<SeatAllocation> AllocateSeats(const SeatRequest& r) {
  if (auto errors = Validate(r); !errors.empty()) return CombineErrors(errors, "seats.invalid");
  const bool capped = r.mode == VoteMode::kList;
  SeatAllocation a;
  a.mode = r.mode;
  a.seats = r.seats;
  a.seed = r.seed;
  for (const SeatRow& row : r.rows) {
    a.lists.push_back(ListSeats{row.name, row.votes, capped ? row.candidates : 0, 0, 0, 0});
    a.expressed += row.votes;
  }
  if (a.expressed == 0) {
    a.unfilled = r.seats;
    a.unfilled_reason = Unfilled::kNoVotes;
    return a;
  }
  // 1. Seats at the quotient: floor(votes / (expressed / seats)).
  a.quotient = Fraction{a.expressed, r.seats};
  int64_t given = 0;
  for (ListSeats& l : a.lists) {
    l.quotient_share = l.votes * r.seats / a.expressed;
    l.at_quotient = capped ? std::min(l.quotient_share, l.candidates) : l.quotient_share;
    given += l.at_quotient;
  }
  // 2. The seats left, one at a time, at the plus forte moyenne.
  while (given < r.seats) {
    AverageRound round;
    round.seat = given + 1;
    std::vector<size_t> top;
    Fraction best;
    for (size_t i = 0; i < a.lists.size(); ++i) {
      const ListSeats& l = a.lists[i];
      AverageEntry e{i, Fraction{l.votes, l.total() + 1}, AverageStatus::kCompeting};
      if (l.votes == 0) {
        e.status = AverageStatus::kNoVotes;
      } else if (capped && l.total() >= l.candidates) {
        e.status = AverageStatus::kFull;
      } else {
        const int c = top.empty() ? 1 : CompareFractions(e.average, best);
        if (c > 0) top.clear();
        if (c >= 0) {
          top.push_back(i);
          best = e.average;
        }
      }
      round.averages.push_back(e);
    }
    if (top.empty()) {
      a.unfilled = r.seats - given;
      a.unfilled_reason = Unfilled::kNoCandidates;
      break;
    }
    round.winner = top.front();
    if (top.size() > 1) {
      Tie tie;
      tie.lists = top;
      auto winner = BreakTie(r, a.lists, round.seat, r.seats - given, tie);
      if (!winner) return winner.error();
      round.winner = *winner;
      round.tie = std::move(tie);
    }
    ++a.lists[round.winner].at_average;
    ++given;
    a.rounds.push_back(std::move(round));
  }
  return a;
}

Result<ScrutinSeats> AllocateScrutinSeats(const Scrutin& scrutin, const std::vector<int64_t>& votes,
                                          std::string_view seed) {
  const std::string where = "scrutin " + scrutin.code + ": ";
  if (votes.size() != scrutin.listes.size()) {
    return MakeError("seats.votes.count", where + std::to_string(scrutin.listes.size()) +
                                              " lists but " + std::to_string(votes.size()) +
                                              " vote counts");
  }
  if (scrutin.sieges_suppleants != 0 && scrutin.sieges_suppleants != scrutin.sieges_titulaires) {
    return MakeError("seats.suppleants",
                     where + std::to_string(scrutin.sieges_suppleants) +
                         " seats of suppléants for " + std::to_string(scrutin.sieges_titulaires) +
                         " titulaires: each list gets as many suppléants as titulaires, so the "
                         "scrutin needs as many suppléant seats as titulaire seats (or none)");
  }
  SeatRequest request;
  request.seats = scrutin.sieges_titulaires;
  request.mode = scrutin.mode;
  request.seed = std::string(seed);
  for (size_t i = 0; i < scrutin.listes.size(); ++i) {
    const Liste& l = scrutin.listes[i];
    request.rows.push_back(SeatRow{l.sigle, votes[i], static_cast<int64_t>(l.candidats.size())});
  }
  auto allocation = AllocateSeats(request);
  if (!allocation) {
    return MakeError(allocation.error().code, where + allocation.error().message);
  }
  ScrutinSeats out;
  out.scrutin = scrutin.code;
  for (size_t i = 0; i < scrutin.listes.size(); ++i) {
    const Liste& l = scrutin.listes[i];
    ListeElus e;
    e.liste_id = l.id;
    e.sigle = l.sigle;
    e.sieges = allocation->lists[i].total();
    e.sieges_suppleants = scrutin.sieges_suppleants == 0 ? 0 : e.sieges;
    if (scrutin.mode == VoteMode::kList) {
      // The cap guarantees sieges <= candidates.
      const auto n = static_cast<size_t>(e.sieges);
      const size_t s = std::min(static_cast<size_t>(e.sieges_suppleants), l.candidats.size() - n);
      e.titulaires.assign(l.candidats.begin(), l.candidats.begin() + n);
      e.suppleants.assign(l.candidats.begin() + n, l.candidats.begin() + n + s);
      e.suppleants_vacants = e.sieges_suppleants - static_cast<int64_t>(s);
    }
    out.listes.push_back(std::move(e));
  }
  out.allocation = std::move(*allocation);
  return out;
}

std::string_view TieBreakName(TieBreak t) {
  switch (t) {
    case TieBreak::kNotDecisive:
      return "not_decisive";
    case TieBreak::kVotes:
      return "votes";
    case TieBreak::kCandidates:
      return "candidates";
    case TieBreak::kLots:
      return "lots";
  }
  return "";
}

std::string_view AverageStatusName(AverageStatus s) {
  switch (s) {
    case AverageStatus::kCompeting:
      return "competing";
    case AverageStatus::kFull:
      return "full";
    case AverageStatus::kNoVotes:
      return "no_votes";
  }
  return "";
}

std::string_view UnfilledName(Unfilled u) {
  switch (u) {
    case Unfilled::kNone:
      return "none";
    case Unfilled::kNoVotes:
      return "no_votes";
    case Unfilled::kNoCandidates:
      return "no_candidates";
  }
  return "";
}

}  // namespace isoloir::election
