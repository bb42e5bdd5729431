// The count's result document of one scrutin ("isoloir/count/v1", written by
// `isoloir tally combine`): read strictly, then split into the record's
// tally, partial_decryption and result entries (docs/record.md).
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "record/bodies.h"

namespace isoloir::record {

inline constexpr std::string_view kCountFormat = "isoloir/count/v1";

// {"format", "election", "fingerprint", "scrutin", "ballots", "emargements",
//  "tally": [ciphertext], "partial_decryptions": [partial decryption],
//  "counts", "votants", "blancs", "exprimes", "listes", "seats", "seed"}
struct CountDocument {
  std::string election_id;
  crypto::Digest fingerprint{};
  TallyBody tally;  // scrutin, ballots, emargements, sums
  std::vector<crypto::PartialDecryption> partials;
  ResultBody result;  // scrutin, counts, votants, blancs, exprimes, listes, seats, seed
};

Json CountDocumentJson(const CountDocument& doc);
// Strict: exactly the keys above, every protocol object decoded; errors name
// the field. Whether the numbers are right is the verifier's business.
Result<CountDocument> ParseCountDocument(const Json& j);

inline constexpr std::string_view kResultsFormat = "isoloir/results/v1";
// The count documents of a results file as `isoloir tally combine` and the
// portal's count write it ({"format": "isoloir/results/v1", "scrutins":
// [...]}): each scrutin keeps the fields above (its listes: id, sigle, voix)
// and is read as ParseCountDocument reads a document; errors name the scrutin.
Result<std::vector<CountDocument>> CountDocumentsOfResults(const Json& results);

}  // namespace isoloir::record
