// Seat allocation of a scrutin: seats at the quotient, then remaining seats at
// the plus forte moyenne, with the candidate cap, the tie-breaks and a drawing
// of lots anyone can redo. Every step is kept in the result. docs/seats.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "crypto/transcript.h"
#include "election/model.h"

namespace isoloir::election {

// Input bounds: beyond them the request is refused, so that every product
// below fits in a signed 64-bit integer (10^12 * 10^4 < 2^63).
inline constexpr int64_t kMaxSeats = 10'000;
inline constexpr int64_t kMaxVotes = 1'000'000'000'000;  // per list and in total
inline constexpr int64_t kMaxCandidates = 1'000'000;
inline constexpr size_t kMaxSeatLists = 10'000;

// Domain separation of the drawing of lots (first line of the hashed text).
inline constexpr std::string_view kLotDrawLabel = "isoloir/seats/v1";

// One list (list vote) or union sigle (vote on sigle) as the count gives it.
struct SeatRow {
  std::string name;        // unique, compared without case or accents; used by the draw
  int64_t votes = 0;       // suffrages obtained
  int64_t candidates = 0;  // candidates on the list; ignored on a vote on sigle
};

struct SeatRequest {
  std::vector<SeatRow> rows;  // in ballot order
  int64_t seats = 0;          // seats of titulaires to fill
  VoteMode mode = VoteMode::kList;
  std::string seed;  // public seed of a drawing of lots; may stay empty when none is needed
};

// votes / divisor, kept exact; compared by cross-multiplication.
struct Fraction {
  int64_t num = 0;
  int64_t den = 1;
};
// -1, 0 or 1 as a < b, a == b, a > b (denominators positive).
int CompareFractions(const Fraction& a, const Fraction& b);

struct ListSeats {
  std::string name;
  int64_t votes = 0;
  int64_t candidates = 0;      // 0 on a vote on sigle
  int64_t quotient_share = 0;  // floor(votes / quotient), before the candidate cap
  int64_t at_quotient = 0;     // min(quotient_share, candidates) on a list vote
  int64_t at_average = 0;      // seats won at the plus forte moyenne
  int64_t total() const { return at_quotient + at_average; }
};

enum class AverageStatus {
  kCompeting,  // may take the seat
  kFull,       // list vote: as many seats as candidates
  kNoVotes,    // no vote: a list nobody voted for takes no seat
};

struct AverageEntry {
  size_t list = 0;   // index in SeatAllocation::lists
  Fraction average;  // votes / (seats already won + 1)
  AverageStatus status = AverageStatus::kCompeting;
};

enum class TieBreak {
  kNotDecisive,  // no more tied lists than seats left: each tied list gets one of them
  kVotes,        // most votes
  kCandidates,   // list vote: most candidates
  kLots,         // drawing of lots from the public seed
};

// The drawing of lots among the lists still tied after votes and candidates:
// each gets SHA-256(label \n seed \n seat \n name) (LotDrawHash) and the
// smallest digest, compared byte by byte, wins.
struct LotDraw {
  std::vector<size_t> lists;            // the lists in the draw, in input order
  std::vector<crypto::Digest> digests;  // one per list, same order
  size_t winner = 0;
};

struct Tie {
  std::vector<size_t> lists;  // every list at the highest average, in input order
  TieBreak decided_by = TieBreak::kNotDecisive;
  std::optional<LotDraw> draw;  // when decided_by == kLots
};

// One seat given at the plus forte moyenne.
struct AverageRound {
  int64_t seat = 0;                    // 1-based among all the seats of the scrutin
  std::vector<AverageEntry> averages;  // every list, in input order
  size_t winner = 0;
  std::optional<Tie> tie;  // when several lists had the highest average
};

enum class Unfilled {
  kNone,
  kNoVotes,       // no suffrage expressed: no seat can be allocated
  kNoCandidates,  // every list with votes has as many seats as candidates
};

struct SeatAllocation {
  VoteMode mode = VoteMode::kList;
  int64_t seats = 0;
  int64_t expressed = 0;             // suffrages exprimés: the sum of the votes
  std::optional<Fraction> quotient;  // expressed / seats; absent when nothing was expressed
  std::string seed;
  std::vector<ListSeats> lists;  // input order
  std::vector<AverageRound> rounds;
  int64_t unfilled = 0;  // seats no list could take
  Unfilled unfilled_reason = Unfilled::kNone;
};

// Allocates the seats. Errors (each names the list and the field): no list,
// seats outside 1..kMaxSeats, a name empty, repeated or with control
// characters, negative votes or candidates, values above the bounds, a bad
// seed, and "seats.seed.missing" when a drawing of lots is needed and the
// request has no seed.
Result<SeatAllocation> AllocateSeats(const SeatRequest& request);

// SHA-256 of the UTF-8 text "isoloir/seats/v1\n" + seed + "\n" + seat (decimal)
// + "\n" + name, without a final line break.
crypto::Digest LotDrawHash(std::string_view seed, int64_t seat, std::string_view name);

// The elected of one list of a scrutin. Titulaires: the first n candidates in
// list order, n the seats won; suppléants: as many seats, filled by the next
// candidates in order; when the list runs out, the rest stay vacant.
struct ListeElus {
  std::string liste_id;
  std::string sigle;
  int64_t sieges = 0;                 // seats of titulaires won
  int64_t sieges_suppleants = 0;      // seats of suppléants that go with them
  std::vector<Candidate> titulaires;  // empty on a vote on sigle
  std::vector<Candidate> suppleants;  // empty on a vote on sigle
  int64_t suppleants_vacants = 0;     // list vote: suppléant seats without a candidate
};

struct ScrutinSeats {
  std::string scrutin;
  SeatAllocation allocation;      // list names are the sigles
  std::vector<ListeElus> listes;  // scrutin order
};

// The allocation of a scrutin from its lists and the votes per list (in the
// order of scrutin.listes): seats = sieges_titulaires, names = sigles,
// candidates = the lists' candidates. Suppléant seats per list equal its
// titulaire seats (sieges_suppleants must then be equal to sieges_titulaires,
// or 0 for a body without suppléants; "seats.suppleants" otherwise).
Result<ScrutinSeats> AllocateScrutinSeats(const Scrutin& scrutin, const std::vector<int64_t>& votes,
                                          std::string_view seed);

std::string_view TieBreakName(TieBreak t);  // "not_decisive", "votes", "candidates", "lots"
std::string_view AverageStatusName(AverageStatus s);  // "competing", "full", "no_votes"
std::string_view UnfilledName(Unfilled u);            // "none", "no_votes", "no_candidates"

}  // namespace isoloir::election
