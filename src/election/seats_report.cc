// French text and JSON renderings of a seat allocation (docs/seats.md).
#include "election/seats_report.h"

#include <algorithm>

#include "common/bytes.h"
#include "election/election_file.h"
#include "election/text.h"

namespace isoloir::election {
namespace {

using Json = nlohmann::json;

// Display width of UTF-8 text: its code points (no combining or wide forms
// expected in list names).
size_t Width(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string PadRight(std::string_view s, size_t w) {
  return std::string(s) + std::string(w > Width(s) ? w - Width(s) : 0, ' ');
}
std::string PadLeft(std::string_view s, size_t w) {
  return std::string(w > Width(s) ? w - Width(s) : 0, ' ') + std::string(s);
}

std::string N(int64_t n) { return text::Count(static_cast<uint64_t>(n)); }

// "A", "A et B", "A, B et C".
std::string Names(const SeatAllocation& a, const std::vector<size_t>& lists) {
  std::string out;
  for (size_t k = 0; k < lists.size(); ++k) {
    if (k > 0) out += k + 1 == lists.size() ? " et " : ", ";
    out += a.lists[lists[k]].name;
  }
  return out;
}

// The text LotDrawHash hashes, with its line breaks shown as \n.
std::string HashedText(const SeatAllocation& a, int64_t seat, std::string_view name) {
  return std::string(kLotDrawLabel) + "\\n" + a.seed + "\\n" + std::to_string(seat) + "\\n" +
         std::string(name);
}

void Table(const SeatAllocation& a, std::string& out) {
  const bool list_vote = a.mode == VoteMode::kList;
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"Liste", "Voix", "Candidats", "Sièges au quotient",
                  "Sièges à la plus forte moyenne", "Total"});
  int64_t q = 0, m = 0;
  for (const ListSeats& l : a.lists) {
    rows.push_back(
        {l.name, N(l.votes), N(l.candidates), N(l.at_quotient), N(l.at_average), N(l.total())});
    q += l.at_quotient;
    m += l.at_average;
  }
  rows.push_back({"Total", N(a.expressed), "", N(q), N(m), N(q + m)});
  std::vector<size_t> width(6, 0);
  for (const auto& r : rows) {
    for (size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], Width(r[c]));
  }
  for (const auto& r : rows) {
    std::string line = PadRight(r[0], width[0]);
    for (size_t c = 1; c < r.size(); ++c) {
      if (c == 2 && !list_vote) continue;
      line += "  " + PadLeft(r[c], width[c]);
    }
    out += line + "\n";
  }
  for (const ListSeats& l : a.lists) {
    if (l.quotient_share > l.at_quotient) {
      out += "(" + l.name + " : " + N(l.quotient_share) + " sièges au quotient, limités à ses " +
             N(l.candidates) + " candidats)\n";
    }
  }
}

void TieText(const SeatAllocation& a, const AverageRound& r, std::string& out) {
  const Tie& tie = *r.tie;
  const std::string winner = a.lists[r.winner].name;
  out += "  Égalité de moyenne entre " + Names(a, tie.lists);
  switch (tie.decided_by) {
    case TieBreak::kNotDecisive:
      out +=
          " : il reste assez de sièges pour chacune, l'égalité est sans effet (ordre : voix, "
          "candidats, ordre des listes) -> " +
          winner + "\n";
      return;
    case TieBreak::kVotes:
      out += " : départagées au plus grand nombre de voix -> " + winner + "\n";
      return;
    case TieBreak::kCandidates: {
      // Name the lists that most votes left tied, when votes removed some.
      int64_t most = 0;
      for (size_t i : tie.lists) most = std::max(most, a.lists[i].votes);
      std::vector<size_t> left;
      for (size_t i : tie.lists) {
        if (a.lists[i].votes == most) left.push_back(i);
      }
      if (left.size() < tie.lists.size()) {
        out += " : au plus grand nombre de voix, " + Names(a, left) + " restent à égalité";
      } else {
        out += " : mêmes voix";
      }
      out += " ; départagées au plus grand nombre de candidats -> " + winner + "\n";
      return;
    }
    case TieBreak::kLots:
      break;
  }
  const LotDraw& d = *tie.draw;
  out += " : tirage au sort entre " + Names(a, d.lists) + " (mêmes voix" +
         (a.mode == VoteMode::kList ? std::string(", mêmes candidats") : std::string()) +
         "), graine publique \"" + a.seed + "\"\n";
  for (size_t k = 0; k < d.lists.size(); ++k) {
    const std::string& name = a.lists[d.lists[k]].name;
    out += "    " + name + " : SHA-256(\"" + HashedText(a, r.seat, name) +
           "\") = " + HexEncode(d.digests[k]) + "\n";
  }
  out += "    la plus petite empreinte l'emporte -> " + winner + "\n";
}

Json FractionJson(const Fraction& f) {
  return Json{
      {"numerator", f.num}, {"denominator", f.den}, {"decimal", FormatFraction(f, '.', false)}};
}

}  // namespace

