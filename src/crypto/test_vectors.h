// Shared test vectors (spec appendix A): deterministic outputs of every
// algorithm from fixed seeds, written to tests/vectors/ for other
// implementations (the browser's JavaScript, independent verifiers) to match.
#pragma once

#include "crypto/codec.h"

namespace isoloir::crypto {

// Always the same JSON for the same code: a change in it is a protocol change.
codec::Json MakeTestVectors();

}  // namespace isoloir::crypto
