// What a scrutin's ballot looks like: its choices in the order of the
// election file (lists or sigles, then the blank vote if allowed) and the
// ballot context of docs/protocol.md §7.1 that the browser, the server and
// the verifier share.
#pragma once

#include <string>
#include <vector>

#include "crypto/ballot.h"
#include "election/model.h"

namespace isoloir::election {

struct BallotChoice {
  std::string label;     // the sigle (and title), or "" for the blank vote
  std::string liste_id;  // "" for the blank vote
  bool blank = false;
};

// One choice per list in file order, then the blank vote when allowed;
// exactly one choice is made (min = max = 1).
std::vector<BallotChoice> ScrutinChoices(const Scrutin& scrutin);
crypto::BallotContext ScrutinBallotContext(const crypto::Digest& fingerprint,
                                           const Scrutin& scrutin);

}  // namespace isoloir::election