std::string FormatFraction(const Fraction& f, char decimal_mark, bool grouped) {
  const int64_t whole = f.num / f.den;
  const int64_t cents = (f.num % f.den) * 100 / f.den;
  std::string out = grouped ? N(whole) : std::to_string(whole);
  out += decimal_mark;
  if (cents < 10) out += '0';
  return out + std::to_string(cents);
}

std::string SeatAllocationText(const SeatAllocation& a) {
  std::string out =
      "Répartition des sièges : représentation proportionnelle à la plus forte "
      "moyenne\n";
  out += a.mode == VoteMode::kList ? "Scrutin de liste" : "Vote sur sigle";
  out += ", " + N(a.seats) + (a.seats > 1 ? " sièges à pourvoir" : " siège à pourvoir") + ", " +
         N(a.expressed) + " suffrages exprimés\n";
  if (a.quotient) {
    out += "Quotient électoral : " + N(a.quotient->num) + " / " + N(a.quotient->den) + " = " +
           FormatFraction(*a.quotient, ',', true) + "\n";
  }
  out += "\n";
  Table(a, out);
  if (!a.rounds.empty()) {
    out += "\nSièges à la plus forte moyenne (moyenne = voix / (sièges déjà obtenus + 1)) :\n";
    size_t name_width = 0, votes_width = 0;
    for (const ListSeats& l : a.lists) {
      name_width = std::max(name_width, Width(l.name));
      votes_width = std::max(votes_width, Width(N(l.votes)));
    }
    for (const AverageRound& r : a.rounds) {
      out += "Siège " + std::to_string(r.seat) + " : " + a.lists[r.winner].name + "\n";
      size_t den_width = 0, avg_width = 0;
      for (const AverageEntry& e : r.averages) {
        den_width = std::max(den_width, Width(N(e.average.den)));
        avg_width = std::max(avg_width, Width(FormatFraction(e.average, ',', true)));
      }
      for (const AverageEntry& e : r.averages) {
        out += "  " + PadRight(a.lists[e.list].name, name_width) + "  " +
               PadLeft(N(e.average.num), votes_width) + " / " +
               PadRight(N(e.average.den), den_width) + " = " +
               PadLeft(FormatFraction(e.average, ',', true), avg_width);
        if (e.status == AverageStatus::kFull)
          out += "  (complète : autant de sièges que de candidats)";
        if (e.status == AverageStatus::kNoVotes) out += "  (aucune voix)";
        out += "\n";
      }
      if (r.tie) TieText(a, r, out);
    }
  }
  if (a.unfilled > 0) {
    out += "\nSièges non pourvus : " + N(a.unfilled) +
           (a.unfilled_reason == Unfilled::kNoVotes
                ? " (aucun suffrage exprimé)\n"
                : " (aucune liste ayant obtenu des voix n'a encore un candidat)\n");
  }
  return out;
}

Json SeatAllocationJson(const SeatAllocation& a) {
  const bool list_vote = a.mode == VoteMode::kList;
  Json lists = Json::array();
  for (const ListSeats& l : a.lists) {
    lists.push_back(Json{{"name", l.name},
                         {"votes", l.votes},
                         {"candidates", list_vote ? Json(l.candidates) : Json(nullptr)},
                         {"quotient_share", l.quotient_share},
                         {"at_quotient", l.at_quotient},
                         {"at_average", l.at_average},
                         {"total", l.total()}});
  }
  Json rounds = Json::array();
  for (const AverageRound& r : a.rounds) {
    Json averages = Json::array();
    for (const AverageEntry& e : r.averages) {
      Json entry = FractionJson(e.average);
      entry["list"] = a.lists[e.list].name;
      entry["status"] = AverageStatusName(e.status);
      averages.push_back(std::move(entry));
    }
    Json round{{"seat", r.seat},
               {"averages", std::move(averages)},
               {"winner", a.lists[r.winner].name},
               {"tie", nullptr}};
    if (r.tie) {
      Json tied = Json::array();
      for (size_t i : r.tie->lists) tied.push_back(a.lists[i].name);
      Json tie{{"lists", std::move(tied)},
               {"decided_by", TieBreakName(r.tie->decided_by)},
               {"draw", nullptr}};
      if (r.tie->draw) {
        Json entries = Json::array();
        for (size_t k = 0; k < r.tie->draw->lists.size(); ++k) {
          entries.push_back(Json{{"list", a.lists[r.tie->draw->lists[k]].name},
                                 {"sha256", HexEncode(r.tie->draw->digests[k])}});
        }
        tie["draw"] =
            Json{{"entries", std::move(entries)}, {"winner", a.lists[r.tie->draw->winner].name}};
      }
      round["tie"] = std::move(tie);
    }
    rounds.push_back(std::move(round));
  }
  return Json{{"format", kSeatsJsonFormat},
              {"mode", VoteModeName(a.mode)},
              {"seats", a.seats},
              {"expressed", a.expressed},
              {"quotient", a.quotient ? FractionJson(*a.quotient) : Json(nullptr)},
              {"seed", a.seed},
              {"lists", std::move(lists)},
              {"rounds", std::move(rounds)},
              {"unfilled", a.unfilled},
              {"unfilled_reason", UnfilledName(a.unfilled_reason)}};
}

}  // namespace isoloir::election
