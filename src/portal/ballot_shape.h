// What a scrutin's ballot looks like, as the portal's code names it: the
// definitions live in election/ballot_shape.h, shared with the verifier.
#pragma once

#include "election/ballot_shape.h"

namespace isoloir::portal {

using election::BallotChoice;
using election::ScrutinBallotContext;
using election::ScrutinChoices;

}  // namespace isoloir::portal
