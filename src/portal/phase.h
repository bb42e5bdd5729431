// Where the vote stands for a voter at a given time: not open yet, open,
// suspended by the board, in the closing grace period, or closed. Pure.
#pragma once

#include <cstdint>

#include "election/model.h"
#include "store/portal_store.h"

namespace isoloir::portal {

enum class Phase {
  kNotOpen,    // before the sealed opening time
  kOpen,       // voting
  kSuspended,  // the board suspended the vote (reason in VoteState)
  kGrace,      // closed, but this session began before closing: it may finish
  kClosed,     // after closing
};

// Voters logged in before closing may finish within this time (issue 5 §3).
inline constexpr int64_t kClosingGraceSeconds = 30 * 60;

// `session_created` is 0 for a visitor without a session.
Phase VotePhase(const election::VotingWindow& window, const store::VoteState& state, int64_t now,
                int64_t session_created = 0);

// May a ballot be cast in this phase?
inline bool CanCast(Phase p) { return p == Phase::kOpen || p == Phase::kGrace; }

const char* PhaseName(Phase p);  // "not_open", "open", "suspended", "grace", "closed"

}  // namespace isoloir::portal
