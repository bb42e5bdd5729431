#include "portal/phase.h"

namespace isoloir::portal {

Phase VotePhase(const election::VotingWindow& window, const store::VoteState& state, int64_t now,
                int64_t session_created) {
  if (now < window.opening.utc) return Phase::kNotOpen;
  if (state.suspended) return Phase::kSuspended;
  if (now < window.closing.utc) return Phase::kOpen;
  if (session_created > 0 && session_created < window.closing.utc &&
      now < window.closing.utc + kClosingGraceSeconds) {
    return Phase::kGrace;
  }
  return Phase::kClosed;
}

const char* PhaseName(Phase p) {
  switch (p) {
    case Phase::kNotOpen:
      return "not_open";
    case Phase::kOpen:
      return "open";
    case Phase::kSuspended:
      return "suspended";
    case Phase::kGrace:
      return "grace";
    case Phase::kClosed:
      return "closed";
  }
  return "closed";
}

}  // namespace isoloir::portal
