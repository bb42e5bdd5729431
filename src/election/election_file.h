// The election file (JSON) the organiser writes: decoding with every problem
// reported at its JSON path, the election rules, the canonical form and the
// fingerprint E of protocol §4. Field by field: docs/election-file.md.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "crypto/transcript.h"
#include "election/model.h"

namespace isoloir::election {

inline constexpr std::string_view kElectionFormat = "isoloir/election/v1";

struct ElectionFileParse {
  std::optional<Election> election;  // set exactly when errors is empty
  // Every problem, in file order; each message starts with the JSON path:
  // "scrutins[1].listes[0].candidats[3].sexe: expected \"F\" or \"H\"".
  std::vector<Error> errors;
};

// Decodes and validates (ValidateElection) the file text; reports all errors.
ElectionFileParse ParseElectionFileAll(std::string_view json_text);
// The same as a Result: one problem is returned as is; several are combined
// in one Error with code "election.invalid" and one problem per line.
Result<Election> ParseElectionFile(std::string_view json_text);

// The rules of an election, all of them, each error naming its JSON path:
// identifiers, texts, window (décret: 24 hours to 8 days), scrutins, lists and
// candidates, and CheckBveRules. A list may still have no candidate here
// (candidates can come later from a CSV): see CheckReadyToSeal.
std::vector<Error> ValidateElection(const Election& election);

// The BVE rules (requirements §4): at least 3 fragments; at least 2/3 held by
// délégués de liste; at least one held by the président; nobody holds more
// than 2; exactly one président; at least 2 délégués hold fragments (counting
// needs the président and 2 délégués); threshold between 2 and the number of
// fragments, and above the largest number held by one member (nobody alone
// decrypts); each délégué names the sigle of an existing list.
std::vector<Error> CheckBveRules(const Election& election);

// What must also hold before sealing: every scrutin has a list, and every
// list of a list vote has at least one candidate.
std::vector<Error> CheckReadyToSeal(const Election& election);

// The election as JSON with every field present (defaults written out),
// "format" first in the schema, the shape ParseElectionFile reads back.
nlohmann::json ElectionToJson(const Election& election);
// Canonical text: ElectionToJson with keys sorted, no whitespace, UTF-8 as
// is (codec::Canonical). Re-parsing it gives the same Election.
std::string CanonicalElectionJson(const Election& election);
// E = SHA-256(CanonicalElectionJson(election)) (protocol §4).
crypto::Digest ElectionFingerprint(const Election& election);

// Text forms of the enumerations, as in the file.
std::string_view VoteModeName(VoteMode mode);  // "liste", "sigle"
std::string_view SexName(Sex sex);             // "F", "H"
std::string_view BveRoleName(BveRole role);    // "president", "secretaire", "delegue"

// One Error for a list of them ("<code>" when alone, else `code` with one
// message per line).
Error CombineErrors(const std::vector<Error>& errors, std::string_view code);

}  // namespace isoloir::election
