// What a key holder does on their own machine: check that a tally file is for
// the election and the key of their fragment, then give a partial decryption
// with its proofs for every scrutin. Pure. docs/counting.md §5.
#pragma once

#include "common/result.h"
#include "counting/ceremony.h"
#include "counting/documents.h"
#include "crypto/random.h"

namespace isoloir::counting {

// Errors name the tally file's field that does not match the fragment
// ("election", "fingerprint", "public_key", "verification_keys[2]").
Result<PartialFile> DecryptTally(const Fragment& fragment, const Tally& tally, crypto::Rng& rng);

}  // namespace isoloir::counting
